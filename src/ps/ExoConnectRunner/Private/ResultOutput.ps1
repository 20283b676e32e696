# The `result` output: the first objects the script returns, as one JSON array that stays within
# GitHub's limit for one output (1 MB). Objects are converted in batches as they arrive, and
# collecting stops at the first object that would pass the limit, so neither this process nor the
# action ever holds much more than that for `result`, however much the script returns. A string
# the script returns that is longer than ResultStringLimit is cut before it is converted (a 600 MB
# string would otherwise be copied twice over), with a marker that says how much went.
# The collector is compiled (Native/ResultCollector.cs), and writes a batch of plain items itself
# (text, numbers, dates, GUIDs, Select-Object's rows, tables and lists of those); ConvertTo-ResultJson
# converts any other batch.
# That runs while the user's script runs and after it, so it calls nothing by name: an alias the
# script defined would take a call by name (see ExoConnectRunner.psm1).

$script:ResultBytesLimit = 1000000
$script:ResultStringLimit = 100000
# One ConvertTo-Json call per batch: a call per object would cost more than the script's output.
$script:ResultBatch = 100

function New-ResultCollector {
    # Compiled (Native/ResultCollector.cs): as script, its small functions' first calls cost each
    # run tens of milliseconds. It calls back ConvertTo-ResultJson for each batch.
    param([int] $Limit, [int] $Depth = 4)
    [ExoConnectRunner.Native.ResultCollector]::new($Limit, $Depth, $script:ResultBytesLimit, $script:ResultStringLimit, $script:ResultBatch,
        ${function:ConvertTo-ResultJson}, ${function:ConvertTo-PortableJson}, $script:HeldSecrets)
}

function Add-ResultItem {
    # An object the script returned that the output stage did not add itself (see the collector's
    # Pending): the last of a batch, long text, or one at the limit.
    param($Collector, $Object)
    $Collector.Add($Object)
}

function ConvertTo-ResultJson {
    # The items' JSON without the array's brackets, as a table: json and depthCut, or failed (the
    # reason) when they cannot be converted. The array takes one level, so the items get
    # result-depth levels, as in result-file. It sets nothing on the collector, which reads the
    # table: ConvertTo-Json runs the objects' property getters, the script's code, which may leave
    # a language mode in which this function could set no property of it (Native/KeptLanguageMode.cs).
    param($Collector, [object[]] $Items)
    try {
        # The cmdlet, not the serializer it calls: a stop (script-timeout, a cancel) interrupts it.
        $json = & $Collector.ToJson -InputObject $Items -Depth ($Collector.Depth + 1) -Compress -WarningAction SilentlyContinue -WarningVariable depthWarnings
    } catch {
        return @{ failed = [string]$_.Exception.Message }
    }
    # Its only warning: the JSON is truncated past -Depth (PowerShell 7; Windows PowerShell 5.1 says nothing).
    @{ json = $json.Substring(1, $json.Length - 2); depthCut = $depthWarnings.Count -gt 0 }
}

function Get-ResultJson {
    param([Parameter(Mandatory)][ExoConnectRunner.Native.ResultCollector] $Collector)
    [ExoConnectRunner.Native.ResultCollector]::Finish($Collector).json
}
