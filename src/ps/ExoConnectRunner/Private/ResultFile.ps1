# result-file: every object the script returns, written as it arrives, so that neither this
# process nor the action holds them all. The format follows the extension (Node checked it):
# jsonl (one compact JSON value a line), json (one array), csv (RFC 4180: a header from the first
# object's properties, CRLF line ends, quotes only where needed; nested values as compact JSON).
# Always UTF-8 without BOM; an existing file is replaced, never appended to.
# A thread-pool timer writes the file out every $script:FlushMs, and so does the process's exit
# ([Environment]::Exit in the script) and, outside Windows, a SIGTERM, which ends PowerShell without
# that exit: a PowerShell that is killed leaves what the script returned until then, one that the
# script ends all of it. The 64 KB buffer is for the script's own
# pace. The writer is synchronized for that (each call takes its lock), and the callbacks are .NET
# code made here (New-FlushCallback): a script block needs a runspace to run in, and a second
# runspace woken every 200 ms cost the script's own about a tenth of its pace (a 100,000-object
# export, measured).
# Its stages run while the user's script runs: they call the runner's functions through $Own,
# never by name (see ExoConnectRunner.psm1).
$script:FlushMs = 200
$script:FlushMethods = @{}
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
# A PSObject's own members (a [pscustomobject]'s note properties) and whether a member is hidden:
# internal to PowerShell, read by New-CsvRowReader only, which without them makes no reader.
$script:InstanceMembers = [psobject].GetProperty('InstanceMembers', [System.Reflection.BindingFlags]'Instance, NonPublic')
$script:MemberIsHidden = [System.Management.Automation.PSMemberInfo].GetProperty('IsHidden', [System.Reflection.BindingFlags]'Instance, NonPublic')
# An object's type names, without the copy that the public TypeNames makes at its first reading.
$script:InternalTypeNames = [psobject].GetProperty('InternalTypeNames', [System.Reflection.BindingFlags]'Instance, NonPublic')

function script:Open-ResultFile {
    # $File is { path, format } from the configuration (result-file).
    param([Parameter(Mandatory)] $File, [int] $Depth = 4)
    $folder = [System.IO.Path]::GetDirectoryName($File.path)
    if ($folder) { [void][System.IO.Directory]::CreateDirectory($folder) }
    $buffered = [System.IO.StreamWriter]::new($File.path, $false, $script:Utf8NoBom, 65536)
    if ($File.format -eq 'csv') { $buffered.NewLine = "`r`n" } else { $buffered.NewLine = "`n" }
    $stream = [System.IO.TextWriter]::Synchronized($buffered)
    $timer = [System.Threading.Timer]::new((New-FlushCallback -Writer $stream -DelegateType ([System.Threading.TimerCallback]) -Parameters ([object])), $null, $script:FlushMs, $script:FlushMs)
    $onExit = New-FlushCallback -Writer $stream -DelegateType ([System.EventHandler]) -Parameters ([object], [System.EventArgs])
    [System.AppDomain]::CurrentDomain.add_ProcessExit($onExit)
    $onTerm = $null
    if ($null -ne $script:PosixSignalRegistration -and -not (Test-Windows)) {
        $signal = 'System.Runtime.InteropServices.PosixSignalContext' -as [type]
        $handler = New-FlushCallback -Writer $stream -DelegateType (('System.Action`1' -as [type]).MakeGenericType($signal)) -Parameters $signal
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

function script:New-FlushCallback {
    # A delegate of $DelegateType (TimerCallback, EventHandler, Action<PosixSignalContext>) that calls $Writer.Flush() and lets no
    # exception escape (an unhandled one on a thread-pool thread, or at exit, ends the process): a
    # DynamicMethod whose first argument is bound to the writer, made once per delegate type.
    # https://learn.microsoft.com/dotnet/api/system.reflection.emit.dynamicmethod.createdelegate
    # $Parameters: those of the delegate type, which follow the bound writer.
    param([Parameter(Mandatory)][System.IO.TextWriter] $Writer, [Parameter(Mandatory)][type] $DelegateType, [Parameter(Mandatory)][type[]] $Parameters)
    $method = $script:FlushMethods[$DelegateType]
    if ($null -eq $method) {
        $method = [System.Reflection.Emit.DynamicMethod]::new('FlushResultFile', [void], [type[]](@([System.IO.TextWriter]) + $Parameters))
        $il = $method.GetILGenerator()
        $opCodes = [System.Reflection.Emit.OpCodes]
        [void]$il.BeginExceptionBlock()
        $il.Emit($opCodes::Ldarg_0)
        $il.Emit($opCodes::Callvirt, [System.IO.TextWriter].GetMethod('Flush', [type[]]@()))
        $il.BeginCatchBlock([System.Exception])
        $il.Emit($opCodes::Pop)
        $il.EndExceptionBlock()
        $il.Emit($opCodes::Ret)
        $script:FlushMethods[$DelegateType] = $method
    }
    $method.CreateDelegate($DelegateType, $Writer)
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
# delegates below are expression trees, compiled once per file.
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

$script:CsvTextNumbers = @('System.Int128', 'System.UInt128', 'System.Half')
# Values whose JSON is an object of their parts, where Export-Csv writes their text: a duration
# ([timespan], 01:30:00) and a version (3.9.0), as Exchange cmdlets and reports return them.
$script:CsvTextValues = @([timespan], [version])

function script:New-CsvLineFormatter {
    # Func<object[], string>: one row's values as a line of cells joined by commas. In C#, each cell:
    #   null                                        -> empty
    #   text (a PSObject's base object decides)     -> as it is
    #   DateTime, DateTimeOffset                    -> ToString("o", CultureInfo.InvariantCulture): round-trip
    #   char, bool, Guid, enum, decimal, primitive,
    #   switch, Int128, UInt128, Half, TimeSpan,
    #   Version                                     -> Convert.ToString(value, CultureInfo.InvariantCulture)
    #   anything else (objects, lists)              -> $ToJson.Value(value): compact JSON, or the string
    #                                                  JSON writes for it ([uri]), or empty for its null
    # then in quotes, with quotes doubled, where the text holds , " CR or LF (RFC 4180, section 2),
    # or starts or ends with white space.
    param([Parameter(Mandatory)][System.Lazy[System.Func[object, string]]] $ToJson)
    $E = [System.Linq.Expressions.Expression]
    $values = $E::Parameter([object[]], 'values')
    $cells = $E::Variable([string[]], 'cells')
    $i = $E::Variable([int], 'i')
    $value = $E::Variable([object], 'value')
    $base = $E::Variable([object], 'base')
    $text = $E::Variable([string], 'text')
    $done = $E::Label('done')
    $invariant = $E::Constant([System.Globalization.CultureInfo]::InvariantCulture, [System.IFormatProvider])
    $roundTrip = $E::Constant('o')
    $toStringFormat = [type[]]@([string], [System.IFormatProvider])
    $isScalar = $E::OrElse($E::TypeIs($base, [char]), $E::OrElse($E::TypeIs($base, [bool]), $E::OrElse($E::TypeIs($base, [guid]),
                $E::OrElse($E::TypeIs($base, [enum]), $E::OrElse($E::TypeIs($base, [decimal]), $E::Property($E::Call($base, [object].GetMethod('GetType')), 'IsPrimitive'))))))
    # And what JSON has no number or string for, but Export-Csv writes as text: [switch] True or
    # False, and the .NET numbers that are not primitives (Int128, UInt128, Half; PowerShell 7).
    foreach ($number in @([switch]) + $script:CsvTextValues + @(foreach ($name in $script:CsvTextNumbers) { $name -as [type] })) {
        if ($null -ne $number) { $isScalar = $E::OrElse($isScalar, $E::TypeIs($base, $number)) }
    }
    # text = base as string ?? (base is DateTime ? ... : base is DateTimeOffset ? ... : scalar ? ... : ToJson.Value(value))
    $cellText = $E::Coalesce($E::TypeAs($base, [string]),
        $E::Condition($E::TypeIs($base, [datetime]), $E::Call($E::Unbox($base, [datetime]), [datetime].GetMethod('ToString', $toStringFormat), $roundTrip, $invariant),
            $E::Condition($E::TypeIs($base, [datetimeoffset]), $E::Call($E::Unbox($base, [datetimeoffset]), [datetimeoffset].GetMethod('ToString', $toStringFormat), $roundTrip, $invariant),
                $E::Condition($isScalar, $E::Call([System.Convert].GetMethod('ToString', [type[]]@([object], [System.IFormatProvider])), $base, $invariant),
                    $E::Invoke($E::Property($E::Constant($ToJson), 'Value'), $value)))))
    $quoted = $E::Call([string].GetMethod('Concat', [type[]]@([string], [string], [string])), $E::Constant('"'),
        $E::Call($text, [string].GetMethod('Replace', [type[]]@([string], [string])), $E::Constant('"'), $E::Constant('""')), $E::Constant('"'))
    # And where it starts or ends with white space, which Import-Csv trims from a field without quotes.
    $length = $E::Property($text, 'Length')
    $charAt = [string].GetMethod('get_Chars')
    $isSpace = [char].GetMethod('IsWhiteSpace', [type[]]@([char]))
    $padded = $E::AndAlso($E::GreaterThan($length, $E::Constant(0)), $E::OrElse($E::Call($isSpace, $E::Call($text, $charAt, $E::Constant(0))),
            $E::Call($isSpace, $E::Call($text, $charAt, $E::Subtract($length, $E::Constant(1))))))
    $needsQuotes = $E::OrElse($E::GreaterThanOrEqual($E::Call($text, [string].GetMethod('IndexOfAny', [type[]]@([char[]])), $E::Constant([char[]]@(',', '"', "`r", "`n"))), $E::Constant(0)), $padded)
    $wrapper = $E::TypeAs($value, [psobject])
    # PowerShell's "no value" (AutomationNull.Value, what a property gets from a pipeline that returned
    # nothing) is a PSObject too, and a null like $null. Read in the tree: passed to a method from
    # PowerShell, it would arrive as $null.
    $isNull = $E::OrElse($E::ReferenceEqual($value, $E::Constant($null)), $E::ReferenceEqual($value, $E::Convert($E::Property($null, [System.Management.Automation.Internal.AutomationNull].GetProperty('Value')), [object])))
    $cell = $E::Condition($isNull, $E::Constant($null, [string]), $E::Block([string],
            $E::Assign($base, $E::Condition($E::ReferenceNotEqual($wrapper, $E::Constant($null)), $E::Property($wrapper, 'BaseObject'), $value)),
            $E::Assign($text, $cellText),
            $E::Condition($needsQuotes, $quoted, $text)))
    # cells = new string[values.Length]; for (i = 0; i < values.Length; i++) { value = values[i]; cells[i] = cell; }
    $body = $E::Block([string], [System.Linq.Expressions.ParameterExpression[]]@($cells, $i, $value, $base, $text),
        $E::Assign($cells, $E::NewArrayBounds([string], $E::ArrayLength($values))),
        $E::Assign($i, $E::Constant(0)),
        $E::Loop($E::IfThenElse($E::LessThan($i, $E::ArrayLength($values)),
                $E::Block($E::Assign($value, $E::ArrayIndex($values, $i)), $E::Assign($E::ArrayAccess($cells, $i), $cell), $E::PostIncrementAssign($i)),
                $E::Break($done)), $done),
        $E::Call([string].GetMethod('Join', [type[]]@([string], [string[]])), $E::Constant(','), $cells))
    $E::Lambda([System.Func[object[], string]], $body, $values).Compile()
}

function script:New-CsvRowReader {
    # Func<PSObject, object[], bool>: reads into the array the values of an object made as $First
    # was, and says whether it could; an object it cannot read goes the general way (Get-RowProperties).
    # Listing an object's properties (PSObject.Properties) first makes its five hidden member sets
    # (psbase, psobject and the others), about three quarters of what a fresh object's row cost
    # (bench/objects.ps1); reading its own members does not. So it reads only a [pscustomobject]
    # (Select-Object makes them too) whose type names are $First's (type data could add properties
    # to other names) and whose visible own members are note properties named as the columns (as
    # -eq compares names), in that order. An object of a .NET class is never read so: some classes
    # (XmlElement, DataRow) have properties of their own per object.
    # The own members and the type names it reads are internal to PowerShell (PSObject.InstanceMembers,
    # PSMemberInfo.IsHidden, PSObject.InternalTypeNames): no reader ($null) where a PowerShell has
    # no such members, or when $First is not a [pscustomobject].
    param([Parameter(Mandatory)][psobject] $First, [Parameter(Mandatory)][string[]] $Columns)
    if ($null -eq $script:InstanceMembers -or $null -eq $script:MemberIsHidden -or $null -eq $script:InternalTypeNames) { return $null }
    if ($First.PSObject.ImmediateBaseObject -isnot [System.Management.Automation.PSCustomObject]) { return $null }
    $E = [System.Linq.Expressions.Expression]
    $object = $E::Parameter([psobject], 'object')
    $values = $E::Parameter([object[]], 'values')
    $members = $E::Variable([System.Management.Automation.PSMemberInfo[]], 'members')
    $i = $E::Variable([int], 'i')
    $n = $E::Variable([int], 'n')
    $note = $E::Variable([System.Management.Automation.PSNoteProperty], 'note')
    $result = $E::Label([bool], 'result')
    $no = $E::Return($result, $E::Constant($false))
    $names = $E::Constant($Columns)
    $member = $E::ArrayIndex($members, $i)
    $visible = $E::Not($E::Property($member, $script:MemberIsHidden))
    $toArray = [System.Linq.Enumerable].GetMethod('ToArray').MakeGenericMethod([System.Management.Automation.PSMemberInfo])
    # Enumerable.SequenceEqual<string>(first, second), the overload without a comparer.
    $sequenceEqual = foreach ($method in [System.Linq.Enumerable].GetMember('SequenceEqual')) { if ($method.GetParameters().Count -eq 2) { $method.MakeGenericMethod([string]) } }
    # object != null && object's type names are First's (most often the very same list) && object is a [pscustomobject]
    $typeNames = $E::Property($object, $script:InternalTypeNames)
    # (Read through a delegate: a PSObject passed to reflection's GetValue would reach it unwrapped.)
    $firstTypeNames = $E::Lambda([System.Func[psobject, object]], $typeNames, $object).Compile().Invoke($First)
    $precondition = $E::AndAlso($E::AndAlso($E::ReferenceNotEqual($object, $E::Constant($null, [psobject])), $E::OrElse(
                $E::ReferenceEqual($typeNames, $E::Constant($firstTypeNames)),
                $E::Call($sequenceEqual, $typeNames, $E::Constant([string[]]@($firstTypeNames))))),
        $E::TypeIs($E::Property($object, 'ImmediateBaseObject'), [System.Management.Automation.PSCustomObject]))
    # name == Columns[n] || string.Compare(name, Columns[n], CultureInfo.InvariantCulture, CompareOptions.IgnoreCase) == 0:
    # equal as -eq compares them.
    $name = $E::Property($note, 'Name')
    $column = $E::ArrayIndex($names, $n)
    $sameName = $E::OrElse($E::Equal($name, $column), $E::Equal($E::Constant(0),
            $E::Call([string].GetMethod('Compare', [type[]]@([string], [string], [System.Globalization.CultureInfo], [System.Globalization.CompareOptions])),
                $name, $column, $E::Constant([System.Globalization.CultureInfo]::InvariantCulture), $E::Constant([System.Globalization.CompareOptions]::IgnoreCase))))
    # n = 0; for (i = 0; i < members.Length; i++) if visible: { if it is not the note property
    # Columns[n]: false; values[n++] = its value } return n == Columns.Length
    $read = @(
        $E::Assign($n, $E::Constant(0)),
        $E::Assign($i, $E::Constant(0)),
        $E::Loop($E::Block(
                $E::IfThen($E::GreaterThanOrEqual($i, $E::ArrayLength($members)), $E::Return($result, $E::Equal($n, $E::ArrayLength($names)))),
                $E::IfThen($visible, $E::Block(
                        $E::IfThen($E::GreaterThanOrEqual($n, $E::ArrayLength($names)), $no),
                        $E::Assign($note, $E::TypeAs($member, [System.Management.Automation.PSNoteProperty])),
                        $E::IfThen($E::OrElse($E::ReferenceEqual($note, $E::Constant($null, [System.Management.Automation.PSNoteProperty])),
                                $E::Not($sameName)), $no),
                        $E::Assign($E::ArrayAccess($values, $n), $E::Property($note, 'Value')),
                        $E::PostIncrementAssign($n))),
                $E::PostIncrementAssign($i))))
    $body = $E::Block([bool], [System.Linq.Expressions.ParameterExpression[]]@($members, $i, $n, $note), @(
            $E::IfThen($E::Not($precondition), $no)
            $E::Assign($members, $E::Call($toArray, $E::Property($object, $script:InstanceMembers)))
            $read
            $E::Label($result, $E::Constant($false))
        ))
    $E::Lambda([System.Func[psobject, object[], bool]], $body, $object, $values).Compile()
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
        # Later rows shaped like a [pscustomobject] first one are read without listing their properties (New-CsvRowReader).
        if ($Writer.Columns.Length -gt 0 -and $Object -is [System.Management.Automation.PSCustomObject]) {
            $Writer.ReadRow = & $Own['New-CsvRowReader'] -First $Object -Columns $Writer.Columns
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
