# The module's files that a typical run never needs: saving the Exchange module, Exchange Server's
# session, result-file, the what-if plan and the binder check of `parameters`. The shipped module leaves them out of its .psm1, so
# that PowerShell does not parse them at every run (script/build.mjs ships them beside it), and
# Import-RunnerFile loads one the first time a run needs it. The user's script can write to the
# action's files, so whatever it wrote must never become the runner's code: a file is loaded only
# before the script starts (Invoke-UserScript sets ScriptStarted), and a file that the teardown or
# a stop could need is loaded by then.

# Set by ExoConnectRunner.psm1: its folder, whatever the current location.
$script:ModuleRoot = $null
$script:LoadedFiles = [System.Collections.Generic.HashSet[string]]::new([System.StringComparer]::Ordinal)
$script:ScriptStarted = $false

function Import-RunnerFile {
    # Path: relative to the module's folder ('Private/Plan.ps1'). Its functions are script: ones, so
    # that they land in the module's scope although the file is dot-sourced in this function's; its
    # variables are script: ones too.
    param([Parameter(Mandatory)][string] $Path)
    if ($script:LoadedFiles.Contains($Path)) { return }
    if ($script:ScriptStarted) { throw "The runner would load $Path after the user's script started; it loads its files only before." }
    $errors = $null
    $file = [System.IO.Path]::Combine($script:ModuleRoot, $Path)
    $ast = [System.Management.Automation.Language.Parser]::ParseFile($file, [ref]$null, [ref]$errors)
    if ($errors.Count -gt 0) { throw "The runner's file $file does not parse: line $($errors[0].Extent.StartLineNumber): $($errors[0].Message)" }
    # In a scope of its own below this function's: in the module's session state, so strict mode,
    # the preferences and SafeCommands hold, and a variable of the file's cannot overwrite one of these.
    & { . $args[0] } $ast.GetScriptBlock()
    [void]$script:LoadedFiles.Add($Path)
    # Its functions in $script:Own as well, for the calls after the script.
    Register-OwnFunction -Function @(foreach ($statement in $ast.EndBlock.Statements) {
            if ($statement -is [System.Management.Automation.Language.FunctionDefinitionAst]) {
                $ExecutionContext.InvokeCommand.GetCommand(($statement.Name -replace '^script:', ''), [System.Management.Automation.CommandTypes]::Function)
            }
        })
}

function Register-OwnFunction {
    # The runner's own functions, as the module's command objects, into $script:Own by name: the
    # calls made once the user's script has run go through these (see ExoConnectRunner.psm1).
    # Called as the module loads (its functions) and by Import-RunnerFile (a file's).
    param([Parameter(Mandatory)][AllowEmptyCollection()][System.Management.Automation.FunctionInfo[]] $Function)
    foreach ($each in $Function) { $script:Own[$each.Name] = $each }
}
