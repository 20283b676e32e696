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
