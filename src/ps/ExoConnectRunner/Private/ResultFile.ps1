# result-file: every object the script returns, written as it arrives, so that neither this
# process nor the action holds them all. The format follows the extension (Node checked it):
# jsonl (one compact JSON value a line), json (one array), csv (RFC 4180: a header from the first
# object's properties, CRLF line ends, quotes only where needed; nested values as compact JSON).
# Always UTF-8 without BOM; an existing file is replaced, never appended to.

$script:Invariant = [System.Globalization.CultureInfo]::InvariantCulture

function Open-ResultFile {
    # $File is { path, format } from the configuration, or $null when result-file is not set.
    param([AllowNull()] $File, [int] $Depth = 4)
    if ($null -eq $File) { return $null }
    $folder = [System.IO.Path]::GetDirectoryName($File.path)
    if ($folder) { [void][System.IO.Directory]::CreateDirectory($folder) }
    $stream = New-Object System.IO.StreamWriter($File.path, $false, $script:Utf8NoBom)
    if ($File.format -eq 'csv') { $stream.NewLine = "`r`n" } else { $stream.NewLine = "`n" }
    if ($File.format -eq 'json') { $stream.Write('[') }
    @{
        Path     = $File.path
        Format   = $File.format
        Depth    = $Depth
        Stream   = $stream
        Count    = 0
        Columns  = $null
        LeftOut  = New-Object 'System.Collections.Generic.List[string]'
        ToJson   = ${function:ConvertTo-PortableJson}
    }
}

function Add-ResultObject {
    param([Parameter(Mandatory)][hashtable] $Writer, [AllowNull()] $Object)
    $Writer.Count++
    switch ($Writer.Format) {
        'jsonl' { $Writer.Stream.WriteLine((ConvertTo-CompactJson $Writer $Object)) }
        'json' {
            if ($Writer.Count -gt 1) { $Writer.Stream.Write(',') }
            $Writer.Stream.Write((ConvertTo-CompactJson $Writer $Object))
        }
        'csv' { Add-CsvRow $Writer $Object }
    }
}

function Close-ResultFile {
    # Returns the facts for the action: where, how many, and the properties a .csv left out.
    param([AllowNull()] $Writer)
    if ($null -eq $Writer) { return $null }
    try {
        if ($Writer.Format -eq 'json') { $Writer.Stream.Write(']') }
    } finally {
        $Writer.Stream.Dispose()
    }
    @{ path = $Writer.Path; count = $Writer.Count; leftOut = $Writer.LeftOut.ToArray() }
}

function ConvertTo-CompactJson {
    param([Parameter(Mandatory)][hashtable] $Writer, [AllowNull()] $Object)
    $json = & $Writer.ToJson -InputObject $Object -Depth $Writer.Depth -Compress -WarningAction SilentlyContinue
    if ($null -eq $json) { return 'null' }
    $json
}

function Test-ScalarValue {
    # Values that are one cell, not a row of properties.
    param([AllowNull()] $Value)
    $null -eq $Value -or $Value -is [string] -or $Value -is [char] -or $Value -is [bool] -or $Value -is [datetime] -or
    $Value -is [datetimeoffset] -or $Value -is [guid] -or $Value -is [enum] -or $Value -is [decimal] -or
    ($Value -is [System.ValueType] -and $Value.GetType().IsPrimitive)
}

function Get-RowProperties {
    # Name/value pairs of one object, as Export-Csv would see them; a scalar is one 'Value' column.
    param([AllowNull()] $Object)
    $row = [ordered]@{}
    if (Test-ScalarValue $Object) {
        $row['Value'] = $Object
    } elseif ($Object -is [System.Collections.IDictionary]) {
        foreach ($key in $Object.Keys) { $row[[string]$key] = $Object[$key] }
    } else {
        foreach ($property in $Object.PSObject.Properties) {
            $value = $null
            try { $value = $property.Value } catch { $value = $null }
            $row[$property.Name] = $value
        }
    }
    $row
}

function ConvertTo-CsvCell {
    param([Parameter(Mandatory)][hashtable] $Writer, [AllowNull()] $Value)
    $text = ''
    if ($null -eq $Value) {
        $text = ''
    } elseif ($Value -is [string]) {
        $text = $Value
    } elseif ($Value -is [datetime]) {
        $text = $Value.ToString('o', $script:Invariant)
    } elseif ($Value -is [datetimeoffset]) {
        $text = $Value.ToString('o', $script:Invariant)
    } elseif (Test-ScalarValue $Value) {
        $text = [System.Convert]::ToString($Value, $script:Invariant)
    } else {
        # Nested objects and lists: compact JSON, which a spreadsheet shows and a program can read back.
        $text = ConvertTo-CompactJson $Writer $Value
    }
    if ($text.IndexOfAny([char[]]@(',', '"', "`r", "`n")) -ge 0) { $text = '"' + $text.Replace('"', '""') + '"' }
    $text
}

function Add-CsvRow {
    param([Parameter(Mandatory)][hashtable] $Writer, [AllowNull()] $Object)
    $row = Get-RowProperties $Object
    if ($null -eq $Writer.Columns) {
        $Writer.Columns = @($row.Keys)
        $Writer.Stream.WriteLine((@($Writer.Columns | & $SafeCommands['ForEach-Object'] { ConvertTo-CsvCell $Writer ([string]$_) }) -join ','))
    }
    # Mixed shapes: the first object's columns; what does not fit is named once at the end.
    foreach ($name in $row.Keys) {
        if ($Writer.Columns -notcontains $name -and -not $Writer.LeftOut.Contains($name)) { $Writer.LeftOut.Add($name) }
    }
    $cells = New-Object 'System.Collections.Generic.List[string]'
    foreach ($column in $Writer.Columns) {
        $value = $null
        if ($row.Contains($column)) { $value = $row[$column] }
        $cells.Add((ConvertTo-CsvCell $Writer $value))
    }
    $Writer.Stream.WriteLine(($cells -join ','))
}
