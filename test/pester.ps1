<#
  Runs the PowerShell side's Pester tests (files named *.Tests.ps1 beside the code they test)
  with the Pester that script/bootstrap restored, and writes the counts for script/test's
  closing line. Usage: pwsh -NoProfile -File test/pester.ps1 [path ...]
#>
param([string[]] $Path = @('src/ps', 'sandbox', 'test/ps'))
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = Split-Path -Parent $PSScriptRoot
Set-Location -LiteralPath $root
Import-Module -Name (Get-Content -LiteralPath (Join-Path $root '.tools/pester-path') -Raw).Trim() -Force

$configuration = New-PesterConfiguration
$configuration.Run.Path = @($Path | Where-Object { Test-Path -LiteralPath $_ })
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
