# ExchangeOnlineManagement: choose the copy to load, and import exactly that copy; when the pinned
# release is not there yet, ModuleSave.ps1 saves it into the action's private directory.

# How this run got the module it saved, for the log's module line: { installer, ms } when it saved
# it, { installer = $null, ms } when another run saved it while this one waited ms for it; $null
# when it saved none.
$script:ModuleSave = $null

function Get-ModuleCopy {
    # Reads each copy's manifest as data: Get-Module -ListAvailable lists a copy that needs a newer
    # PowerShell as version 0.0, which would hide why it cannot load. A computed entry keeps what
    # Get-Module read. A prerelease keeps its label in the manifest (PrivateData.PSData.Prerelease),
    # not in ModuleVersion or its folder's name:
    # https://learn.microsoft.com/powershell/gallery/concepts/module-prerelease-support
    param([Parameter(Mandatory)][string] $Name)
    foreach ($listed in & $SafeCommands['Get-Module'] -ListAvailable -Name $Name) {
        $copy = [pscustomobject]@{ Version = $listed.Version; Prerelease = (Get-PrereleaseLabel -Module $listed); PowerShellVersion = $listed.PowerShellVersion; Path = $listed.Path }
        if ($listed.Path -like '*.psd1') {
            # A manifest the runner cannot read keeps what Get-Module read.
            try {
                $manifest = Read-ManifestData -Path $listed.Path
                if ($manifest.ModuleVersion) { $copy.Version = [version]$manifest.ModuleVersion }
                if ($manifest.PowerShellVersion) { $copy.PowerShellVersion = [version]$manifest.PowerShellVersion }
                if ($manifest.Prerelease) { $copy.Prerelease = ConvertTo-PrereleaseLabel $manifest.Prerelease }
            } catch {
                & $SafeCommands['Write-Verbose'] "$($listed.Path): $($_.Exception.Message)"
            }
        }
        $copy
    }
}

function Get-ModuleVersionText {
    # The version that runs, with its prerelease label, as Join-VersionLabel writes it. Compiled
    # (Native/ModuleFacts.cs), as are the pinned import's other reads of the module.
    param([Parameter(Mandatory)][System.Management.Automation.PSModuleInfo] $Module)
    [ExoConnectRunner.Native.ModuleFacts]::VersionText($Module)
}

function Join-VersionLabel {
    # A version with its prerelease label, as module-version writes it: 3.10.0-Preview1, or 3.10.0.
    # A manifest that names no version (empty, damaged, or computed) gives ''.
    param([Parameter(Mandatory)][AllowNull()] $Version, [AllowEmptyString()][string] $Label)
    if ($Label) { return "$Version-$Label" }
    [string]$Version
}

function Get-PrereleaseLabel {
    # A loaded or listed module's prerelease label, '' for a release (Native/ModuleFacts.cs).
    param([Parameter(Mandatory)][System.Management.Automation.PSModuleInfo] $Module)
    [ExoConnectRunner.Native.ModuleFacts]::PrereleaseLabel($Module)
}

function ConvertTo-PrereleaseLabel {
    # As PowerShellGet reads a manifest's Prerelease: without spaces or a leading '-'.
    param([AllowNull()] $Value)
    [ExoConnectRunner.Native.ModuleFacts]::Label($Value)
}

function Read-ManifestData {
    # ModuleVersion, PowerShellVersion and PrivateData.PSData.Prerelease of a module manifest, read
    # from its syntax tree. Import-PowerShellDataFile refuses a whole manifest when any of its
    # entries is computed, and ExchangeOnlineManagement's own picks its RootModule with an if
    # statement on $PSEdition. An entry that is missing or not a constant reads as $null.
    param([Parameter(Mandatory)][string] $Path)
    $tokens = $null
    $errors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseFile($Path, [ref]$tokens, [ref]$errors)
    # The manifest's own table: the first in the file, as the search goes outside in.
    $manifest = $ast.Find({ param($node) $node -is [System.Management.Automation.Language.HashtableAst] }, $false)
    $psData = Get-ManifestEntry -Table (Get-ManifestEntry -Table $manifest -Name 'PrivateData') -Name 'PSData'
    @{
        ModuleVersion     = Get-ManifestConstant (Get-ManifestEntry -Table $manifest -Name 'ModuleVersion')
        PowerShellVersion = Get-ManifestConstant (Get-ManifestEntry -Table $manifest -Name 'PowerShellVersion')
        Prerelease        = Get-ManifestConstant (Get-ManifestEntry -Table $psData -Name 'Prerelease')
    }
}

function Get-ManifestEntry {
    # The expression an entry of a manifest's table holds (names compared without case), or $null.
    param([AllowNull()] $Table, [Parameter(Mandatory)][string] $Name)
    if ($Table -isnot [System.Management.Automation.Language.HashtableAst]) { return $null }
    foreach ($pair in $Table.KeyValuePairs) {
        if ($pair.Item1 -is [System.Management.Automation.Language.StringConstantExpressionAst] -and $pair.Item1.Value -eq $Name) {
            if ($pair.Item2 -is [System.Management.Automation.Language.PipelineAst]) { return $pair.Item2.GetPureExpression() }
            return $null
        }
    }
    $null
}

function Get-ManifestConstant {
    param([AllowNull()] $Expression)
    if ($Expression -isnot [System.Management.Automation.Language.ExpressionAst]) { return $null }
    try { $Expression.SafeGetValue() } catch { $null }
}

function Select-ModuleCopy {
    # The copies that satisfy module-version. A pinned version is matched with its prerelease label,
    # or with none: 3.9.0-Preview1 is not 3.9.0. latest means the newest release, so only a copy this
    # action saved (today's cache) counts; installed takes whatever the image has.
    param([Parameter(Mandatory)] $Module, [AllowEmptyCollection()][object[]] $Copies = @())
    $wanted = $Module.version
    $label = ''
    $dash = $wanted.IndexOf([char]'-')
    if ($dash -ge 0) {
        $label = $wanted.Substring($dash + 1)
        $wanted = $wanted.Substring(0, $dash)
    }
    # Inside the save's folder, not only named like it: latest-<day> is a prefix of another feed's latest-<day>-<key>.
    $savedFolder = ''
    if ($Module.version -eq 'latest') { $savedFolder = ([string]$Module.path).TrimEnd([char[]]@('/', '\')) + [System.IO.Path]::DirectorySeparatorChar }
    foreach ($copy in $Copies) {
        if ($Module.version -eq 'installed') { $copy }
        elseif ($Module.version -eq 'latest') { if ($copy.Path.StartsWith($savedFolder, [System.StringComparison]::OrdinalIgnoreCase)) { $copy } }
        elseif ($copy.Version -eq [version]$wanted -and $copy.Prerelease -eq $label) { $copy }
    }
}

# The module Import-ExchangeModule imported; $null for Exchange Server, which needs none.
$script:ExchangeModule = $null

function Import-ExchangeModule {
    param([Parameter(Mandatory)] $Module)
    $script:ModuleSave = $null
    if ($Module.version -ne 'installed') { $env:PSModulePath = $Module.path + [System.IO.Path]::PathSeparator + $env:PSModulePath }
    $imported = Import-PinnedModule -Module $Module
    if ($null -eq $imported) { $imported = Import-ListedModule -Module $Module }
    $script:ExchangeModule = $imported
    # Register-ExchangeCommand and Get-ModuleVersionText, compiled.
    [ExoConnectRunner.Native.ModuleFacts]::RegisterCommands($imported, $script:ExchangeCommandNames, $script:SafeCommands)
    $version = [ExoConnectRunner.Native.ModuleFacts]::VersionText($imported)
    Write-RunnerEvent @{ event = 'module'; name = $Module.name; version = $version; path = $imported.ModuleBase }
    # The action saves the module's folder to the Actions cache after the script: what it held
    # before the script is reported now, for the action to compare (Get-FolderDigest).
    if ((Get-ConfigValue $Module 'digest') -eq $true -and $null -ne $Module.path -and [System.IO.Directory]::Exists($Module.path)) { Write-ModuleDigest -Folder $Module.path }
    # The one line that says which copy runs and where it came from; the action's Node side prints none.
    Write-RunnerLog (ConvertTo-LogLine "$($Module.name) $version from $($imported.ModuleBase) ($(Get-ModuleOrigin -Module $Module -Imported $imported))")
    if ($Module.version -eq 'installed') { Write-InstalledModuleNotice -Module $Module -Imported $imported -Version $version }
}

function Get-ModuleOrigin {
    param([Parameter(Mandatory)] $Module, [Parameter(Mandatory)][System.Management.Automation.PSModuleInfo] $Imported)
    if ($null -ne $script:ModuleSave) {
        if ($script:ModuleSave.installer) { return "saved from $($Module.repository) with $($script:ModuleSave.installer) in $($script:ModuleSave.ms) ms" }
        return "saved by another run on this runner, which this run waited $($script:ModuleSave.ms) ms for"
    }
    if ($Module.version -eq 'installed') { return 'found on PSModulePath, module-version installed' }
    $saved = Get-ConfigValue $Module 'path'
    if ($saved) {
        $saved = $saved.TrimEnd([char[]]@('/', '\')) + [System.IO.Path]::DirectorySeparatorChar
        if (($Imported.ModuleBase + [System.IO.Path]::DirectorySeparatorChar).StartsWith($saved, [System.StringComparison]::OrdinalIgnoreCase)) { return 'already saved, by an earlier run or from the Actions cache' }
    }
    'found on PSModulePath'
}

function Write-InstalledModuleNotice {
    # installed takes the newest copy the runner has, which may be a prerelease or older than the
    # release this action is tested with: either is worth a line beside the job.
    # Version: the imported copy's, with its prerelease label (Get-ModuleVersionText).
    param([Parameter(Mandatory)] $Module, [Parameter(Mandatory)][System.Management.Automation.PSModuleInfo] $Imported, [Parameter(Mandatory)][string] $Version)
    $tested = [string]$Module.testedVersion
    if (Get-PrereleaseLabel -Module $Imported) {
        Write-RunnerAnnotation -Kind 'notice' -Message "module-version installed runs $($Module.name) $Version, a prerelease: the newest copy on PSModulePath. To run a release, pin one, such as module-version $tested."
    }
    $testedNumber = $null
    if ([version]::TryParse($tested.Split('-')[0], [ref]$testedNumber) -and $Imported.Version -lt $testedNumber) {
        Write-RunnerAnnotation -Kind 'notice' -Message "module-version installed runs $($Module.name) $Version, older than $tested, the version this release of the action is tested with. Update the module on the runner, or pin module-version $tested."
    }
}

# Import-Module's error for a pinned copy it cannot load here: one that needs a newer PowerShell.
$script:PinnedModuleMisses = @(
    'Modules_InsufficientPowerShellVersion,Microsoft.PowerShell.Commands.ImportModuleCommand'
)

function Write-ModuleDigest {
    # The module-digest event for the folder the action may save to the Actions cache.
    param([Parameter(Mandatory)][string] $Folder)
    Import-RunnerFile -Path 'Private/ConcurrentSave.ps1'
    # saved: this run downloaded the copy (not another job on the runner, whose script ran meanwhile).
    $saved = $null -ne $script:ModuleSave -and [bool]$script:ModuleSave.installer
    try {
        Write-RunnerEvent @{ event = 'module-digest'; digest = Get-FolderDigest -Folder $Folder; saved = $saved }
    } catch {
        # No digest, no cache save: never a reason to fail the run.
        & $SafeCommands['Write-Verbose'] "module digest: $($_.Exception.Message)"
    }
}

function Import-PinnedModule {
    # A pinned release, as a cache hit leaves it: the copy PowerShell's own look-up would take (the
    # first <folder>/<name>/<version> on PSModulePath, the action's folder first), imported by its
    # path, reading no other copy's manifest. $null when there is none, when that copy is a
    # prerelease of the same version (its label is in the manifest, not the folder's name), or for
    # the miss above: Import-ListedModule then installs the release, or says which to pin.
    # Any other failure (the module's own code throwing, say) is the user's to see, as is. A
    # prerelease pin is left to Import-ListedModule too.
    param([Parameter(Mandatory)] $Module)
    if ($Module.version -eq 'latest' -or $Module.version -eq 'installed' -or $Module.version.Contains('-')) { return $null }
    # The first <folder>/<name>/<version>/<name>.psd1 on PSModulePath, and Test-PrereleaseManifest's
    # first test, compiled (Native/ModuleFacts.cs).
    $path = [ExoConnectRunner.Native.ModuleFacts]::FindPinnedCopy($env:PSModulePath, $Module.name, $Module.version)
    if ($null -eq $path -or ([ExoConnectRunner.Native.ModuleFacts]::MayNamePrerelease($path) -and (Test-PrereleaseManifest -Path $path))) { return $null }
    try {
        $imported = & $SafeCommands['Import-Module'] -Name $path -PassThru -DisableNameChecking -Global
    } catch {
        if ($script:PinnedModuleMisses -notcontains $_.FullyQualifiedErrorId) { throw }
        return $null
    }
    # A label the manifest computes shows only once loaded; the module's code has run by then:
    # say so, rather than run on it.
    $label = [ExoConnectRunner.Native.ModuleFacts]::PrereleaseLabel($imported)
    if ($label) {
        throw "$($Module.name) $($Module.version) at $($imported.ModuleBase) is the prerelease $($Module.version)-$label, not the release that module-version $($Module.version) asks for. Remove that copy from the runner, or pin module-version $($Module.version)-$label."
    }
    $imported
}

function Test-PrereleaseManifest {
    # Whether a manifest gives a prerelease label as a constant. A release's manifest usually has no
    # Prerelease entry at all, and reading its syntax tree costs each run about 20 ms before
    # Import-Module parses it again. So the tree is read only when the text has the word, or a
    # character that could spell the key another way: a backtick escape, or anything outside ASCII
    # (a comparison by culture ignores a soft hyphen). A label computed at import is caught after it
    # (Get-PrereleaseLabel).
    param([Parameter(Mandatory)][string] $Path)
    if (-not [ExoConnectRunner.Native.ModuleFacts]::MayNamePrerelease($Path)) { return $false }
    [bool](ConvertTo-PrereleaseLabel (Read-ManifestData -Path $Path).Prerelease)
}

function Find-RequestedCopy {
    # The copies on PSModulePath that module-version asks for.
    param([Parameter(Mandatory)] $Module)
    Select-ModuleCopy -Module $Module -Copies @(Get-ModuleCopy -Name $Module.name)
}

function Import-ModuleSaveFile {
    # The save's files (Save-ExchangeModule and what it calls), loaded for a save only (RunnerFiles.ps1).
    foreach ($file in @('Private/WindowsPowerShell.ps1', 'Private/ConcurrentSave.ps1', 'Private/FeedRegistration.ps1', 'Private/ModuleSave.ps1')) { Import-RunnerFile -Path $file }
}

function Import-ListedModule {
    # Every copy on PSModulePath, read as data, the one module-version asks for imported; installed
    # first when there is none.
    param([Parameter(Mandatory)] $Module)
    $candidates = @(Find-RequestedCopy -Module $Module)
    if ($candidates.Count -eq 0 -and $Module.version -ne 'installed') {
        Import-ModuleSaveFile
        Save-ExchangeModule -Module $Module
        $candidates = @(Find-RequestedCopy -Module $Module)
    }
    # The newest version; of one version, the release before a prerelease of it (SemVer), wherever
    # each is on PSModulePath.
    $candidates = @($candidates | & $SafeCommands['Sort-Object'] -Property @{ Expression = 'Version'; Descending = $true }, @{ Expression = { [bool]$_.Prerelease }; Descending = $false })
    if ($candidates.Count -eq 0) {
        if ($Module.version -eq 'installed') { throw "$($Module.name) is not installed, and module-version installed installs nothing. Use module-version $($Module.testedVersion) to install it." }
        throw "$($Module.name) $($Module.version) is not in $($Module.path) after the install."
    }
    $chosen = $candidates[0]
    if ($null -ne $chosen.PowerShellVersion -and $PSVersionTable.PSVersion -lt $chosen.PowerShellVersion) {
        throw "$($Module.name) $($chosen.Version) requires a minimum PowerShell version of $($chosen.PowerShellVersion); this runner has $($PSVersionTable.PSVersion). Pin module-version to a release that supports PowerShell $($PSVersionTable.PSVersion), such as $($Module.testedVersion) (tested with this release of the action), or use a newer PowerShell."
    }
    # The exact copy chosen, so that another one on the image's PSModulePath cannot win.
    & $SafeCommands['Import-Module'] -Name $chosen.Path -PassThru -DisableNameChecking -Global
}
