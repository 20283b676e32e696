# ExchangeOnlineManagement: save the pinned release into the action's private directory when it is
# not there yet, choose the copy to load, and import exactly that copy.

function Save-ExchangeModule {
    # Saves the module into the action's private directory, from PSGallery or from a feed that is
    # registered for this install only. PowerShellGet loads on first use, only when a save is needed.
    param([Parameter(Mandatory)] $Module)
    $repository = $Module.repository
    $registered = $null
    if ($repository -ne 'PSGallery') {
        $registered = 'exo-connect-' + [guid]::NewGuid().ToString('N').Substring(0, 8)
        $source = $repository
        if ($source -like 'file:*') { $source = ([uri]$source).LocalPath }
        PowerShellGet\Register-PSRepository -Name $registered -SourceLocation $source -InstallationPolicy Trusted
        $repository = $registered
    }
    try {
        $save = @{ Name = $Module.name; Path = $Module.path; Repository = $repository; Force = $true }
        if ($Module.version -ne 'latest') { $save['RequiredVersion'] = $Module.version }
        [void](& $SafeCommands['New-Item'] -ItemType Directory -Force -Path $Module.path)
        PowerShellGet\Save-Module @save
    } finally {
        if ($registered) { PowerShellGet\Unregister-PSRepository -Name $registered }
    }
}

function Get-ModuleCopies {
    # Reads each copy's manifest as data: Get-Module -ListAvailable lists a copy that needs a newer
    # PowerShell as version 0.0, which would hide why it cannot load.
    param([Parameter(Mandatory)][string] $Name)
    foreach ($listed in & $SafeCommands['Get-Module'] -ListAvailable -Name $Name) {
        $copy = [pscustomobject]@{ Version = $listed.Version; PowerShellVersion = $listed.PowerShellVersion; Path = $listed.Path }
        if ($listed.Path -like '*.psd1') {
            $manifest = & $SafeCommands['Import-PowerShellDataFile'] -Path $listed.Path
            $copy.Version = [version]$manifest['ModuleVersion']
            $copy.PowerShellVersion = $null
            if ($manifest['PowerShellVersion']) { $copy.PowerShellVersion = [version]$manifest['PowerShellVersion'] }
        }
        $copy
    }
}

function Select-ModuleCopy {
    # The copies that satisfy module-version. latest means the newest release, so only a copy this
    # action saved (today's cache) counts; installed takes whatever the image has.
    param([Parameter(Mandatory)] $Module, [AllowEmptyCollection()][object[]] $Copies = @())
    $wanted = $Module.version -replace '-.*$', ''
    foreach ($copy in $Copies) {
        if ($Module.version -eq 'installed') { $copy }
        elseif ($Module.version -eq 'latest') { if ($copy.Path.StartsWith($Module.path, [System.StringComparison]::OrdinalIgnoreCase)) { $copy } }
        elseif ($copy.Version -eq [version]$wanted) { $copy }
    }
}

function Import-ExchangeModule {
    param([Parameter(Mandatory)] $Module)
    if ($Module.version -ne 'installed') { $env:PSModulePath = $Module.path + [System.IO.Path]::PathSeparator + $env:PSModulePath }
    $candidates = @(Select-ModuleCopy -Module $Module -Copies @(Get-ModuleCopies -Name $Module.name))
    if ($candidates.Count -eq 0 -and $Module.version -ne 'installed') {
        Save-ExchangeModule -Module $Module
        $candidates = @(Select-ModuleCopy -Module $Module -Copies @(Get-ModuleCopies -Name $Module.name))
    }
    $candidates = @($candidates | & $SafeCommands['Sort-Object'] -Property Version -Descending)
    if ($candidates.Count -eq 0) {
        if ($Module.version -eq 'installed') { throw "$($Module.name) is not installed, and module-version installed installs nothing. Use module-version $($Module.testedVersion) to install it." }
        throw "$($Module.name) $($Module.version) is not in $($Module.path) after the install."
    }
    $chosen = $candidates[0]
    if ($null -ne $chosen.PowerShellVersion -and $PSVersionTable.PSVersion -lt $chosen.PowerShellVersion) {
        throw "$($Module.name) $($chosen.Version) requires a minimum PowerShell version of $($chosen.PowerShellVersion); this runner has $($PSVersionTable.PSVersion). Pin module-version to a release that supports PowerShell $($PSVersionTable.PSVersion), such as $($Module.testedVersion) (tested with this release of the action), or use a newer PowerShell."
    }
    # The exact copy chosen, so that another one on the image's PSModulePath cannot win.
    $imported = & $SafeCommands['Import-Module'] -Name $chosen.Path -PassThru -DisableNameChecking -Global
    Register-ExchangeCommand -Module $imported
    Write-RunnerEvent @{ event = 'module'; name = $Module.name; version = [string]$imported.Version; path = $imported.ModuleBase }
}
