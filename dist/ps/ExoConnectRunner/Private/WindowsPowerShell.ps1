# What Windows PowerShell 5.1 needs before it can save a module from PSGallery. Out of the box it
# has PowerShellGet 1.0.0.1, no NuGet provider (PowerShellGet would ask to install one, and a
# non-interactive run cannot answer), and .NET Framework's default TLS, which PSGallery refuses:
# it accepts TLS 1.2 only. PowerShell 7 has none of these gaps.

$script:MinimumPowerShellGet = [version]'2.0.0'
$script:MinimumNuGetProvider = [version]'2.8.5.201'

function script:Initialize-WindowsPowerShellGet {
    # TLS 1.2 for either installer (PSResourceGet can be installed on 5.1 too); the rest for PowerShellGet.
    param([string] $Installer = 'PowerShellGet', [string] $Edition = $PSVersionTable.PSEdition)
    if ($Edition -ne 'Desktop') { return }
    [System.Net.ServicePointManager]::SecurityProtocol = [System.Net.ServicePointManager]::SecurityProtocol -bor [System.Net.SecurityProtocolType]::Tls12
    if ($Installer -ne 'PowerShellGet') { return }
    $newest = @(& $SafeCommands['Get-Module'] -ListAvailable -Name PowerShellGet | & $SafeCommands['Sort-Object'] -Property Version -Descending)
    if ($newest.Count -eq 0 -or $newest[0].Version -lt $script:MinimumPowerShellGet) {
        $found = 'no PowerShellGet'
        if ($newest.Count -gt 0) { $found = "PowerShellGet $($newest[0].Version)" }
        throw "Windows PowerShell 5.1 on this runner has $found; saving ExchangeOnlineManagement needs PowerShellGet $($script:MinimumPowerShellGet) or later."
    }
    # Load that one, before Save-Module would auto-load the 1.0.0.1 that ships with Windows.
    [void](& $SafeCommands['Import-Module'] -Name $newest[0].Path -MinimumVersion $script:MinimumPowerShellGet -Global -PassThru)
    $nuget = @(PackageManagement\Get-PackageProvider -ListAvailable -ErrorAction SilentlyContinue | & $SafeCommands['Where-Object'] { $_.Name -eq 'NuGet' -and $_.Version -ge $script:MinimumNuGetProvider })
    if ($nuget.Count -eq 0) {
        [void](PackageManagement\Install-PackageProvider -Name NuGet -MinimumVersion $script:MinimumNuGetProvider -Scope CurrentUser -Force)
    }
}
