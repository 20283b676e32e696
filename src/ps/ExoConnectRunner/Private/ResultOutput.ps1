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
        # PSObjects: as [object], a method call would be given the base object alone, without the
        # properties PowerShell adds (Add-Member, a provider's PSPath, the type data's BaseName).
        Pending = [System.Collections.Generic.List[psobject]]::new()
        Parts   = [System.Collections.Generic.List[string]]::new()
        Count   = 0
        Bytes   = 2
        Limit   = $Limit
        Depth   = $Depth
        Full    = $false
        # The first reason an object could not be converted, and how many were left out for it.
        Failed  = $null
        Unconvertible = 0
        # What `result` holds changed, which the action says: strings cut at ResultStringLimit (those
        # pending are counted once their batch is kept), and a value past Depth, which ConvertTo-Json
        # writes as its string (LastDepthCut: the last conversion did).
        Cut          = 0
        CutPending   = [System.Collections.Generic.List[object]]::new()
        DepthCut     = $false
        LastDepthCut = $false
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
        $Collector.CutPending.Add($Object)
    }
    $Collector.Pending.Add($Object)
    if ($Collector.Pending.Count -ge $script:ResultBatch) { & $Own['Submit-ResultBatch'] $Collector }
}

function Submit-ResultBatch {
    # The pending objects as one JSON array; when that would pass the limit, one by one, up to it.
    param($Collector)
    if ($Collector.Pending.Count -eq 0) { return }
    $pending = $Collector.Pending.ToArray()
    $cut = $Collector.CutPending.ToArray()
    $Collector.Pending.Clear()
    $Collector.CutPending.Clear()
    $body = & $Own['ConvertTo-ResultJson'] $Collector $pending
    if ($null -ne $body -and (& $Own['Test-ResultRoom'] $Collector $body)) {
        & $Own['Add-ResultPart'] $Collector $body $pending.Count $cut.Count
        return
    }
    foreach ($item in $pending) {
        $one = & $Own['ConvertTo-ResultJson'] $Collector @(, $item)
        if ($null -eq $one) {
            $Collector.Unconvertible++
            continue
        }
        if (-not (& $Own['Test-ResultRoom'] $Collector $one)) { $Collector.Full = $true; return }
        $itemCut = 0
        foreach ($string in $cut) { if ([object]::ReferenceEquals($string, $item)) { $itemCut = 1 } }
        & $Own['Add-ResultPart'] $Collector $one 1 $itemCut
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
    $Collector.LastDepthCut = $depthWarnings.Count -gt 0
    $json.Substring(1, $json.Length - 2)
}

function Test-ResultRoom {
    param($Collector, [string] $Body)
    $Collector.Bytes + [System.Text.Encoding]::UTF8.GetByteCount($Body) + 1 -le $script:ResultBytesLimit
}

function Add-ResultPart {
    # Body: the JSON that ConvertTo-ResultJson made last, of Count objects, Cut of them strings it cut.
    param($Collector, [string] $Body, [int] $Count, [int] $Cut)
    $Collector.Parts.Add($Body)
    $Collector.Bytes += [System.Text.Encoding]::UTF8.GetByteCount($Body) + 1
    $Collector.Count += $Count
    $Collector.Cut += $Cut
    if ($Collector.LastDepthCut) { $Collector.DepthCut = $true }
    & $Own['Set-ResultRoom'] $Collector
}

function Get-ResultJson {
    param([Parameter(Mandatory)][hashtable] $Collector)
    if (-not $Collector.Full) { & $Own['Submit-ResultBatch'] $Collector }
    '[' + ($Collector.Parts -join ',') + ']'
}
