BeforeAll { Import-Module -Name (Join-Path $PSScriptRoot '../ExoConnectRunner.psd1') -Force }
AfterAll { Remove-Module -Name ExoConnectRunner -ErrorAction SilentlyContinue }

Describe 'Read-RunnerConfig' {
    It 'reads the first line as UTF-8 JSON, non-ASCII values intact, and nothing after it' {
        $text = '{"script":{"parameters":{"Name":"Zoë Ünal ✓"}},"connectRetries":2}' + "`n" + '{"second":true}' + "`n"
        $stream = New-Object System.IO.MemoryStream(, (New-Object System.Text.UTF8Encoding($false)).GetBytes($text))
        $config = Read-RunnerConfig -Stream $stream
        $config.script.parameters.Name | Should -Be 'Zoë Ünal ✓'
        $config.connectRetries | Should -Be 2
        $config.PSObject.Properties['second'] | Should -BeNullOrEmpty
    }
}

Describe 'Get-ConfigValue' {
    It 'gives $null for a field the JSON leaves out, where strict mode would throw' {
        InModuleScope ExoConnectRunner {
            $auth = '{"kind":"managed-identity"}' | ConvertFrom-Json
            { $auth.accountId } | Should -Throw
            Get-ConfigValue $auth 'accountId' | Should -BeNullOrEmpty
            Get-ConfigValue $auth 'kind' | Should -Be 'managed-identity'
            Get-ConfigValue $null 'kind' | Should -BeNullOrEmpty
        }
    }
}

Describe 'ConvertTo-Hashtable' {
    It 'turns the parameters object into a hashtable for splatting, keeping the values' {
        InModuleScope ExoConnectRunner {
            $table = ConvertTo-Hashtable ('{"Days":30,"Names":["a","b"]}' | ConvertFrom-Json)
            $table | Should -BeOfType [hashtable]
            $table['Days'] | Should -Be 30
            $table['Names'] | Should -Be @('a', 'b')
            (ConvertTo-Hashtable $null).Count | Should -Be 0
        }
    }
}
