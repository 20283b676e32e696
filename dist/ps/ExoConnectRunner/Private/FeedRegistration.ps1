# A module-repository other than PSGallery is registered for one save, under a name of its own
# (exo-connect-<8 hex digits>), and unregistered after it. A run killed before it unregistered
# leaves that registration in the account's repositories; a later save removes it.
# While a feed is registered, its run holds an owner file beside the module-save lock,
# repositories/<installer>/<name>.lock, open as a lock (ConcurrentSave.ps1), which the system lets
# go of when the run ends, however it ends: a registration whose owner file no process holds is
# left over. Why not every exo-connect-* registration, as the save lock serializes the account's
# saves: PowerShellGet 2 keeps its store in PowerShell's cache folder (XDG_CACHE_HOME; on Windows
# the LOCALAPPDATA variable), not in the lock's folder, so runs that share that store need not share
# the lock. A registration without an owner file (the user's own, whatever its name) stays.
# https://learn.microsoft.com/powershell/module/microsoft.powershell.psresourceget/register-psresourcerepository
# https://learn.microsoft.com/powershell/module/powershellget/register-psrepository

function script:Get-FeedLocation {
    # module-repository as the installers take it: a file:// URL becomes its local folder.
    param([Parameter(Mandatory)][string] $Repository)
    if ($Repository -like 'file:*') { return ([uri]$Repository).LocalPath }
    $Repository
}

function script:Get-FeedOwnerFolder {
    param([Parameter(Mandatory)][string] $Installer)
    $folder = [System.IO.Path]::Combine((Get-AccountDataFolder), 'exo-connect-action', 'repositories', $Installer)
    [void][System.IO.Directory]::CreateDirectory($folder)
    $folder
}

function script:Register-SaveFeed {
    # Registers module-repository for this save. Returns @{ Name; Installer; Owner } once it is
    # registered; throws the installer's own error when it is not.
    param([Parameter(Mandatory)][ValidateSet('PSResourceGet', 'PowerShellGet')][string] $Installer, [Parameter(Mandatory)][string] $Repository)
    $name = 'exo-connect-' + [guid]::NewGuid().ToString('N').Substring(0, 8)
    $ownerPath = [System.IO.Path]::Combine((Get-FeedOwnerFolder $Installer), "$name.lock")
    $owner = Open-LockFile -Path $ownerPath -Mode CreateNew
    if ($null -eq $owner) { throw "The owner file $ownerPath of a feed registration is in use." }
    try {
        if ($Installer -eq 'PSResourceGet') {
            # Untrusted and last in priority (PSGallery has 50): a registration that a killed run left
            # until the next save must not take another step's Install-PSResource without a prompt.
            # The save trusts it for itself (Save-PSResource -TrustRepository).
            Microsoft.PowerShell.PSResourceGet\Register-PSResourceRepository -Name $name -Uri (Get-FeedLocation $Repository) -Priority 100
        } else {
            # PowerShellGet 2 reports some refusals as errors it goes on after (the feed already
            # registered under another name): -ErrorAction Stop makes them end the save.
            PowerShellGet\Register-PSRepository -Name $name -SourceLocation (Get-FeedLocation $Repository) -InstallationPolicy Trusted -ErrorAction Stop
        }
    } catch {
        # Let go, the owner file tells the next save to check for a registration half made.
        $owner.Dispose()
        throw
    }
    @{ Name = $name; Installer = $Installer; Owner = $owner }
}

function script:Unregister-SaveFeed {
    # Unregisters a feed Register-SaveFeed registered (or one a killed run left, whose owner file
    # this run now holds), then removes its owner file. It never throws: called from a finally, its
    # error would hide the save's own. What stays registered keeps its owner file, for the next save.
    param([Parameter(Mandatory)] $Feed)
    $ownerPath = $Feed.Owner.Name
    try {
        if ($Feed.Installer -eq 'PSResourceGet') {
            Microsoft.PowerShell.PSResourceGet\Unregister-PSResourceRepository -Name $Feed.Name
        } else {
            PowerShellGet\Unregister-PSRepository -Name $Feed.Name -ErrorAction Stop
        }
    } catch {
        $Feed.Owner.Dispose()
        $how = 'Unregister-PSResourceRepository'
        if ($Feed.Installer -eq 'PowerShellGet') { $how = 'Unregister-PSRepository' }
        Write-RunnerAnnotation -Kind 'warning' -Message "The feed registered for the module's save as $($Feed.Name) is still registered for the runner's account: unregistering it failed: $($_.Exception.Message) The next save of a module by this action on this runner removes it; to remove it now, run $how -Name $($Feed.Name) as that account."
        return
    }
    $Feed.Owner.Dispose()
    Remove-LockFile -Path $ownerPath
}

function script:Unregister-LeftFeed {
    # Unregisters the feeds that runs killed before they unregistered left behind: those whose
    # owner file no process holds. Called while holding the module-save lock, so that no run of
    # the account is between taking an owner file and registering its feed.
    param([Parameter(Mandatory)][ValidateSet('PSResourceGet', 'PowerShellGet')][string] $Installer)
    $left = @(foreach ($ownerPath in [System.IO.Directory]::GetFiles((Get-FeedOwnerFolder $Installer), 'exo-connect-*.lock')) {
            $owner = $null
            try { $owner = Open-LockFile -Path $ownerPath -Mode Open } catch { & $SafeCommands['Write-Verbose'] "${ownerPath}: $($_.Exception.Message)" }
            if ($null -ne $owner) { @{ Name = [System.IO.Path]::GetFileNameWithoutExtension($ownerPath); Installer = $Installer; Owner = $owner } }
        })
    if ($left.Count -eq 0) { return }
    try {
        if ($Installer -eq 'PSResourceGet') {
            $registered = @(Microsoft.PowerShell.PSResourceGet\Get-PSResourceRepository | & $SafeCommands['ForEach-Object'] { $_.Name })
        } else {
            $registered = @(PowerShellGet\Get-PSRepository -WarningAction SilentlyContinue -ErrorAction Stop | & $SafeCommands['ForEach-Object'] { $_.Name })
        }
    } catch {
        # No reason to fail the save, which meets a store it cannot read with an error of its own.
        & $SafeCommands['Write-Verbose'] "Listing the repositories failed: $($_.Exception.Message)"
        foreach ($feed in $left) { $feed.Owner.Dispose() }
        return
    }
    foreach ($feed in $left) {
        if ($registered -contains $feed.Name) {
            Unregister-SaveFeed -Feed $feed
        } else {
            # Its run was killed after it unregistered, or before it registered.
            $feed.Owner.Dispose()
            Remove-LockFile -Path $feed.Owner.Name
        }
    }
}
