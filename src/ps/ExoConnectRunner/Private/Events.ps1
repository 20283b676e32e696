# Facts for the action, appended as JSON lines to the events file, and the facts of an error.
# The user's script runs as the same user and can reach that file, so each line starts with an
# HMAC-SHA256 of its JSON, made with a key that came for this run only, inside the configuration
# on stdin. The action ignores lines without a valid one (src/events.ts).

$script:Utf8NoBom = [System.Text.UTF8Encoding]::new($false)
$script:EventsPath = $null
# Native/EventWriter.cs: the open file and, with a key, the HMAC that signs each line.
$script:EventWriter = $null
# Error texts in the events are cut beyond this; a line stays far below what the action reads.
$script:EventTextLimit = 32000

function Set-EventsPath {
    # The file is opened once, before the script runs, and written through that handle: whatever
    # the script puts at the path later (a named pipe would block every write) is never written
    # through. The key lives on only inside the writer, which gives it back through nothing public.
    param([Parameter(Mandatory)][string] $Path, [AllowNull()][AllowEmptyString()][string] $Key)
    if ($null -ne $script:EventWriter) { $script:EventWriter.Dispose() }
    $script:EventWriter = $null
    $script:EventsPath = $Path
    try {
        $script:EventWriter = [ExoConnectRunner.Native.EventWriter]::new($Path, $Key)
    } catch {
        # A key that is not base64: the events are written unsigned (the action ignores them), so
        # that the error about it still reaches the events file's reader and the log.
        $script:EventWriter = [ExoConnectRunner.Native.EventWriter]::new($Path, $null)
        throw
    }
}

function Write-RunnerEvent {
    # The event's JSON from compiled code when its values are plain (EventWriter.TryWrite: text,
    # numbers, dates, lists and tables of them), as every event the runner writes today is; anything
    # else as ConvertTo-Json writes it. The cmdlet's first call in a run cost 12-25 ms. Static calls:
    # the teardown's events come after the script, whose type data could stand in for the writer's
    # members.
    param([Parameter(Mandatory)][hashtable] $Data)
    if (-not [ExoConnectRunner.Native.EventWriter]::TryAppend($script:EventWriter, $Data)) {
        [ExoConnectRunner.Native.EventWriter]::Append($script:EventWriter, (& $SafeCommands['ConvertTo-Json'] -InputObject $Data -Compress -Depth 5))
    }
}

function Write-RunFile {
    # A file of the run directory that is written after the script ran (result.json, plan.txt):
    # what is at the path is removed, and a new file made, so that nothing the script put there
    # (a named pipe would block the write) is written through. Returns the SHA-256 of what it
    # wrote, which the run's signed events carry: the action reads the file only if it still has
    # it. Compiled (Native/RunFile.cs): as script, its .NET calls' first runs cost every run milliseconds.
    param([Parameter(Mandatory)][string] $Path, [Parameter(Mandatory)][AllowEmptyString()][string] $Text)
    [ExoConnectRunner.Native.RunFile]::Write($Path, $Text)
}

function Get-ErrorFacts {
    # With -ScriptPath, the position is the user's line: an error raised inside a module function
    # (the module's proxies are functions) carries the module's position in InvocationInfo, and
    # the user's line only in the script stack trace.
    param([Parameter(Mandatory)] $Record, [string] $ScriptPath)
    $facts = @{
        message  = & $Own['Limit-Text'] -Text ([string]$Record.Exception.Message) -Length $script:EventTextLimit
        category = [string]$Record.CategoryInfo.Category
        # throw "text" makes the text its id: held secrets hidden, and cut as the message is, or a
        # long text would make the event longer than the action reads (its line would be dropped).
        errorId  = & $Own['Limit-Text'] -Text ([string]$Record.FullyQualifiedErrorId) -Length $script:EventTextLimit
        type     = $Record.Exception.GetType().FullName
    }
    # A command "not recognized" that this session has was called where the connection's cmdlets
    # are not: ForEach-Object -Parallel, Start-ThreadJob and Start-Job run blocks in runspaces (or
    # processes) of their own. A job's record comes back as a RemoteException with the same id.
    # Only what is loaded is looked at: a look-up by name would import a module to find the name.
    $name = [string]$Record.CategoryInfo.TargetName
    if ($facts['errorId'] -like 'CommandNotFoundException*' -and $name -and -not [System.Management.Automation.WildcardPattern]::ContainsWildcardCharacters($name)) {
        $items = $ExecutionContext.SessionState.InvokeProvider.Item
        $found = $items.Exists("function:$name", $false, $true) -or $items.Exists("alias:$name", $false, $true)
        if (-not $found) { foreach ($module in & $SafeCommands['Get-Module']) { if ($module.ExportedCmdlets.ContainsKey($name)) { $found = $true; break } } }
        $facts['commandInSession'] = $found
    }
    $info = $Record.InvocationInfo
    if ($null -ne $info -and $info.ScriptName) {
        $facts['file'] = $info.ScriptName
        $facts['line'] = $info.ScriptLineNumber
    }
    if ($ScriptPath -and $facts['file'] -ne $ScriptPath) {
        foreach ($frame in ([string]$Record.ScriptStackTrace -split "`n")) {
            $at = $frame.LastIndexOf(': line ', [System.StringComparison]::Ordinal)
            if ($at -gt 0 -and $frame.Substring(0, $at).EndsWith($ScriptPath, [System.StringComparison]::Ordinal)) {
                # Where it was raised stays known: another script of the user's, which the action
                # annotates when it is in the workspace, or a module's file, which it does not.
                if ($facts.ContainsKey('file')) {
                    $facts['originFile'] = $facts['file']
                    $facts['originLine'] = $facts['line']
                }
                $facts['file'] = $ScriptPath
                $facts['line'] = [int]$frame.Substring($at + 7).Trim()
                break
            }
        }
    }
    # Write-Error in a script function: InvocationInfo is the function's call, and the line that
    # wrote the error (a helper the script dot-sources, say) is the stack's first frame.
    if ($Record.FullyQualifiedErrorId -like 'Microsoft.PowerShell.Commands.WriteErrorException*' -and -not $facts.ContainsKey('originFile')) {
        $first = ([string]$Record.ScriptStackTrace -split "`n")[0]
        $at = $first.LastIndexOf(': line ', [System.StringComparison]::Ordinal)
        $comma = $first.IndexOf(', ', [System.StringComparison]::Ordinal)
        if ($at -gt 0 -and $comma -gt 0 -and $comma -lt $at) {
            $file = $first.Substring($comma + 2, $at - $comma - 2)
            $line = 0
            # A script block made from text (Invoke-Expression) has no file: "<No file>".
            if ([System.IO.Path]::IsPathRooted($file) -and $file -ne $facts['file'] -and [int]::TryParse($first.Substring($at + 7).Trim(), [ref]$line)) {
                $facts['originFile'] = $file
                $facts['originLine'] = $line
            }
        }
    }
    # A refusal that names a line of the user's script (it does not parse; ScriptParameters.ps1).
    if ($Record.Exception.Data.Contains('scriptLine')) {
        $facts['file'] = [string]$Record.Exception.Data['scriptFile']
        $facts['line'] = [int]$Record.Exception.Data['scriptLine']
    }
    $facts
}
