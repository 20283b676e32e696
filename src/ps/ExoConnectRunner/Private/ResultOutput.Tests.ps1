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
