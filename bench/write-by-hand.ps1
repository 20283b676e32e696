# The hand-written step the action's result-file is measured against: the same objects, written
# the way people write them in a `shell: pwsh` step. BENCH_FORMAT is jsonl or csv; BENCH_OUT the file.
# Writes how long the writing took (ms) to BENCH_TOOK, as the action's Script phase reports its own.
$ErrorActionPreference = 'Stop'
$objects = Join-Path $PSScriptRoot 'objects.ps1'
$clock = [System.Diagnostics.Stopwatch]::StartNew()
if ($env:BENCH_FORMAT -eq 'csv') {
    # PowerShell 7 writes UTF-8 without BOM by default, as the action does.
    & $objects | Export-Csv -Path $env:BENCH_OUT -NoTypeInformation
} else {
    $writer = [System.IO.StreamWriter]::new($env:BENCH_OUT, $false, [System.Text.UTF8Encoding]::new($false))
    try {
        & $objects | ForEach-Object { $writer.WriteLine((ConvertTo-Json -InputObject $_ -Compress -Depth 4)) }
    } finally {
        $writer.Dispose()
    }
}
[System.IO.File]::WriteAllText($env:BENCH_TOOK, [string]$clock.ElapsedMilliseconds)
