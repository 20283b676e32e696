# The `result` output: the first objects the script returns, as one JSON array that stays within
# GitHub's limit for one output (1 MB). Each object is converted as it arrives, and collecting
# stops once the next one would pass the limit, so neither this process nor the action ever holds
# more than that for `result`, however much the script returns. A string longer than
# ResultStringLimit is cut, with a marker that says how much went.

$script:ResultBytesLimit = 1000000
$script:ResultStringLimit = 100000

function New-ResultCollector {
    param([int] $Limit, [int] $Depth = 4)
    @{
        Parts  = New-Object 'System.Collections.Generic.List[string]'
        Bytes  = 2
        Limit  = $Limit
        Depth  = $Depth
        Full   = $false
        Failed = $null
    }
}

function Add-ResultItem {
    param([Parameter(Mandatory)][hashtable] $Collector, [AllowNull()] $Object)
    if ($Collector.Full) { return }
    if ($Collector.Parts.Count -ge $Collector.Limit) { $Collector.Full = $true; return }
    try {
        $json = & $SafeCommands['ConvertTo-Json'] -InputObject (Limit-ResultValue $Object) -Depth $Collector.Depth -Compress -WarningAction SilentlyContinue
    } catch {
        if ($null -eq $Collector.Failed) { $Collector.Failed = [string]$_.Exception.Message }
        return
    }
    if ($null -eq $json) { $json = 'null' }
    $bytes = [System.Text.Encoding]::UTF8.GetByteCount($json) + 1
    if ($Collector.Bytes + $bytes -gt $script:ResultBytesLimit) { $Collector.Full = $true; return }
    $Collector.Parts.Add($json)
    $Collector.Bytes += $bytes
}

function Get-ResultJson {
    param([Parameter(Mandatory)][hashtable] $Collector)
    '[' + ($Collector.Parts -join ',') + ']'
}

function Limit-ResultValue {
    # Long strings cut: the value itself, or a property or entry of it one level down (a copy; the
    # script's object is left as it is). Anything else is returned unchanged. Loops, not
    # Where-Object: this runs for every collected object, with every property.
    param([AllowNull()] $Value)
    if ($null -eq $Value) { return $null }
    $limit = $script:ResultStringLimit
    if ($Value -is [string]) { return (Limit-Text -Text $Value -Length $limit) }
    if ($Value -is [System.ValueType]) { return $Value }
    if ($Value -is [System.Collections.IDictionary]) {
        $long = $false
        foreach ($entry in $Value.Values) { if ($entry -is [string] -and $entry.Length -gt $limit) { $long = $true; break } }
        if (-not $long) { return $Value }
        $copy = [ordered]@{}
        foreach ($key in $Value.Keys) { $copy[$key] = Limit-ResultValue $Value[$key] }
        return $copy
    }
    if ($Value -is [System.Collections.IEnumerable]) { return $Value }
    $long = $false
    foreach ($property in $Value.PSObject.Properties) {
        if ($property.MemberType -ne 'ScriptProperty' -and $property.IsGettable) {
            try { $item = $property.Value } catch { continue }
            if ($item -is [string] -and $item.Length -gt $limit) { $long = $true; break }
        }
    }
    if (-not $long) { return $Value }
    $copy = [ordered]@{}
    foreach ($property in $Value.PSObject.Properties) {
        if ($property.MemberType -ne 'ScriptProperty' -and $property.IsGettable) {
            try { $copy[$property.Name] = Limit-ResultValue $property.Value } catch { continue }
        }
    }
    [pscustomobject]$copy
}
