<#
  Runs the PowerShell side's Pester tests (files named *.Tests.ps1 beside the code they test)
  with the Pester that script/bootstrap restored, and writes the counts for script/test's
  closing line. Usage: pwsh -NoProfile -File test/pester.ps1 [path ...]
  (pwsh -File passes each path as its own argument; all of them are taken.)
#>
param([Parameter(ValueFromRemainingArguments)][string[]] $Path = @('src/ps', 'sandbox', 'test/ps'))
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = Split-Path -Parent $PSScriptRoot
Set-Location -LiteralPath $root
Import-Module -Name (Get-Content -LiteralPath (Join-Path $root '.tools/pester-path') -Raw).Trim() -Force
# The runner module's compiled part (src/ps/ExoConnectRunner/Native), which `npm run build` builds;
# built here when a test run comes first, or when its source changed since.
$native = Join-Path $root 'src/ps/ExoConnectRunner/bin/ExoConnectRunner.Native.dll'
$built = if (Test-Path -LiteralPath $native) { (Get-Item -LiteralPath $native).LastWriteTimeUtc } else { [datetime]::MinValue }
if (@(Get-ChildItem -LiteralPath (Join-Path $root 'src/ps/ExoConnectRunner/Native') -File | Where-Object { $_.LastWriteTimeUtc -gt $built }).Count -gt 0) {
    & node (Join-Path $root 'script/build.mjs') --native
    if ($LASTEXITCODE -ne 0) { throw "test/pester.ps1: building the runner's compiled part failed (exit code $LASTEXITCODE)." }
}

$configuration = New-PesterConfiguration
$missing = @($Path | Where-Object { -not (Test-Path -LiteralPath $_) })
if ($missing.Count -gt 0) { throw "test/pester.ps1: no such path: $($missing -join ', ')" }
$configuration.Run.Path = $Path
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Normal'
# The module-save tests take the save lock and register feeds in the account's data folders: the
# lock and PSResourceGet's store in .NET's LocalApplicationData (XDG_DATA_HOME), PowerShellGet 2's
# store in PowerShell's cache folder (XDG_CACHE_HOME). This run gets folders of its own, removed
# after it, so that it leaves nothing in the home folder. Set before anything loads an installer:
# each reads its store's path once per process.
$private = Join-Path ([System.IO.Path]::GetTempPath()) ('exo-pester-' + [guid]::NewGuid().ToString('N'))
$env:XDG_DATA_HOME = Join-Path $private 'data'
$env:XDG_CACHE_HOME = Join-Path $private 'cache'
foreach ($folder in @($env:XDG_DATA_HOME, $env:XDG_CACHE_HOME)) { [void](New-Item -ItemType Directory -Path $folder) }
try {
    $result = Invoke-Pester -Configuration $configuration
} finally {
    Remove-Item -LiteralPath $private -Recurse -Force -ErrorAction SilentlyContinue
}

$counts = [ordered]@{
    passed  = $result.PassedCount
    failed  = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
    skipped = $result.SkippedCount + $result.NotRunCount
}
[System.IO.File]::WriteAllText((Join-Path $root '.tools/pester-results.json'), (ConvertTo-Json $counts -Compress))
if ($counts.failed -gt 0 -or $result.TotalCount -eq 0) { exit 1 }
exit 0
