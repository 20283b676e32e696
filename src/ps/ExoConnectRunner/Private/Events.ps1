# Facts for the action, appended as JSON lines to the events file, and the facts of an error.
# The user's script runs as the same user and can reach that file, so each line starts with an
# HMAC-SHA256 of its JSON, made with a key that came for this run only, inside the configuration
# on stdin. The action ignores lines without a valid one (src/events.ts).

$script:Utf8NoBom = New-Object System.Text.UTF8Encoding($false)
$script:EventsPath = $null
$script:SignEvent = $null
# Error texts in the events are cut beyond this; a line stays far below what the action reads.
$script:EventTextLimit = 32000

function Set-EventsPath {
    param([Parameter(Mandatory)][string] $Path, [AllowNull()][AllowEmptyString()][string] $Key)
    $script:EventsPath = $Path
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
    [System.IO.File]::AppendAllText($script:EventsPath, $line + "`n", $script:Utf8NoBom)
}

function Get-ErrorFacts {
    # With -ScriptPath, the position is the user's line: an error raised inside a module function
    # (the module's proxies are functions) carries the module's position in InvocationInfo, and
    # the user's line only in the script stack trace.
    param([Parameter(Mandatory)] $Record, [string] $ScriptPath)
    $facts = @{
        message  = & $Own['Limit-Text'] -Text ([string]$Record.Exception.Message) -Length $script:EventTextLimit
        category = [string]$Record.CategoryInfo.Category
        errorId  = [string]$Record.FullyQualifiedErrorId
        type     = $Record.Exception.GetType().FullName
    }
    $info = $Record.InvocationInfo
    if ($null -ne $info -and $info.ScriptName) {
        $facts['file'] = $info.ScriptName
        $facts['line'] = $info.ScriptLineNumber
    }
    if ($ScriptPath -and $facts['file'] -ne $ScriptPath) {
        foreach ($frame in ([string]$Record.ScriptStackTrace -split "`n")) {
            $at = $frame.LastIndexOf(': line ')
            if ($at -gt 0 -and $frame.Substring(0, $at).EndsWith($ScriptPath)) {
                $facts['file'] = $ScriptPath
                $facts['line'] = [int]$frame.Substring($at + 7).Trim()
                break
            }
        }
    }
    $facts
}
