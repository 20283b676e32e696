# `result` and result-file as JSON that reads the same from either shell. PowerShell 7's ConvertTo-Json
# writes dates as ISO 8601 strings; Windows PowerShell 5.1's writes "\/Date(1767323045000)\/" and
# turns a date from Get-Date into an object. Enums are written by name on both, not as numbers.
# Called while the user's script runs: through $Own, never by name (see ExoConnectRunner.psm1).

function ConvertTo-PortableJson {
    # ConvertTo-Json as `result` and result-file use it, the same on both shells.
    [CmdletBinding()]
    param([AllowNull()] $InputObject, [int] $Depth = 2, [switch] $Compress, [string] $Edition = $PSVersionTable.PSEdition)
    $convert = @{ Depth = $Depth; Compress = $Compress; WarningAction = 'SilentlyContinue' }
    if ($Edition -eq 'Core' -and $PSVersionTable.PSEdition -eq 'Core') {
        $convert['EnumsAsStrings'] = $true
        return (& $SafeCommands['ConvertTo-Json'] -InputObject $InputObject @convert)
    }
    & $SafeCommands['ConvertTo-Json'] -InputObject (& $Own['ConvertTo-PortableValue'] -Value $InputObject -Depth $Depth) @convert
}

function ConvertTo-PortableValue {
    # What PowerShell 7's ConvertTo-Json -EnumsAsStrings makes of a value, as plain data (strings,
    # numbers, ordered dictionaries, arrays) that 5.1's ConvertTo-Json writes the same way. Past
    # -Depth an object or a list stays as it is: both shells then write its string.
    param([AllowNull()] $Value, [Parameter(Mandatory)][int] $Depth, [int] $Level = 0)
    if ($null -eq $Value) { return $null }
    $base = $Value.PSObject.BaseObject
    # Database and PowerShell nulls, which PowerShell 7 writes as null.
    if ($base -is [System.DBNull] -or $base -is [System.Management.Automation.Language.NullString]) { return $null }
    # As Newtonsoft.Json, inside PowerShell 7's ConvertTo-Json, writes them (Native/JsonWriter.cs).
    if ($base -is [datetime]) { return $base.ToString([ExoConnectRunner.Native.JsonWriter]::IsoDateTime, [cultureinfo]::InvariantCulture) }
    if ($base -is [datetimeoffset]) { return $base.ToString([ExoConnectRunner.Native.JsonWriter]::IsoDateTimeOffset, [cultureinfo]::InvariantCulture) }
    if ($base -is [enum]) { return $base.ToString() }
    if ($base -is [string] -or $base -is [bool] -or $base -is [decimal] -or $base.GetType().IsPrimitive) {
        if ($base -is [char]) { return [string]$base }
        return $base
    }
    if ($base -is [guid]) { return $base.ToString() }
    if ($base -is [uri]) { return $base.OriginalString }
    if ($Level -gt $Depth) { return , $Value }
    if ($base -is [System.Collections.IDictionary]) {
        $table = [ordered]@{}
        # Entries, not .Keys and an index (see Get-RowProperties).
        foreach ($entry in $base.GetEnumerator()) { $table[[string]$entry.Key] = & $Own['ConvertTo-PortableValue'] -Value $entry.Value -Depth $Depth -Level ($Level + 1) }
        return $table
    }
    if ($base -is [System.Collections.IEnumerable]) {
        $items = [System.Collections.Generic.List[object]]::new()
        foreach ($item in $base) { $items.Add((& $Own['ConvertTo-PortableValue'] -Value $item -Depth $Depth -Level ($Level + 1))) }
        return , $items.ToArray()
    }
    $table = [ordered]@{}
    foreach ($property in $Value.PSObject.Properties) {
        if (-not $property.IsGettable) { continue }
        $item = $null
        try { $item = $property.Value } catch { $item = $null }
        $table[$property.Name] = & $Own['ConvertTo-PortableValue'] -Value $item -Depth $Depth -Level ($Level + 1)
    }
    $table
}
