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
