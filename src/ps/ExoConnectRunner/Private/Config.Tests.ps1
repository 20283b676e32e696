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
        $stream = [System.IO.File]::OpenRead((Join-Path $script:Fixtures "$Name.config"))
        try { InModuleScope ExoConnectRunner -Parameters @{ Stream = $stream } { param($Stream) Read-RunnerConfig -Stream $Stream } } finally { $stream.Dispose() }
    }
}
AfterAll { Remove-Module -Name ExoConnectRunner -ErrorAction SilentlyContinue }

Describe 'Read-RunnerConfig' {
    BeforeAll {
        function New-FramedStream {
            # As encodeRunnerConfig frames it: the length in UTF-8 bytes, a newline, the JSON; then whatever follows.
            param([string] $Json, [string] $After = '', [int] $Length = -1)
            $utf8 = New-Object System.Text.UTF8Encoding($false)
            $bytes = $utf8.GetBytes($Json)
            if ($Length -lt 0) { $Length = $bytes.Length }
            New-Object System.IO.MemoryStream(, $utf8.GetBytes("$Length`n$Json$After"))
        }
    }

    It 'reads exactly the framed UTF-8 JSON, non-ASCII values intact, and leaves the stream right after it' {
        $json = '{"script":{"parameters":"{\"Name\":\"Zoë Ünal ✓\"}"},"connectRetries":2}'
        $stream = New-FramedStream -Json $json -After ('{"type":"stop"}' + "`n")
        $config = InModuleScope ExoConnectRunner -Parameters @{ Stream = $stream } { param($Stream) Read-RunnerConfig -Stream $Stream }
        $config.script.parameters | Should -Be '{"Name":"Zoë Ünal ✓"}'
        $config.connectRetries | Should -Be 2
        $config.PSObject.Properties['type'] | Should -BeNullOrEmpty
        # Whoever reads stdin next gets the stop request whole.
        (New-Object System.IO.StreamReader($stream)).ReadLine() | Should -Be '{"type":"stop"}'
    }

    It 'keeps strings that look like dates as strings, as Node sent them' {
        $stream = New-FramedStream -Json '{"credentials":{"password":"2026-01-02T03:04:05Z","other":"\/Date(1)\/"}}'
        $config = InModuleScope ExoConnectRunner -Parameters @{ Stream = $stream } { param($Stream) Read-RunnerConfig -Stream $Stream }
        $config.credentials.password | Should -BeOfType [string]
        $config.credentials.password | Should -BeExactly '2026-01-02T03:04:05Z'
        $config.credentials.other | Should -BeExactly '/Date(1)/'
        # Why it matters: ConvertFrom-Json without -DateKind String makes it a date.
        ('{"password":"2026-01-02T03:04:05Z"}' | ConvertFrom-Json).password | Should -BeOfType [datetime]
    }

    It 'reads the same values as ConvertFrom-Json -DateKind String, with the runner''s own reader' {
        $json = '{"version":3,"a":{"b":[1,"2026-01-02T03:04:05Z",null,true]},"c":null,"d":"x"}'
        InModuleScope ExoConnectRunner -Parameters @{ Json = $json } {
            param($Json)
            $compiled = & $SafeCommands['ConvertFrom-Json'] -InputObject $Json -DateKind String -NoEnumerate
            $own = ConvertFrom-RunnerJson -Text $Json
            (ConvertTo-Json -InputObject $compiled -Depth 5 -Compress) | Should -BeExactly (ConvertTo-Json -InputObject $own -Depth 5 -Compress)
            $compiled.version | Should -Be 3
            $own.version | Should -BeOfType [int]
        }
    }

    It 'refuses <Case>, and reads nothing past what it was told' -TestCases @(
        @{ Case = 'a stream without a length'; Text = '{"version":3}'; Message = '*does not start with the length*' }
        @{ Case = 'an empty stream'; Text = ''; Message = '*does not start with the length*' }
        @{ Case = 'a length without digits'; Text = "`n{}"; Message = '*does not start with the length*' }
        @{ Case = 'a length of ten digits'; Text = "1000000000`n{}"; Message = '*does not start with the length*' }
        @{ Case = 'a length beyond the limit'; Text = "67108865`n{}"; Message = '*67108865 bytes, more than the 67108864*' }
        @{ Case = 'a stream that ends early'; Text = "10`n{}"; Message = '*ended after 2 of the configuration''s 10 bytes*' }
    ) {
        $stream = New-Object System.IO.MemoryStream(, [System.Text.Encoding]::UTF8.GetBytes($Text))
        { InModuleScope ExoConnectRunner -Parameters @{ Stream = $stream } { param($Stream) Read-RunnerConfig -Stream $Stream } } | Should -Throw $Message
    }
}

Describe 'Read-FramedText' {
    It 'reads on until it has every byte the length announced, when the pipe hands them over in pieces' {
        $text = 'x' * 1000 + 'secret ✓'
        $bytes = [System.Text.Encoding]::UTF8.GetBytes("$([System.Text.Encoding]::UTF8.GetByteCount($text))`n$text`nnext")
        # A pipe gives a read what it holds, which may be less than asked for: the writer sends 100 bytes at a time.
        $node = New-Object System.IO.Pipes.AnonymousPipeServerStream([System.IO.Pipes.PipeDirection]::Out)
        $stdin = New-Object System.IO.Pipes.AnonymousPipeClientStream([System.IO.Pipes.PipeDirection]::In, $node.ClientSafePipeHandle)
        $writer = [powershell]::Create()
        [void]$writer.AddScript('param($Pipe, $Bytes) for ($at = 0; $at -lt $Bytes.Length; $at += 100) { $Pipe.Write($Bytes, $at, [Math]::Min(100, $Bytes.Length - $at)); $Pipe.Flush(); Start-Sleep -Milliseconds 5 }').AddArgument($node).AddArgument($bytes)
        $writing = $writer.BeginInvoke()
        try {
            InModuleScope ExoConnectRunner -Parameters @{ Stream = $stdin } { param($Stream) Read-FramedText -Stream $Stream } | Should -BeExactly $text
            $writer.EndInvoke($writing)
            $rest = New-Object byte[] 5
            $stdin.Read($rest, 0, 5) | Should -Be 5
            [System.Text.Encoding]::UTF8.GetString($rest) | Should -Be "`nnext"
        } finally {
            $writer.Dispose()
            $stdin.Dispose()
            $node.Dispose()
        }
    }
}

Describe 'Read-FramedText and the secrets it held' {
    It 'zeroes the buffer the configuration passed through, after <Case>' -TestCases @(
        @{ Case = 'a full read'; Text = "17`n{`"password`":`"s3`"}"; Throws = $false }
        @{ Case = 'stdin ending early'; Text = "40`n{`"password`":`"s3`"}"; Throws = $true }
    ) {
        $buffer = New-Object byte[] 64
        $stream = New-Object System.IO.MemoryStream(, [System.Text.Encoding]::UTF8.GetBytes($Text))
        $read = { InModuleScope ExoConnectRunner -Parameters @{ Stream = $stream; Buffer = $buffer } { param($Stream, $Buffer) Read-FramedText -Stream $Stream -Buffer $Buffer } }
        if ($Throws) { $read | Should -Throw '*ended after 17 of*' } else { & $read | Should -BeExactly '{"password":"s3"}' }
        @($buffer | Where-Object { $_ -ne 0 }).Count | Should -Be 0
    }
}

Describe 'Assert-RunnerConfig with what Node sends' {
    It 'reads the <Name> configuration the same with both readers, and accepts it' -TestCases @(
        @{ Name = 'certificate' }, @{ Name = 'access-token' }, @{ Name = 'server' }, @{ Name = 'remove-session' }
    ) {
        # The runner reads it with its own reader, on every PowerShell: it must give the values and
        # types that ConvertFrom-Json -DateKind String gives on PowerShell 7.5 and later.
        $stream = [System.IO.File]::OpenRead((Join-Path $script:Fixtures "$Name.config"))
        try {
            $text = InModuleScope ExoConnectRunner -Parameters @{ Stream = $stream } { param($Stream) Read-FramedText -Stream $Stream }
        } finally { $stream.Dispose() }
        InModuleScope ExoConnectRunner -Parameters @{ Text = $text } {
            param($Text)
            $own = ConvertFrom-RunnerJson -Text $Text
            $compiled = & $SafeCommands['ConvertFrom-Json'] -InputObject $Text -DateKind String -NoEnumerate
            function Get-Shape {
                # Every leaf as path=type:value, arrays and objects included, in order.
                param($Value, [string] $At = '')
                if ($null -eq $Value) { return "$At=null" }
                if ($Value -is [System.Management.Automation.PSCustomObject]) { foreach ($p in $Value.PSObject.Properties) { Get-Shape $p.Value "$At.$($p.Name)" }; return }
                if ($Value -is [object[]]) { "$At=array:$($Value.Count)"; for ($i = 0; $i -lt $Value.Count; $i++) { Get-Shape $Value[$i] "$At[$i]" }; return }
                $type = $Value.GetType().Name
                if ($Value -is [int] -or $Value -is [long]) { $type = 'integer' }
                "$At=${type}:$Value"
            }
            $ownShape = @(Get-Shape $own)
            $ownShape.Count | Should -BeGreaterThan 20
            $ownShape | Should -Be @(Get-Shape $compiled)
            Assert-RunnerConfig -Config $own
            Assert-RunnerConfig -Config $compiled
        }
    }

    It 'accepts the <Name> configuration built by the action' -TestCases @(
        @{ Name = 'certificate' }, @{ Name = 'access-token' }, @{ Name = 'server' }, @{ Name = 'remove-session' }
    ) {
        $config = Read-Fixture -Name $Name
        InModuleScope ExoConnectRunner -Parameters @{ Config = $config } { param($Config) Assert-RunnerConfig -Config $Config }
        $config.version | Should -Be 4
        $config.PSObject.Properties['auth'] | Should -BeNullOrEmpty
    }

    It "gives the script's parameters to PowerShell as the text the workflow wrote, every digit kept" {
        $config = Read-Fixture -Name 'certificate'
        $config.script.parameters | Should -BeExactly '{"Id": 12345678901234567890, "When": "2026-01-02T03:04:05Z", "Names": ["one"]}'
        $parameters = InModuleScope ExoConnectRunner -Parameters @{ Script = $config.script } { param($Script) Read-ScriptParameter -Script $Script -Source (Read-ScriptSource -Path $Script.path) }
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
        @{ Case = 'a configuration without a version'; Json = '{"mode":"run"}'; Message = '*reads configuration version 4 and was given no version*different builds*' }
        @{ Case = 'another version'; Json = '{"version":1,"mode":"run"}'; Message = '*was given version 1*' }
        @{ Case = 'an unknown mode'; Json = '{"version":4,"mode":"dance"}'; Message = "*mode 'dance'*" }
        @{ Case = 'a missing field'; Json = '{"version":4,"mode":"remove-session","paths":{"events":"e"}}'; Message = '*has no field instanceId*' }
        @{ Case = 'a field of the wrong type'; Json = '{"version":4,"mode":"remove-session","paths":{"events":5}}'; Message = '*field paths.events is not a string*' }
    ) {
        InModuleScope ExoConnectRunner -Parameters @{ Json = $Json; Message = $Message } {
            param($Json, $Message)
            { Assert-RunnerConfig -Config (ConvertFrom-RunnerJson -Text $Json) } | Should -Throw $Message
        }
    }
}

Describe 'Assert-RunnerConfig, field by field' {
    It 'accepts null where a field allows it, and refuses a field of another type: <Case>' -TestCases @(
        @{ Case = 'a nullable string given null'; Path = 'connection.organization'; Value = $null; Message = $null }
        @{ Case = 'a string given null'; Path = 'connection.target'; Value = $null; Message = '*field connection.target is not a string.' }
        @{ Case = 'a bool given text'; Path = 'connection.server.allowRedirection'; Value = 'yes'; Message = '*field connection.server.allowRedirection is not a bool.' }
        @{ Case = 'a string given a number'; Path = 'instanceId'; Value = 5; Message = '*field instanceId is not a string.' }
        @{ Case = 'an object that is not one'; Path = 'connection.server'; Value = 'none'; Message = '*has no field connection.server.authentication*' }
        @{ Case = 'a version given as text'; Path = 'version'; Value = '4'; Message = '*was given version 4*' }
        @{ Case = 'a string in a PSObject, as a pipeline hands it over'; Path = 'instanceId'; Value = ('a1b2' | ForEach-Object { $_ }); Message = $null }
        @{ Case = 'a version beyond Int32'; Path = 'version'; Value = [long]4294967300; Message = '*was given version 4294967300*' }
    ) {
        $config = Read-Fixture -Name 'remove-session'
        $names = $Path.Split('.')
        $parent = $config
        for ($i = 0; $i -lt $names.Count - 1; $i++) { $parent = $parent.($names[$i]) }
        $parent.($names[-1]) = $Value
        $assert = { InModuleScope ExoConnectRunner -Parameters @{ Config = $config } { param($Config) Assert-RunnerConfig -Config $Config } }
        if ($null -eq $Message) { $assert | Should -Not -Throw } else { $assert | Should -Throw $Message }
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

Describe 'Clear-StartupVariable' {
    It 'removes the variables it is given from this process, and leaves every other one' {
        $env:EXO_TEST_STARTUP_ONE = '0'
        $env:EXO_TEST_STARTUP_KEPT = 'kept'
        try {
            InModuleScope ExoConnectRunner { Clear-StartupVariable -Name @('EXO_TEST_STARTUP_ONE', $null, '', 5) }
            [Environment]::GetEnvironmentVariables().Contains('EXO_TEST_STARTUP_ONE') | Should -BeFalse
            $env:EXO_TEST_STARTUP_KEPT | Should -Be 'kept'
            InModuleScope ExoConnectRunner { Clear-StartupVariable -Name @() }
            $env:EXO_TEST_STARTUP_KEPT | Should -Be 'kept'
        } finally {
            Remove-Item -LiteralPath 'env:EXO_TEST_STARTUP_KEPT' -ErrorAction SilentlyContinue
        }
    }
}

Describe 'The start of a run (RunStart): read, events file, check, start-up variables' {
    BeforeAll {
        function Start-FromJson {
            # The configuration framed as Node frames it, given to the start as the runner gives it stdin.
            param([string] $Json)
            $utf8 = [System.Text.UTF8Encoding]::new($false)
            $stream = [System.IO.MemoryStream]::new($utf8.GetBytes("$($utf8.GetByteCount($Json))`n$Json"))
            InModuleScope ExoConnectRunner -Parameters @{ Stream = $stream } {
                param($Stream)
                [ExoConnectRunner.Native.RunStart]::Begin($Stream, $script:ConfigMaxBytes, $script:ContractVersion, $script:ConfigFields)
            }
        }
        function New-StartJson {
            # The certificate configuration Node builds, with an events file, a key and one start-up variable.
            param([string] $Key, [int] $Version = 4)
            $stream = [System.IO.File]::OpenRead((Join-Path $script:Fixtures 'certificate.config'))
            try {
                $text = InModuleScope ExoConnectRunner -Parameters @{ Stream = $stream } { param($Stream) Read-FramedText -Stream $Stream }
            } finally { $stream.Dispose() }
            $config = ConvertFrom-Json -InputObject $text
            $config.version = $Version
            $config.paths.events = $script:EventsFile
            $config.unsetVariables = @('EXO_TEST_START_VARIABLE')
            $config | Add-Member -NotePropertyName eventKey -NotePropertyValue $Key -Force
            ConvertTo-Json -InputObject $config -Depth 20
        }
        $script:Key = [Convert]::ToBase64String([byte[]](1..32))
    }
    BeforeEach {
        $script:EventsFile = Join-Path $TestDrive "events-$([guid]::NewGuid()).jsonl"
        $env:EXO_TEST_START_VARIABLE = 'set for the start'
    }
    AfterEach { Remove-Item -LiteralPath 'env:EXO_TEST_START_VARIABLE' -ErrorAction SilentlyContinue }

    It 'opens the events file signed with the key, takes the key out of the configuration, and clears the start-up variables' {
        $start = Start-FromJson (New-StartJson -Key $script:Key)
        try {
            $start.Failure | Should -BeNullOrEmpty
            $start.Unread | Should -BeFalse
            $start.EventsPath | Should -Be $script:EventsFile
            $start.Events.Signs | Should -BeTrue
            $start.Config.eventKey | Should -BeNullOrEmpty
            $start.Config.connection.target | Should -Be 'exchange-online'
            [Environment]::GetEnvironmentVariables().Contains('EXO_TEST_START_VARIABLE') | Should -BeFalse
            [ExoConnectRunner.Native.EventWriter]::TryAppend($start.Events, @{ event = 'phase' }) | Should -BeTrue
            $line = [System.IO.File]::ReadAllText($script:EventsFile)
            $line | Should -Match '^[0-9a-f]{64} \{.*\}\n$'
            $json = $line.Substring(65).TrimEnd("`n")
            $hmac = [System.Security.Cryptography.HMACSHA256]::new([byte[]](1..32))
            $mac = -join @($hmac.ComputeHash([System.Text.Encoding]::UTF8.GetBytes($json)) | ForEach-Object { $_.ToString('x2') })
            $line.Substring(0, 64) | Should -BeExactly $mac
            ($json | ConvertFrom-Json).event | Should -Be 'phase'
        } finally { if ($null -ne $start.Events) { $start.Events.Dispose() } }
    }

    It 'refuses a configuration of another version with its events file open, so that the error reaches the action, and keeps the variables' {
        $start = Start-FromJson (New-StartJson -Key $script:Key -Version 3)
        try {
            $start.Unread | Should -BeFalse
            $start.Failure.Message | Should -BeLike '*reads configuration version 4 and was given version 3*'
            $start.Events.Signs | Should -BeTrue
            $start.Config.eventKey | Should -BeNullOrEmpty
            $env:EXO_TEST_START_VARIABLE | Should -Be 'set for the start'
        } finally { if ($null -ne $start.Events) { $start.Events.Dispose() } }
    }

    It 'opens the events file unsigned when the key is not base64, says so, and takes the key out all the same' {
        $start = Start-FromJson (New-StartJson -Key 'not base64!')
        try {
            $start.Failure.Message | Should -BeLike '*base*64*'
            $start.Events | Should -Not -BeNullOrEmpty
            $start.Events.Signs | Should -BeFalse
            $start.Config.eventKey | Should -BeNullOrEmpty
        } finally { if ($null -ne $start.Events) { $start.Events.Dispose() } }
    }

    It 'opens nothing when stdin holds no configuration: <Case>' -TestCases @(
        @{ Case = 'no length line'; Bytes = 'hello'; Message = '*does not start with the length*' }
        @{ Case = 'JSON that does not parse'; Bytes = "5`n{`"a`":"; Message = '*' }
    ) {
        $stream = [System.IO.MemoryStream]::new([System.Text.Encoding]::UTF8.GetBytes($Bytes))
        $start = InModuleScope ExoConnectRunner -Parameters @{ Stream = $stream } {
            param($Stream)
            [ExoConnectRunner.Native.RunStart]::Begin($Stream, $script:ConfigMaxBytes, $script:ContractVersion, $script:ConfigFields)
        }
        $start.Unread | Should -BeTrue
        $start.Failure.Message | Should -BeLike $Message
        $start.Failure | Should -Not -BeNullOrEmpty
        $start.Config | Should -BeNullOrEmpty
        $start.Events | Should -BeNullOrEmpty
        $start.EventsPath | Should -BeNullOrEmpty
        $env:EXO_TEST_START_VARIABLE | Should -Be 'set for the start'
    }

    It 'lists the connections, one for a single target and the configuration''s own list for two, and every credential for the held secrets' {
        InModuleScope ExoConnectRunner {
            $one = ConvertFrom-RunnerJson -Text '{"connection":{"target":"exchange-online"},"credentials":{"kind":"access-token","token":"t-1"},"connections":null}'
            $listed = @([ExoConnectRunner.Native.RunStart]::Connections($one))
            $listed.Count | Should -Be 1
            [object]::ReferenceEquals($listed[0].connection, $one.connection) | Should -BeTrue
            [object]::ReferenceEquals($listed[0].credentials, $one.credentials) | Should -BeTrue
            # The runner clears each entry's credentials after the connect.
            $listed[0].credentials = $null
            $listed[0].credentials | Should -BeNullOrEmpty
            $all = @([ExoConnectRunner.Native.RunStart]::Credentials($one, [object[]]@([ExoConnectRunner.Native.RunStart]::Connections($one))))
            $all.Count | Should -Be 2
            $all[0].token | Should -Be 't-1'

            $two = ConvertFrom-RunnerJson -Text '{"connection":{"target":"exchange-online"},"credentials":null,"connections":[{"connection":{"target":"exchange-online"},"credentials":{"kind":"access-token","token":"t-exo"}},{"connection":{"target":"security-compliance"},"credentials":{"kind":"access-token","token":"t-scc"}}]}'
            $listed = [ExoConnectRunner.Native.RunStart]::Connections($two)
            @($listed | ForEach-Object { $_.connection.target }) | Should -Be @('exchange-online', 'security-compliance')
            $all = [ExoConnectRunner.Native.RunStart]::Credentials($two, $listed)
            $all.Count | Should -Be 3
            $all[0] | Should -BeNullOrEmpty
            @($all[1].token, $all[2].token) | Should -Be @('t-exo', 't-scc')
        }
    }

    It 'refuses JSON that is not an object, with no events file to open' {
        $start = Start-FromJson '[1,2,3]'
        $start.Unread | Should -BeFalse
        $start.Failure.Message | Should -BeLike '*was given no version*'
        $start.Events | Should -BeNullOrEmpty
    }
}
