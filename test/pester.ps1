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

$configuration = New-PesterConfiguration
$missing = @($Path | Where-Object { -not (Test-Path -LiteralPath $_) })
if ($missing.Count -gt 0) { throw "test/pester.ps1: no such path: $($missing -join ', ')" }
$configuration.Run.Path = $Path
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Normal'
$result = Invoke-Pester -Configuration $configuration

$counts = [ordered]@{
    passed  = $result.PassedCount
    failed  = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
    skipped = $result.SkippedCount + $result.NotRunCount
}
[System.IO.File]::WriteAllText((Join-Path $root '.tools/pester-results.json'), (ConvertTo-Json $counts -Compress))
if ($counts.failed -gt 0 -or $result.TotalCount -eq 0) { exit 1 }
exit 0
