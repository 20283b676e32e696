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

Describe 'the result collector''s own JSON for plain items' {
    It 'writes plain items (text, numbers, dates, rows, tables and lists) as ConvertTo-Json does, at every result-depth, without a call to it' {
        InModuleScope ExoConnectRunner {
            $random = [System.Random]::new(23)
            function New-PlainValue {
                # Text over the first 0x3000 code units (control characters, quotes, U+2028 among
                # them), numbers (fractions among them), booleans, nulls, Guids, dates of each kind
                # and with offsets, and rows, tables and lists of them.
                param([int] $Level)
                $kind = $random.Next(0, 14)
                if ($Level -ge 4) { $kind = $random.Next(0, 5) }
                switch ($kind) {
                    0 { return -join [char[]]@(1..$random.Next(0, 10) | ForEach-Object { $random.Next(0, 0x3000) }) }
                    1 { return $random.Next(-1000, 1000) }
                    2 { return [long]$random.Next() * 1000003 }
                    3 { return $null }
                    4 { return ($random.Next(0, 2) -eq 1) }
                    5 { return [guid]::new([byte[]]@(1..16 | ForEach-Object { $random.Next(0, 256) })) }
                    11 {
                        # Whole seconds, or a fraction of up to seven digits with trailing zeros.
                        $ticks = [long]$random.Next(0, 2000000000) * 10000000 + @(0, 1230000, 5, 9999999)[$random.Next(0, 4)]
                        return [datetime]::new($ticks + 630000000000000000, [System.DateTimeKind]$random.Next(0, 3))
                    }
                    12 { return [datetimeoffset]::new([long]$random.Next(0, 2000000000) * 10000000 + 630000000000000000 + $random.Next(0, 3) * 4500000, [timespan]::FromMinutes(15 * $random.Next(-56, 57))) }
                    13 {
                        $number = @(0.0, -0.0, 1.0, 100.0, 0.1, 1e20, 1.5e-7, 123456789012345678.0, [double]::MaxValue, [double]::Epsilon, -2.5)[$random.Next(0, 11)]
                        if ($random.Next(0, 2) -eq 1) { $number = ($random.NextDouble() - 0.5) * [math]::Pow(10, $random.Next(-12, 25)) }
                        return $number
                    }
                    { $_ -in 6, 7 } {
                        $row = [ordered]@{}
                        foreach ($i in 1..$random.Next(0, 4)) { $row["P$i"] = New-PlainValue ($Level + 1) }
                        return [pscustomobject]$row
                    }
                    8 {
                        $table = @{}
                        foreach ($i in 1..$random.Next(0, 3)) { $table["k$i"] = New-PlainValue ($Level + 1) }
                        return $table
                    }
                    default { return , @(1..$random.Next(0, 4) | ForEach-Object { New-PlainValue ($Level + 1) }) }
                }
            }
            $calls = @{ Count = 0 }
            $resultJson = ${function:ConvertTo-ResultJson}
            $counting = { param($Collector, $Items) $calls.Count++; & $resultJson $Collector $Items }.GetNewClosure()
            $written = 0
            foreach ($depth in 0..5) {
                foreach ($round in 1..30) {
                    $items = @(1..$random.Next(1, 6) | ForEach-Object { New-PlainValue 1 })
                    # What ConvertTo-ResultJson asks of ConvertTo-Json: the items as the collector
                    # holds them (wrapped), in an array one level above them.
                    $warnings = $null
                    $wrapped = [psobject[]]::new($items.Count)
                    for ($i = 0; $i -lt $items.Count; $i++) { $wrapped[$i] = [psobject]$items[$i] }
                    $expected = ConvertTo-Json -InputObject $wrapped -Depth ($depth + 1) -Compress -EnumsAsStrings -WarningAction SilentlyContinue -WarningVariable warnings
                    $collector = [ExoConnectRunner.Native.ResultCollector]::new(1000, $depth, $script:ResultBytesLimit, $script:ResultStringLimit, $script:ResultBatch, $counting, ${function:ConvertTo-PortableJson}, $script:HeldSecrets)
                    $before = $calls.Count
                    foreach ($item in $items) { $collector.Add([psobject]$item) }
                    $facts = [ExoConnectRunner.Native.ResultCollector]::Finish($collector)
                    # A lone surrogate reads back as U+FFFD either way.
                    $facts.json | Should -BeExactly $expected
                    $facts.count | Should -Be $items.Count
                    $facts.depthCut | Should -Be ($warnings.Count -gt 0)
                    # Past the depth the cmdlet wrote it and said so, and it takes a Guid or a date
                    # given on its own with the property type data gives it; else the collector
                    # wrote it itself.
                    $typeDataItem = @($items | Where-Object { $_ -is [guid] -or $_ -is [datetime] }).Count -gt 0
                    if ($warnings.Count -eq 0 -and -not $typeDataItem) { $calls.Count | Should -Be $before; $written++ } else { $calls.Count | Should -BeGreaterThan $before }
                }
            }
            $written | Should -BeGreaterThan 100
        }
    }

    It 'leaves a batch that holds anything else to ConvertTo-Json: <Case>' -TestCases @(
        @{ Case = 'a date'; Item = [datetime]'2026-01-02T03:04:05Z' }
        @{ Case = 'a number JSON has none for (NaN)'; Item = [double]::NaN }
        @{ Case = 'an infinity in a row'; Item = [pscustomobject]@{ a = [double]::NegativeInfinity } }
        @{ Case = 'a single-precision fraction'; Item = [float]1.5 }
        @{ Case = 'a decimal'; Item = [decimal]1.5 }
        @{ Case = 'an enum'; Item = [System.DayOfWeek]::Monday }
        @{ Case = 'a row with a script property'; Item = (Add-Member -InputObject ([pscustomobject]@{ a = 1 }) -MemberType ScriptProperty -Name s -Value { 'computed' } -PassThru) }
        @{ Case = 'an object of another class'; Item = [System.Version]'1.2.3' }
    ) {
        InModuleScope ExoConnectRunner -Parameters @{ Item = $Item } {
            param($Item)
            $calls = @{ Count = 0 }
            $resultJson = ${function:ConvertTo-ResultJson}
            $counting = { param($Collector, $Items) $calls.Count++; & $resultJson $Collector $Items }.GetNewClosure()
            $collector = [ExoConnectRunner.Native.ResultCollector]::new(1000, 4, $script:ResultBytesLimit, $script:ResultStringLimit, $script:ResultBatch, $counting, ${function:ConvertTo-PortableJson}, $script:HeldSecrets)
            $collector.Add([psobject]'plain')
            $collector.Add([psobject]$Item)
            $json = [ExoConnectRunner.Native.ResultCollector]::Finish($collector).json
            $calls.Count | Should -Be 1
            $json | Should -BeExactly (ConvertTo-PortableJson -InputObject @('plain', $Item) -Depth 5 -Compress)
        }
    }

    It 'leaves a list of millions of items to ConvertTo-Json, which a stop interrupts, once its text passes the output limit' {
        InModuleScope ExoConnectRunner {
            $calls = @{ Count = 0 }
            $counting = { param($Collector, $Items) $calls.Count++; $null }.GetNewClosure()
            $collector = [ExoConnectRunner.Native.ResultCollector]::new(1000, 4, $script:ResultBytesLimit, $script:ResultStringLimit, $script:ResultBatch, $counting, ${function:ConvertTo-PortableJson}, $script:HeldSecrets)
            $collector.Add([psobject][pscustomobject]@{ Items = [int[]]::new(3000000) })
            $null = [ExoConnectRunner.Native.ResultCollector]::Finish($collector)
            $calls.Count | Should -BeGreaterThan 0
        }
    }
}
