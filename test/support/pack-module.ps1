<#
  Packs a module directory into a .nupkg in a folder, which PowerShellGet then serves as a
  file-based repository. Publish-Module would need nuget.exe or a `dotnet pack` of a
  netcoreapp2.0 project, neither of which every test machine has; a nupkg is a zip with a nuspec.
#>
param(
    [Parameter(Mandatory)][string] $ModulePath,
    [Parameter(Mandatory)][string] $Repository
)
$ErrorActionPreference = 'Stop'
$name = Split-Path -Leaf $ModulePath
# Test-ModuleManifest, not Import-PowerShellDataFile: a manifest may compute its RootModule from
# $PSEdition, as ExchangeOnlineManagement's does.
$manifest = Test-ModuleManifest -Path (Join-Path $ModulePath "$name.psd1")
$stage = Join-Path ([System.IO.Path]::GetTempPath()) ('pack-' + [guid]::NewGuid().ToString('N'))
Copy-Item -Recurse -Path $ModulePath -Destination $stage
try {
    $nuspec = New-Object System.Xml.XmlDocument
    $package = $nuspec.AppendChild($nuspec.CreateElement('package', 'http://schemas.microsoft.com/packaging/2011/08/nuspec.xsd'))
    $metadata = $package.AppendChild($nuspec.CreateElement('metadata', $package.NamespaceURI))
    # A prerelease's label lives in the manifest's PSData; the package version carries it.
    $version = [string]$manifest.Version
    $data = $manifest.PrivateData
    if ($data -is [hashtable] -and $data['PSData'] -is [hashtable] -and $data['PSData']['Prerelease']) { $version += '-' + ([string]$data['PSData']['Prerelease']).Trim().TrimStart('-') }
    $fields = [ordered]@{ id = $name; version = $version; authors = 'exo-connect-action tests'; description = [string]$manifest.Description; tags = 'PSModule' }
    foreach ($field in $fields.Keys) { $metadata.AppendChild($nuspec.CreateElement($field, $package.NamespaceURI)).InnerText = $fields[$field] }
    $nuspec.Save((Join-Path $stage "$name.nuspec"))
    [System.IO.Compression.ZipFile]::CreateFromDirectory($stage, (Join-Path $Repository "$name.$version.nupkg"))
} finally {
    Remove-Item -Recurse -Force -Path $stage
}
