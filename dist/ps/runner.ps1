<#
  exo-connect-action runner: the entry script that the action starts.

  A static script: its whole configuration arrives as JSON on stdin, framed by its
  length, secrets included, so no value ever appears in argv or in PowerShell source text.
  It imports the module, connects, runs the user's script in this same process,
  and disconnects in `finally`. Facts the action needs (phases, connection,
  errors, exit code) are appended as JSON lines to the events file; the script's
  pipeline output is written to the result file. Neither file holds a secret.

  The work is done by the ExoConnectRunner module beside this file, one file per concern.
  This scope defines nothing (no variable, no preference, no [CmdletBinding()]):
  the user's script runs in a child of it, through the launcher script block below, which belongs
  to the global session state as this file does. So the script sees what a plain `pwsh -File`
  would, and none of the module's functions or variables, without strict mode. The launcher keeps
  the script path and the parameters in automatic variables ($MyInvocation, $PSBoundParameters)
  that the script's own hide, and empties $args, which an advanced script does not have.
  Runs on PowerShell 7 and Windows PowerShell 5.1: no PS7-only syntax here.
#>
# The .psm1 itself, not the manifest: the manifest's processing costs tens of milliseconds at every
# run. As a dynamic module (New-Module), which PowerShell keeps out of the session's module table:
# the user's script does not see it in Get-Module (-All), and its `Get-Module | Remove-Module`
# cannot reach it. The file is parsed as a file, so the module's $PSScriptRoot and the positions in
# its errors are the file's. https://learn.microsoft.com/powershell/module/microsoft.powershell.core/new-module
# The action's PowerShell 7 has parsed the file already, while it started (Native/StartupHook.cs):
# its syntax tree is taken from where the hook left it, and the place emptied. Elsewhere the file
# is parsed here.
# No cmdlet before the module: its first would load its module by name (Add-SafeCommand says why not).
# -ErrorAction Stop: a module that fails as it loads ends the run with exit code 1, not 0 with nothing run.
exit (& (New-Module -Name ExoConnectRunner -ErrorAction Stop -ScriptBlock (& {
                param($Module)
                $key = 'ExoConnectRunner.ModuleParse:' + $Module
                $parse = [System.AppDomain]::CurrentDomain.GetData($key)
                if ($null -ne $parse) { [System.AppDomain]::CurrentDomain.SetData($key, $null) }
                if ($null -ne $parse -and $null -ne $parse.Result) { return $parse.Result.GetScriptBlock() }
                $errors = $null
                $parsed = [System.Management.Automation.Language.Parser]::ParseFile($Module, [ref]$null, [ref]$errors)
                # With the parser's errors, and as `throw`: a method's exception would end this statement only, and the run with exit code 0.
                if ($errors.Count -gt 0) { throw [System.Management.Automation.ParseException]::new($errors) }
                $parsed.GetScriptBlock()
            } ([System.IO.Path]::Combine($PSScriptRoot, 'ExoConnectRunner', 'ExoConnectRunner.psm1')))) {
        param($Launcher)
        Start-ExoConnectRunner -Launcher $Launcher
    } {
        [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSAvoidAssignmentToAutomaticVariable', '', Justification = 'The launcher keeps what it needs in automatic variables that every script has its own of ($PSBoundParameters, $MyInvocation), so that none shows through to the script; an advanced script has no $args of its own, so this one is emptied.')]
        param()
        Set-StrictMode -Off
        $PSBoundParameters = $args[1]
        $MyInvocation = $args
        $args = $null
        & $MyInvocation[0] @PSBoundParameters
        # $? is false after a script that ended with exit N, N not 0 (Invoke-UserScript).
        $MyInvocation[2]['Failed'] = -not $?
    })
