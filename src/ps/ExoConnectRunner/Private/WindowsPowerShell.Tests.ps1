# Windows PowerShell 5.1's gaps before a save, checked with stand-ins for the module listing and
# PackageManagement: the real ones would reach the gallery or change this machine.
BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot '../ExoConnectRunner.psd1') -Force
    function Invoke-Initialize {
        param([string] $Edition, [string[]] $PowerShellGet, [string[]] $NuGet, [string] $Installer = 'PowerShellGet')
        InModuleScope ExoConnectRunner -Parameters @{ Edition = $Edition; Versions = $PowerShellGet; NuGet = $NuGet; Installer = $Installer } {
            param($Edition, $Versions, $NuGet, $Installer)
            $script:Imported = @()
            $saved = @{ 'Get-Module' = $SafeCommands['Get-Module']; 'Import-Module' = $SafeCommands['Import-Module'] }
            $SafeCommands['Get-Module'] = { foreach ($v in $Versions) { [pscustomobject]@{ Name = 'PowerShellGet'; Version = [version]$v; Path = "/modules/PowerShellGet/$v/PowerShellGet.psd1" } } }.GetNewClosure()
            $SafeCommands['Import-Module'] = {
                param($Name, $MinimumVersion, [switch] $Global, [switch] $PassThru)
                $script:Imported += $Name
            }
            Mock -ModuleName ExoConnectRunner -CommandName Get-PackageProvider { foreach ($v in $NuGet) { [pscustomobject]@{ Name = 'NuGet'; Version = [version]$v } } }.GetNewClosure()
            Mock -ModuleName ExoConnectRunner -CommandName Install-PackageProvider { $null }
            try {
                Initialize-WindowsPowerShellGet -Edition $Edition -Installer $Installer
            } finally {
                foreach ($name in $saved.Keys) { $SafeCommands[$name] = $saved[$name] }
            }
        }
    }
}
AfterAll { Remove-Module -Name ExoConnectRunner -ErrorAction SilentlyContinue }

Describe 'Initialize-WindowsPowerShellGet' {
    BeforeEach { $script:Protocol = [System.Net.ServicePointManager]::SecurityProtocol }
    AfterEach { [System.Net.ServicePointManager]::SecurityProtocol = $script:Protocol }

    It 'PowerShell 7: nothing to do' {
        [System.Net.ServicePointManager]::SecurityProtocol = [System.Net.SecurityProtocolType]::SystemDefault
        Invoke-Initialize -Edition Core -PowerShellGet '1.0.0.1' -NuGet @()
        Should -Invoke -ModuleName ExoConnectRunner -CommandName Install-PackageProvider -Times 0 -Exactly
        [System.Net.ServicePointManager]::SecurityProtocol | Should -Be ([System.Net.SecurityProtocolType]::SystemDefault)
    }

    It 'stock 5.1 (PowerShellGet 1.0.0.1): TLS 1.2 on, and a failure that names what it found and what it needs' {
        { Invoke-Initialize -Edition Desktop -PowerShellGet '1.0.0.1' -NuGet @() } |
            Should -Throw 'Windows PowerShell 5.1 on this runner has PowerShellGet 1.0.0.1; saving ExchangeOnlineManagement needs PowerShellGet 2.0.0 or later.'
        ([System.Net.ServicePointManager]::SecurityProtocol -band [System.Net.SecurityProtocolType]::Tls12) | Should -Be ([System.Net.SecurityProtocolType]::Tls12)
        Should -Invoke -ModuleName ExoConnectRunner -CommandName Install-PackageProvider -Times 0 -Exactly
    }

    It 'PowerShellGet 2 without the NuGet provider: loads the newest PowerShellGet and installs the provider without a prompt' {
        Invoke-Initialize -Edition Desktop -PowerShellGet @('1.0.0.1', '2.2.5') -NuGet @('2.8.5.100')
        InModuleScope ExoConnectRunner { $script:Imported | Should -Be @('/modules/PowerShellGet/2.2.5/PowerShellGet.psd1') }
        Should -Invoke -ModuleName ExoConnectRunner -CommandName Install-PackageProvider -Times 1 -Exactly -ParameterFilter {
            $Name -eq 'NuGet' -and $MinimumVersion -eq '2.8.5.201' -and $Scope -eq 'CurrentUser' -and $Force
        }
    }

    It 'PSResourceGet installed on 5.1: TLS 1.2 only, PowerShellGet is neither checked nor loaded' {
        [System.Net.ServicePointManager]::SecurityProtocol = [System.Net.SecurityProtocolType]::Tls
        Invoke-Initialize -Edition Desktop -PowerShellGet '1.0.0.1' -NuGet @() -Installer PSResourceGet
        ([System.Net.ServicePointManager]::SecurityProtocol -band [System.Net.SecurityProtocolType]::Tls12) | Should -Be ([System.Net.SecurityProtocolType]::Tls12)
        InModuleScope ExoConnectRunner { $script:Imported | Should -BeNullOrEmpty }
        Should -Invoke -ModuleName ExoConnectRunner -CommandName Install-PackageProvider -Times 0 -Exactly
    }

    It 'with the NuGet provider in place, nothing is installed' {
        Invoke-Initialize -Edition Desktop -PowerShellGet @('2.2.5') -NuGet @('2.8.5.208')
        Should -Invoke -ModuleName ExoConnectRunner -CommandName Install-PackageProvider -Times 0 -Exactly
    }
}
