# result-file: every object the script returns, written as it arrives, so that neither this
# process nor the action holds them all. The format follows the extension (Node checked it):
# jsonl (one compact JSON value a line), json (one array), csv (RFC 4180: a header from the first
# object's properties, CRLF line ends, quotes only where needed; nested values as compact JSON).
# Always UTF-8 without BOM; an existing file is replaced, never appended to.
# A thread-pool timer writes the file out every $script:FlushMs, and so does the process's exit
# ([Environment]::Exit in the script) and, outside Windows, a SIGTERM, which ends PowerShell without
# that exit: a PowerShell that is killed leaves what the script returned until then, one that the
# script ends all of it. The 64 KB buffer is for the script's own
# pace. The writer is synchronized for that (each call takes its lock), and the callbacks are
# compiled (Native/FlushCallback.cs): a script block needs a runspace to run in, and a second
# runspace woken every 200 ms cost the script's own about a tenth of its pace (a 100,000-object
# export, measured).
# Its stages run while the user's script runs: they call the runner's functions through $Own,
# never by name (see ExoConnectRunner.psm1).
$script:FlushMs = 200
# .NET 6 and later (PowerShell 7.2 on): a handler that runs before the signal's own action, which
# then still ends the process.
# https://learn.microsoft.com/dotnet/api/system.runtime.interopservices.posixsignalregistration
$script:PosixSignalRegistration = 'System.Runtime.InteropServices.PosixSignalRegistration' -as [type]

# PowerShell 7: the serializer behind ConvertTo-Json -EnumsAsStrings (what ConvertTo-PortableJson
# calls there), callable without a cmdlet per object, which costs more than the conversion.
# Windows PowerShell 5.1 has no such type and goes through ConvertTo-PortableJson.
# https://learn.microsoft.com/powershell/module/microsoft.powershell.utility/convertto-json
$script:JsonContextType = $null
if ($PSVersionTable.PSEdition -eq 'Core') { $script:JsonContextType = 'Microsoft.PowerShell.Commands.JsonObject+ConvertToJsonContext' -as [type] }

function script:Open-ResultFile {
    # $File is { path, format } from the configuration (result-file).
    param([Parameter(Mandatory)] $File, [int] $Depth = 4)
    $folder = [System.IO.Path]::GetDirectoryName($File.path)
    if ($folder) { [void][System.IO.Directory]::CreateDirectory($folder) }
    $buffered = [System.IO.StreamWriter]::new($File.path, $false, $script:Utf8NoBom, 65536)
    if ($File.format -eq 'csv') { $buffered.NewLine = "`r`n" } else { $buffered.NewLine = "`n" }
    $stream = [System.IO.TextWriter]::Synchronized($buffered)
    $flush = [ExoConnectRunner.Native.FlushCallback]
    $timer = [System.Threading.Timer]::new($flush::For($stream, [System.Threading.TimerCallback]), $null, $script:FlushMs, $script:FlushMs)
    $onExit = $flush::For($stream, [System.EventHandler])
    [System.AppDomain]::CurrentDomain.add_ProcessExit($onExit)
    $onTerm = $null
    if ($null -ne $script:PosixSignalRegistration -and -not (Test-Windows)) {
        $signal = 'System.Runtime.InteropServices.PosixSignalContext' -as [type]
        $handler = $flush::For($stream, ('System.Action`1' -as [type]).MakeGenericType($signal))
        $onTerm = $script:PosixSignalRegistration::Create(('System.Runtime.InteropServices.PosixSignal' -as [type])::SIGTERM, $handler)
    }
    if ($File.format -eq 'json') { $stream.Write('[') }
    # A CSV file converts only cells, each a property of its row and so one level down: one level
    # less, and a value nests as deep in .csv as in .jsonl.
    # Windows PowerShell 5.1's ConvertTo-Json takes a depth of 1 at least.
    if ($File.format -eq 'csv') {
        $least = 0
        if ($null -eq $script:JsonContextType) { $least = 1 }
        $Depth = [Math]::Max($Depth - 1, $least)
    }
    $context = $null
    # One more level than asked for: each object is converted inside a one-item array (below).
    if ($null -ne $script:JsonContextType) { $context = $script:JsonContextType::new($Depth + 1, $true, $true) }
    $formatLine = $null
    if ($File.format -eq 'csv') {
        # The JSON converter is made at the first nested value: a report of flat rows never needs it.
        $newConverter = ${function:New-CompactJsonConverter}
        $toJson = [System.Lazy[System.Func[object, string]]]::new([System.Func[System.Func[object, string]]] { & $newConverter -Depth $Depth -Context $context }.GetNewClosure())
        $formatLine = New-CsvLineFormatter -ToJson $toJson
    }
    @{
        Path        = $File.path
        Format      = $File.format
        Depth       = $Depth
        Stream      = $stream
        # Kept here: a timer nothing refers to may be collected, and stop.
        Timer       = $timer
        OnExit      = $onExit
        OnTerm      = $onTerm
        Count       = 0
        Columns     = $null
        LeftOut     = [System.Collections.Generic.List[string]]::new()
        # Objects JSON cannot hold, written as their text instead (Write-Unwritable).
        Unwritable       = 0
        UnwritableReason = $null
        ToJson      = ${function:ConvertTo-PortableJson}
        JsonContext = $context
        # .csv (Write-CsvRow): the line formatter; with the columns, one row's values (an array
        # reused for every row) and the reader of rows shaped like the first.
        FormatLine  = $formatLine
        Values      = $null
        ReadRow     = $null
        # The pipeline stage that writes this format, taken now: the script cannot stand in for it.
        Stage       = if ($File.format -eq 'csv') { ${function:Write-CsvRow} } else { ${function:Write-JsonValue} }
    }
}

# The writing is done by pipeline stages (Write-JsonValue, Write-CsvRow) that every object of the
# script's output passes through: a stage costs a fraction of a function call made per object,
# which would cost more than converting the object. $Route['data'] says whether the object passing
# now is one the script returned (not a log line of the runner's or Format-Table output). What the
# log shows passes on: everything else, and the first $Route['logLimit'] of the script's objects
# (the writer's Count). The file has them all; a tenant's worth of rows in the log helps no one,
# and a stage of its own for that choice cost 0.6 microseconds an object.

function script:Add-ResultObject {
    # One object, outside a pipeline (tests): through the same stage.
    param($Writer, $Object)
    $null = , $Object | & $Writer.Stage -Writer $Writer -Route @{ data = $true; logLimit = 0 }
}

function script:Write-JsonValue {
    # .jsonl and .json: one compact JSON value per object (a pipeline stage; see above). What stays
    # the same for the whole file is read once, as in Write-CsvRow.
    param($Writer, $Route)
    begin {
        $stream = $Writer.Stream
        $lines = $Writer.Format -eq 'jsonl'
        $context = $Writer.JsonContext
        $toJson = $Own['ConvertTo-CompactJson']
        $logLimit = $Route['logLimit']
    }
    process {
        if ($Route['data']) {
            $Writer.Count++
            $object = $_
            try {
                if ($null -ne $context) {
                    # In a one-item array, so that the object reaches the serializer with its PowerShell
                    # properties (a method call would unwrap it); the brackets go again.
                    $json = [Microsoft.PowerShell.Commands.JsonObject]::ConvertToJson(@(, $object), [ref]$context)
                    $json = $json.Substring(1, $json.Length - 2)
                } else {
                    $json = & $toJson $Writer $object
                }
            } catch {
                $text = & $Own['Write-Unwritable'] $Writer $_ $object
                if ($null -ne $context) {
                    $json = [Microsoft.PowerShell.Commands.JsonObject]::ConvertToJson(@(, $text), [ref]$context)
                    $json = $json.Substring(1, $json.Length - 2)
                } else {
                    $json = & $toJson $Writer $text
                }
            }
            if ($lines) {
                $stream.WriteLine($json)
            } else {
                if ($Writer.Count -gt 1) { $stream.Write(',') }
                $stream.Write($json)
            }
            if ($Writer.Count -gt $logLimit) { return }
        }
        $_
    }
}

function script:Write-Unwritable {
    # An object JSON cannot hold (ConvertTo-Json refuses a dictionary whose keys are not strings,
    # for one): counted, with the first reason, and returned as its text, for the file to hold in
    # its place. The script's pipeline goes on, as it does without result-file.
    param($Writer, $ErrorRecord, $Object)
    $Writer.Unwritable++
    if ($null -eq $Writer.UnwritableReason) {
        $Writer.UnwritableReason = & $Own['Limit-Text'] -Text ([string]$ErrorRecord.Exception.GetBaseException().Message) -Length $script:EventTextLimit
    }
    # Its text, or its type's name when even that throws (a ToString or an enumeration that fails).
    try { [string]$Object } catch { $Object.GetType().FullName }
}

function script:Close-ResultFile {
    # Returns the facts for the action: where, how many, and the properties a .csv left out.
    param([Parameter(Mandatory)][hashtable] $Writer)
    # No write-out after this; one under way holds the writer's lock, which the writes below wait for.
    $Writer.Timer.Dispose()
    [System.AppDomain]::CurrentDomain.remove_ProcessExit($Writer.OnExit)
    if ($null -ne $Writer.OnTerm) { $Writer.OnTerm.Dispose() }
    try {
        if ($Writer.Format -eq 'json') { $Writer.Stream.Write(']') }
    } finally {
        $Writer.Stream.Dispose()
    }
    $facts = @{ path = $Writer.Path; count = $Writer.Count; leftOut = $Writer.LeftOut.ToArray() }
    if ($Writer.Unwritable -gt 0) {
        $facts['unwritable'] = $Writer.Unwritable
        $facts['unwritableReason'] = $Writer.UnwritableReason
    }
    $facts
}

function script:ConvertTo-CompactJson {
    # Windows PowerShell 5.1's way for .jsonl, .json and a .csv cell (PowerShell 7 calls the
    # serializer): $Writer gives ToJson and Depth.
    param([Parameter(Mandatory)][hashtable] $Writer, [AllowNull()] $Object)
    $json = & $Writer.ToJson -InputObject $Object -Depth $Writer.Depth -Compress -WarningAction SilentlyContinue
    if ($null -eq $json) { return 'null' }
    $json
}

function script:Test-ScalarValue {
    # Values that are one cell, not a row of properties.
    param([AllowNull()] $Value)
    $null -eq $Value -or $Value -is [string] -or $Value -is [char] -or $Value -is [bool] -or $Value -is [datetime] -or
    $Value -is [datetimeoffset] -or $Value -is [guid] -or $Value -is [enum] -or $Value -is [decimal] -or
    ($Value -is [System.ValueType] -and $Value.GetType().IsPrimitive)
}

function script:Get-RowProperties {
    # Name/value pairs of one object, as Export-Csv would see them; a scalar is one 'Value' column,
    # and so is a list the script returned whole (its cell is the list's JSON, as in .jsonl): its
    # own properties (Length, SyncRoot, ...) are the array's, not the script's data.
    param([AllowNull()] $Object)
    $row = [ordered]@{}
    if ((& $Own['Test-ScalarValue'] $Object) -or $Object -is [System.Collections.IList]) {
        $row['Value'] = $Object
    } elseif ($Object -is [System.Collections.IDictionary]) {
        # Entries, not .Keys and an index: member access reads a key named Keys first, and an
        # ordered dictionary's indexer takes an integer key as a position.
        foreach ($entry in $Object.GetEnumerator()) { $row[[string]$entry.Key] = $entry.Value }
    } else {
        foreach ($property in $Object.PSObject.Properties) {
            $value = $null
            try { $value = $property.Value } catch { $value = $null }
            $row[$property.Name] = $value
        }
    }
    $row
}

# A row's cells are made by compiled code: in PowerShell, a row of ten cells cost about 13
# microseconds, several times what Export-Csv takes for the whole row (bench/objects.ps1). The
# line formatter and the row reader are shipped compiled (Native/CsvRows.cs); the converter of
# nested values below calls PowerShell 7's own JSON serializer, and is an expression tree compiled
# at the first nested value, since the library, built for Windows PowerShell 5.1 too, cannot name it.
# https://learn.microsoft.com/dotnet/api/system.linq.expressions.expression

function script:New-CompactJsonConverter {
    # Func<object, string>: a cell's text for a value that is not a plain one (New-CsvLineFormatter):
    # a nested object or a list as compact JSON. A value that JSON writes as a string (a [uri], say)
    # is that string, without JSON's quotes, and one it writes as null ([DBNull]) an empty cell.
    param([Parameter(Mandatory)][int] $Depth, [AllowNull()] $Context)
    if ($null -eq $Context) {
        # Windows PowerShell 5.1: ConvertTo-CompactJson, as .jsonl there.
        $convert = ${function:ConvertTo-CompactJson}
        $fromJson = $SafeCommands['ConvertFrom-Json']
        $settings = @{ ToJson = ${function:ConvertTo-PortableJson}; Depth = $Depth }
        return [System.Func[object, string]] {
            param($Value)
            $json = & $convert $settings $Value
            if ($json -eq 'null') { return '' }
            if ($json.StartsWith('"', [System.StringComparison]::Ordinal)) { return [string](& $fromJson -InputObject $json) }
            $json
        }.GetNewClosure()
    }
    # (value) => {
    #   var json = JsonObject.ConvertToJson(new object[] { value }, ref context); json = json.Substring(1, json.Length - 2);
    #   return json == "null" ? "" : json.StartsWith('"') ? JsonDocument.Parse(json).RootElement.GetString() : json; }
    # In a one-item array, so that the value reaches the serializer with its PowerShell properties.
    $E = [System.Linq.Expressions.Expression]
    $value = $E::Parameter([object], 'value')
    $contextVariable = $E::Variable($script:JsonContextType, 'context')
    $json = $E::Variable([string], 'json')
    $parse = [System.Text.Json.JsonDocument].GetMethod('Parse', [type[]]@([string], [System.Text.Json.JsonDocumentOptions]))
    $document = $E::Call($parse, $json, $E::Default([System.Text.Json.JsonDocumentOptions]))
    $unquoted = $E::Call($E::Property($document, 'RootElement'), [System.Text.Json.JsonElement].GetMethod('GetString', [type[]]@()))
    $body = $E::Block([string], [System.Linq.Expressions.ParameterExpression[]]@($contextVariable, $json),
        $E::Assign($contextVariable, $E::Unbox($E::Constant($Context, [object]), $script:JsonContextType)),
        $E::Assign($json, $E::Call($script:JsonContextType.DeclaringType.GetMethod('ConvertToJson'), $E::NewArrayInit([object], $value), $contextVariable)),
        $E::Assign($json, $E::Call($json, [string].GetMethod('Substring', [type[]]@([int], [int])), $E::Constant(1), $E::Subtract($E::Property($json, 'Length'), $E::Constant(2)))),
        $E::Condition($E::Equal($json, $E::Constant('null')), $E::Constant(''),
            $E::Condition($E::Call($json, [string].GetMethod('StartsWith', [type[]]@([char])), $E::Constant([char]'"')), $unquoted, $json)))
    $E::Lambda([System.Func[object, string]], $body, $value).Compile()
}

# Values a .csv cell holds as their text, as Export-Csv writes them, where JSON has no number or
# string for them: [switch] (True, False), a duration ([timespan], 01:30:00) and a version (3.9.0),
# as Exchange cmdlets and reports return them, and the .NET numbers that are not primitives
# (Int128, UInt128, Half; PowerShell 7).
$script:CsvTextTypes = [type[]]@(@([switch], [timespan], [version], ('System.Int128' -as [type]), ('System.UInt128' -as [type]), ('System.Half' -as [type])).Where({ $null -ne $_ }))

function script:New-CsvLineFormatter {
    # Func<object[], string>: one row's values as a line of cells joined by commas (compiled:
    # Native/CsvRows.cs says how each cell is written). $ToJson writes a nested value.
    param([Parameter(Mandatory)][System.Lazy[System.Func[object, string]]] $ToJson)
    [ExoConnectRunner.Native.CsvRows]::LineFormatter($ToJson, $script:CsvTextTypes)
}

function script:Write-CsvRow {
    # .csv: one row per object (a pipeline stage; see above). What stays the same for the whole
    # file is read once, into variables of its own: a hashtable's entry, read per object, costs
    # more than a variable.
    param($Writer, $Route)
    begin {
        $stream = $Writer.Stream
        $formatLine = $Writer.FormatLine
        $logLimit = $Route['logLimit']
        # Made by Read-CsvRow at the first row: the reused array of values and the reader of rows shaped like it.
        $values = $Writer.Values
        $readRow = $Writer.ReadRow
    }
    process {
        if (-not $Route['data']) { return $_ }
        $Writer.Count++
        if ($null -eq $readRow -or -not $readRow.Invoke($_, $values)) {
            $values = & $Own['Read-CsvRow'] -Writer $Writer -Object $_
            $readRow = $Writer.ReadRow
        }
        try {
            $line = $formatLine.Invoke($values)
        } catch {
            # A cell JSON cannot hold: that cell as its text, found one cell at a time.
            $record = $_
            for ($i = 0; $i -lt $values.Length; $i++) {
                try { $null = $formatLine.Invoke([object[]]@(, $values[$i])) } catch { $values[$i] = & $Own['Write-Unwritable'] $Writer $record $values[$i] }
            }
            $line = $formatLine.Invoke($values)
        }
        $stream.WriteLine($line)
        if ($Writer.Count -le $logLimit) { $_ }
    }
}

function script:Read-CsvRow {
    # The general way: the values of any object for the file's columns (the first object's, which
    # also make the header), naming once each property that has no column.
    param([Parameter(Mandatory)][hashtable] $Writer, [AllowNull()] $Object)
    $row = & $Own['Get-RowProperties'] $Object
    if ($null -eq $Writer.Columns) {
        $Writer.Columns = [string[]]@($row.get_Keys())
        $Writer.Values = [object[]]::new($Writer.Columns.Length)
        $Writer.Stream.WriteLine($Writer.FormatLine.Invoke([object[]]$Writer.Columns))
        # Later rows shaped like a [pscustomobject] first one are read without listing their properties (Native/CsvRows.cs).
        if ($Writer.Columns.Length -gt 0 -and $Object -is [System.Management.Automation.PSCustomObject]) {
            $Writer.ReadRow = [ExoConnectRunner.Native.CsvRows]::RowReader($Object, $Writer.Columns)
        }
    }
    # Mixed shapes: the first object's columns; what does not fit is named once at the end.
    foreach ($name in $row.get_Keys()) {
        if ($Writer.Columns -notcontains $name -and -not $Writer.LeftOut.Contains($name)) { $Writer.LeftOut.Add($name) }
    }
    $values = $Writer.Values
    for ($i = 0; $i -lt $values.Length; $i++) {
        $value = $null
        if ($row.Contains($Writer.Columns[$i])) { $value = $row[$Writer.Columns[$i]] }
        $values[$i] = $value
    }
    , $values
}
