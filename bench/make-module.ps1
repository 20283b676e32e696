<#
  Makes a stand-in for ExchangeOnlineManagement 3.9.0 as its gallery package unpacks: about 200
  files and 45 MB, mostly assemblies in netCore/ and netFramework/, a few of them megabytes large.
  The assemblies are bytes, not code (40% random, the rest zeros, so that they pack to about 40%
  as .NET assemblies do); the manifest and the .psm1 are real, so the module imports. Then packs
  it into a folder feed with test/support/pack-module.ps1.
#>
param(
    [Parameter(Mandatory)][string] $Root,
    [int] $Seed = 3090
)
$ErrorActionPreference = 'Stop'
$name = 'ExchangeOnlineManagement'
$module = Join-Path $Root "src/$name"
$feed = Join-Path $Root 'feed'
$random = [System.Random]::new($Seed)

function New-Blob {
    param([string] $Path, [int] $Bytes)
    $data = [byte[]]::new($Bytes)
    $noise = [byte[]]::new([int]($Bytes * 0.4))
    $random.NextBytes($noise)
    # Random runs of 256 bytes spread through the file, zeros between them.
    $step = 640
    for ($at = 0; $at -lt $noise.Length; $at += 256) {
        $run = [Math]::Min(256, $noise.Length - $at)
        $to = [int](($at / 256) * $step)
        if ($to + $run -gt $Bytes) { break }
        [Array]::Copy($noise, $at, $data, $to, $run)
    }
    [System.IO.File]::WriteAllBytes($Path, $data)
}

$kb = 1024
$mb = 1024 * 1024
foreach ($framework in @('netCore', 'netFramework')) {
    $dir = Join-Path $module $framework
    [void](New-Item -ItemType Directory -Force -Path $dir)
    # The large assemblies (REST client, identity, OData and the like), then medium and small ones.
    $large = @((5 * $mb), [int](3.5 * $mb), [int](2.5 * $mb), [int](1.8 * $mb), [int](1.5 * $mb), [int](1.2 * $mb))
    $i = 0
    foreach ($size in $large) { $i++; New-Blob -Path (Join-Path $dir ("Large.Assembly{0:D2}.dll" -f $i)) -Bytes $size }
    for ($i = 1; $i -le 20; $i++) { New-Blob -Path (Join-Path $dir ("Medium.Assembly{0:D2}.dll" -f $i)) -Bytes (150 * $kb + $random.Next(200 * $kb)) }
    for ($i = 1; $i -le 71; $i++) { New-Blob -Path (Join-Path $dir ("Small.Assembly{0:D2}.dll" -f $i)) -Bytes (4 * $kb + $random.Next(22 * $kb)) }
}
foreach ($extra in @('license.txt', 'ExchangeOnlineManagement.format.ps1xml', 'Microsoft.Exchange.Management.RestApiClient.dll-Help.xml', 'ExchangeOnlineManagement-Help.xml')) {
    Set-Content -LiteralPath (Join-Path $module $extra) -Value ('x' * (20 * $kb + $random.Next(200 * $kb)))
}
Set-Content -LiteralPath (Join-Path $module "$name.psm1") -Value @'
function Connect-ExchangeOnline { param($AppId, $Certificate, $Organization, [switch] $ShowBanner) }
function Disconnect-ExchangeOnline { [CmdletBinding(SupportsShouldProcess)] param() }
function Connect-IPPSSession { param($AppId, $Certificate, $Organization) }
function Get-ConnectionInformation { }
'@
New-ModuleManifest -Path (Join-Path $module "$name.psd1") -RootModule "$name.psm1" -ModuleVersion '3.9.0' `
    -FunctionsToExport @('Connect-ExchangeOnline', 'Disconnect-ExchangeOnline', 'Connect-IPPSSession', 'Get-ConnectionInformation') `
    -PowerShellVersion '5.1' -Description 'Stand-in for ExchangeOnlineManagement 3.9.0, sized like it (exo-connect-action bench)'
# Its RootModule computed from $PSEdition, as in Microsoft's manifest.
$manifestPath = Join-Path $module "$name.psd1"
$text = Get-Content -LiteralPath $manifestPath -Raw
if ($text -notmatch "RootModule = '$name.psm1'") { throw "New-ModuleManifest wrote RootModule another way: $manifestPath" }
$text -replace "RootModule = '$name.psm1'", "RootModule = if (`$PSEdition -eq 'Core') { '$name.psm1' } else { '$name.psm1' }" |
    Set-Content -LiteralPath $manifestPath
[void](New-Item -ItemType Directory -Force -Path $feed)
& (Join-Path $PSScriptRoot '../test/support/pack-module.ps1') -ModulePath $module -Repository $feed
