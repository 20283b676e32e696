<#
  The runner's own code as a script module: one file per concern, dot-sourced here.

  Strict mode and 'Stop' hold for this module's scopes only. A module's scopes descend from the
  global scope, not from the caller's, and the user's script is started from a scope that turns
  strict mode off again (see Invoke-UserScript), so it runs as under a plain `pwsh -File`.
  Runs on PowerShell 7 and Windows PowerShell 5.1: no PS7-only syntax here.
#>
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

# SafeCommands first: every other file calls the runner's commands through it.
. (Join-Path $PSScriptRoot 'Private/SafeCommands.ps1')
foreach ($file in @(
        'Config', 'LogText', 'Events', 'Phases', 'ModuleProvisioning', 'CommandNames', 'Connect', 'ServerSession',
        'ResultFile', 'ResultOutput', 'Plan', 'UserScript', 'Teardown'
    )) {
    . (Join-Path $PSScriptRoot "Private/$file.ps1")
}
. (Join-Path $PSScriptRoot 'Public/Invoke-ExoConnectRunner.ps1')
Remove-Variable -Name file

Export-ModuleMember -Function @('Read-RunnerConfig', 'Use-TestDouble', 'Invoke-ExoConnectRunner')
