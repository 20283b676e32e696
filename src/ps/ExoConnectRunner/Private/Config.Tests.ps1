BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot '../ExoConnectRunner.psd1') -Force
    # Configurations built by the action's own TypeScript (buildRunnerConfig and friends), written
    # in this run: the contract is tested against what Node really sends, not a copy of it.
    $script:Fixtures = Join-Path $TestDrive 'from-node'
    $writer = Join-Path $PSScriptRoot '../../../../test/support/runner-config-fixtures.ts'
    & node --experimental-transform-types --no-warnings $writer $script:Fixtures
    if ($LASTEXITCODE -ne 0) { throw "runner-config-fixtures.ts failed with exit code $LASTEXITCODE" }
    function Read-Fixture {
        param([string] $Name)
        $stream = [System.IO.File]::OpenRead((Join-Path $script:Fixtures "$Name.jsonl"))
        try { InModuleScope ExoConnectRunner -Parameters @{ Stream = $stream } { param($Stream) Read-RunnerConfig -Stream $Stream } } finally { $stream.Dispose() }
    }
}
AfterAll { Remove-Module -Name ExoConnectRunner -ErrorAction SilentlyContinue }

Describe 'Read-RunnerConfig' {
    It 'reads the first line as UTF-8 JSON, non-ASCII values intact, and leaves the stream right after it' {
        $text = '{"script":{"parameters":"{\"Name\":\"Zoë Ünal ✓\"}"},"connectRetries":2}' + "`n" + '{"type":"stop"}' + "`n"
        $stream = New-Object System.IO.MemoryStream(, (New-Object System.Text.UTF8Encoding($false)).GetBytes($text))
        $config = InModuleScope ExoConnectRunner -Parameters @{ Stream = $stream } { param($Stream) Read-RunnerConfig -Stream $Stream }
        $config.script.parameters | Should -Be '{"Name":"Zoë Ünal ✓"}'
        $config.connectRetries | Should -Be 2
        $config.PSObject.Properties['type'] | Should -BeNullOrEmpty
        # Whoever reads stdin next gets the next line whole.
        (New-Object System.IO.StreamReader($stream)).ReadLine() | Should -Be '{"type":"stop"}'
    }

    It 'keeps strings that look like dates as strings, as Node sent them' {
        $stream = New-Object System.IO.MemoryStream(, [System.Text.Encoding]::UTF8.GetBytes('{"credentials":{"password":"2026-01-02T03:04:05Z"}}'))
        $config = InModuleScope ExoConnectRunner -Parameters @{ Stream = $stream } { param($Stream) Read-RunnerConfig -Stream $Stream }
        $config.credentials.password | Should -BeOfType [string]
        $config.credentials.password | Should -BeExactly '2026-01-02T03:04:05Z'
        # Why the runner has its own reader: PowerShell 7's ConvertFrom-Json makes it a date.
        ('{"password":"2026-01-02T03:04:05Z"}' | ConvertFrom-Json).password | Should -BeOfType [datetime]
    }
}

Describe 'Read-StreamLine' {
    It 'zeroes every buffer the line passed through, the one it grew from included' {
        $line = 'x' * 100 + 'secret'
        $stream = New-Object System.IO.MemoryStream(, [System.Text.Encoding]::UTF8.GetBytes("$line`r`nnext"))
        $buffer = New-Object byte[] 16
        $read = InModuleScope ExoConnectRunner -Parameters @{ Stream = $stream; Buffer = $buffer } { param($Stream, $Buffer) Read-StreamLine -Stream $Stream -Buffer $Buffer }
        $read | Should -BeExactly $line
        @($buffer | Where-Object { $_ -ne 0 }).Count | Should -Be 0
        $stream.Position | Should -Be ($line.Length + 2)
    }

    It 'reads to the end of a stream without a newline' {
        $stream = New-Object System.IO.MemoryStream(, [System.Text.Encoding]::UTF8.GetBytes('{}'))
        InModuleScope ExoConnectRunner -Parameters @{ Stream = $stream } { param($Stream) Read-StreamLine -Stream $Stream -Buffer (New-Object byte[] 4) } | Should -Be '{}'
    }
}

Describe 'Assert-RunnerConfig with what Node sends' {
    It 'accepts the <Name> configuration built by the action' -TestCases @(
        @{ Name = 'certificate' }, @{ Name = 'access-token' }, @{ Name = 'server' }, @{ Name = 'remove-session' }
    ) {
        $config = Read-Fixture -Name $Name
        InModuleScope ExoConnectRunner -Parameters @{ Config = $config } { param($Config) Assert-RunnerConfig -Config $Config }
        $config.version | Should -Be 2
        $config.PSObject.Properties['auth'] | Should -BeNullOrEmpty
    }

    It "gives the script's parameters to PowerShell as the text the workflow wrote, every digit kept" {
        $config = Read-Fixture -Name 'certificate'
        $config.script.parameters | Should -BeExactly '{"Id": 12345678901234567890, "When": "2026-01-02T03:04:05Z", "Names": ["one"]}'
        $parameters = InModuleScope ExoConnectRunner -Parameters @{ Script = $config.script } { param($Script) Read-ScriptParameter -Script $Script }
        $parameters['Id'] | Should -BeOfType [decimal]
        $parameters['Id'] | Should -Be ([decimal]::Parse('12345678901234567890'))
        $parameters['When'] | Should -BeExactly '2026-01-02T03:04:05Z'
        , $parameters['Names'] | Should -BeOfType [object[]]
        $config.credentials.kind | Should -Be 'certificate'
        $config.credentials.pfxBase64 | Should -Not -BeNullOrEmpty
        $config.connection.commandNames | Should -Be 'auto'
    }

    It 'keeps a password that looks like a date a string, and names the method and the credentials apart' {
        $config = Read-Fixture -Name 'server'
        $config.credentials.password | Should -BeOfType [string]
        $config.credentials.password | Should -BeExactly '2026-01-02T03:04:05Z'
        $config.credentials.kind | Should -Be 'credential'
        $config.connection.authMethod | Should -Be 'credential'
        $config.connection.server.authentication | Should -Be 'Basic'
    }

    It 'reads the post step''s removal: the InstanceId and the credentials, no script' {
        $config = Read-Fixture -Name 'remove-session'
        $config.mode | Should -Be 'remove-session'
        $config.instanceId | Should -Be 'a1b2c3d4'
        $config.PSObject.Properties['script'] | Should -BeNullOrEmpty
    }
}

Describe 'Assert-RunnerConfig' {
    It 'refuses <Case>, saying what is wrong' -TestCases @(
        @{ Case = 'a configuration without a version'; Json = '{"mode":"run"}'; Message = '*reads configuration version 2 and was given no version*different builds*' }
        @{ Case = 'another version'; Json = '{"version":1,"mode":"run"}'; Message = '*was given version 1*' }
        @{ Case = 'an unknown mode'; Json = '{"version":2,"mode":"dance"}'; Message = "*mode 'dance'*" }
        @{ Case = 'a missing field'; Json = '{"version":2,"mode":"remove-session","paths":{"events":"e"}}'; Message = '*has no field instanceId*' }
        @{ Case = 'a field of the wrong type'; Json = '{"version":2,"mode":"remove-session","paths":{"events":5}}'; Message = '*field paths.events is not a string*' }
    ) {
        InModuleScope ExoConnectRunner -Parameters @{ Json = $Json; Message = $Message } {
            param($Json, $Message)
            { Assert-RunnerConfig -Config (ConvertFrom-RunnerJson -Text $Json) } | Should -Throw $Message
        }
    }
}

Describe 'Get-ConfigValue' {
    It 'gives $null for a field the JSON leaves out, where strict mode would throw' {
        InModuleScope ExoConnectRunner {
            $credentials = ConvertFrom-RunnerJson -Text '{"kind":"managed-identity"}'
            { $credentials.accountId } | Should -Throw
            Get-ConfigValue $credentials 'accountId' | Should -BeNullOrEmpty
            Get-ConfigValue $credentials 'kind' | Should -Be 'managed-identity'
            Get-ConfigValue $null 'kind' | Should -BeNullOrEmpty
        }
    }
}

Describe 'ConvertTo-Hashtable' {
    It 'turns an object into a hashtable for splatting, keeping the values' {
        InModuleScope ExoConnectRunner {
            $table = ConvertTo-Hashtable (ConvertFrom-RunnerJson -Text '{"Days":30,"Names":["a","b"]}')
            $table | Should -BeOfType [hashtable]
            $table['Days'] | Should -Be 30
            $table['days'] | Should -Be 30
            $table['Names'] | Should -Be @('a', 'b')
            (ConvertTo-Hashtable $null).Count | Should -Be 0
        }
    }
}
