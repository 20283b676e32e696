BeforeAll { Import-Module -Name (Join-Path $PSScriptRoot '../ExoConnectRunner.psd1') -Force }
AfterAll { Remove-Module -Name ExoConnectRunner -ErrorAction SilentlyContinue }

Describe 'Write-RunnerEvent' {
    It 'appends one JSON line per event, with the time it was written' {
        InModuleScope ExoConnectRunner -Parameters @{ Path = (Join-Path $TestDrive 'events.jsonl') } {
            param($Path)
            Set-EventsPath -Path $Path
            Write-RunnerEvent @{ event = 'phase'; name = 'module'; status = 'start' }
            Write-RunnerEvent @{ event = 'retry'; cause = 'Zoë: 429' }
            $lines = @(Get-Content -LiteralPath $Path -Encoding utf8)
            $lines.Count | Should -Be 2
            $first = $lines[0] | ConvertFrom-Json
            $first.event | Should -Be 'phase'
            $first.name | Should -Be 'module'
            [datetime]::Parse($first.at) | Should -BeOfType [datetime]
            ($lines[1] | ConvertFrom-Json).cause | Should -Be 'Zoë: 429'
        }
    }

    It 'writes plain values as ConvertTo-Json -Compress does, and leaves other values to it' {
        InModuleScope ExoConnectRunner -Parameters @{ Path = (Join-Path $TestDrive 'same.jsonl'); RunnerPath = (Join-Path $TestDrive 'runner.jsonl') } {
            param($Path, $RunnerPath)
            Set-EventsPath -Path $RunnerPath
            # Every character that JSON escapes, the ones Newtonsoft.Json escapes besides, and text
            # around them; then 300 random strings over the first 0x3000 code units.
            $special = -join [char[]](@(0..0x22) + @(0x2F, 0x5C, 0x7F, 0x85, 0xA0, 0x2028, 0x2029, 0xD800, 0xDFFF, 0xFEFF))
            $random = [System.Random]::new(17)
            $strings = @($special, '', 'Zoë: "429" \ C:\temp', 'line one' + "`r`n" + 'line two') + @(1..300 | ForEach-Object { -join [char[]]@(1..$random.Next(0, 12) | ForEach-Object { $random.Next(0, 0x3000) }) })
            $tables = @(
                foreach ($text in $strings) { @{ event = 'retry'; cause = $text } }
                @{ event = 'connected'; organization = $null; connectionId = [guid]'960d1f5e-d715-4597-97b4-052098cac310'; command = 'Connect-ExchangeOnline' }
                @{ event = 'commands'; requested = 3; names = [System.Collections.Generic.List[string]]@('Get-EXOMailbox', 'Get-Mailbox', 'Set-Mailbox') }
                @{ event = 'phase'; ms = [long]9007199254740993; status = 'end'; ok = $true; failed = $false; small = [byte]7; neg = -42 }
                @{ event = 'nested'; facts = @{ list = @(1, 'two', @{ three = @(3) }); empty = @(); none = @{} } }
                # Wrapped as a pipeline wraps it; a text with a property added, which ConvertTo-Json
                # leaves out; a two-dimensional array, one list of its items. (A fresh text:
                # PowerShell keeps a property added to a literal's object, 'a' or 1, for every later
                # use of that literal in the process.)
                @{ event = 'commands'; names = @('Get-Mailbox' | Write-Output); requested = (1 | Write-Output) }
                @{ event = 'other'; text = (Add-Member -InputObject ([string]::new([char[]]'fresh text')) -NotePropertyName x -NotePropertyValue 1 -PassThru) }
                @{ event = 'other'; grid = [int[,]]::new(2, 2) }
                # Objects as Select-Object and [pscustomobject] make them: note properties, in order.
                @{ event = 'other'; row = [pscustomobject]@{ Name = 'Alex'; Count = 3; Tags = @('a', $null); Inner = [pscustomobject]@{ b = $true } }; empty = [pscustomobject]@{} }
                @{ event = 'other'; rows = @([pscustomobject]@{ a = 1 } | Select-Object -Property a) }
                # Dates of each kind and with an offset, as text; fractions, with .0 where whole.
                @{ event = 'other'; day = [datetime]'2026-01-02'; at = [datetime]::new(638000000000000123, [System.DateTimeKind]::Utc); local = [datetime]::new(2026, 1, 2, 3, 4, 5, [System.DateTimeKind]::Local)
                    offset = [datetimeoffset]::new(2026, 5, 6, 7, 8, 9, [timespan]::FromMinutes(-330)); ms = 1.5; whole = 2.0; large = 1e20; small = -1.5e-7; zero = -0.0 }
            )
            foreach ($table in $tables) {
                $writer = [ExoConnectRunner.Native.EventWriter]::new($Path, $null)
                try { $writer.TryWrite($table) | Should -BeTrue } finally { $writer.Dispose() }
                # The same table, its time included; a lone surrogate reads back as U+FFFD either way.
                $expected = ConvertTo-Json -InputObject $table -Compress -Depth 5
                @(Get-Content -LiteralPath $Path -Encoding utf8)[-1] | Should -BeExactly ([System.Text.Encoding]::UTF8.GetString([System.Text.Encoding]::UTF8.GetBytes($expected)))
            }
            # A number JSON has none for (NaN), a decimal, an object of another class, an object
            # with a property other than a note (a script property, as type data adds, is never
            # run here), a table, a list or a number with a property added, keys that are not
            # text: ConvertTo-Json writes them, or refuses them.
            $wrappedKey = [System.Collections.Generic.Dictionary[psobject, object]]::new()
            $wrappedKey[[psobject]'k'] = 1
            $scripted = Add-Member -InputObject ([pscustomobject]@{ a = 1 }) -MemberType ScriptProperty -Name s -Value { throw 'run' } -PassThru
            foreach ($value in @([double]::NaN, [decimal]1.5, [System.IO.FileInfo]::new('/tmp/x'), $scripted, [pscustomobject]@{ inner = $scripted }, @{ 1 = 'key not text' }, @{ a = @{ b = @{ c = @{ d = @{ e = 'six levels' } } } } },
                    (Add-Member -InputObject ([psobject]::new(@{ a = 'b' })) -NotePropertyName extra -NotePropertyValue 'c' -PassThru), (Add-Member -InputObject ([psobject]::new([long]::Parse('123456789'))) -NotePropertyName x -NotePropertyValue 'y' -PassThru),
                    (Add-Member -InputObject ([psobject]::new([System.Collections.Generic.List[string]]::new([string[]]@('one', 'two')))) -NotePropertyName x -NotePropertyValue 'y' -PassThru), $wrappedKey)) {
                $writer = [ExoConnectRunner.Native.EventWriter]::new($Path, $null)
                try { $writer.TryWrite(@{ event = 'other'; value = $value }) | Should -BeFalse } finally { $writer.Dispose() }
            }
            Write-RunnerEvent @{ event = 'other'; value = [pscustomobject]@{ a = 1.5 } }
            $lines = @(Get-Content -LiteralPath $RunnerPath -Encoding utf8)
            $lines.Count | Should -Be 1
            ($lines[0] | ConvertFrom-Json).value.a | Should -Be 1.5
        }
    }
}

Describe 'Write-RunnerEvent under type data' {
    It 'writes the event when a script has put type data over the writer''s members' {
        InModuleScope ExoConnectRunner -Parameters @{ Path = (Join-Path $TestDrive 'typed.jsonl') } {
            param($Path)
            Set-EventsPath -Path $Path
            try {
                Update-TypeData -TypeName ExoConnectRunner.Native.EventWriter -MemberType ScriptMethod -MemberName TryWrite -Value { $true } -Force
                Update-TypeData -TypeName ExoConnectRunner.Native.EventWriter -MemberType ScriptMethod -MemberName Write -Value { $null } -Force
                Write-RunnerEvent @{ event = 'teardown'; status = 'end' }
                Write-RunnerEvent @{ event = 'other'; value = 1.5 }
            } finally {
                Remove-TypeData -TypeName ExoConnectRunner.Native.EventWriter -ErrorAction SilentlyContinue
            }
            $lines = @(Get-Content -LiteralPath $Path -Encoding utf8 | ConvertFrom-Json)
            $lines.event | Should -Be @('teardown', 'other')
        }
    }
}

Describe 'Write-RunnerEvent with a key' {
    It 'starts each line with the HMAC-SHA256 of its JSON, made with the run key' {
        $key = [Convert]::ToBase64String([byte[]](1..32))
        InModuleScope ExoConnectRunner -Parameters @{ Path = (Join-Path $TestDrive 'signed.jsonl'); Key = $key } {
            param($Path, $Key)
            Set-EventsPath -Path $Path -Key $Key
            Write-RunnerEvent @{ event = 'disconnected'; ms = 3; note = 'Zoë' }
            $line = @(Get-Content -LiteralPath $Path -Encoding utf8)[0]
            $mac, $json = $line -split ' ', 2
            $hmac = New-Object System.Security.Cryptography.HMACSHA256 -ArgumentList (, [Convert]::FromBase64String($Key))
            $mac | Should -Be ([BitConverter]::ToString($hmac.ComputeHash([Text.Encoding]::UTF8.GetBytes($json))).Replace('-', '').ToLowerInvariant())
            ($json | ConvertFrom-Json).note | Should -Be 'Zoë'
        }
    }

    It 'a key that is not base64 is refused, and the events are written unsigned, so that the error about it is written' {
        InModuleScope ExoConnectRunner -Parameters @{ Path = (Join-Path $TestDrive 'badkey.jsonl') } {
            param($Path)
            { Set-EventsPath -Path $Path -Key 'not base64!' } | Should -Throw '*base*64*'
            Write-RunnerEvent @{ event = 'error'; phase = 'config' }
            $line = @(Get-Content -LiteralPath $Path -Encoding utf8)[0]
            ($line | ConvertFrom-Json).phase | Should -Be 'config'
        }
    }

    It 'keeps the key in no variable of the runner module' {
        $key = [Convert]::ToBase64String([byte[]](101..132))
        InModuleScope ExoConnectRunner -Parameters @{ Path = (Join-Path $TestDrive 'k.jsonl'); Key = $key } {
            param($Path, $Key)
            Set-EventsPath -Path $Path -Key $Key
        }
        $module = Get-Module -Name ExoConnectRunner
        $texts = @(& $module { Get-Variable -Scope Script } | ForEach-Object { $_.Value | ConvertTo-Json -Depth 3 -Compress -WarningAction SilentlyContinue })
        ($texts -join "`n").Contains($key) | Should -BeFalse
    }
}

Describe 'Get-ErrorFacts' {
    It 'cuts a very long message at a space, so a line of the events file stays bounded' {
        $record = $null
        try { throw ('word ' * 10000) } catch { $record = $_ }
        InModuleScope ExoConnectRunner -Parameters @{ Record = $record } {
            param($Record)
            $facts = Get-ErrorFacts $Record
            $facts.message.Length | Should -BeLessThan 32100
            $facts.message | Should -Match '\[cut: \d+ more characters\]$'
            # throw "text" makes the text the error's id as well: cut alike.
            $facts.errorId.Length | Should -BeLessThan 32100
            $facts.errorId | Should -Match '\[cut: \d+ more characters\]$'
        }
    }

    It 'gives the message, category, id, type and the line of a real error' {
        $script = Join-Path $TestDrive 'fails.ps1'
        Set-Content -LiteralPath $script -Value @('$x = 1', '', 'throw "no such mailbox"')
        $record = $null
        try { & $script } catch { $record = $_ }
        InModuleScope ExoConnectRunner -Parameters @{ Record = $record; Script = $script } {
            param($Record, $Script)
            $facts = Get-ErrorFacts $Record
            $facts.message | Should -Be 'no such mailbox'
            $facts.category | Should -Be 'OperationStopped'
            $facts.errorId | Should -Be 'no such mailbox'
            $facts.type | Should -Be 'System.Management.Automation.RuntimeException'
            $facts.file | Should -Be $Script
            $facts.line | Should -Be 3
        }
    }

    It 'says whether the session has a command "not recognized": one the script called in another runspace, or in none' {
        function global:Get-ExoFactsProbe { 'here' }
        $ErrorActionPreference = 'Continue'
        try {
            $parallel = @(1 | ForEach-Object -Parallel { Get-ExoFactsProbe } 2>&1)[0]
            $job = @(Start-Job { Get-ExoFactsProbe } | Receive-Job -Wait -AutoRemoveJob 2>&1)[0]
            $missing = $null
            try { Get-ExoFactsProbeMissing } catch { $missing = $_ }
            InModuleScope ExoConnectRunner -Parameters @{ Records = @($parallel, $job, $missing) } {
                param($Records)
                @($Records | ForEach-Object { (Get-ErrorFacts $_).commandInSession }) | Should -Be @($true, $true, $false)
                # Other errors carry no such fact.
                $other = $null
                try { throw 'no such mailbox' } catch { $other = $_ }
                (Get-ErrorFacts $other).ContainsKey('commandInSession') | Should -BeFalse
            }
        } finally {
            Remove-Item -LiteralPath function:Get-ExoFactsProbe
        }
    }

    It 'looks only at what is loaded: neither imports a module to find the name nor takes a wildcard for it' {
        $modules = Join-Path $TestDrive 'probe-modules'
        $folder = Join-Path $modules 'ExoFactsProbeModule'
        $null = New-Item -ItemType Directory -Path $folder
        $marker = Join-Path $TestDrive 'imported.txt'
        Set-Content -LiteralPath (Join-Path $folder 'ExoFactsProbeModule.psm1') -Value @("Set-Content -LiteralPath '$marker' -Value 'imported'", 'function Get-ExoFactsAutoloaded { }')
        function global:Get-ExoFactsWildcard { 'here' }
        $saved = $env:PSModulePath
        try {
            $records = @(foreach ($name in @('Get-ExoFactsAutoloaded', 'Get-ExoFactsWildc*')) {
                    $global:PSModuleAutoLoadingPreference = 'None'
                    try { & $name } catch { $_ } finally { $global:PSModuleAutoLoadingPreference = 'All' }
                })
            $env:PSModulePath = $modules + [System.IO.Path]::PathSeparator + $saved
            InModuleScope ExoConnectRunner -Parameters @{ Records = $records } {
                param($Records)
                $Records.Count | Should -Be 2
                @($Records | ForEach-Object { (Get-ErrorFacts $_)['commandInSession'] }) | Should -Be @($false, $null)
            }
            Test-Path -LiteralPath $marker | Should -BeFalse
        } finally {
            $env:PSModulePath = $saved
            Remove-Item -LiteralPath function:Get-ExoFactsWildcard
        }
    }

    It "with -ScriptPath, names the user's line when the error was raised inside a module function" {
        $module = Join-Path $TestDrive 'Remote.psm1'
        Set-Content -LiteralPath $module -Value @('function Get-Thing { [CmdletBinding()] param()', '  throw "role missing" }')
        $script = Join-Path $TestDrive 'calls.ps1'
        Set-Content -LiteralPath $script -Value @("Import-Module '$module'", 'Get-Thing')
        $record = $null
        try { & $script } catch { $record = $_ }
        Remove-Module -Name Remote
        InModuleScope ExoConnectRunner -Parameters @{ Record = $record; Script = $script; Module = $module } {
            param($Record, $Script, $Module)
            (Get-ErrorFacts $Record).file | Should -Be $Module
            $facts = Get-ErrorFacts $Record -ScriptPath $Script
            $facts.file | Should -Be $Script
            $facts.line | Should -Be 2
        }
    }

    It 'names where a Write-Error in a dot-sourced helper''s function wrote it, beside the line that called it' {
        $helper = Join-Path $TestDrive 'helper.ps1'
        Set-Content -LiteralPath $helper -Value @('function Invoke-Helper {', '    ''working''', '    Write-Error ''helper failed''', '}')
        $script = Join-Path $TestDrive 'main.ps1'
        Set-Content -LiteralPath $script -Value @(". '$helper'", "'loaded'", 'Invoke-Helper')
        # As the runner runs a script: from no file of its own, and Write-Error writes and goes on.
        $ErrorActionPreference = 'Continue'
        $record = @(& ([scriptblock]::Create("& '$script'")) 2>&1 | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })[0]
        InModuleScope ExoConnectRunner -Parameters @{ Record = $record; Script = $script; Helper = $helper } {
            param($Record, $Script, $Helper)
            $facts = Get-ErrorFacts $Record -ScriptPath $Script
            $facts.file | Should -Be $Script
            $facts.line | Should -Be 3
            $facts.originFile | Should -Be $Helper
            $facts.originLine | Should -Be 3
            # A Write-Error in the script itself has no origin elsewhere.
            $ErrorActionPreference = 'Continue'
            Set-Content -LiteralPath $Script -Value @("'x'", 'Write-Error ''direct''')
            $direct = @(& ([scriptblock]::Create("& '$Script'")) 2>&1 | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })[0]
            $facts = Get-ErrorFacts $direct -ScriptPath $Script
            $facts.line | Should -Be 2
            $facts.ContainsKey('originFile') | Should -BeFalse
            # Nor one from text made into a script block (Invoke-Expression): its frame names no file.
            Set-Content -LiteralPath $Script -Value @("'x'", 'Invoke-Expression "Write-Error ''from text''"')
            $fromText = @(& ([scriptblock]::Create("& '$Script'")) 2>&1 | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })[0]
            $facts = Get-ErrorFacts $fromText -ScriptPath $Script
            $facts.line | Should -Be 2
            $facts.ContainsKey('originFile') | Should -BeFalse
        }
    }
}

Describe 'Write-RunFile' {
    It 'writes UTF-8 without a BOM, makes again a directory the script removed, and never writes through what the script left at the path' {
        $dir = Join-Path $TestDrive 'run'
        $path = Join-Path $dir 'result.json'
        $digest = InModuleScope ExoConnectRunner -Parameters @{ Path = $path } { param($Path) Write-RunFile -Path $Path -Text '["Zoë ✓"]' }
        [System.IO.File]::ReadAllBytes($path)[0] | Should -Be ([byte][char]'[')
        # The SHA-256 of the bytes written, which the signed events carry for the action to check.
        $digest | Should -BeExactly (Get-FileHash -LiteralPath $path -Algorithm SHA256).Hash.ToLowerInvariant()
        [System.IO.File]::ReadAllText($path) | Should -BeExactly '["Zoë ✓"]'
        # A link the script left at the path, to a file of its choice: replaced, not written through.
        $elsewhere = Join-Path $TestDrive 'elsewhere.txt'
        Set-Content -LiteralPath $elsewhere -Value 'kept' -NoNewline
        Remove-Item -LiteralPath $path
        $null = New-Item -ItemType SymbolicLink -Path $path -Target $elsewhere
        InModuleScope ExoConnectRunner -Parameters @{ Path = $path } { param($Path) Write-RunFile -Path $Path -Text '[]' }
        (Get-Item -LiteralPath $path).LinkType | Should -BeNullOrEmpty
        [System.IO.File]::ReadAllText($path) | Should -BeExactly '[]'
        [System.IO.File]::ReadAllText($elsewhere) | Should -BeExactly 'kept'
        Remove-Item -LiteralPath $dir -Recurse
        InModuleScope ExoConnectRunner -Parameters @{ Path = $path } { param($Path) Write-RunFile -Path $Path -Text '' } | Should -BeExactly 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
        (Get-Item -LiteralPath $path).Length | Should -Be 0
    }
}
