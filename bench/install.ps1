<#
  One step of the module-install figures, in a fresh PowerShell as the runner is:
  -Installer PSResourceGet|PowerShellGet saves the module from -Feed into -Target with the runner's
  own Save-ExchangeModule (its module-saved event says how long the installer took);
  -Import imports the copy in -Target with the runner's own Import-ExchangeModule and writes how
  long that took to BENCH_TOOK.
#>
param(
    [Parameter(Mandatory)][string] $Runner,
    [Parameter(Mandatory)][string] $Target,
    [Parameter(Mandatory)][string] $Events,
    [string] $Feed,
    [string] $Installer,
    [switch] $Import
)
$ErrorActionPreference = 'Stop'
$runnerModule = Import-Module -Name $Runner -PassThru
$module = [pscustomobject]@{ name = 'ExchangeOnlineManagement'; version = '3.9.0'; repository = "file://$Feed"; path = $Target; testedVersion = '3.9.0' }
& $runnerModule {
    param($Module, $Events, $Installer, $Import)
    Set-EventsPath -Path $Events
    if ($Import) {
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        Import-ExchangeModule -Module $Module
        [System.IO.File]::WriteAllText($env:BENCH_TOOK, [string]$clock.ElapsedMilliseconds)
    } else {
        # The shipped module loads its install code when a run first needs it, as Import-ListedModule does.
        Import-ModuleSaveFile
        Save-ExchangeModule -Module $Module -Installer $Installer
    }
} $module $Events $Installer $Import.IsPresent
