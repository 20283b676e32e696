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
$script:FlushMs = 200
$script:FlushMethods = @{}
# .NET 6 and later (PowerShell 7.2 on): a handler that runs before the signal's own action, which
# then still ends the process.
# https://learn.microsoft.com/dotnet/api/system.runtime.interopservices.posixsignalregistration
$script:PosixSignalRegistration = 'System.Runtime.InteropServices.PosixSignalRegistration' -as [type]

$script:Invariant = [System.Globalization.CultureInfo]::InvariantCulture
# Characters that make a CSV cell need quotes (RFC 4180, section 2).
$script:CsvSpecial = [char[]]@(',', '"', "`r", "`n")
# PowerShell 7: the serializer behind ConvertTo-Json -EnumsAsStrings (what ConvertTo-PortableJson
# calls there), callable without a cmdlet per object, which costs more than the conversion.
# Windows PowerShell 5.1 has no such type and goes through ConvertTo-PortableJson.
# https://learn.microsoft.com/powershell/module/microsoft.powershell.utility/convertto-json
$script:JsonContextType = $null
if ($PSVersionTable.PSEdition -eq 'Core') { $script:JsonContextType = 'Microsoft.PowerShell.Commands.JsonObject+ConvertToJsonContext' -as [type] }
# PSObject.Properties, called directly: `$object.PSObject` first makes the object a member set of
# that name, which for an object seen once cost close to half of its row (bench/objects.ps1,
# 100,000 objects: about 9 of the 20 microseconds an object took).
$script:PropertiesOf = [System.Delegate]::CreateDelegate([System.Func[psobject, object]], [psobject].GetProperty('Properties').GetGetMethod())
# How a CSV cell shows a value that is not text, decided once per type: a round-trip date, one
# invariant-culture scalar, or compact JSON.
$script:CellDate = 1
$script:CellScalar = 2
$script:CellJson = 3

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
        ToJson      = ${function:ConvertTo-PortableJson}
        JsonContext = $context
        CellKinds   = @{}
        # Set with the columns (Write-CsvRow): one row's values and cells, reused for every row,
        # and the names joined.
        Values      = $null
        Cells       = $null
        Names       = $null
        # The pipeline stage that writes this format, taken now: the script cannot stand in for it.
        Stage       = if ($File.format -eq 'csv') { ${function:Write-CsvRow} } else { ${function:Write-JsonValue} }
    }
}

# The writing is done by pipeline stages (Write-JsonValue, Write-CsvRow) that every object of the
# script's output passes through: a stage costs a fraction of a function call made per object,
# which would cost more than converting the object. $Route.data says whether the object passing
# now is one the script returned (not a log line of the runner's or Format-Table output); every
# object passes on, for the log.

function script:Add-ResultObject {
    # One object, outside a pipeline (tests): through the same stage.
    param($Writer, $Object)
    $null = , $Object | & $Writer.Stage -Writer $Writer -Route @{ data = $true }
}

filter script:Write-JsonValue {
    # .jsonl and .json: one compact JSON value per object (a pipeline stage; see above).
    param($Writer, $Route)
    if ($Route.data) {
        $Writer.Count++
        if ($null -ne $Writer.JsonContext) {
            # In a one-item array, so that the object reaches the serializer with its PowerShell
            # properties (a method call would unwrap it); the brackets go again.
            $json = [Microsoft.PowerShell.Commands.JsonObject]::ConvertToJson(@(, $_), [ref]$Writer.JsonContext)
            $json = $json.Substring(1, $json.Length - 2)
        } else {
            $json = ConvertTo-CompactJson $Writer $_
        }
        if ($Writer.Format -eq 'jsonl') {
            $Writer.Stream.WriteLine($json)
        } else {
            if ($Writer.Count -gt 1) { $Writer.Stream.Write(',') }
            $Writer.Stream.Write($json)
        }
    }
    $_
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
    @{ path = $Writer.Path; count = $Writer.Count; leftOut = $Writer.LeftOut.ToArray() }
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
    param([Parameter(Mandatory)][hashtable] $Writer, [AllowNull()] $Object)
    if ($null -ne $Writer.JsonContext) {
        $json = [Microsoft.PowerShell.Commands.JsonObject]::ConvertToJson(@(, $Object), [ref]$Writer.JsonContext)
        return $json.Substring(1, $json.Length - 2)
    }
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

function script:Get-CellKind {
    # How a value of this (non-null, not text) value's type becomes a cell; see $script:CellDate and after.
    param($Value)
    if ($Value -is [datetime] -or $Value -is [datetimeoffset]) { return $script:CellDate }
    if (Test-ScalarValue $Value) { return $script:CellScalar }
    $script:CellJson
}

function script:Get-RowProperties {
    # Name/value pairs of one object, as Export-Csv would see them; a scalar is one 'Value' column,
    # and so is a list the script returned whole (its cell is the list's JSON, as in .jsonl): its
    # own properties (Length, SyncRoot, ...) are the array's, not the script's data.
    param([AllowNull()] $Object)
    $row = [ordered]@{}
    if ((Test-ScalarValue $Object) -or $Object -is [System.Collections.IList]) {
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

function script:ConvertTo-CsvText {
    # One cell's text as RFC 4180 writes it: in quotes, doubled inside, only where it needs them.
    param([Parameter(Mandatory)][AllowEmptyString()][string] $Text)
    if ($Text.IndexOfAny($script:CsvSpecial) -ge 0) { return '"' + $Text.Replace('"', '""') + '"' }
    $Text
}

filter script:Write-CsvRow {
    # .csv: one row per object (a pipeline stage; see above).
    param($Writer, $Route)
    if (-not $Route.data) { return $_ }
    $Writer.Count++
    $Object = $_
    $values = $null
    $columns = $Writer.Columns
    $kinds = $Writer.CellKinds
    # The usual case, inline and without a try per property: an object (not a scalar, which is one
    # 'Value' column, nor a dictionary) whose properties are exactly the file's columns, in that
    # order. Anything else takes the general way below.
    if ($null -ne $columns -and $null -ne $Object) {
        $kind = $script:CellJson
        if ($Object -isnot [System.Management.Automation.PSCustomObject]) {
            $kind = $null
            if ($Object -isnot [System.Collections.IDictionary]) {
                $type = $Object.GetType()
                $kind = $kinds[$type]
                if ($null -eq $kind) { $kind = Get-CellKind $Object; $kinds[$type] = $kind }
            }
        }
        if ($kind -eq $script:CellJson) {
            # Listing the properties costs the most of a row: once, into an array.
            $properties = @($script:PropertiesOf.Invoke($Object))
            $same = $false
            if ($properties.Length -eq $columns.Length) {
                # The very same names, in one comparison of their joined text (see $Writer.Names);
                # or else one by one, as -ne compares names (invariant culture, any case).
                $same = $null -ne $Writer.Names -and [string]::Join("`n", $properties.Name) -ceq $Writer.Names
                if (-not $same) {
                    $same = $true
                    for ($i = 0; $i -lt $columns.Length; $i++) {
                        if ($properties[$i].Name -ne $columns[$i]) { $same = $false; break }
                    }
                }
            }
            if ($same) {
                $values = $Writer.Values
                $i = 0
                try {
                    foreach ($property in $properties) {
                        $values[$i] = $property.Value
                        $i++
                    }
                } catch {
                    # A property that cannot be read: the general way leaves that one cell empty.
                    $values = $null
                }
            }
        }
    }
    if ($null -eq $values) {
        $row = Get-RowProperties $Object
        if ($null -eq $Writer.Columns) {
            $Writer.Columns = [string[]]@($row.get_Keys())
            $Writer.Values = [object[]]::new($Writer.Columns.Length)
            $Writer.Cells = [string[]]::new($Writer.Columns.Length)
            # The names joined, compared with an object's in one go: only where that text tells
            # them apart (some names, none holding the line feed that joins them).
            if ($Writer.Columns.Length -gt 0 -and -not ($Writer.Columns -match "`n")) { $Writer.Names = [string]::Join("`n", $Writer.Columns) }
            $Writer.Stream.WriteLine((@(foreach ($name in $Writer.Columns) { ConvertTo-CsvText $name }) -join ','))
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
    }
    # The cells, inline: a function call per cell would cost more than the rest of the row. The
    # values and the cells go into arrays made once, with the columns, and reused for every row.
    $cells = $Writer.Cells
    # Locals: a script variable costs more to read, and these are read for each cell.
    $special = $script:CsvSpecial
    $invariant = $script:Invariant
    $i = 0
    foreach ($value in $values) {
        if ($value -is [string]) {
            if ($value.IndexOfAny($special) -ge 0) { $value = '"' + $value.Replace('"', '""') + '"' }
        } elseif ($null -ne $value) {
            $type = $value.GetType()
            $kind = $kinds[$type]
            if ($null -eq $kind) { $kind = Get-CellKind $value; $kinds[$type] = $kind }
            if ($kind -eq $script:CellDate) {
                # (A round-trip date has no character that needs quotes.)
                $value = $value.ToString('o', $invariant)
            } else {
                if ($kind -eq $script:CellScalar) {
                    $value = [System.Convert]::ToString($value, $invariant)
                } else {
                    # Nested objects and lists: compact JSON, which a spreadsheet shows and a program can read back.
                    $value = ConvertTo-CompactJson $Writer $value
                }
                if ($value.IndexOfAny($special) -ge 0) { $value = '"' + $value.Replace('"', '""') + '"' }
            }
        }
        $cells[$i] = $value
        $i++
    }
    $Writer.Stream.WriteLine([string]::Join(',', $cells))
    $Object
}
