BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot '../ExoConnectRunner.psd1') -Force
}
AfterAll { Remove-Module -Name ExoConnectRunner -ErrorAction SilentlyContinue }

Describe 'the result collector' {
    It 'keeps every object in order when they fit, across batches, and counts what it kept' {
        InModuleScope ExoConnectRunner {
            $collector = New-ResultCollector -Limit 1000 -Depth 2
            foreach ($i in 1..1005) { if (-not $collector.Full) { Add-ResultItem $collector $i } }
            $kept = @((Get-ResultJson -Collector $collector) | ConvertFrom-Json)
            $kept.Count | Should -Be 1000
            $kept[0] | Should -Be 1
            $kept[-1] | Should -Be 1000
            $collector.Count | Should -Be 1000
        }
    }

    It 'stops collecting at the object that would pass the output limit, and says it is full' {
        InModuleScope ExoConnectRunner {
            $collector = New-ResultCollector -Limit 1000 -Depth 2
            foreach ($i in 1..250) { if (-not $collector.Full) { Add-ResultItem $collector ([pscustomobject]@{ N = $i; Blob = 'z' * 20000 }) } }
            $json = Get-ResultJson -Collector $collector
            [Text.Encoding]::UTF8.GetByteCount($json) | Should -BeLessOrEqual 1000000
            $collector.Full | Should -BeTrue
            @($json | ConvertFrom-Json).Count | Should -Be $collector.Count
        }
    }
}

Describe 'what the result collector says it changed' {
    It 'counts the strings it cut that the result holds, not those past the output limit' {
        InModuleScope ExoConnectRunner {
            $collector = New-ResultCollector -Limit 1000 -Depth 2
            foreach ($i in 1..20) { if (-not $collector.Full) { Add-ResultItem $collector ('x' * 100001) } }
            Add-ResultItem $collector 'short'
            $null = Get-ResultJson -Collector $collector
            $collector.Full | Should -BeTrue
            $collector.Count | Should -BeLessThan 20
            $collector.Cut | Should -Be $collector.Count
        }
    }

    It 'leaves out, and counts, an object JSON cannot hold, with the first reason; keeps the others around it' {
        InModuleScope ExoConnectRunner {
            $collector = New-ResultCollector -Limit 1000 -Depth 2
            foreach ($item in @(1, @{ $true = 'yes' }, 'after', @{ 2 = 'x' })) { Add-ResultItem $collector $item }
            @((Get-ResultJson -Collector $collector) | ConvertFrom-Json) | Should -Be @(1, 'after')
            $collector.Unconvertible | Should -Be 2
            $collector.Failed | Should -Match 'Keys must be strings'
        }
    }

    It 'says a value was written past its depth only when the result holds that value' {
        InModuleScope ExoConnectRunner {
            $deep = @{ A = @{ B = @{ C = @{ D = 1 } } } }
            $collector = New-ResultCollector -Limit 1000 -Depth 1
            foreach ($i in 1..10) { Add-ResultItem $collector ('y' * 100000) }
            Add-ResultItem $collector $deep
            $json = Get-ResultJson -Collector $collector
            $json | Should -Not -BeLike '*Hashtable*'
            $collector.DepthCut | Should -BeFalse
            $collector = New-ResultCollector -Limit 1000 -Depth 1
            Add-ResultItem $collector $deep
            Get-ResultJson -Collector $collector | Should -BeLike '*"System.Collections.Hashtable"*'
            $collector.DepthCut | Should -BeTrue
        }
    }

    It 'still says so when a later batch holds no value past its depth' {
        InModuleScope ExoConnectRunner {
            $collector = New-ResultCollector -Limit 1000 -Depth 1
            Add-ResultItem $collector @{ A = @{ B = @{ C = 1 } } }
            foreach ($i in 1..($script:ResultBatch * 2)) { Add-ResultItem $collector $i }
            $json = Get-ResultJson -Collector $collector
            @($json | ConvertFrom-Json).Count | Should -Be ($script:ResultBatch * 2 + 1)
            $collector.DepthCut | Should -BeTrue
        }
    }
}

Describe 'the result collector under a stop' {
    It 'gives up a batch it is converting when the pipeline is stopped (script-timeout, a cancel)' {
        # A type object converts slowly at depth 4 (its members nest deep): a batch of them takes
        # minutes, so the stop below comes while it converts.
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript({
                    param($Manifest, $Shared)
                    Import-Module -Name $Manifest
                    & (Get-Module -Name ExoConnectRunner) {
                        param($Shared)
                        $Shared.Collector = New-ResultCollector -Limit 1000 -Depth 4
                        foreach ($k in 1..100) { Add-ResultItem $Shared.Collector ([pscustomobject]@{ N = $k; T = [System.IO.FileInfo] }) }
                    } $Shared
                }).AddArgument((Join-Path $PSScriptRoot '../ExoConnectRunner.psd1')).AddArgument(($shared = [hashtable]::Synchronized(@{})))
            $running = $shell.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            while ($null -eq $shared['Collector']) {
                if ([DateTime]::UtcNow -gt $deadline -or $running.IsCompleted) { throw "no collector: $($shell.Streams.Error)" }
                Start-Sleep -Milliseconds 20
            }
            # The first 99 objects join the batch at once; the 100th starts its conversion.
            Start-Sleep -Milliseconds 1000
            $running.IsCompleted | Should -BeFalse
            $stopping = $shell.BeginStop($null, $null)
            $stopping.AsyncWaitHandle.WaitOne(10000) | Should -BeTrue -Because 'ConvertTo-Json stops with the pipeline; the serializer it calls does not'
            $shell.InvocationStateInfo.State | Should -Be 'Stopped'
            $shared['Collector'].Count | Should -Be 0
            $null = $running
        } finally {
            $shell.Dispose()
        }
    }
}
