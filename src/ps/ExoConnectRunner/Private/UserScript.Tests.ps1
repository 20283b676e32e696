BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot '../ExoConnectRunner.psd1') -Force
    # The launcher runner.ps1 really uses, made here, outside the module, as runner.ps1 makes it.
    $runner = [System.Management.Automation.Language.Parser]::ParseFile((Join-Path $PSScriptRoot '../../runner.ps1'), [ref]$null, [ref]$null)
    $text = $runner.Find({ param($node) $node -is [System.Management.Automation.Language.ScriptBlockExpressionAst] -and $node.Extent.Text -match 'PSBoundParameters = \$args\[1\]' }, $true).Extent.Text
    # The launcher sees this file's variables; the names below stay clear of the runner's.
    $script:RunnerLauncher = & ([scriptblock]::Create($text))
    function Invoke-UserScriptQuietly {
        # Runs Invoke-UserScript with the log captured; gives the exit code, the log, the events and the result.
        param([string[]] $Lines, [hashtable] $Bound = @{}, [string] $ErrorAction = 'Continue', [switch] $WhatIf, $ResultFile = $null, [int] $ResultLimit = 3)
        $path = Join-Path $TestDrive ('script-' + [guid]::NewGuid().ToString('N') + '.ps1')
        Set-Content -LiteralPath $path -Value $Lines
        $events = Join-Path $TestDrive 'events.jsonl'
        $result = Join-Path $TestDrive 'result.json'
        Remove-Item -LiteralPath $events, $result -ErrorAction SilentlyContinue
        $scriptInfo = [pscustomobject]@{ path = $path; workingDirectory = "$TestDrive"; errorActionPreference = $ErrorAction; whatIf = [bool]$WhatIf }
        $console = [Console]::Out
        $errorConsole = [Console]::Error
        $log = New-Object System.IO.StringWriter
        [Console]::SetOut($log)
        [Console]::SetError($log)
        $here = Get-Location
        try {
            $exitCode = InModuleScope ExoConnectRunner -Parameters @{ Script = $scriptInfo; Parameters = $Bound; Launcher = $script:RunnerLauncher; Events = $events; Result = $result; ResultFile = $ResultFile; Limit = $ResultLimit } {
                param($Script, $Parameters, $Launcher, $Events, $Result, $ResultFile, $Limit)
                Set-EventsPath -Path $Events
                Invoke-UserScript -Script $Script -Source (Read-ScriptSource -Path $Script.path) -Parameters $Parameters -Launcher $Launcher -ResultPath $Result -ResultLimit $Limit -ResultFile $ResultFile
            }
        } finally {
            [Console]::SetOut($console)
            [Console]::SetError($errorConsole)
            Set-Location -LiteralPath $here
        }
        [pscustomobject]@{
            ExitCode = $exitCode
            Log      = $log.ToString()
            Events   = @(Get-Content -LiteralPath $events | ConvertFrom-Json)
            Result   = (Get-Content -LiteralPath $result -Raw)
        }
    }
}
AfterAll { Remove-Module -Name ExoConnectRunner -ErrorAction SilentlyContinue }

Describe 'Invoke-UserScript' {
    It 'binds the parameters, logs the output, keeps the objects for the result and returns the exit code' {
        $run = Invoke-UserScriptQuietly -Lines @('param([int] $Days = 7, [string] $Name)', '"days=$Days name=$Name"', '[pscustomobject]@{ Days = $Days }', 'exit 4') -Bound @{ Days = 30; Name = 'Zoë' }
        $run.ExitCode | Should -Be 4
        $run.Log | Should -Match 'days=30 name=Zoë'
        ($run.Result | ConvertFrom-Json)[1].Days | Should -Be 30
        $run.Events[-1].event | Should -Be 'script'
        $run.Events[-1].exitCode | Should -Be 4
        $run.Events[-1].objects | Should -Be 2
    }

    It 'runs the script in its working directory, from elsewhere and from there already' {
        $elsewhere = Invoke-UserScriptQuietly -Lines @('(Get-Location).Path')
        @($elsewhere.Result | ConvertFrom-Json)[0].TrimEnd('/', '\') | Should -Be "$TestDrive".TrimEnd('/', '\')
        $here = Get-Location
        try {
            Set-Location -LiteralPath $TestDrive
            $there = Invoke-UserScriptQuietly -Lines @('(Get-Location).Path')
        } finally {
            Set-Location -LiteralPath $here
        }
        @($there.Result | ConvertFrom-Json)[0].TrimEnd('/', '\') | Should -Be "$TestDrive".TrimEnd('/', '\')
    }

    It 'takes $LASTEXITCODE as the exit code, and one left from before the script is not taken for it' {
        $global:LASTEXITCODE = 9
        try {
            $run = Invoke-UserScriptQuietly -Lines @('"no native command"')
            $run.ExitCode | Should -Be 0
            $native = Invoke-UserScriptQuietly -Lines @('sh -c "exit 3"')
            $native.ExitCode | Should -Be 3
        } finally {
            Remove-Variable -Name LASTEXITCODE -Scope Global -ErrorAction SilentlyContinue
        }
    }

    It 'returns the exit code the script asked for, also outside what a Linux process can exit with' {
        foreach ($code in @(256, -1)) {
            $run = Invoke-UserScriptQuietly -Lines @("exit $code")
            $run.ExitCode | Should -Be $code
            $run.Events[-1].exitCode | Should -Be $code
        }
    }

    It 'has the runner load no more of its files from the script''s start on (RunnerFiles.ps1)' {
        # Here the module is an ordinary one, which the script can reach; in a run it is not.
        $run = Invoke-UserScriptQuietly -Lines @('& (Get-Module -Name ExoConnectRunner) { $script:ScriptStarted }')
        ($run.Result | ConvertFrom-Json) | Should -Be @($true)
        InModuleScope ExoConnectRunner {
            { Import-RunnerFile -Path 'Private/NotLoaded.ps1' } | Should -Throw "*after the user's script started*"
            $script:ScriptStarted = $false
        }
    }

    It 'without result-file, does not load result-file''s code, nor close a writer (RunnerFiles.ps1)' {
        # From the source files every file is loaded at the import: this one is marked as not loaded.
        InModuleScope ExoConnectRunner { $script:ScriptStarted = $false; [void]$script:LoadedFiles.Remove('Private/ResultFile.ps1') }
        try {
            $run = Invoke-UserScriptQuietly -Lines @('"no file"')
            $run.ExitCode | Should -Be 0
            @($run.Events.event) | Should -Not -Contain 'result-file'
            InModuleScope ExoConnectRunner { $script:LoadedFiles.Contains('Private/ResultFile.ps1') } | Should -BeFalse
        } finally {
            InModuleScope ExoConnectRunner { [void]$script:LoadedFiles.Add('Private/ResultFile.ps1') }
        }
    }

    It 'runs the script without the runner''s strict mode, as a plain pwsh -File does' {
        $run = Invoke-UserScriptQuietly -Lines @('"[$notSetAnywhere]"', '$o = [pscustomobject]@{ a = 1 }', '"[$($o.missing)]"')
        $run.ExitCode | Should -Be 0
        ($run.Result | ConvertFrom-Json) | Should -Be @('[]', '[]')
    }

    It "counts non-terminating errors with the user's line, and truncates the result at the limit" {
        $run = Invoke-UserScriptQuietly -Lines @('1..5', 'Write-Error "soft one"')
        $errors = @($run.Events | Where-Object { $_.event -eq 'error' })
        $errors.Count | Should -Be 1
        $errors[0].line | Should -Be 2
        $errors[0].terminating | Should -BeFalse
        $run.Events[-1].errors | Should -Be 1
        $run.Events[-1].truncated | Should -BeTrue
        ($run.Result | ConvertFrom-Json) | Should -Be @(1, 2, 3)
    }

    It 'counts the strings it cut for the result, and names the limit, only when it cut one' {
        $run = Invoke-UserScriptQuietly -Lines @('"short"', "'a' * 100001", "'b' * 200000")
        $run.Events[-1].cutStrings | Should -Be 2
        $run.Events[-1].stringLimit | Should -Be 100000
        $kept = @($run.Result | ConvertFrom-Json)
        $kept[0] | Should -Be 'short'
        $kept[1] | Should -Be (('a' * 100000) + ' [cut: 1 more characters]')
        $run = Invoke-UserScriptQuietly -Lines @('"short"', "'a' * 100000")
        $run.Events[-1].PSObject.Properties.Name | Should -Not -Contain 'cutStrings'
        $run.Events[-1].PSObject.Properties.Name | Should -Not -Contain 'stringLimit'
    }

    It 'says when a what-if run ends with what-if turned off or removed, and only then' {
        $run = Invoke-UserScriptQuietly -Lines @('$global:WhatIfPreference = $false') -WhatIf
        $run.Events[-1].whatIfOff | Should -BeTrue
        $run = Invoke-UserScriptQuietly -Lines @('Remove-Variable -Name WhatIfPreference -Scope Global -Force -WhatIf:$false') -WhatIf
        $run.Events[-1].whatIfOff | Should -BeTrue
        $run = Invoke-UserScriptQuietly -Lines @('"plan only"') -WhatIf
        $run.Events[-1].PSObject.Properties.Name | Should -Not -Contain 'whatIfOff'
        $run = Invoke-UserScriptQuietly -Lines @('$global:WhatIfPreference = $false')
        $run.Events[-1].PSObject.Properties.Name | Should -Not -Contain 'whatIfOff'
    }

    It 'says when the result holds a value past its depth, and only then' {
        # Deeper than result-depth (4): the deepest tables are written as their type's name.
        $run = Invoke-UserScriptQuietly -Lines @('@{ A = @{ B = @{ C = @{ D = @{ E = @{ F = 1 } } } } } }')
        $run.Events[-1].depthCut | Should -BeTrue
        $run.Result | Should -BeLike '*"System.Collections.Hashtable"*'
        $run = Invoke-UserScriptQuietly -Lines @('@{ A = @{ B = @{ C = 1 } } }')
        $run.Result | Should -Not -BeLike '*System.Collections.Hashtable*'
        $run.Events[-1].PSObject.Properties.Name | Should -Not -Contain 'depthCut'
    }

    # PowerShell hands a terminating error to an enclosing try/catch in any calling scope
    # (about_Try_Catch_Finally); the runner's own must not count as one.
    It 'goes on after a statement-terminating error under Continue, as a plain pwsh -File does' {
        $run = Invoke-UserScriptQuietly -Lines @('"start"', '[int]::Parse("x")', '"after"') -ErrorAction Continue
        ($run.Result | ConvertFrom-Json) | Should -Be @('start', 'after')
        $run.Events[-1].terminated | Should -BeFalse
        $run.Events[-1].errors | Should -Be 1
        $run.Log | Should -Match 'input string'
    }

    It 'goes on past a throw under SilentlyContinue, as a plain pwsh -File does' {
        $run = Invoke-UserScriptQuietly -Lines @('"start"', 'throw "boom"', '"after"') -ErrorAction SilentlyContinue
        ($run.Result | ConvertFrom-Json) | Should -Be @('start', 'after')
        $run.Events[-1].terminated | Should -BeFalse
        $run.ExitCode | Should -Be 0
    }

    It 'ends at a throw under Continue, and reports it at the line of the throw' {
        $run = Invoke-UserScriptQuietly -Lines @('"start"', 'throw "boom"', '"after"') -ErrorAction Continue
        ($run.Result | ConvertFrom-Json) | Should -Be @('start')
        $thrown = @($run.Events | Where-Object { $_.event -eq 'error' -and $_.terminating })
        $thrown.Count | Should -Be 1
        $thrown[0].message | Should -Be 'boom'
        $thrown[0].line | Should -Be 2
        $thrown[0].type | Should -Be 'System.Management.Automation.RuntimeException'
        $run.Events[-1].terminated | Should -BeTrue
        $run.ExitCode | Should -Be 1
    }

    It 'fails a script PowerShell refused to start under <Preference>: <Case>' -TestCases @(
        @{ Case = 'a parameter that does not bind'; Preference = 'SilentlyContinue'; Lines = @('param([int] $Days)', '"ran"'); Bound = @{ Days = 'abc' }; Message = '*Days*' }
        @{ Case = 'a parameter that does not bind'; Preference = 'Continue'; Lines = @('param([int] $Days)', '"ran"'); Bound = @{ Days = 'abc' }; Message = '*Days*' }
        @{ Case = 'a value its ValidateSet refuses'; Preference = 'SilentlyContinue'; Lines = @('param([ValidateSet(''a'', ''b'')][string] $Kind)', '"ran"'); Bound = @{ Kind = 'z' }; Message = '*Kind*' }
        @{ Case = 'an unmet #Requires'; Preference = 'SilentlyContinue'; Lines = @('#Requires -Version 99', '"ran"'); Bound = @{}; Message = '*99*' }
        @{ Case = 'an unmet #Requires -PSEdition'; Preference = 'Continue'; Lines = @("#Requires -PSEdition $(if ($PSEdition -eq 'Core') { 'Desktop' } else { 'Core' })", '"ran"'); Bound = @{}; Message = '*edition*' }
    ) {
        param($Case, $Preference, $Lines, $Bound, $Message)
        $run = Invoke-UserScriptQuietly -Lines $Lines -Bound $Bound -ErrorAction $Preference
        $run.ExitCode | Should -Be 1
        $run.Result | Should -Be '[]'
        $refused = @($run.Events | Where-Object { $_.event -eq 'error' -and $_.terminating })
        $refused.Count | Should -Be 1
        $refused[0].message | Should -BeLike $Message
        $run.Events[-1].terminated | Should -BeTrue
    }

    It 'does not take an error of the script''s own call of another script for a refusal of the script' {
        $child = Join-Path $TestDrive 'child.ps1'
        Set-Content -LiteralPath $child -Value @('param([int] $Days)', '"child ran"')
        $run = Invoke-UserScriptQuietly -Lines @("& '$child' -Days abc", '"after"') -ErrorAction Continue
        ($run.Result | ConvertFrom-Json) | Should -Be @('after')
        $run.Events[-1].terminated | Should -BeFalse
    }

    It 'ends at a statement-terminating error under Stop, and reports it at its line' {
        $run = Invoke-UserScriptQuietly -Lines @('"start"', '[int]::Parse("x")', '"after"') -ErrorAction Stop
        ($run.Result | ConvertFrom-Json) | Should -Be @('start')
        $thrown = @($run.Events | Where-Object { $_.event -eq 'error' -and $_.terminating })
        $thrown.Count | Should -Be 1
        $thrown[0].line | Should -Be 2
        $thrown[0].message | Should -Match 'input string'
        $run.Events[-1].terminated | Should -BeTrue
    }

    It "sees none of the runner's functions or variables, and runs in the global session state" {
        $run = Invoke-UserScriptQuietly -Lines @(
            '$names = @(Get-Variable | ForEach-Object Name) + @(Get-ChildItem function: | ForEach-Object Name)'
            '@(''Script'', ''Parameters'', ''Launcher'', ''collected'', ''state'', ''SafeCommands'', ''stdout'', ''outString'', ''saved'', ''Invoke-UserScript'', ''Write-RunnerEvent'', ''Watch-Output'', ''Get-SafeCommand'') | Where-Object { $names -contains $_ }'
            '"module=[$($ExecutionContext.SessionState.Module)]"'
        )
        $run.ExitCode | Should -Be 0
        ($run.Result | ConvertFrom-Json) | Should -Be @('module=[]')
    }

    It 'keeps the result and its counts when the script puts type data over the collector''s members' {
        try {
            $run = Invoke-UserScriptQuietly -ResultLimit 5 -Lines @(
                'Update-TypeData -TypeName ExoConnectRunner.Native.ResultCollector -MemberType ScriptMethod -MemberName GetJson -Value { ''["hijacked"]'' } -Force'
                'Update-TypeData -TypeName ExoConnectRunner.Native.ResultCollector -MemberType ScriptProperty -MemberName Count -Value { 99 } -Force'
                '"kept"'
            )
            ($run.Result | ConvertFrom-Json) | Should -Be @('kept')
            $run.Events[-1].objects | Should -Be 1
            $run.Events[-1].truncated | Should -BeFalse
        } finally {
            Remove-TypeData -TypeName ExoConnectRunner.Native.ResultCollector -ErrorAction SilentlyContinue
        }
    }

    It 'keeps the result and the verdict of a script that leaves ConstrainedLanguage behind (<Case>), and goes on in the language mode it had' -TestCases @(
        @{ Case = 'set by the script'; Lines = @('"done"', '$ExecutionContext.SessionState.LanguageMode = ''ConstrainedLanguage''') }
        # Made before the script's last line, and read again as the result is written, after the script.
        @{ Case = 'set by a property getter of an object it returned'; Lines = @('$o = [pscustomobject]@{ Name = ''done'' }', '$o | Add-Member -MemberType ScriptProperty -Name Mode -Value { $ExecutionContext.SessionState.LanguageMode = ''ConstrainedLanguage''; ''got'' }', '$o') }
    ) {
        param($Case, $Lines)
        $run = Invoke-UserScriptQuietly -Lines $Lines
        $ExecutionContext.SessionState.LanguageMode | Should -Be 'FullLanguage'
        $run.ExitCode | Should -Be 0
        $run.Events.event | Should -Not -Contain 'error'
        $run.Events[-1].event | Should -Be 'script'
        $run.Events[-1].terminated | Should -BeFalse
        $run.Result | Should -Match 'done'
    }

    It 'starts as a new PowerShell would: no earlier error and no exit code yet' {
        Write-Error 'an error before the script' -ErrorAction SilentlyContinue
        $global:LASTEXITCODE = 9
        $run = Invoke-UserScriptQuietly -Lines @('"errors=$($Error.Count) exitcode=$(Test-Path variable:global:LASTEXITCODE)"')
        ($run.Result | ConvertFrom-Json) | Should -Be @('errors=0 exitcode=False')
        $run.ExitCode | Should -Be 0
    }

    Context '$host.SetShouldExit, as a plain pwsh -File takes it' {
        AfterEach {
            # The flag lives in this test process's console host: cleared, so that no other test reads it.
            $flags = [System.Reflection.BindingFlags]'Instance, NonPublic'
            $console = $Host.GetType().GetProperty('ExternalHost', $flags).GetValue($Host)
            foreach ($name in @('_setShouldExitCalled', 'setShouldExitCalled')) {
                $field = $console.GetType().GetField($name, $flags)
                if ($null -ne $field) { $field.SetValue($console, $false) }
            }
        }

        It 'a script that asked for <Asked> and ended without an exit of its own exits with it, though <Case>' -TestCases @(
            @{ Case = 'it ran on after the call'; Lines = @('$host.SetShouldExit(7)', '"after"'); Asked = 7 }
            @{ Case = 'a native command exited with 3 after it'; Lines = @('$host.SetShouldExit(7)', '$global:LASTEXITCODE = 3'); Asked = 7 }
            @{ Case = 'a native command exited with 3 before it'; Lines = @('$global:LASTEXITCODE = 3', '$host.SetShouldExit(0)'); Asked = 0 }
        ) {
            $run = Invoke-UserScriptQuietly -Lines $Lines
            $run.ExitCode | Should -Be $Asked
            $run.Events[-1].exitCode | Should -Be $Asked
            $run.Events[-1].setShouldExit | Should -BeTrue
            $run.Events[-1].terminated | Should -BeFalse
        }

        It 'an exit N after it wins, as the script''s own exit does under pwsh -File' {
            $run = Invoke-UserScriptQuietly -Lines @('$host.SetShouldExit(7)', 'exit 2')
            $run.ExitCode | Should -Be 2
            $run.Events[-1].exitCode | Should -Be 2
            $run.Events[-1].PSObject.Properties['setShouldExit'] | Should -BeNullOrEmpty
        }

        It 'a terminating error after it fails the script with 1, as under pwsh -File' {
            $run = Invoke-UserScriptQuietly -Lines @('$host.SetShouldExit(7)', 'throw "boom"') -ErrorAction 'Stop'
            $run.ExitCode | Should -Be 1
            $run.Events[-1].terminated | Should -BeTrue
        }
    }

    It 'ends only the script on a break outside any loop, as pwsh -File does, and still reports it' {
        # A break that escaped would end this loop instead of the It block, which Pester counts as passed.
        $returned = $false
        foreach ($once in 1) {
            $run = Invoke-UserScriptQuietly -Lines @('"before"', 'break', '"after"')
            $returned = $true
        }
        $returned | Should -BeTrue
        $run.ExitCode | Should -Be 0
        ($run.Result | ConvertFrom-Json) | Should -Be @('before')
        $run.Events[-1].event | Should -Be 'script'
    }

    It 'records a terminating error, exit code 1, and restores the global preferences' {
        $before = $global:ErrorActionPreference
        $run = Invoke-UserScriptQuietly -Lines @('"before"', 'throw "stopped here"') -ErrorAction 'Stop' -WhatIf
        $run.ExitCode | Should -Be 1
        $run.Events[-1].terminated | Should -BeTrue
        @($run.Events | Where-Object { $_.event -eq 'error' })[0].message | Should -Be 'stopped here'
        # The action prints it from the event, on one line; PowerShell's error view would wrap it.
        $run.Log | Should -Not -Match 'stopped here'
        $global:ErrorActionPreference | Should -Be $before
        $global:WhatIfPreference | Should -BeFalse
    }

    It 'keeps the result and the verdict of a script that made the preferences it is given read-only, and restores them all the same' {
        $before = $global:ErrorActionPreference
        try {
            $run = Invoke-UserScriptQuietly -Lines @(
                'Set-Variable -Name ErrorActionPreference -Value SilentlyContinue -Scope Global -Option ReadOnly -Force'
                'Set-Variable -Name WhatIfPreference -Value $true -Scope Global -Option ReadOnly -Force'
                '[pscustomobject]@{ Done = 1 }'
            ) -ErrorAction 'Continue'
            $global:ErrorActionPreference | Should -Be $before
            $global:WhatIfPreference | Should -BeFalse
        } finally {
            Set-Variable -Name ErrorActionPreference -Scope Global -Value $before -Option None -Force -WhatIf:$false
            Set-Variable -Name WhatIfPreference -Scope Global -Value $false -Option None -Force -WhatIf:$false
        }
        $run.ExitCode | Should -Be 0
        $run.Events[-1].event | Should -Be 'script'
        $run.Events[-1].terminated | Should -BeFalse
        $run.Events[-1].objects | Should -Be 1
        ($run.Result | ConvertFrom-Json).Done | Should -Be 1
    }

    It 'logs each error record of the stream on one line, commands neutralised, with the user''s line' {
        $nl = [string][char]10
        $text = 'Server said:' + $nl + '::warning title=X::hostile' + $nl + '##[add-mask]x' + $nl + ('word ' * 100)
        $run = Invoke-UserScriptQuietly -Lines @('param([string] $Text)', 'Write-Error -Message $Text') -Bound @{ Text = $text }
        $lines = @($run.Log -split '\r?\n' | Where-Object { $_ -match 'Server said' })
        $lines.Count | Should -Be 1
        $lines[0] | Should -BeLike 'Write-Error: Server said: ::warning title=X::hostile # #`[add-mask`]x word word * word (line 2)'
        $run.Log | Should -Not -Match '(?m)^\s*::warning'
        $run.Log | Should -Not -Match '##\['
    }

    It 'takes an error record the script returns (catch { $_ }, $Error[0]) for neither an error nor data, as pwsh -File exits 0 after it: one log line, and a count (<Case>)' -TestCases @(
        @{ Case = 'result only'; Format = $null }
        @{ Case = 'result-file .csv'; Format = 'csv' }
    ) {
        param($Case, $Format)
        $lines = @(
            'try { Get-Item -LiteralPath ''/no/such/item'' -ErrorAction Stop } catch { $_ }'
            'Write-Error ''written'''
            '$Error[0]'
            'sh -c ''echo to-stderr >&2'' 2>&1'
            '[pscustomobject]@{ Name = ''first''; Size = 1 }'
            '[pscustomobject]@{ Name = ''second''; Size = 2 }'
        )
        $file = $null
        if ($Format) { $file = [pscustomobject]@{ path = (Join-Path $TestDrive "returned.$Format"); format = $Format } }
        $run = Invoke-UserScriptQuietly -Lines $lines -ResultFile $file -ResultLimit 10
        $run.ExitCode | Should -Be 0
        $script = $run.Events | Where-Object event -EQ 'script'
        # Only the record written to the error stream is an error; a native command's stderr under
        # the script's own 2>&1 is a line of the log, neither an error nor an object.
        $script.errors | Should -Be 1
        @($run.Events | Where-Object event -EQ 'error').Count | Should -Be 1
        $script.returnedErrors | Should -Be 2
        $script.objects | Should -Be 2
        $result = @($run.Result | ConvertFrom-Json)
        $result.Name | Should -Be @('first', 'second')
        $log = $run.Log -split '\r?\n'
        $log | Should -Contain "Get-Item: Cannot find path '/no/such/item' because it does not exist."
        $log | Should -Contain 'Write-Error: written (line 2)'
        # Written, then returned as $Error[0]: two lines, one of them the error's.
        @($log | Where-Object { $_ -like 'Write-Error: written*' }).Count | Should -Be 2
        $log | Should -Contain 'to-stderr'
        if ($Format) {
            # The rows keep their own columns: a record before them would have taken the header.
            [System.IO.File]::ReadAllLines($file.path) | Should -Be @('Name,Size', 'first,1', 'second,2')
            ($run.Events | Where-Object event -EQ 'result-file').count | Should -Be 2
        }
    }

    It 'keeps in result the properties PowerShell adds to a .NET object, as ConvertTo-Json of the returned object has them' {
        $lines = @(
            'Update-TypeData -TypeName System.Text.StringBuilder -MemberType ScriptProperty -MemberName Doubled -Value { $this.Length * 2 } -Force'
            '[System.Text.StringBuilder]::new(''sb'') | Add-Member -NotePropertyName Mailbox -NotePropertyValue ''alex@contoso.com'' -PassThru'
            '[System.Text.StringBuilder]::new(''abc'')'
        )
        $run = Invoke-UserScriptQuietly -Lines $lines
        $result = @($run.Result | ConvertFrom-Json)
        $result.Count | Should -Be 2
        # An instance's own property, and one of the type data.
        $result[0].Mailbox | Should -Be 'alex@contoso.com'
        $result[0].Length | Should -Be 2
        $result[1].Doubled | Should -Be 6
    }

    It 'puts back the console writer the script replaced (SetOut, OutputEncoding), for the runner''s own lines after it' {
        $path = Join-Path $TestDrive 'console.ps1'
        Set-Content -LiteralPath $path -Value @('"before"', '[Console]::OutputEncoding = [System.Text.Encoding]::Unicode', '[Console]::SetOut([System.IO.TextWriter]::Null)', '"returned"')
        $console = [Console]::Out
        $encoding = [Console]::OutputEncoding
        $here = Get-Location
        $log = [System.IO.StringWriter]::new()
        [Console]::SetOut($log)
        try {
            InModuleScope ExoConnectRunner -Parameters @{ Path = $path; Launcher = $script:RunnerLauncher; Events = (Join-Path $TestDrive 'console-events.jsonl'); Result = (Join-Path $TestDrive 'console-result.json') } {
                param($Path, $Launcher, $Events, $Result)
                Set-EventsPath -Path $Events
                $null = Invoke-UserScript -Script ([pscustomobject]@{ path = $Path; workingDirectory = "$TestDrive"; errorActionPreference = 'Continue'; whatIf = $false }) -Source (Read-ScriptSource -Path $Path) -Parameters @{} -Launcher $Launcher -ResultPath $Result -ResultLimit 3
                Write-RunnerLog -Line 'the runner after the script'
            }
        } finally {
            [Console]::OutputEncoding = $encoding
            [Console]::SetOut($console)
            Set-Location -LiteralPath $here
        }
        $lines = $log.ToString() -split '\r?\n'
        $lines | Should -Contain 'before'
        $lines | Should -Contain 'returned'
        $lines | Should -Contain 'the runner after the script'
    }

    It 'writes what the script returns through the host when the script starts a transcript, so that its transcript holds it, as under pwsh -File' {
        $transcript = Join-Path $TestDrive 'own-transcript.txt'
        $lines = @(
            'param([string] $Transcript)'
            'Start-Transcript -LiteralPath $Transcript | Out-Null'
            '''returned line'''
            '''::warning::not a command'''
            'Stop-Transcript | Out-Null'
            '[pscustomobject]@{ Mailbox = ''alex@contoso.com'' }'
        )
        $run = Invoke-UserScriptQuietly -Lines $lines -Bound @{ Transcript = $transcript }
        $run.ExitCode | Should -Be 0
        $recorded = [System.IO.File]::ReadAllText($transcript)
        $recorded | Should -Match '(?m)^returned line\r?$'
        # Made harmless there as in the log.
        $recorded | Should -Match '(?m)^: :warning::not a command\r?$'
        $recorded | Should -Not -Match 'alex@contoso'
        # (The log goes to this test's host here, not to the writer it reads; test/e2e/fidelity has it.)
        ($run.Result | ConvertFrom-Json).Count | Should -Be 3
    }

    It 'warns, before the script runs, when it sets $ErrorActionPreference in its own scope to other than the input''s, which module functions do not read' {
        $run = Invoke-UserScriptQuietly -Lines @('"first"', '$ErrorActionPreference = ''SilentlyContinue''', '"done"') -ErrorAction 'Stop'
        $warnings = @($run.Log -split '\r?\n' | Where-Object { $_ -like '::warning::*' })
        $warnings.Count | Should -Be 1
        $warnings[0] | Should -BeLike '::warning::The script sets $ErrorActionPreference at line 2, in its own scope*error-action-preference sets to Stop*'
        foreach ($same in @('$ErrorActionPreference = ''Stop''', '$ErrorActionPreference = "stop"', '$ErrorActionPreference = [System.Management.Automation.ActionPreference]::Stop', '$global:ErrorActionPreference = ''Continue''', '# $ErrorActionPreference = ''Continue''')) {
            $quiet = Invoke-UserScriptQuietly -Lines @($same, '"done"') -ErrorAction 'Stop'
            $quiet.Log | Should -Not -Match '::warning::' -Because $same
        }
        # Putting back what it saved changes nothing; another variable may hold anything.
        $restore = Invoke-UserScriptQuietly -Lines @('$saved = $ErrorActionPreference', 'try { $ErrorActionPreference = ''Stop'' } finally { $ErrorActionPreference = $saved }') -ErrorAction 'Stop'
        $restore.Log | Should -Not -Match '::warning::'
        $other = Invoke-UserScriptQuietly -Lines @('$saved = $ErrorActionPreference', '$mode = ''Continue''', '$ErrorActionPreference = $mode') -ErrorAction 'Stop'
        $other.Log | Should -Match '::warning::The script sets \$ErrorActionPreference at line 3'
    }

    It 'says nothing of returned error records when there are none' {
        $run = Invoke-UserScriptQuietly -Lines @('''done''')
        ($run.Events | Where-Object event -EQ 'script').PSObject.Properties.Name | Should -Not -Contain 'returnedErrors'
    }

    It 'runs the script out of reach of the runner: no variable of the module or of its callers is visible' {
        $lines = @(
            '$names = foreach ($i in 0..30) { try { Get-Variable -Scope $i -ErrorAction Stop | ForEach-Object Name } catch { break } }'
            '@($names | Where-Object { $_ -in @("collected", "state", "writer", "Script", "parameters", "SafeCommands", "EventsPath", "SignEvent", "isolated", "userScript") }).Count'
        )
        $run = Invoke-UserScriptQuietly -Lines $lines
        ($run.Result | ConvertFrom-Json) | Should -Be @(0)
    }

    It 'with result-file: logs the first 20 objects and one line for the rest; errors still reach the log; the file has them all' {
        $file = Join-Path $TestDrive 'all.jsonl'
        $lines = @('1..25 | ForEach-Object { "row $_" }', 'Write-Error ''late failure''', 'Get-Date | Format-Table -HideTableHeaders Kind', '''after''')
        $run = Invoke-UserScriptQuietly -Lines $lines -ResultFile ([pscustomobject]@{ path = $file; format = 'jsonl' })
        $log = $run.Log -split '\r?\n'
        $log | Should -Contain 'row 1'
        $log | Should -Contain 'row 20'
        $log | Should -Not -Contain 'row 21'
        $log | Should -Not -Contain 'after'
        $run.Log | Should -Match 'Write-Error: late failure'
        # Format-Table output is not data: not in the file, not counted, shown as always.
        $log | Should -Contain 'Local'
        $log | Should -Contain "$([char]0x2026) and 6 more objects, written to $file (result-file)"
        $written = @([System.IO.File]::ReadAllLines($file))
        $written.Count | Should -Be 26
        $written[20] | Should -Be '"row 21"'
        $written[25] | Should -Be '"after"'
        ($run.Events | Where-Object event -EQ 'script').objects | Should -Be 26
    }

    It 'shows the output of every Format-* command in the log and keeps none of it as data (<Case>)' -TestCases @(
        @{ Case = 'result only'; Format = $null; ByName = $false }
        @{ Case = 'result-file'; Format = 'jsonl'; ByName = $false }
        @{ Case = 'a PowerShell without the formatting class, told by name'; Format = 'jsonl'; ByName = $true }
    ) {
        $lines = @(
            '1'
            '[pscustomobject]@{ Shape = "table-cell" } | Format-Table'
            '[pscustomobject]@{ Shape = "list-value" } | Format-List'
            '"wide-item" | Format-Wide'
            '[pscustomobject]@{ Shape = "custom-value" } | Format-Custom'
            '2'
        )
        $file = $null
        if ($Format) { $file = [pscustomobject]@{ path = (Join-Path $TestDrive "formats.$Format"); format = $Format } }
        InModuleScope ExoConnectRunner -Parameters @{ ByName = $ByName } {
            param($ByName)
            $script:SavedFormatData = $script:FormatData, $script:FormatDataByName
            if ($ByName) { $script:FormatData = [void]; $script:FormatDataByName = $true }
        }
        try {
            $run = Invoke-UserScriptQuietly -Lines $lines -ResultFile $file
        } finally {
            InModuleScope ExoConnectRunner { $script:FormatData, $script:FormatDataByName = $script:SavedFormatData }
        }
        foreach ($shown in 'table-cell', 'list-value', 'wide-item', 'custom-value') { $run.Log | Should -Match $shown }
        ($run.Result | ConvertFrom-Json) | Should -Be @(1, 2)
        ($run.Events | Where-Object event -EQ 'script').objects | Should -Be 2
        if ($file) { [System.IO.File]::ReadAllLines($file.path) | Should -Be @('1', '2') }
    }

    It 'with result-file: a list returned whole is one value in the file and its items in the log; the writing cannot be taken over' {
        $file = Join-Path $TestDrive 'whole.jsonl'
        # Aliases come before functions in PowerShell's command lookup, the runner's own included.
        $lines = @('foreach ($name in ''Write-JsonValue'', ''Add-ResultObject'') { Set-Alias -Name $name -Value Out-Null -Scope Global }', ',@(1, 2)', '''x''')
        $run = Invoke-UserScriptQuietly -Lines $lines -ResultFile ([pscustomobject]@{ path = $file; format = 'jsonl' })
        [System.IO.File]::ReadAllLines($file) | Should -Be @('[1,2]', '"x"')
        $run.Log -split '\r?\n' | Should -Be @('1', '2', 'x', '')
        Remove-Item -LiteralPath 'Alias:Write-JsonValue', 'Alias:Add-ResultObject'
    }

    It 'writes result.json through .NET, not through a command the script can define: a global New-Object changes nothing' {
        # A function comes before a cmdlet in PowerShell's command lookup, for the runner's own calls too.
        try {
            $run = Invoke-UserScriptQuietly -Lines @('function global:New-Object { throw ''the look-alike ran'' }', '''kept''')
        } finally {
            Remove-Item -LiteralPath 'Function:New-Object' -ErrorAction SilentlyContinue
        }
        $run.ExitCode | Should -Be 0
        $run.Log | Should -Not -Match 'look-alike'
        ($run.Result | ConvertFrom-Json) | Should -Be @('kept')
    }

    It 'with result-file <Format>: the log shows the first 20 objects, and the errors after them' -TestCases @(
        @{ Format = 'csv' }, @{ Format = 'json' }, @{ Format = 'jsonl' }
    ) {
        $file = Join-Path $TestDrive "limit.$Format"
        $run = Invoke-UserScriptQuietly -Lines @('1..25 | ForEach-Object { "row $_" }', 'Write-Error "late failure"') -ResultFile ([pscustomobject]@{ path = $file; format = $Format })
        $log = $run.Log -split '\r?\n'
        $log | Should -Contain 'row 20'
        $log | Should -Not -Contain 'row 21'
        $log | Should -Not -Contain 'row 25'
        $run.Log | Should -Match 'Write-Error: late failure'
        $log | Should -Contain "$([char]0x2026) and 5 more objects, written to $file (result-file)"
        ($run.Events | Where-Object event -EQ 'result-file').count | Should -Be 25
    }

    It 'with result-file and few objects: every one in the log, no count line' {
        $file = Join-Path $TestDrive 'few.csv'
        $run = Invoke-UserScriptQuietly -Lines @('1..20 | ForEach-Object { "row $_" }') -ResultFile ([pscustomobject]@{ path = $file; format = 'csv' })
        $run.Log -split '\r?\n' | Should -Contain 'row 20'
        $run.Log | Should -Not -Match 'more object'
    }

    It 'keeps result within the output limit: a long string is cut with a marker, collecting stops at the limit' {
        $run = Invoke-UserScriptQuietly -Lines @("'x' * 300000", "'short'")
        $values = @($run.Result | ConvertFrom-Json)
        $values[0] | Should -Match '^x{100000} \[cut: 200000 more characters\]$'
        $values[1] | Should -Be 'short'
        InModuleScope ExoConnectRunner {
            $collector = New-ResultCollector -Limit 1000 -Depth 2
            foreach ($i in 1..250) { Add-ResultItem $collector ([pscustomobject]@{ N = $i; Blob = 'z' * 20000 }) }
            $json = Get-ResultJson -Collector $collector
            [Text.Encoding]::UTF8.GetByteCount($json) | Should -BeLessOrEqual 1000000
            $collector.Full | Should -BeTrue
            $kept = @($json | ConvertFrom-Json)
            $kept.Count | Should -Be 49
            $kept[-1].N | Should -Be 49
        }
    }

    It 'keeps in result what Add-ResultItem alone keeps (the output stage adds most objects itself): <Case>' -TestCases @(
        @{ Case = 'the object limit, past two batches'; Limit = 250; Lines = @('1..400 | ForEach-Object { [pscustomobject]@{ N = $_; When = [datetime]::new(2026, 1, 2, 3, 4, 5, [DateTimeKind]::Utc); Kind = [System.DayOfWeek]::Friday } }') }
        @{ Case = 'a limit inside the first batch'; Limit = 7; Lines = @('1..30') }
        @{ Case = 'the byte limit, in the middle of a batch'; Limit = 1000; Lines = @('1..120 | ForEach-Object { [pscustomobject]@{ N = $_; Blob = [string]::new([char]0x7A, 12000) } }') }
        @{ Case = 'text among objects, a long one cut'; Limit = 150; Lines = @('foreach ($i in 1..200) { if ($i % 3 -eq 0) { "text $i" } elseif ($i -eq 101) { [string]::new([char]0x78, 150000) } else { @{ I = $i } } }') }
        @{ Case = 'lists returned whole and $null'; Limit = 120; Lines = @('foreach ($i in 1..150) { if ($i % 10 -eq 0) { $null } else { , @($i, "of $i") } }') }
    ) {
        $run = Invoke-UserScriptQuietly -Lines $Lines -ResultLimit $Limit
        $expected = InModuleScope ExoConnectRunner -Parameters @{ Lines = $Lines; Limit = $Limit } {
            param($Lines, $Limit)
            $collector = New-ResultCollector -Limit $Limit -Depth 4
            foreach ($object in (& ([scriptblock]::Create($Lines -join [Environment]::NewLine)))) { if (-not $collector.Full) { Add-ResultItem $collector $object } }
            Get-ResultJson -Collector $collector
        }
        $run.Result | Should -BeExactly $expected
        @($run.Result | ConvertFrom-Json).Count | Should -BeGreaterThan 5
    }
}
