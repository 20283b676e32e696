# The `result` output: the first objects the script returns, as one JSON array that stays within
# GitHub's limit for one output (1 MB). Objects are converted in batches as they arrive, and
# collecting stops at the first object that would pass the limit, so neither this process nor the
# action ever holds much more than that for `result`, however much the script returns. A string
# the script returns that is longer than ResultStringLimit is cut before it is converted (a 600 MB
# string would otherwise be copied twice over), with a marker that says how much went.
# These functions run while the user's script runs and after it, so they call one another through
# $Own, never by name: an alias the script defined would take a call by name (see ExoConnectRunner.psm1).

$script:ResultBytesLimit = 1000000
$script:ResultStringLimit = 100000
# One ConvertTo-Json call per batch: a call per object would cost more than the script's output.
$script:ResultBatch = 100

function New-ResultCollector {
    param([int] $Limit, [int] $Depth = 4)
    $collector = @{
        Pending = [System.Collections.Generic.List[object]]::new()
        Parts   = [System.Collections.Generic.List[string]]::new()
        Count   = 0
        Bytes   = 2
        Limit   = $Limit
        Depth   = $Depth
        Full    = $false
        Failed  = $null
        # Strings cut at ResultStringLimit: the action says so, since `result` no longer holds them whole.
        Cut     = 0
        # Whether ConvertTo-Json wrote a value past Depth as its type name: the action says so.
        DepthCut = $false
        ToJson  = ${function:ConvertTo-PortableJson}
        # While Pending.Count is below Room, all Add-ResultItem would do with an object (other than
        # text longer than ResultStringLimit) is add it to Pending: the script's output stage does
        # that itself (Invoke-UserScript), since a function call per object costs more than the rest
        # of that stage. Whatever changes Count must set Room again (Set-ResultRoom).
        Room    = 0
    }
    & $Own['Set-ResultRoom'] $collector
    $collector
}

function Set-ResultRoom {
    # Room from the batch size and what the limit leaves: below it, Pending holds less than a batch.
    param($Collector)
    $Collector.Room = [Math]::Min($script:ResultBatch - 1, $Collector.Limit - $Collector.Count)
}

function Add-ResultItem {
    # An object the script returned that the output stage did not add itself (see Room): the last
    # of a batch, long text, or one at the limit.
    param($Collector, $Object)
    if ($Collector.Full) { return }
    if ($Collector.Count + $Collector.Pending.Count -ge $Collector.Limit) {
        & $Own['Submit-ResultBatch'] $Collector
        $Collector.Full = $true
        return
    }
    if ($Object -is [string] -and $Object.Length -gt $script:ResultStringLimit) {
        $Object = & $Own['Limit-Text'] -Text $Object -Length $script:ResultStringLimit
        $Collector.Cut++
    }
    $Collector.Pending.Add($Object)
    if ($Collector.Pending.Count -ge $script:ResultBatch) { & $Own['Submit-ResultBatch'] $Collector }
}

function Submit-ResultBatch {
    # The pending objects as one JSON array; when that would pass the limit, one by one, up to it.
    param($Collector)
    if ($Collector.Pending.Count -eq 0) { return }
    $pending = $Collector.Pending.ToArray()
    $Collector.Pending.Clear()
    $body = & $Own['ConvertTo-ResultJson'] $Collector $pending
    if ($null -ne $body -and (& $Own['Test-ResultRoom'] $Collector $body)) {
        & $Own['Add-ResultPart'] $Collector $body $pending.Count
        return
    }
    foreach ($item in $pending) {
        $one = & $Own['ConvertTo-ResultJson'] $Collector @(, $item)
        if ($null -eq $one) { continue }
        if (-not (& $Own['Test-ResultRoom'] $Collector $one)) { $Collector.Full = $true; return }
        & $Own['Add-ResultPart'] $Collector $one 1
    }
}

function ConvertTo-ResultJson {
    # The items' JSON without the array's brackets, or $null when they cannot be converted. The
    # array takes one level, so the items get result-depth levels, as in result-file.
    param($Collector, [object[]] $Items)
    try {
        # The cmdlet, not the serializer it calls: a stop (script-timeout, a cancel) interrupts it.
        $json = & $Collector.ToJson -InputObject $Items -Depth ($Collector.Depth + 1) -Compress -WarningAction SilentlyContinue -WarningVariable depthWarnings
    } catch {
        if ($null -eq $Collector.Failed) { $Collector.Failed = [string]$_.Exception.Message }
        return $null
    }
    # Its only warning: the JSON is truncated past -Depth (PowerShell 7; Windows PowerShell 5.1 says nothing).
    if ($depthWarnings.Count -gt 0) { $Collector.DepthCut = $true }
    $json.Substring(1, $json.Length - 2)
}

function Test-ResultRoom {
    param($Collector, [string] $Body)
    $Collector.Bytes + [System.Text.Encoding]::UTF8.GetByteCount($Body) + 1 -le $script:ResultBytesLimit
}

function Add-ResultPart {
    param($Collector, [string] $Body, [int] $Count)
    $Collector.Parts.Add($Body)
    $Collector.Bytes += [System.Text.Encoding]::UTF8.GetByteCount($Body) + 1
    $Collector.Count += $Count
    & $Own['Set-ResultRoom'] $Collector
}

function Get-ResultJson {
    param([Parameter(Mandatory)][hashtable] $Collector)
    if (-not $Collector.Full) { & $Own['Submit-ResultBatch'] $Collector }
    '[' + ($Collector.Parts -join ',') + ']'
}
