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
                Remove-Item -Path function:global:Write-Warning
            }
        }
    }
}

Describe 'The runner''s own code' {
    It 'calls no command by a name the user''s script could define: in its functions only its own functions, module-qualified names or command objects' {
        $files = @(Get-ChildItem -LiteralPath (Join-Path $PSScriptRoot '..') -Recurse -Include '*.ps1', '*.psm1' | Where-Object Name -NotLike '*.Tests.ps1')
        $asts = @($files | ForEach-Object { [System.Management.Automation.Language.Parser]::ParseFile($_.FullName, [ref]$null, [ref]$null) })
        $functions = @($asts | ForEach-Object { $_.FindAll({ param($node) $node -is [System.Management.Automation.Language.FunctionDefinitionAst] }, $true) })
        # The files loaded when needed define theirs as script: ones (RunnerFiles.ps1).
        $own = @($functions | ForEach-Object { $_.Name -replace '^script:', '' })
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

    It 'calls its own functions through $Own, never by name, from every function that runs once the user''s script has started' {
        # An alias the script defined globally comes before a function in the command lookup, also
        # inside a module (about_Command_Precedence). What runs then: every function called through
        # $Own, and the stages of the script's own pipeline. The e2e case with an alias for each of
        # the runner's functions covers the functions that run both before and after the script.
        $files = @(Get-ChildItem -LiteralPath (Join-Path $PSScriptRoot '..') -Recurse -Include '*.ps1', '*.psm1' | Where-Object Name -NotLike '*.Tests.ps1')
        $asts = @($files | ForEach-Object { [System.Management.Automation.Language.Parser]::ParseFile($_.FullName, [ref]$null, [ref]$null) })
        $functions = @($asts | ForEach-Object { $_.FindAll({ param($node) $node -is [System.Management.Automation.Language.FunctionDefinitionAst] }, $true) })
        $own = @($functions | ForEach-Object { $_.Name -replace '^script:', '' })
        $throughOwn = @($asts | ForEach-Object {
                $_.FindAll({ param($node) $node -is [System.Management.Automation.Language.IndexExpressionAst] -and "$($node.Target)" -eq '$Own' -and $node.Index -is [System.Management.Automation.Language.StringConstantExpressionAst] }, $true)
            } | ForEach-Object { $_.Index.Value } | Sort-Object -Unique)
        $later = @($throughOwn) + @('Out-Default', 'Write-LogLine', 'Write-CsvRow', 'Write-JsonValue')
        $byName = foreach ($function in $functions | Where-Object { $later -contains ($_.Name -replace '^script:', '') }) {
            foreach ($command in $function.Body.FindAll({ param($node) $node -is [System.Management.Automation.Language.CommandAst] }, $true)) {
                $name = $command.GetCommandName()
                if ($own -contains $name) { '{0}:{1} {2} calls {3}' -f [System.IO.Path]::GetFileName($command.Extent.File), $command.Extent.StartLineNumber, $function.Name, $name }
            }
        }
        $throughOwn | Should -Contain 'Submit-ResultBatch'
        $throughOwn | Should -Contain 'Invoke-Teardown'
        $throughOwn.Count | Should -BeGreaterThan 30
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
                Remove-Item -Path function:global:Disconnect-ExchangeOnline
            }
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
