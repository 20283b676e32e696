# Saving the module into the runner's tool cache while other runs on the same machine may save it
# too (a self-hosted runner with several runner instances, a matrix of tenants):
# - A copy appears whole or not at all. It is saved into a private staging folder beside its
#   directory and renamed into place once complete; a rename within one file system is atomic.
#   So no run imports a copy that another run is still writing, and a save cut short (a killed
#   runner) leaves only its staging folder, which a later save removes.
# - The account's runs save one at a time, under one lock file in the account's local data
#   folder: PSResourceGet (and PowerShellGet) keep the account's repositories in one file, which
#   every Register and Unregister rewrites, and a save from module-repository registers it for the
#   save. A run that waited finds the copy the other run saved, and uses it.
# A lock here is an open file that no other process can open (FileShare.None): Windows refuses the
# second open, and .NET on Linux and macOS takes an exclusive flock for it (on a file system that
# has no flock, .NET opens the file all the same; the staging still keeps each copy whole). The
# system lets go of it when the process ends, however it ends: a killed run leaves no lock behind.
# https://learn.microsoft.com/dotnet/api/system.io.fileshare

# How long a run waits for another run's save before it gives up and says why.
$script:SaveLockTimeout = [timespan]::FromMinutes(15)
# The staging folders' names begin with this; each has a lock file beside it, named <folder>.lock.
$script:StagingPrefix = '.saving-'

function script:Open-LockFile {
    # The lock, open; $null while another process holds it.
    param([Parameter(Mandatory)][string] $Path, [System.IO.FileMode] $Mode = [System.IO.FileMode]::OpenOrCreate)
    try {
        [System.IO.File]::Open($Path, $Mode, [System.IO.FileAccess]::ReadWrite, [System.IO.FileShare]::None)
    } catch [System.IO.FileNotFoundException], [System.IO.DirectoryNotFoundException] {
        throw
    } catch [System.IO.IOException] {
        # A sharing violation on Windows, a held flock elsewhere.
        $null
    }
}

function script:Get-AccountDataFolder {
    # The account's local application data folder, created when it is missing. PSResourceGet keeps
    # the account's repository store in <this folder>/PSResourceGet. While the folder does not
    # exist (XDG_DATA_HOME naming a folder that is not there), .NET names no folder for it, and
    # PSResourceGet writes its store into the current directory: the workspace.
    # https://learn.microsoft.com/dotnet/api/system.environment.specialfolderoption
    $folder = [System.Environment]::GetFolderPath('LocalApplicationData', 'Create')
    if (-not $folder) { throw "This account has no local application data folder (HOME, or on Windows LOCALAPPDATA, names none), where PSResourceGet keeps its repositories." }
    $folder
}

function script:Get-ModuleSaveLockPath {
    # The account's alone: another account that could open the lock file could hold it, and every
    # save would wait for it.
    $folder = [System.IO.Path]::Combine((Get-AccountDataFolder), 'exo-connect-action')
    Initialize-AccountOnlyFolder -Path $folder
    [System.IO.Path]::Combine($folder, 'module-save.lock')
}

function script:Enter-ModuleSaveLock {
    # Takes the account's module-save lock, waiting for another run that holds it. A stop (a
    # cancel, script-timeout) ends the wait: Start-Sleep stops with the pipeline. Returns
    # @{ Stream; WaitedMs }; the caller disposes of Stream to let go.
    param([Parameter(Mandatory)][string] $What, [string] $Path = (Get-ModuleSaveLockPath))
    $lock = Open-LockFile -Path $Path
    if ($null -ne $lock) { return @{ Stream = $lock; WaitedMs = 0 } }
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    Write-RunnerLog (ConvertTo-LogLine "Another run on this runner, as the same account, is saving a module (it holds $Path). This run waits for it, then uses its copy of $What if it saved that.")
    while ($null -eq $lock) {
        if ($clock.Elapsed -ge $script:SaveLockTimeout) {
            throw "$What was not saved: another run on this runner, as the same account, has held $Path for $([int]$script:SaveLockTimeout.TotalMinutes) minutes, saving a module."
        }
        & $SafeCommands['Start-Sleep'] -Milliseconds 200
        $lock = Open-LockFile -Path $Path
    }
    @{ Stream = $lock; WaitedMs = $clock.ElapsedMilliseconds }
}

function script:Get-StagingParent {
    # The folder that holds $Destination: a staging folder there is on the same file system, and
    # outside PSModulePath, whose listing would find a half-saved copy in a subfolder.
    param([Parameter(Mandatory)][string] $Destination)
    [System.IO.Path]::GetDirectoryName($Destination.TrimEnd([char[]]@('/', '\')))
}

function script:New-SaveStaging {
    # A private folder for one save, beside $Destination. Its lock file, taken before the folder
    # exists and held until the save ends, tells a later run whether the save is still going.
    param([Parameter(Mandatory)][string] $Destination)
    $path = [System.IO.Path]::Combine((Get-StagingParent $Destination), $script:StagingPrefix + [guid]::NewGuid().ToString('N'))
    $lock = Open-LockFile -Path ($path + '.lock') -Mode CreateNew
    if ($null -eq $lock) { throw "The staging folder's lock $path.lock is in use." }
    # The account's alone while the installer fills it: no other account can reach in and change
    # a file before the copy is published.
    Initialize-AccountOnlyFolder -Path $path
    @{ Path = $path; Lock = $lock }
}

function script:Remove-SaveStaging {
    # Removes a staging folder whose lock this run holds (its own, or one a cut-short save left),
    # then its lock file. A folder that cannot be removed yet (a file in it still open, on Windows)
    # keeps its lock file, for a later save to try again.
    param([Parameter(Mandatory)] $Staging)
    $removed = Remove-Folder -Path $Staging.Path
    $Staging.Lock.Dispose()
    if ($removed) { Remove-LockFile -Path ($Staging.Path + '.lock') }
}

function script:Remove-StaleStaging {
    # Removes the staging folders that saves cut short left beside $Destination: those whose lock
    # file no process holds. One whose save is still going, or that another account owns, stays.
    param([Parameter(Mandatory)][string] $Destination)
    $parent = Get-StagingParent $Destination
    foreach ($lockPath in [System.IO.Directory]::GetFiles($parent, $script:StagingPrefix + '*.lock')) {
        $lock = $null
        try { $lock = Open-LockFile -Path $lockPath -Mode Open } catch { & $SafeCommands['Write-Verbose'] "${lockPath}: $($_.Exception.Message)" }
        if ($null -eq $lock) { continue }
        Remove-SaveStaging -Staging @{ Path = $lockPath.Substring(0, $lockPath.Length - '.lock'.Length); Lock = $lock }
    }
}

function script:Remove-Folder {
    # Whether the folder is gone. A failure is no reason to fail the save.
    param([Parameter(Mandatory)][string] $Path)
    try {
        if ([System.IO.Directory]::Exists($Path)) { [System.IO.Directory]::Delete($Path, $true) }
        $true
    } catch {
        & $SafeCommands['Write-Verbose'] "${Path}: $($_.Exception.Message)"
        $false
    }
}

function script:Remove-LockFile {
    param([Parameter(Mandatory)][string] $Path)
    try { [System.IO.File]::Delete($Path) } catch { & $SafeCommands['Write-Verbose'] "${Path}: $($_.Exception.Message)" }
}

function script:Publish-StagedSave {
    # Moves each <name>/<version> folder that the save left in the staging folder into
    # $Destination, whole, by renaming it. A folder already there with a manifest of the same
    # version and prerelease label is a complete copy (saved meanwhile by a run that does not share
    # this lock: another account's, or an earlier release's) and stays, this one is dropped with
    # the staging folder; one without its manifest is no finished copy (an interrupted save of an
    # earlier release left it), and one with another label (3.10.0-Preview1 in 3.10.0's folder,
    # which an installer once saved there) is not the copy asked for: both are replaced.
    param([Parameter(Mandatory)] $Staging, [Parameter(Mandatory)][string] $Destination)
    foreach ($saved in [System.IO.Directory]::GetDirectories($Staging.Path)) {
        $name = [System.IO.Path]::GetFileName($saved)
        $target = [System.IO.Path]::Combine($Destination, $name)
        [void][System.IO.Directory]::CreateDirectory($target)
        Remove-SharedWrite -Path $target
        foreach ($version in [System.IO.Directory]::GetDirectories($saved)) {
            $final = [System.IO.Path]::Combine($target, [System.IO.Path]::GetFileName($version))
            $manifest = [System.IO.Path]::Combine($final, $name + '.psd1')
            if ([System.IO.File]::Exists($manifest)) {
                $staged = [System.IO.Path]::Combine($version, $name + '.psd1')
                if ((Get-ManifestVersionText $manifest) -eq (Get-ManifestVersionText $staged)) { continue }
            }
            Write-WholeCopyMark -Folder $version
            Remove-SharedWrite -Path $version -Recurse
            if ([System.IO.Directory]::Exists($final)) { Invoke-FolderChange -Change { [System.IO.Directory]::Delete($final, $true) } }
            try {
                # Not tried again once another run's rename came first.
                Invoke-FolderChange -Change { [System.IO.Directory]::Move($version, $final) } -Done { [System.IO.File]::Exists($manifest) }
            } catch {
                # Another run's rename came first.
                if (-not [System.IO.File]::Exists($manifest)) { throw }
            }
        }
    }
}

function script:Test-UnixFileMode {
    # Whether this is a Unix-like system with .NET's UnixFileMode (.NET 7, PowerShell 7.3 and
    # later). Windows folders take the tool cache's ACL instead.
    -not (Test-Windows) -and $null -ne ('System.IO.UnixFileMode' -as [type])
}

function script:Initialize-AccountOnlyFolder {
    # The folder, rwx for this account only (0700) whatever the umask: made so when it is new, so
    # that no other account can reach in meanwhile, and set so when it is there already. Elsewhere,
    # as the system makes it.
    param([Parameter(Mandatory)][string] $Path)
    if (-not (Test-UnixFileMode)) {
        [void][System.IO.Directory]::CreateDirectory($Path)
        return
    }
    $own = [System.IO.UnixFileMode]'UserRead, UserWrite, UserExecute'
    $folder = [System.IO.Directory]::CreateDirectory($Path, $own)
    try {
        if ($folder.UnixFileMode -ne $own) { $folder.UnixFileMode = $own }
    } catch {
        & $SafeCommands['Write-Verbose'] "${Path}: $($_.Exception.Message)"
    }
}

function script:Remove-SharedWrite {
    # Takes write access for other accounts off Path, and with -Recurse off all it holds: under a
    # umask of 000 the installer and New-Item make every file and folder writable by every account
    # on the runner, and another account could change the module that later runs import. Group
    # write goes too, except on a folder with the setgid bit, the way a folder is shared with a
    # group on purpose. Read access stays as the umask left it. Links are not followed, and an
    # entry another account owns stays as it is: nothing here fails a save.
    # https://learn.microsoft.com/dotnet/api/system.io.file.setunixfilemode
    param([Parameter(Mandatory)][string] $Path, [switch] $Recurse)
    if (-not (Test-UnixFileMode)) { return }
    $otherWrite = [int][System.IO.UnixFileMode]::OtherWrite
    $groupWrite = [int][System.IO.UnixFileMode]::GroupWrite
    $setGroup = [int][System.IO.UnixFileMode]::SetGroup
    $entries = [System.Collections.Generic.List[System.IO.FileSystemInfo]]::new()
    try {
        $entries.Add([System.IO.DirectoryInfo]::new($Path))
        if ($Recurse) {
            $options = [System.IO.EnumerationOptions]::new()
            $options.RecurseSubdirectories = $true
            $options.IgnoreInaccessible = $true
            $options.AttributesToSkip = [System.IO.FileAttributes]::ReparsePoint
            $entries.AddRange($entries[0].EnumerateFileSystemInfos('*', $options))
        }
    } catch {
        & $SafeCommands['Write-Verbose'] "${Path}: $($_.Exception.Message)"
    }
    foreach ($entry in $entries) {
        try {
            if ($null -ne $entry.LinkTarget) { continue }
            $mode = [int]$entry.UnixFileMode
            $take = $otherWrite
            if (-not ($entry -is [System.IO.DirectoryInfo] -and ($mode -band $setGroup) -ne 0)) { $take = $take -bor $groupWrite }
            if (($mode -band $take) -ne 0) { $entry.UnixFileMode = [System.IO.UnixFileMode]($mode -band (-bnot $take)) }
        } catch {
            & $SafeCommands['Write-Verbose'] "$($entry.FullName): $($_.Exception.Message)"
        }
    }
}

# A whole copy's mark: its files and bytes when it was published, so that a later reader tells a
# whole copy from one a cache restore cut short (module-cache.ts, wholeCopy), which the cache's
# archive of a marked copy brings with it.
$script:WholeCopyMark = '.exo-connect-action-whole'

function script:Write-WholeCopyMark {
    # Writes "<files> <bytes>" of the folder, the mark not counted, into the mark file.
    param([Parameter(Mandatory)][string] $Folder)
    $mark = [System.IO.Path]::Combine($Folder, $script:WholeCopyMark)
    $files = 0
    $bytes = [long]0
    foreach ($file in [System.IO.Directory]::GetFiles($Folder, '*', [System.IO.SearchOption]::AllDirectories)) {
        if ($file -eq $mark) { continue }
        $files++
        $bytes += ([System.IO.FileInfo]::new($file)).Length
    }
    [System.IO.File]::WriteAllText($mark, "$files $bytes")
}

function script:Get-FolderDigest {
    # SHA-256 over the folder's files: for each, in ordinal order of its path below the folder
    # ('/' between names), "<path>\0<SHA-256 of its bytes, hex>\n". module-cache.ts computes the
    # same when it saves the folder to the Actions cache, and saves it only when the two agree:
    # the script runs between them and can write to the copy, and a changed copy in the cache
    # would run in every job that restores it.
    param([Parameter(Mandatory)][string] $Folder)
    $root = [System.IO.Path]::GetFullPath($Folder).TrimEnd([char[]]@('/', '\'))
    $paths = [System.IO.Directory]::GetFiles($root, '*', [System.IO.SearchOption]::AllDirectories)
    $names = [string[]]@(foreach ($file in $paths) { $file.Substring($root.Length + 1).Replace('\', '/') })
    [Array]::Sort($names, $paths, [System.StringComparer]::Ordinal)
    $sha = [System.Security.Cryptography.SHA256]::Create()
    $all = [System.Text.StringBuilder]::new()
    try {
        for ($i = 0; $i -lt $paths.Length; $i++) {
            $stream = [System.IO.File]::OpenRead($paths[$i])
            try { $hash = $sha.ComputeHash($stream) } finally { $stream.Dispose() }
            [void]$all.Append($names[$i]).Append([char]0).Append([BitConverter]::ToString($hash).Replace('-', '').ToLowerInvariant()).Append([char]10)
        }
        [BitConverter]::ToString($sha.ComputeHash([System.Text.Encoding]::UTF8.GetBytes($all.ToString()))).Replace('-', '').ToLowerInvariant()
    } finally {
        $sha.Dispose()
    }
}

function script:Invoke-FolderChange {
    # Renames or deletes a folder the installer has just filled. Windows refuses both while any file
    # in it is open, and a virus scanner or the search indexer opens new files for a moment: tried
    # again there for about 5 s, unless Done says another run made the change moot.
    # https://learn.microsoft.com/dotnet/api/system.io.directory.move
    param([Parameter(Mandatory)][scriptblock] $Change, [scriptblock] $Done = { $false }, [int] $Attempts = 25, [int] $DelayMs = 200)
    for ($attempt = 1; ; $attempt++) {
        try {
            & $Change
            return
        } catch [System.IO.IOException], [System.UnauthorizedAccessException] {
            if (-not (Test-Windows) -or $attempt -ge $Attempts -or (& $Done)) { throw }
            & $SafeCommands['Start-Sleep'] -Milliseconds $DelayMs
        }
    }
}

function script:Get-ManifestVersionText {
    # A manifest's version with its prerelease label, as module-version writes it (3.10.0-Preview1);
    # $null for one that cannot be read.
    param([Parameter(Mandatory)][string] $Path)
    try { $data = Read-ManifestData -Path $Path } catch { return $null }
    Join-VersionLabel -Version $data.ModuleVersion -Label (ConvertTo-PrereleaseLabel $data.Prerelease)
}
