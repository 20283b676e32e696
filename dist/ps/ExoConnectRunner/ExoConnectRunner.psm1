<#
  The runner's own code as a script module: one file per concern, dot-sourced here.

  It exports nothing: exported functions would be visible to the user's script. runner.ps1 calls
  Start-ExoConnectRunner inside the module (`& $module { ... }`).

  Strict mode, 'Stop' and the preferences below hold for this module's scopes only, and so does
  the empty $PSDefaultParameterValues: the runner's own calls never take defaults the user's script
  set globally. A module's scopes descend from the global scope, not from the caller's, and the
  user's script runs in the global session state (see Invoke-UserScript), as under a plain
  `pwsh -File`. Runs on PowerShell 7 and Windows PowerShell 5.1: no PS7-only syntax here.
#>
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$WhatIfPreference = $false
$ConfirmPreference = 'High'
$VerbosePreference = 'SilentlyContinue'
$DebugPreference = 'SilentlyContinue'
$WarningPreference = 'Continue'
$InformationPreference = 'SilentlyContinue'
$PSDefaultParameterValues = @{}

# SafeCommands first: every other file calls the runner's commands through it.
. (Join-Path $PSScriptRoot 'Private/SafeCommands.ps1')
foreach ($file in @(
        'Json', 'Config', 'LogText', 'Events', 'Phases', 'ModuleProvisioning', 'CommandNames', 'Connect', 'ServerSession',
        'ResultFile', 'ResultOutput', 'Plan', 'ScriptParameters', 'UserScript', 'Teardown'
    )) {
    . (Join-Path $PSScriptRoot "Private/$file.ps1")
}
. (Join-Path $PSScriptRoot 'Public/Invoke-ExoConnectRunner.ps1')
Remove-Variable -Name file

Export-ModuleMember -Function @()
