BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot '../ExoConnectRunner.psd1') -Force
    . (Join-Path $PSScriptRoot '../../../../test/ps/RunnerLog.ps1')

    function global:New-SavedCopy {
        # <root>/<name>/<version>/ with a manifest and one more file, as an installer leaves it.
        # Global, so that InModuleScope blocks can call it too.
        param([string] $Root, [string] $Name = 'FakeSaved', [string] $Version = '1.0.0', [string] $Mark = 'one')
        $dir = Join-Path $Root "$Name/$Version"
        New-Item -ItemType Directory -Force -Path $dir | Out-Null
        Set-Content -LiteralPath (Join-Path $dir "$Name.psd1") -Value "@{ ModuleVersion = '$Version' }"
        Set-Content -LiteralPath (Join-Path $dir 'mark.txt') -Value $Mark
        $dir
    }

    function Publish-MarkedCopy {
        # Saves a copy marked $Mark into a staging folder beside $Destination and publishes it, as
        # Save-ExchangeModule does once the installer has saved it.
        param([string] $Destination, [string] $Mark)
        InModuleScope ExoConnectRunner -Parameters @{ Destination = $Destination; Mark = $Mark } {
            param($Destination, $Mark)
            $staging = New-SaveStaging -Destination $Destination
            try {
                New-SavedCopy -Root $staging.Path -Mark $Mark | Out-Null
                Publish-StagedSave -Staging $staging -Destination $Destination
            } finally {
                Remove-SaveStaging -Staging $staging
            }
        }
    }

    function Start-LockHolder {
        # Another "run": a runspace of its own holds $Path until $Release is set, then writes
        # $Then (a scriptblock's text) and lets go. Returns once it holds the lock.
        param([string] $Path, [System.Threading.ManualResetEvent] $Release, [string] $Then = '')
        $held = [System.Threading.ManualResetEvent]::new($false)
        $holder = [powershell]::Create()
        [void]$holder.AddScript({
                param($Path, $Held, $Release, $Then)
                $lock = [System.IO.File]::Open($Path, 'OpenOrCreate', 'ReadWrite', 'None')
                [void]$Held.Set()
                [void]$Release.WaitOne(30000)
                if ($Then) { & ([scriptblock]::Create($Then)) }
                $lock.Dispose()
            }).AddArgument($Path).AddArgument($held).AddArgument($Release).AddArgument($Then)
        $async = $holder.BeginInvoke()
        if (-not $held.WaitOne(30000)) { throw 'The lock holder did not start.' }
        @{ PowerShell = $holder; Async = $async }
    }

    function Stop-LockHolder {
        param($Holder)
        [void]$Holder.PowerShell.EndInvoke($Holder.Async)
        $Holder.PowerShell.Dispose()
    }

    function Start-Later {
        # Runs $Action with $Argument in a runspace of its own after $Milliseconds, as another
        # thread would (a stop request, another run letting go of its lock).
        param([int] $Milliseconds, [scriptblock] $Action, $Argument)
        $later = [powershell]::Create()
        [void]$later.AddScript({
                param($Milliseconds, $Action, $Argument)
                Start-Sleep -Milliseconds $Milliseconds
                & ([scriptblock]::Create($Action)) $Argument
            }).AddArgument($Milliseconds).AddArgument($Action.ToString()).AddArgument($Argument)
        @{ PowerShell = $later; Async = $later.BeginInvoke() }
    }
}
AfterAll {
    Remove-Module -Name 'ExoConnectRunner' -ErrorAction SilentlyContinue
    Remove-Item -LiteralPath 'function:New-SavedCopy' -ErrorAction SilentlyContinue
}

Describe 'a save that concurrent runs share' {
    Describe 'Open-LockFile' {
        It 'refuses a second holder until the first lets go' {
            InModuleScope ExoConnectRunner -Parameters @{ Path = (Join-Path $TestDrive 'one.lock') } {
                param($Path)
                $first = Open-LockFile -Path $Path
                try {
                    $first | Should -Not -BeNullOrEmpty
                    Open-LockFile -Path $Path | Should -BeNullOrEmpty
                } finally {
                    $first.Dispose()
                }
                $again = Open-LockFile -Path $Path
                $again | Should -Not -BeNullOrEmpty
                $again.Dispose()
            }
        }

        It 'says when a lock file to open is not there' {
            InModuleScope ExoConnectRunner -Parameters @{ Path = (Join-Path $TestDrive 'missing.lock') } {
                param($Path)
                { Open-LockFile -Path $Path -Mode Open } | Should -Throw
            }
        }
    }

    Describe 'Enter-ModuleSaveLock' {
        It 'takes a free lock at once and says nothing' {
            InModuleScope ExoConnectRunner -Parameters @{ Path = (Join-Path $TestDrive 'free.lock') } {
                param($Path)
                $said = Get-RunnerLog { $script:taken = Enter-ModuleSaveLock -What 'FakeSaved 1.0.0' -Path $Path }
                $script:taken.WaitedMs | Should -Be 0
                $script:taken.Stream.Dispose()
                $said | Should -Be ''
            }
        }

        It 'waits while another run holds the lock, says so, and takes it once it is let go' {
            $path = Join-Path $TestDrive 'held.lock'
            $release = [System.Threading.ManualResetEvent]::new($false)
            $holder = Start-LockHolder -Path $path -Release $release
            # Lets go once the wait has begun: the Start-Sleep between two tries.
            $later = Start-Later -Milliseconds 700 -Action { param($Event) [void]$Event.Set() } -Argument $release
            try {
                InModuleScope ExoConnectRunner -Parameters @{ Path = $path } {
                    param($Path)
                    $said = Get-RunnerLog { $script:taken = Enter-ModuleSaveLock -What 'FakeSaved 1.0.0' -Path $Path }
                    $script:taken.WaitedMs | Should -BeGreaterThan 0
                    $script:taken.Stream.Dispose()
                    $said | Should -Be "Another run on this runner, as the same account, is saving a module (it holds $Path). This run waits for it, then uses its copy of FakeSaved 1.0.0 if it saved that."
                }
            } finally {
                Stop-LockHolder $later
                [void]$release.Set()
                Stop-LockHolder $holder
            }
        }

        It 'gives up after the timeout, naming the lock file' {
            $path = Join-Path $TestDrive 'stuck.lock'
            $release = [System.Threading.ManualResetEvent]::new($false)
            $holder = Start-LockHolder -Path $path -Release $release
            try {
                InModuleScope ExoConnectRunner -Parameters @{ Path = $path } {
                    param($Path)
                    $saved = $script:SaveLockTimeout
                    $script:SaveLockTimeout = [timespan]::FromMilliseconds(300)
                    try {
                        { Get-RunnerLog { Enter-ModuleSaveLock -What 'FakeSaved 1.0.0' -Path $Path } } |
                            Should -Throw "FakeSaved 1.0.0 was not saved: another run on this runner, as the same account, has held $Path for 0 minutes, saving a module."
                    } finally {
                        $script:SaveLockTimeout = $saved
                    }
                }
            } finally {
                [void]$release.Set()
                Stop-LockHolder $holder
            }
        }

        It 'ends its wait when the run is stopped (a cancel, script-timeout)' {
            $path = Join-Path $TestDrive 'stop.lock'
            $release = [System.Threading.ManualResetEvent]::new($false)
            $holder = Start-LockHolder -Path $path -Release $release
            # The wait runs as the runner's stoppable work does: a nested pipeline, stopped from another thread.
            $waiting = [powershell]::Create([System.Management.Automation.RunspaceMode]::CurrentRunspace)
            [void]$waiting.AddScript({
                    param($Path)
                    & (Get-Module ExoConnectRunner) {
                        param($Path)
                        $script:SaveLockTimeout = [timespan]::FromSeconds(60)
                        try { Get-RunnerLog { Enter-ModuleSaveLock -What 'FakeSaved 1.0.0' -Path $Path } } finally { $script:SaveLockTimeout = [timespan]::FromMinutes(15) }
                    } $Path
                }).AddArgument($path)
            $later = Start-Later -Milliseconds 700 -Action { param($Pipeline) $Pipeline.Stop() } -Argument $waiting
            try {
                $failure = $null
                try { [void]$waiting.Invoke() } catch { $failure = $_ }
                $waiting.InvocationStateInfo.State | Should -Be 'Stopped'
                "$failure" | Should -Not -Match 'was not saved'
            } finally {
                Stop-LockHolder $later
                $waiting.Dispose()
                [void]$release.Set()
                Stop-LockHolder $holder
            }
        }
    }

    Describe 'staging' {
        BeforeEach {
            $script:Destination = Join-Path $TestDrive ("modules-" + [guid]::NewGuid().ToString('N').Substring(0, 6) + '/1.0.0')
            New-Item -ItemType Directory -Path $script:Destination | Out-Null
        }

        It 'stages beside the destination, outside it, and publishes the copy whole by renaming it' {
            InModuleScope ExoConnectRunner -Parameters @{ Destination = $script:Destination } {
                param($Destination)
                $staging = New-SaveStaging -Destination $Destination
                try {
                    Split-Path -Parent $staging.Path | Should -Be (Split-Path -Parent $Destination)
                    (Split-Path -Leaf $staging.Path) | Should -BeLike '.saving-*'
                    Test-Path -LiteralPath ($staging.Path + '.lock') | Should -BeTrue
                    New-SavedCopy -Root $staging.Path | Out-Null
                    # Half saved, as an installer leaves it while it copies: nothing at the destination yet.
                    @(Get-ChildItem -LiteralPath $Destination -Recurse).Count | Should -Be 0
                    Publish-StagedSave -Staging $staging -Destination $Destination
                    Get-Content -LiteralPath (Join-Path $Destination 'FakeSaved/1.0.0/mark.txt') | Should -Be 'one'
                } finally {
                    Remove-SaveStaging -Staging $staging
                }
                Test-Path -LiteralPath $staging.Path | Should -BeFalse
                Test-Path -LiteralPath ($staging.Path + '.lock') | Should -BeFalse
            }
        }

        It 'keeps the staging folder to this account, and publishes a copy no other account may write, whatever the umask left' -Skip:($IsWindows) {
            # Outside the copy, linked from it: not followed.
            $outside = Join-Path $TestDrive ('outside-' + [guid]::NewGuid().ToString('N'))
            New-Item -ItemType Directory -Path $outside | Out-Null
            Set-Content -LiteralPath (Join-Path $outside 'theirs.txt') -Value 'x'
            InModuleScope ExoConnectRunner -Parameters @{ Destination = $script:Destination; Outside = $outside } {
                param($Destination, $Outside)
                $everyone = [System.IO.UnixFileMode]0x1FF
                foreach ($entry in @($Outside, (Join-Path $Outside 'theirs.txt'))) { [System.IO.File]::SetUnixFileMode($entry, $everyone) }
                # The module's folder as an earlier save under umask 000 left it.
                $target = [System.IO.Directory]::CreateDirectory((Join-Path $Destination 'FakeSaved')).FullName
                [System.IO.File]::SetUnixFileMode($target, $everyone)
                $staging = New-SaveStaging -Destination $Destination
                try {
                    [int][System.IO.File]::GetUnixFileMode($staging.Path) | Should -Be 0x1C0
                    # What an installer leaves under a umask of 000: rwx (folders) and rw (files) for all.
                    $copy = New-SavedCopy -Root $staging.Path
                    $nested = [System.IO.Directory]::CreateDirectory((Join-Path $copy 'bin')).FullName
                    Set-Content -LiteralPath (Join-Path $nested 'lib.dll') -Value 'x'
                    # A folder shared with a group on purpose (setgid) keeps group write.
                    $shared = [System.IO.Directory]::CreateDirectory((Join-Path $copy 'shared')).FullName
                    foreach ($entry in @((Split-Path -Parent $copy), $copy, $nested) + [System.IO.Directory]::GetFiles($copy, '*', 'AllDirectories')) {
                        [System.IO.File]::SetUnixFileMode($entry, $everyone)
                    }
                    [System.IO.File]::SetUnixFileMode($shared, [System.IO.UnixFileMode]0x5FF)
                    [void][System.IO.Directory]::CreateSymbolicLink((Join-Path $copy 'linked'), $Outside)
                    Publish-StagedSave -Staging $staging -Destination $Destination
                } finally {
                    Remove-SaveStaging -Staging $staging
                }
                $octal = { param($Path) [System.Convert]::ToString([int][System.IO.File]::GetUnixFileMode($Path), 8) }
                $published = Join-Path $Destination 'FakeSaved/1.0.0'
                $entries = @($target, $published) + @('FakeSaved.psd1', 'mark.txt', 'bin', 'bin/lib.dll', '.exo-connect-action-whole') | ForEach-Object { if ($_ -like '/*') { $_ } else { Join-Path $published $_ } }
                foreach ($entry in $entries) {
                    # Group and others keep read and execute; write is this account's alone.
                    & $octal $entry | Should -BeIn @('755', '644') -Because $entry
                }
                & $octal (Join-Path $published 'bin/lib.dll') | Should -Be '755'
                & $octal (Join-Path $published 'shared') | Should -Be '2775'
                & $octal $Outside | Should -Be '777'
                & $octal (Join-Path $Outside 'theirs.txt') | Should -Be '777'
            }
        }

        It 'keeps a complete copy already in place (another run''s) and drops its own' {
            New-SavedCopy -Root $script:Destination -Mark 'theirs' | Out-Null
            Publish-MarkedCopy -Destination $script:Destination -Mark 'ours'
            Get-Content -LiteralPath (Join-Path $script:Destination 'FakeSaved/1.0.0/mark.txt') | Should -Be 'theirs'
        }

        It 'replaces a folder without its manifest, which no finished save leaves' {
            $partial = Join-Path $script:Destination 'FakeSaved/1.0.0'
            New-Item -ItemType Directory -Force -Path $partial | Out-Null
            Set-Content -LiteralPath (Join-Path $partial 'half.dll') -Value 'x'
            Publish-MarkedCopy -Destination $script:Destination -Mark 'whole'
            @(Get-ChildItem -LiteralPath (Join-Path $script:Destination 'FakeSaved/1.0.0') -Name -Force | Sort-Object) | Should -Be @('.exo-connect-action-whole', 'FakeSaved.psd1', 'mark.txt')
        }

        It 'marks a copy it publishes with its files and bytes, so that a reader tells it from a cache restore cut short' {
            Publish-MarkedCopy -Destination $script:Destination -Mark 'whole'
            $copy = Join-Path $script:Destination 'FakeSaved/1.0.0'
            $files = @(Get-ChildItem -LiteralPath $copy -Recurse -File -Force | Where-Object Name -NE '.exo-connect-action-whole')
            $files.Count | Should -BeGreaterThan 1
            $bytes = ($files | Measure-Object -Property Length -Sum).Sum
            [System.IO.File]::ReadAllText((Join-Path $copy '.exo-connect-action-whole')) | Should -BeExactly "$($files.Count) $bytes"
        }

        It 'replaces a copy of another prerelease label in the version''s folder, which an installer once saved there' {
            $wrong = New-SavedCopy -Root $script:Destination -Mark 'preview'
            Set-Content -LiteralPath (Join-Path $wrong 'FakeSaved.psd1') -Value "@{ ModuleVersion = '1.0.0'; PrivateData = @{ PSData = @{ Prerelease = 'Preview1' } } }"
            Publish-MarkedCopy -Destination $script:Destination -Mark 'release'
            Get-Content -LiteralPath (Join-Path $script:Destination 'FakeSaved/1.0.0/mark.txt') | Should -Be 'release'
        }

        It 'keeps nothing the installer saved that module-version does not ask for, and says what it saved' {
            InModuleScope ExoConnectRunner -Parameters @{ Destination = $script:Destination } {
                param($Destination)
                $staging = New-SaveStaging -Destination $Destination
                try {
                    $saved = New-SavedCopy -Root $staging.Path
                    Set-Content -LiteralPath (Join-Path $saved 'FakeSaved.psd1') -Value "@{ ModuleVersion = '1.0.0'; PrivateData = @{ PSData = @{ Prerelease = 'Preview1' } } }"
                    $module = @{ name = 'FakeSaved'; repository = 'https://feed.contoso.example/v3/index.json'; path = $Destination }
                    { Assert-SavedVersion -Module ([pscustomobject]($module + @{ version = '1.0.0' })) -Staging $staging.Path } |
                        Should -Throw 'The installer saved FakeSaved 1.0.0-Preview1 from https://feed.contoso.example/v3/index.json for module-version 1.0.0, so nothing was kept.*'
                    { Assert-SavedVersion -Module ([pscustomobject]($module + @{ version = 'latest' })) -Staging $staging.Path } |
                        Should -Throw '*for the newest release (module-version latest)*'
                    # What was asked for passes, its label in any case.
                    Assert-SavedVersion -Module ([pscustomobject]($module + @{ version = '1.0.0-preview1' })) -Staging $staging.Path
                } finally {
                    Remove-SaveStaging -Staging $staging
                }
            }
        }

        It 'tries a refused rename or delete again on Windows (a scanner holds a new file), and only there' {
            InModuleScope ExoConnectRunner {
                $script:Tries = 0
                $busy = { $script:Tries++; if ($script:Tries -lt 3) { throw [System.IO.IOException]::new('The process cannot access the file because it is being used by another process.') } }
                Mock Test-Windows { $true }
                Invoke-FolderChange -Change $busy -DelayMs 1
                $script:Tries | Should -Be 3
                # Another run's copy is in place: no reason to wait.
                $script:Tries = 0
                { Invoke-FolderChange -Change $busy -Done { $true } -DelayMs 1 } | Should -Throw '*used by another process*'
                $script:Tries | Should -Be 1
                # Not a refusal of that kind: at once.
                { Invoke-FolderChange -Change { throw 'other' } -DelayMs 1 } | Should -Throw 'other'
                $script:Tries = 0
                { Invoke-FolderChange -Change $busy -Attempts 2 -DelayMs 1 } | Should -Throw '*used by another process*'
                $script:Tries | Should -Be 2
                Mock Test-Windows { $false }
                $script:Tries = 0
                { Invoke-FolderChange -Change $busy -DelayMs 1 } | Should -Throw '*used by another process*'
                $script:Tries | Should -Be 1
            }
        }

        It 'removes what a save cut short left, and leaves the staging folder of a save still going' {
            InModuleScope ExoConnectRunner -Parameters @{ Destination = $script:Destination } {
                param($Destination)
                # A run killed mid-save: its staging folder and lock file stay, and the system let go of its lock.
                $killed = New-SaveStaging -Destination $Destination
                New-SavedCopy -Root $killed.Path | Out-Null
                $killed.Lock.Dispose()
                # A run still saving: it holds its lock.
                $running = New-SaveStaging -Destination $Destination
                try {
                    Remove-StaleStaging -Destination $Destination
                    Test-Path -LiteralPath $killed.Path | Should -BeFalse
                    Test-Path -LiteralPath ($killed.Path + '.lock') | Should -BeFalse
                    Test-Path -LiteralPath $running.Path | Should -BeTrue
                    Test-Path -LiteralPath ($running.Path + '.lock') | Should -BeTrue
                } finally {
                    Remove-SaveStaging -Staging $running
                }
                # A lock file whose folder had already gone (a run killed while it cleaned up) goes too.
                $orphan = New-SaveStaging -Destination $Destination
                [System.IO.Directory]::Delete($orphan.Path)
                $orphan.Lock.Dispose()
                Remove-StaleStaging -Destination $Destination
                Test-Path -LiteralPath ($orphan.Path + '.lock') | Should -BeFalse
            }
        }
    }

    Describe 'Get-AccountDataFolder' {
        It 'creates the folder XDG_DATA_HOME names when it is missing, so that PSResourceGet does not fall back to the current directory' -Skip:($IsWindows) {
            $missing = Join-Path $TestDrive 'no-such/data'
            $saved = $env:XDG_DATA_HOME
            $env:XDG_DATA_HOME = $missing
            try {
                # What PSResourceGet asks .NET for: nothing while the folder is missing.
                [System.Environment]::GetFolderPath('LocalApplicationData') | Should -Be ''
                InModuleScope ExoConnectRunner { Get-AccountDataFolder } | Should -Be $missing
                Test-Path -LiteralPath $missing -PathType Container | Should -BeTrue
                [System.Environment]::GetFolderPath('LocalApplicationData') | Should -Be $missing
            } finally {
                $env:XDG_DATA_HOME = $saved
            }
        }

        It "keeps the save lock's folder to this account, one a umask of 000 made open to all included, so that no other account can hold the lock" -Skip:($IsWindows) {
            $data = Join-Path $TestDrive ('data-' + [guid]::NewGuid().ToString('N'))
            $folder = Join-Path $data 'exo-connect-action'
            [void][System.IO.Directory]::CreateDirectory($folder)
            [System.IO.File]::SetUnixFileMode($folder, [System.IO.UnixFileMode]0x1FF)
            $saved = $env:XDG_DATA_HOME
            $env:XDG_DATA_HOME = $data
            try {
                InModuleScope ExoConnectRunner { Get-ModuleSaveLockPath } | Should -Be (Join-Path $folder 'module-save.lock')
                [System.Convert]::ToString([int][System.IO.File]::GetUnixFileMode($folder), 8) | Should -Be '700'
            } finally {
                $env:XDG_DATA_HOME = $saved
            }
        }
    }
}
