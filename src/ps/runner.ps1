<#
  exo-connect-action runner: the entry script that the action starts.

  A static script: its whole configuration arrives as ONE line of JSON on stdin,
  secrets included, so no value ever appears in argv or in PowerShell source text.
  It imports the module, connects, runs the user's script in this same process,
  and disconnects in `finally`. Facts the action needs (phases, connection,
  errors, exit code) are appended as JSON lines to the events file; the script's
  pipeline output is written to the result file. Neither file holds a secret.

  The work is done by the ExoConnectRunner module beside this file, one file per concern.
  Runs on PowerShell 7 and Windows PowerShell 5.1: no PS7-only syntax here.
#>
[CmdletBinding()]
param()
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

Import-Module -Name (Join-Path $PSScriptRoot 'ExoConnectRunner/ExoConnectRunner.psd1')
$config = Read-RunnerConfig
# The runner reads the log as UTF-8; a console without a code page of its own may refuse the change.
try { [Console]::OutputEncoding = New-Object System.Text.UTF8Encoding($false) } catch { Write-Verbose 'console output encoding unchanged' }

# The action's own tests load the sandbox here, so that its New-PSSession & co. shadow the cmdlets.
if ($env:EXO_CONNECT_ACTION_TEST_PRELOAD) {
    Use-TestDouble -Module (Import-Module -Name $env:EXO_CONNECT_ACTION_TEST_PRELOAD -Global -DisableNameChecking -PassThru)
}

exit (Invoke-ExoConnectRunner -Config $config)
