# Facts for the action, appended as JSON lines to the events file, and the facts of an error.

$script:Utf8NoBom = New-Object System.Text.UTF8Encoding($false)
$script:EventsPath = $null

function Set-EventsPath {
    param([Parameter(Mandatory)][string] $Path)
    $script:EventsPath = $Path
}

function Write-RunnerEvent {
    param([Parameter(Mandatory)][hashtable] $Data)
    $Data['at'] = [DateTime]::UtcNow.ToString('o')
    $line = (& $SafeCommands['ConvertTo-Json'] -InputObject $Data -Compress -Depth 5) + "`n"
    [System.IO.File]::AppendAllText($script:EventsPath, $line, $script:Utf8NoBom)
}

function Get-ErrorFacts {
    # With -ScriptPath, the position is the user's line: an error raised inside a module function
    # (the module's proxies are functions) carries the module's position in InvocationInfo, and
    # the user's line only in the script stack trace.
    param([Parameter(Mandatory)] $Record, [string] $ScriptPath)
    $facts = @{
        message  = [string]$Record.Exception.Message
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
