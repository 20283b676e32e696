BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot '../ExoConnectRunner.psd1') -Force
    $script:Sandbox = Join-Path $PSScriptRoot '../../../../sandbox/modules/ExchangeOnlineManagement/ExchangeOnlineManagement.psd1'
}
AfterAll { Remove-Module -Name @('ExoConnectRunner', 'ExchangeOnlineManagement') -ErrorAction SilentlyContinue }

Describe 'SafeCommands' {
    It 'holds the cmdlets themselves, so a function of the same name defined later does not replace them' {
        InModuleScope ExoConnectRunner {
            function global:Write-Warning { 'a look-alike' }
            try {
                $SafeCommands['Write-Warning'].CommandType | Should -Be 'Cmdlet'
                $SafeCommands['Write-Warning'].Source | Should -Be 'Microsoft.PowerShell.Utility'
                $SafeCommands['Remove-PSSession'].Source | Should -Be 'Microsoft.PowerShell.Core'
                $SafeCommands['ConvertTo-Json'].Source | Should -Be 'Microsoft.PowerShell.Utility'
            } finally {
                Remove-Item -Path function:Write-Warning
            }
        }
    }
}

Describe 'The runner''s own code' {
    BeforeAll {
        $files = @(Get-ChildItem -LiteralPath (Join-Path $PSScriptRoot '..') -Recurse -Include '*.ps1', '*.psm1' | Where-Object Name -NotLike '*.Tests.ps1')
        $asts = @($files | ForEach-Object { [System.Management.Automation.Language.Parser]::ParseFile($_.FullName, [ref]$null, [ref]$null) })
        $functions = @($asts | ForEach-Object { $_.FindAll({ param($node) $node -is [System.Management.Automation.Language.FunctionDefinitionAst] }, $true) })
        # The files loaded when needed define theirs as script: ones (RunnerFiles.ps1).
        $own = @($functions | ForEach-Object { $_.Name -replace '^script:', '' })
    }

    It 'calls no command by a name the user''s script could define: in its functions only its own functions, module-qualified names or command objects' {
        # The module's body runs as it loads, before any script; only its functions run later.
        $byName = foreach ($function in $functions) {
            foreach ($command in $function.Body.FindAll({ param($node) $node -is [System.Management.Automation.Language.CommandAst] }, $true)) {
                $name = $command.GetCommandName()
                if ($name -and -not $name.Contains('\') -and $own -notcontains $name) {
                    '{0}:{1} {2}' -f [System.IO.Path]::GetFileName($command.Extent.File), $command.Extent.StartLineNumber, $name
                }
            }
        }
        $files.Count | Should -BeGreaterThan 10
        $own | Should -Contain 'Write-RunFile'
        @($byName) | Should -BeNullOrEmpty
    }

    It 'calls its own functions through $Own, never by name, in all the code that runs once the user''s script has started' {
        # An alias the script defined globally comes before a function in the command lookup, also
        # inside a module (about_Command_Precedence). What runs then, read from the syntax trees:
        # - every function called through $Own, or taken as ${function:Name} (stages, converters);
        # - every function defined inside another (the script pipeline's stages);
        # - in any function, what follows the statement that runs the script or a body that may
        #   hold it (Invoke-UserScript, & $Launcher, & $Body): the rest of it, its catch and finally.
        # A late function's by-name calls would be late too, so none is allowed at all.
        $find = { param([type] $Type) $asts | ForEach-Object { $_.FindAll({ param($node) $node -is $Type }.GetNewClosure(), $true) } }
        $nameOf = { param($function) $function.Name -replace '^script:', '' }
        $throughOwn = @(& $find ([System.Management.Automation.Language.IndexExpressionAst]) | Where-Object { "$($_.Target)" -match '^\$(script:)?Own$' -and $_.Index -is [System.Management.Automation.Language.StringConstantExpressionAst] } | ForEach-Object { $_.Index.Value })
        $taken = @(& $find ([System.Management.Automation.Language.VariableExpressionAst]) | Where-Object { $_.VariablePath.DriveName -eq 'function' } | ForEach-Object { $_.VariablePath.UserPath -replace '^function:(script:)?', '' })
        $insideFunction = {
            param($node)
            for ($up = $node.Parent; $null -ne $up; $up = $up.Parent) { if ($up -is [System.Management.Automation.Language.FunctionDefinitionAst]) { return $true } }
            $false
        }
        $nested = @($functions | Where-Object { & $insideFunction $_ } | ForEach-Object { & $nameOf $_ })
        $late = @($throughOwn) + $taken + $nested
        $runsScript = {
            param($command)
            $first = $command.CommandElements[0]
            $command.GetCommandName() -eq 'Invoke-UserScript' -or ($first -is [System.Management.Automation.Language.VariableExpressionAst] -and @('Launcher', 'Body') -contains $first.VariablePath.UserPath)
        }
        $byName = foreach ($function in $functions) {
            $commands = @($function.Body.FindAll({ param($node) $node -is [System.Management.Automation.Language.CommandAst] }, $true))
            # From the end of the outermost command, in this function, that runs the script.
            $from = [int]::MaxValue
            if ($late -contains (& $nameOf $function)) { $from = -1 }
            foreach ($command in $commands | Where-Object { & $runsScript $_ }) {
                $outer = $command
                for ($node = $command.Parent; $node -ne $function -and $node -isnot [System.Management.Automation.Language.FunctionDefinitionAst]; $node = $node.Parent) {
                    if ($node -is [System.Management.Automation.Language.CommandAst]) { $outer = $node }
                }
                $from = [Math]::Min($from, $outer.Extent.EndOffset)
            }
            foreach ($command in $commands) {
                if ($command.Extent.StartOffset -gt $from -and $own -contains $command.GetCommandName()) {
                    '{0}:{1} {2} calls {3}' -f [System.IO.Path]::GetFileName($command.Extent.File), $command.Extent.StartLineNumber, $function.Name, $command.GetCommandName()
                }
            }
        }
        # What the reading must find, or it reads nothing.
        $throughOwn | Should -Contain 'Get-ErrorFacts'
        $taken | Should -Contain 'ConvertTo-ResultJson'
        $taken | Should -Contain 'ConvertTo-PortableJson'
        $nested | Should -Contain 'Out-Default'
        @($byName) | Should -BeNullOrEmpty
    }
}

Describe 'Add-SafeCommand' {
    It 'imports PowerShell''s own modules from $PSHOME by path, into the global scope, without loading by name' {
        # In a PowerShell of its own, with loading by a command's name turned off: the runner's
        # modules (Utility, Host) must then come from its own imports. The module file from src
        # calls Join-Path as it loads, so Management is imported first.
        $probe = Join-Path $TestDrive 'probe.ps1'
        Set-Content -LiteralPath $probe -Value @(
            'param($Runner)'
            'Import-Module -Name Microsoft.PowerShell.Management'
            '$PSModuleAutoloadingPreference = ''None'''
            'Import-Module -Name $Runner'
            '& (Get-Module ExoConnectRunner) { Add-SafeCommand -Name ''Microsoft.PowerShell.Host\Start-Transcript''; $SafeCommands[''Start-Transcript''].Module.Path; $SafeCommands[''ConvertTo-Json''].Module.Path }'
            '(Get-Module -Name Microsoft.PowerShell.Host).Path'
            '(Get-Module -Name Microsoft.PowerShell.Utility).Path'
        )
        . (Join-Path $PSScriptRoot '../../../../test/ps/TestPwsh.ps1')
        $pwsh = Get-TestPwsh
        $seen = & $pwsh -NoProfile -NonInteractive -File $probe -Runner (Join-Path $PSScriptRoot '../ExoConnectRunner.psd1') 2>&1
        $LASTEXITCODE | Should -Be 0
        $hostModule = Join-Path $PSHOME 'Modules/Microsoft.PowerShell.Host/Microsoft.PowerShell.Host.psd1'
        $utility = Join-Path $PSHOME 'Modules/Microsoft.PowerShell.Utility/Microsoft.PowerShell.Utility.psd1'
        $seen | Should -Be @($hostModule, $utility, $hostModule, $utility)
    }

    It 'refuses a name without its module, and a cmdlet this PowerShell does not have, in its own words' {
        InModuleScope ExoConnectRunner {
            { Add-SafeCommand -Name 'Get-Date' } | Should -Throw -ExpectedMessage 'Add-SafeCommand takes module-qualified names (Module\Command), not Get-Date.'
            { Add-SafeCommand -Name 'Microsoft.PowerShell.Utility\Get-NoSuchThing' } | Should -Throw -ExpectedMessage 'The runner needs Microsoft.PowerShell.Utility\Get-NoSuchThing, and this PowerShell does not have it.'
            $SafeCommands.ContainsKey('Get-NoSuchThing') | Should -BeFalse
        }
    }
}

Describe 'Register-ExchangeCommand' {
    It 'takes the Exchange commands from the imported module, not from a look-up by name' {
        $module = Import-Module -Name $Sandbox -PassThru -Force -DisableNameChecking
        InModuleScope ExoConnectRunner -Parameters @{ Module = $module } {
            param($Module)
            function global:Disconnect-ExchangeOnline { 'a look-alike' }
            try {
                Register-ExchangeCommand -Module $Module
                $SafeCommands['Disconnect-ExchangeOnline'].Module.Path | Should -Be $Module.Path
                (Get-SafeCommand -Name 'Get-ConnectionInformation').Module.Path | Should -Be $Module.Path
            } finally {
                Remove-Item -Path function:Disconnect-ExchangeOnline
            }
        }
    }

    It 'keeps what the module had when a script replaces the function inside the module''s own scope' {
        $module = Import-Module -Name $Sandbox -PassThru -Force -DisableNameChecking
        InModuleScope ExoConnectRunner -Parameters @{ Module = $module } {
            param($Module)
            Register-ExchangeCommand -Module $Module
            # As a hostile script can: the module's scope is reachable with & (Get-Module ...) { }.
            & $Module { Set-Item function:Disconnect-ExchangeOnline { 'a forgery' } }
            $Module.ExportedCommands['Disconnect-ExchangeOnline'].ScriptBlock.ToString().Trim() | Should -Be "'a forgery'"
            # What the teardown's call would run.
            $kept = Get-SafeCommand -Name 'Disconnect-ExchangeOnline'
            if ($kept -is [System.Management.Automation.FunctionInfo]) { $kept = $kept.ScriptBlock }
            $kept.ToString() | Should -Match 'SupportsShouldProcess'
            $kept.Module.Path | Should -Be $Module.Path
        }
    }
}

Describe 'Get-SafeCommand' {
    It 'says which command is missing instead of invoking nothing' {
        InModuleScope ExoConnectRunner {
            { Get-SafeCommand -Name 'Connect-Nowhere' } | Should -Throw '*Connect-Nowhere is not available*'
        }
    }
}

Describe 'Use-TestDouble' {
    It 'replaces only the commands the test module exports' {
        $module = Import-Module -Name $Sandbox -PassThru -Force -DisableNameChecking
        InModuleScope ExoConnectRunner -Parameters @{ Module = $module } {
            param($Module)
            $saved = $SafeCommands.Clone()
            try {
                Use-TestDouble -Module $Module
                $SafeCommands['New-PSSession'].Module.Path | Should -Be $Module.Path
                $SafeCommands['Remove-PSSession'].Module.Path | Should -Be $Module.Path
                $SafeCommands['ConvertTo-Json'].Source | Should -Be 'Microsoft.PowerShell.Utility'
            } finally {
                $script:SafeCommands = $saved
            }
        }
    }
}

Describe 'Compiling ahead' {
    BeforeAll {
        # PowerShell's internal state of a script block, read as the compile ahead writes it
        # (Native/CompileAhead.cs): its compile data, and whether that is compiled to run in a
        # scope of its own.
        $script:DataOf = {
            param([scriptblock] $Block)
            [scriptblock].GetField('_scriptBlockData', [System.Reflection.BindingFlags]'Instance, NonPublic').GetValue($Block)
        }
        $script:IsCompiled = {
            param([scriptblock] $Block)
            $data = & $script:DataOf $Block
            $data.GetType().GetField('_compiledOptimized', [System.Reflection.BindingFlags]'Instance, NonPublic').GetValue($data)
        }
    }

    It 'names only functions of the files the shipped module holds, each once' {
        # Not those of the files loaded when needed (RunnerFiles.ps1): the shipped module defines
        # them later, if at all, and the compile ahead would skip them.
        $psm1 = Join-Path $PSScriptRoot '../ExoConnectRunner.psm1'
        $sourced = @([System.Management.Automation.Language.Parser]::ParseFile($psm1, [ref]$null, [ref]$null).FindAll({
                    param($node)
                    $node -is [System.Management.Automation.Language.CommandAst] -and $node.InvocationOperator -eq 'Dot'
                }, $false) | ForEach-Object { $_.CommandElements[0].Extent.Text -replace '^.*''(.+)''.*$', '$1' })
        $sourced.Count | Should -BeGreaterThan 10
        $shipped = @(foreach ($file in $sourced) {
                $ast = [System.Management.Automation.Language.Parser]::ParseFile((Join-Path $PSScriptRoot "../$file"), [ref]$null, [ref]$null)
                foreach ($statement in $ast.EndBlock.Statements) {
                    if ($statement -is [System.Management.Automation.Language.FunctionDefinitionAst]) { $statement.Name }
                }
            })
        $shipped | Should -Contain 'Invoke-UserScript'
        $shipped | Should -Not -Contain 'Open-ResultFile'
        $names = InModuleScope ExoConnectRunner { $CompileAheadNames }
        $names.Count | Should -BeGreaterThan 30
        @($names | Select-Object -Unique).Count | Should -Be $names.Count
        @($names | Where-Object { $shipped -notcontains $_ }) | Should -BeNullOrEmpty
    }

    It 'has compiled every function it names once the module''s task ends' {
        InModuleScope ExoConnectRunner -Parameters @{ IsCompiled = $script:IsCompiled } {
            param($IsCompiled)
            $CompileAhead.Wait(30000) | Should -BeTrue
            $CompileAhead.IsFaulted | Should -BeFalse
            @($CompileAheadNames | Where-Object { -not (& $IsCompiled $Own[$_].ScriptBlock) }) | Should -BeNullOrEmpty
        }
    }

    It 'compiles the functions it names on another thread, and they run as before' {
        $module = New-Module -Name CompileAheadProbe -ScriptBlock {
            function Get-Doubled {
                param([int] $Value)
                $Value * 2
            }
            function Get-Tripled {
                param([int] $Value)
                $Value * 3
            }
            function Get-Left { 'not named' }
        }
        $own = @{}
        [ExoConnectRunner.Native.OwnFunctions]::Register($module.SessionState, $own)
        $own.Count | Should -Be 3
        & $script:IsCompiled $own['Get-Doubled'].ScriptBlock | Should -BeFalse

        # PowerShell compiles a script block under its lock: held here, it keeps a compile on
        # another thread waiting (this thread could enter it again).
        $lock = & $script:DataOf $own['Get-Doubled'].ScriptBlock
        [System.Threading.Monitor]::Enter($lock)
        try {
            $task = [ExoConnectRunner.Native.CompileAhead]::Start($own, [string[]]@('Get-Doubled', 'No-SuchFunction', 'Get-Tripled'))
            $task.Wait(300) | Should -BeFalse
        } finally {
            [System.Threading.Monitor]::Exit($lock)
        }

        $task.Wait(30000) | Should -BeTrue
        $task.IsFaulted | Should -BeFalse
        & $script:IsCompiled $own['Get-Doubled'].ScriptBlock | Should -BeTrue
        & $script:IsCompiled $own['Get-Tripled'].ScriptBlock | Should -BeTrue
        & $script:IsCompiled $own['Get-Left'].ScriptBlock | Should -BeFalse
        & $own['Get-Doubled'] -Value 21 | Should -Be 42
        & $own['Get-Tripled'] 5 | Should -Be 15
    }

    It 'makes the removal of styles from formatted output ready, so that the first table compiles nothing' {
        # In a fresh PowerShell of its own: this one has formatted output already. The count is of
        # the methods compiled to machine code on the probe's thread while it makes a styled text
        # plain, as Out-String does for a table's header; its first call binds the call site.
        $probe = Join-Path $TestDrive 'style-probe.ps1'
        Set-Content -LiteralPath $probe -Value @(
            'param([string] $Library, [switch] $Ahead)'
            '[void][System.Reflection.Assembly]::LoadFrom($Library)'
            'if ($Ahead -and -not [ExoConnectRunner.Native.CompileAhead]::Start(@{}, [string[]]@()).Wait(30000)) { throw ''The task did not end.'' }'
            'foreach ($text in ''Name'', "$([char]27)[1mName$([char]27)[0m") {'
            '    $before = [System.Runtime.JitInfo]::GetCompiledMethodCount($true)'
            '    $plain = [System.Management.Automation.Host.PSHostUserInterface]::GetOutputString($text, $false)'
            '    $compiled = [System.Runtime.JitInfo]::GetCompiledMethodCount($true) - $before'
            '}'
            '$plain'
            '$compiled'
        )
        . (Join-Path $PSScriptRoot '../../../../test/ps/TestPwsh.ps1')
        $pwsh = Get-TestPwsh
        $library = [ExoConnectRunner.Native.CompileAhead].Assembly.Location
        $cold = @(& $pwsh -NoProfile -NonInteractive -File $probe -Library $library 2>&1)
        $LASTEXITCODE | Should -Be 0
        $ahead = @(& $pwsh -NoProfile -NonInteractive -File $probe -Library $library -Ahead 2>&1)
        $LASTEXITCODE | Should -Be 0
        $cold[0] | Should -BeExactly 'Name'
        $ahead[0] | Should -BeExactly 'Name'
        # Its regular expression and the code that runs it: 17 methods with PowerShell 7.6.9.
        [int]$cold[1] | Should -BeGreaterThan 9
        [int]$ahead[1] | Should -BeLessThan 3
    }

    It 'refuses no list and no functions' {
        { [ExoConnectRunner.Native.CompileAhead]::Start($null, [string[]]@()) } | Should -Throw '*own*'
        { [ExoConnectRunner.Native.CompileAhead]::Start(@{}, $null) } | Should -Throw '*names*'
    }
}
