# Facts for the action, appended as JSON lines to the events file, and the facts of an error.
# The user's script runs as the same user and can reach that file, so each line starts with an
# HMAC-SHA256 of its JSON, made with a key that came for this run only, inside the configuration
# on stdin. The action ignores lines without a valid one (src/events.ts).

$script:Utf8NoBom = [System.Text.UTF8Encoding]::new($false)
$script:EventsPath = $null
$script:EventsStream = $null
$script:SignEvent = $null
# Error texts in the events are cut beyond this; a line stays far below what the action reads.
$script:EventTextLimit = 32000

function Set-EventsPath {
    param([Parameter(Mandatory)][string] $Path, [AllowNull()][AllowEmptyString()][string] $Key)
    if ($null -ne $script:EventsStream) { $script:EventsStream.Dispose() }
    $script:EventsPath = $Path
    # Opened once, before the script runs, and written through this handle: whatever the script
    # puts at the path later (a named pipe would block every write) is never written through.
    $script:EventsStream = [System.IO.FileStream]::new($Path, [System.IO.FileMode]::Append, [System.IO.FileAccess]::Write, ([System.IO.FileShare]'ReadWrite, Delete'))
    $script:SignEvent = $null
    if ($Key) { $script:SignEvent = New-EventSigner -Key $Key }
}

function New-EventSigner {
    # The key lives on only inside this closure: in no variable of the runner, and none the user's
    # script can reach. The closure calls no command by name, so no function the script defines
    # can stand in for one.
    param([Parameter(Mandatory)][string] $Key)
    $hmac = [System.Security.Cryptography.HMACSHA256]::new([Convert]::FromBase64String($Key))
    $Key = $null
    {
        param([string] $Json)
        [BitConverter]::ToString($hmac.ComputeHash([System.Text.Encoding]::UTF8.GetBytes($Json))).Replace('-', '').ToLowerInvariant()
    }.GetNewClosure()
}

function Write-RunnerEvent {
    param([Parameter(Mandatory)][hashtable] $Data)
    $Data['at'] = [DateTime]::UtcNow.ToString('o')
    $json = & $SafeCommands['ConvertTo-Json'] -InputObject $Data -Compress -Depth 5
    $line = $json
    if ($null -ne $script:SignEvent) { $line = (& $script:SignEvent $json) + ' ' + $json }
    $bytes = $script:Utf8NoBom.GetBytes($line + "`n")
    $script:EventsStream.Write($bytes, 0, $bytes.Length)
    $script:EventsStream.Flush()
}

function Write-RunFile {
    # A file of the run directory that is written after the script ran (result.json, plan.txt):
    # what is at the path is removed, and a new file made, so that nothing the script put there
    # (a named pipe would block the write) is written through.
    param([Parameter(Mandatory)][string] $Path, [Parameter(Mandatory)][AllowEmptyString()][string] $Text)
    # The script may have removed the run directory itself: the file is written all the same.
    [void][System.IO.Directory]::CreateDirectory([System.IO.Path]::GetDirectoryName($Path))
    [System.IO.File]::Delete($Path)
    $stream = [System.IO.FileStream]::new($Path, [System.IO.FileMode]::CreateNew, [System.IO.FileAccess]::Write, [System.IO.FileShare]::Read)
    try {
        $bytes = $script:Utf8NoBom.GetBytes($Text)
        $stream.Write($bytes, 0, $bytes.Length)
    } finally {
        $stream.Dispose()
    }
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
