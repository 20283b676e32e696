# ExchangeOnlineManagement: save the pinned release into the action's private directory when it is
# not there yet (Import-ListedModule in ModuleProvisioning.ps1 decides).
# Loaded when needed (Import-RunnerFile): its functions are defined as script: so that they land in
# the module's scope when the file is dot-sourced from a function.

function script:Save-ExchangeModule {
    # Saves the module into the action's private directory, from PSGallery or from a feed that is
    # registered for this install only. PSResourceGet (shipped with PowerShell 7.4 and later) saves
    # several times faster than PowerShellGet 2 and also reads NuGet v3 feeds; Windows PowerShell 5.1
    # and older PowerShell 7 releases use PowerShellGet 2. Either loads only when a save is needed.
    # Other runs on the machine may be saving it too: one at a time, each copy renamed into place
    # whole (ConcurrentSave.ps1). A feed registered for the save is unregistered after it, and
    # one that a killed run left is unregistered by the next save (FeedRegistration.ps1).
    param([Parameter(Mandatory)] $Module, [ValidateSet('auto', 'PSResourceGet', 'PowerShellGet')][string] $Installer = 'auto')
    if ($Installer -eq 'auto') { $Installer = Select-ModuleInstaller }
    $lock = Enter-ModuleSaveLock -What "$($Module.name) $($Module.version)"
    try {
        # Saved by the run this one waited for, or by one that finished just before.
        if (@(Find-RequestedCopy -Module $Module).Count -gt 0) {
            if ($lock.WaitedMs -gt 0) { $script:ModuleSave = @{ installer = $null; ms = $lock.WaitedMs } }
            return
        }
        Initialize-WindowsPowerShellGet -Installer $Installer
        [void](& $SafeCommands['New-Item'] -ItemType Directory -Force -Path $Module.path)
        # The folders New-Item may just have made: up to the action's own in the tool cache
        # (<tool cache>/exo-connect-action/modules/<shell>/<version>, provisioning.ts), else this one.
        $made = [System.Collections.Generic.List[string]]::new()
        $folder = $Module.path
        while ($made.Count -lt 4 -and $folder) {
            $made.Add($folder)
            if ([System.IO.Path]::GetFileName($folder) -eq 'exo-connect-action') { break }
            $folder = [System.IO.Path]::GetDirectoryName($folder)
        }
        if ([System.IO.Path]::GetFileName($made[$made.Count - 1]) -ne 'exo-connect-action') { $made = @($Module.path) }
        foreach ($folder in $made) { Remove-SharedWrite -Path $folder }
        Remove-StaleStaging -Destination $Module.path
        Unregister-LeftFeed -Installer $Installer
        $staging = New-SaveStaging -Destination $Module.path
        try {
            # A feed that does not answer holds the installer, which does not end at a stop: the
            # action then ends PowerShell, and learns from this that the download had not finished.
            Write-RunnerEvent @{ event = 'module-saving' }
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            if ($Installer -eq 'PSResourceGet') { Save-WithPSResourceGet -Module $Module -Path $staging.Path } else { Save-WithPowerShellGet -Module $Module -Path $staging.Path }
            Assert-SavedVersion -Module $Module -Staging $staging.Path
            Publish-StagedSave -Staging $staging -Destination $Module.path
            $ms = $clock.ElapsedMilliseconds
        } finally {
            Remove-SaveStaging -Staging $staging
            # A save that failed leaves no empty folder of its version behind (a mistyped one's, say);
            # one that cannot be removed (another account's run is saving into it) is no failure.
            try {
                if ([System.IO.Directory]::GetFileSystemEntries($Module.path).Length -eq 0) { [System.IO.Directory]::Delete($Module.path) }
            } catch {
                & $SafeCommands['Write-Verbose'] "$($Module.path): $($_.Exception.Message)"
            }
        }
    } finally {
        $lock.Stream.Dispose()
    }
    $script:ModuleSave = @{ installer = $Installer; ms = $ms }
    Write-RunnerEvent @{ event = 'module-saved'; installer = $Installer; ms = $ms }
}

function script:Assert-SavedVersion {
    # What the installer saved is what module-version asks for, before it goes where every later
    # run would take it for the saved copy: an installer can save another package than the version
    # it was given (from a feed that lists a prerelease of the version before the release, say).
    param([Parameter(Mandatory)] $Module, [Parameter(Mandatory)][string] $Staging)
    $folder = [System.IO.Path]::Combine($Staging, $Module.name)
    if (-not [System.IO.Directory]::Exists($folder)) { return }
    foreach ($version in [System.IO.Directory]::GetDirectories($folder)) {
        $manifest = [System.IO.Path]::Combine($version, $Module.name + '.psd1')
        $data = $null
        try { $data = Read-ManifestData -Path $manifest } catch { & $SafeCommands['Write-Verbose'] "${manifest}: $($_.Exception.Message)" }
        if ($null -eq $data -or -not $data.ModuleVersion) { continue }
        $copy = [pscustomobject]@{ Version = [version]$data.ModuleVersion; Prerelease = (ConvertTo-PrereleaseLabel $data.Prerelease); Path = $manifest }
        # latest is the newest release, whichever: only a prerelease is not one.
        $asked = if ($Module.version -eq 'latest') { -not $copy.Prerelease } else { @(Select-ModuleCopy -Module $Module -Copies @($copy)).Count -gt 0 }
        if ($asked) { continue }
        $saved = Join-VersionLabel -Version $copy.Version -Label $copy.Prerelease
        $wanted = if ($Module.version -eq 'latest') { 'the newest release (module-version latest)' } else { "module-version $($Module.version)" }
        throw "The installer saved $($Module.name) $saved from $($Module.repository) for $wanted, so nothing was kept. Check what the feed lists under that version, or name another feed (a folder feed lists its packages by file name)."
    }
}

function script:Select-ModuleInstaller {
    if (@(& $SafeCommands['Get-Module'] -ListAvailable -Name 'Microsoft.PowerShell.PSResourceGet').Count -gt 0) { 'PSResourceGet' } else { 'PowerShellGet' }
}

function script:Save-WithPSResourceGet {
    # https://learn.microsoft.com/powershell/module/microsoft.powershell.psresourceget/save-psresource
    param([Parameter(Mandatory)] $Module, [Parameter(Mandatory)][string] $Path)
    $repository = $Module.repository
    # Set once module-repository is registered (FeedRegistration.ps1): a registration that failed
    # has nothing to unregister.
    $feed = $null
    try {
        if ($repository -ne 'PSGallery') {
            $feed = Register-SaveFeed -Installer 'PSResourceGet' -Repository $repository
            $repository = $feed.Name
        }
        $save = @{ Name = $Module.name; Path = $Path; Repository = $repository; TrustRepository = $true; Quiet = $true }
        if ($Module.version -ne 'latest') { $save['Version'] = $Module.version }
        if ($Module.version -like '*-*') { $save['Prerelease'] = $true }
        Microsoft.PowerShell.PSResourceGet\Save-PSResource @save
    } catch {
        if (Test-RepositoryStoreError $_.Exception.Message) { throw (Get-RepositoryStoreMessage -Message $_.Exception.Message) }
        # The feed answered without that version: say what it has rather than the installer's
        # 'could not be installed', which reads like a feed that cannot be reached.
        if ($_.Exception.GetType().Name -eq 'ResourceNotFoundException') {
            $versions = Get-FeedVersion -Installer 'PSResourceGet' -Name $Module.name -Repository $repository
            if ($null -ne $versions) { throw (Get-MissingVersionMessage -Module $Module -Versions $versions) }
        }
        # Named as module-repository gave it, not by the name it was registered under for this install.
        if ($null -ne $feed) { throw $_.Exception.Message.Replace("'$($feed.Name)'", "'$($Module.repository)'") }
        throw
    } finally {
        if ($null -ne $feed) { Unregister-SaveFeed -Feed $feed }
    }
}

function script:Test-RepositoryStoreError {
    # PSResourceGet's words for a repository store it cannot read or write ('Repository store may be
    # corrupted', 'Loading repository store failed: Root element is missing').
    param([AllowNull()][string] $Message)
    [bool]($Message -match 'repository store')
}

function script:Get-RepositoryStoreMessage {
    # Names the file. PSResourceGet's own message ends with 'Try running Reset-PSResourceRepository',
    # which also drops every repository registered for the account: the hint says how to do it
    # without losing them, so that advice is left out here.
    # https://learn.microsoft.com/powershell/module/microsoft.powershell.psresourceget/reset-psresourcerepository
    param([Parameter(Mandatory)][string] $Message)
    $store = [System.IO.Path]::Combine((Get-AccountDataFolder), 'PSResourceGet', 'PSResourceRepository.xml')
    $said = ($Message -replace "\s*Try running 'Reset-PSResourceRepository'[^.]*\.", '').Trim()
    "PSResourceGet cannot read the repository store of the runner's account, $($store): $said"
}

function script:Save-WithPowerShellGet {
    # https://learn.microsoft.com/powershell/module/powershellget/save-module
    param([Parameter(Mandatory)] $Module, [Parameter(Mandatory)][string] $Path)
    $repository = $Module.repository
    # PowerShellGet 2 reads NuGet v2 feeds only: a v3 service index registers, and then every
    # search says 'No match', as if the version were missing.
    # https://learn.microsoft.com/powershell/gallery/powershellget/supported-repositories
    if ($repository -match '(?i)/index\.json/?$') {
        throw "module-repository $repository is a NuGet v3 feed (its service index), and this PowerShell has only PowerShellGet 2, which reads NuGet v2 feeds. Name the feed's v2 URL (Azure Artifacts: .../_packaging/<feed>/nuget/v2), run the step on PowerShell 7.4 or later (shell: pwsh), whose PSResourceGet reads v3, or install Microsoft.PowerShell.PSResourceGet for this PowerShell on the runner."
    }
    # Set once module-repository is registered, as in Save-WithPSResourceGet.
    $feed = $null
    try {
        if ($repository -ne 'PSGallery') {
            $feed = Register-SaveFeed -Installer 'PowerShellGet' -Repository $repository
            $repository = $feed.Name
        }
        # -ErrorAction Stop: PowerShellGet 2's functions take the global preference, not this
        # module's, and under the runner's (Continue) a failed save would go on as if it had worked.
        $save = @{ Name = $Module.name; Path = $Path; Repository = $repository; Force = $true; ErrorAction = 'Stop' }
        if ($Module.version -ne 'latest') { $save['RequiredVersion'] = $Module.version }
        if ($Module.version -like '*-*') { $save['AllowPrerelease'] = $true }
        PowerShellGet\Save-Module @save
    } catch {
        # PowerShellGet says 'No match' for a version the feed lacks and for a feed it cannot read
        # alike; only a feed that lists its versions tells the two apart.
        if ($_.FullyQualifiedErrorId -like 'NoMatchFoundForCriteria*') {
            $versions = Get-FeedVersion -Installer 'PowerShellGet' -Name $Module.name -Repository $repository
            if ($null -ne $versions -and $versions.Count -gt 0) { throw (Get-MissingVersionMessage -Module $Module -Versions $versions) }
        }
        throw
    } finally {
        if ($null -ne $feed) { Unregister-SaveFeed -Feed $feed }
    }
}

function script:Get-FeedVersion {
    # The versions of a module a registered feed holds, newest first, as module-version writes them
    # (3.10.0-Preview1); $null when the feed cannot list them. Asked only after a save that did not
    # find the version, so it costs nothing on a run that works.
    # https://learn.microsoft.com/powershell/module/microsoft.powershell.psresourceget/find-psresource
    # https://learn.microsoft.com/powershell/module/powershellget/find-module
    param([Parameter(Mandatory)][string] $Installer, [Parameter(Mandatory)][string] $Name, [Parameter(Mandatory)][string] $Repository)
    $found = @()
    try {
        if ($Installer -eq 'PSResourceGet') {
            $found = @(Microsoft.PowerShell.PSResourceGet\Find-PSResource -Name $Name -Repository $Repository -Version '*' -Prerelease)
        } else {
            $found = @(PowerShellGet\Find-Module -Name $Name -Repository $Repository -AllVersions -AllowPrerelease -ErrorAction Stop)
        }
    } catch {
        & $SafeCommands['Write-Verbose'] "Listing $Name in the feed failed: $($_.Exception.Message)"
        return $null
    }
    $versions = [System.Collections.Generic.List[object]]::new()
    foreach ($item in $found) {
        # PSResourceGet keeps the label apart; PowerShellGet's Version is the whole text.
        $text = [string]$item.Version
        $label = ''
        if ($null -ne $item.PSObject.Properties['Prerelease'] -and $item.Prerelease) { $label = [string]$item.Prerelease; $text = "$text-$label" }
        elseif ($text.Contains('-')) { $label = $text.Substring($text.IndexOf([char]'-') + 1) }
        $number = $null
        if (-not [version]::TryParse($text.Split('-')[0], [ref]$number)) { $number = [version]'0.0' }
        $versions.Add([pscustomobject]@{ Text = $text; Number = $number; Release = -not $label; Label = $label })
    }
    # A release sorts above its own prereleases.
    $sorted = @($versions | & $SafeCommands['Sort-Object'] -Property @('Number', 'Release', 'Label') -Descending | & $SafeCommands['ForEach-Object'] { $_.Text })
    , [string[]]$sorted
}

function script:Get-MissingVersionMessage {
    # What the feed holds, up to ten versions, so that a pin can be corrected from the log alone.
    param([Parameter(Mandatory)] $Module, [Parameter(Mandatory)][AllowEmptyCollection()][string[]] $Versions)
    $what = "$($Module.name) $($Module.version)"
    if ($Module.version -eq 'latest') { $what = "A release of $($Module.name)" }
    if ($Versions.Count -eq 0) { return "$what is not in $($Module.repository) (it has no version of $($Module.name))." }
    $shown = ($Versions | & $SafeCommands['Select-Object'] -First 10) -join ', '
    if ($Versions.Count -gt 10) { $shown += ", and $($Versions.Count - 10) older" }
    "$what is not in $($Module.repository) (it has: $shown)."
}
