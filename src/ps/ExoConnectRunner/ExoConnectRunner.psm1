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
# The runner's own functions as command objects: filled at the end (see there) and by Import-RunnerFile.
$script:Own = @{}

# The runner's mechanical parts, compiled from Native/ (reading and checking the configuration,
# signed events and the run's files, the log text and its held secrets, the stop watcher's wait on
# stdin and its nested pipelines, the exit code a script asked for, the teardown's global variables,
# hooks, location and counts):
# as PowerShell script, their first calls cost each run
# tens of milliseconds of compiling. Loaded by path, as Add-Type -Path would, without loading
# Add-Type's module first.
# Once per process: the Pester tests import this module again and again.
if ($null -eq ('ExoConnectRunner.Native.EventWriter' -as [type])) {
    [void][System.Reflection.Assembly]::LoadFrom([System.IO.Path]::Combine($PSScriptRoot, 'bin', 'ExoConnectRunner.Native.dll'))
}

#region source files
# One concern a file, SafeCommands first: every other file calls the runner's commands through it.
# script/build.mjs inlines these files, in this order, into the module it ships in dist/ps: one
# file loads faster than eighteen at every run.
. (Join-Path $PSScriptRoot 'Private/SafeCommands.ps1')
. (Join-Path $PSScriptRoot 'Private/RunnerFiles.ps1')
. (Join-Path $PSScriptRoot 'Private/Json.ps1')
. (Join-Path $PSScriptRoot 'Private/Config.ps1')
. (Join-Path $PSScriptRoot 'Private/LogText.ps1')
. (Join-Path $PSScriptRoot 'Private/Events.ps1')
. (Join-Path $PSScriptRoot 'Private/Phases.ps1')
. (Join-Path $PSScriptRoot 'Private/ModuleProvisioning.ps1')
. (Join-Path $PSScriptRoot 'Private/CommandNames.ps1')
. (Join-Path $PSScriptRoot 'Private/Connect.ps1')
. (Join-Path $PSScriptRoot 'Private/ResultOutput.ps1')
. (Join-Path $PSScriptRoot 'Private/PortableJson.ps1')
. (Join-Path $PSScriptRoot 'Private/ScriptParameters.ps1')
. (Join-Path $PSScriptRoot 'Private/UserScript.ps1')
. (Join-Path $PSScriptRoot 'Private/Teardown.ps1')
. (Join-Path $PSScriptRoot 'Private/ChildProcesses.ps1')
. (Join-Path $PSScriptRoot 'Private/Stop.ps1')
. (Join-Path $PSScriptRoot 'Public/Invoke-ExoConnectRunner.ps1')
#endregion
$script:ModuleRoot = $PSScriptRoot

#region source files loaded when needed
# What a typical run never calls (RunnerFiles.ps1). script/build.mjs leaves this region out of the
# module it ships, and ships these files beside it: Import-RunnerFile loads each there when a run
# first needs it. From the source files (the Pester tests), all load here.
Import-RunnerFile -Path 'Private/WindowsPowerShell.ps1'
Import-RunnerFile -Path 'Private/ConcurrentSave.ps1'
Import-RunnerFile -Path 'Private/FeedRegistration.ps1'
Import-RunnerFile -Path 'Private/ModuleSave.ps1'
Import-RunnerFile -Path 'Private/ServerSession.ps1'
Import-RunnerFile -Path 'Private/ResultFile.ps1'
Import-RunnerFile -Path 'Private/Plan.ps1'
Import-RunnerFile -Path 'Private/ScriptBinding.ps1'
#endregion

# The runner's own functions as command objects, for the calls made once the user's script has
# run (the teardown above all): an alias takes precedence over a function in PowerShell's command
# lookup, so an alias the script defined globally, even a constant one, would otherwise take a
# call by name over. https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_command_precedence
# Compiled (Native/OwnFunctions.cs): as script, the loop over every function cost each run milliseconds.
[ExoConnectRunner.Native.OwnFunctions]::Register($ExecutionContext.SessionState, $script:Own)

# The functions a typical run calls, in the order it first calls them, from what Start-ExoConnectRunner
# calls on (Start-ExoConnectRunner compiles at once, on this thread). Compiled ahead on another
# thread while the run goes on (Native/CompileAhead.cs): compiled at their first calls, they cost each
# run over 100 ms. Speed only: a function missing here compiles at its first call, as always.
# Compiled with no runspace on that thread, these resolve type names against System alone: none may
# rely on `using`, a class, or a script block in an attribute's arguments.
$script:CompileAheadNames = [string[]]@(
    'Start-StopWatcher', 'Invoke-ExoConnectRunner', 'Invoke-Stoppable', 'Read-ScriptSource',
    'Read-ScriptParameter', 'Measure-Phase', 'Write-RunnerEvent', 'Write-RunnerLog',
    'Import-ExchangeModule', 'Import-PinnedModule', 'Get-ConfigValue', 'Get-ModuleOrigin',
    'ConvertTo-LogLine', 'Resolve-CommandName', 'Get-ConnectTitle', 'Connect-Workloads',
    'Connect-Exchange', 'New-ConnectParameter', 'Get-SafeCommand', 'Invoke-WithRetry',
    'Set-Connected', 'Get-NewConnection', 'Wait-ChildInput', 'Clear-HeldSecret',
    'Invoke-UserScript', 'New-ResultCollector', 'Get-ScopeCommand', 'Invoke-Isolated',
    'Join-VersionLabel', 'Remove-ScriptEventSubscription',
    'Clear-EngineHook', 'Set-GlobalVariable', 'Write-RunFile', 'Complete-Stop', 'Invoke-Teardown',
    'Invoke-WithDefaultGlobalState', 'Disconnect-Exchange', 'Remove-LeftPSSession'
)
$script:CompileAhead = [ExoConnectRunner.Native.CompileAhead]::Start($script:Own, $script:CompileAheadNames)

Export-ModuleMember -Function @()
