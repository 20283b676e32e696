BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot '../ExoConnectRunner.psd1') -Force
    . (Join-Path $PSScriptRoot '../../../../test/ps/RunnerLog.ps1')
    # The installers' own stores, in this run's folders (test/pester.ps1).
    . (Join-Path $PSScriptRoot '../../../../test/ps/PrivateDataFolder.ps1')
    Assert-PrivateDataFolder

    function global:Get-RegisteredName {
        # The names of the account's repositories, as the installer lists them.
        param([string] $Installer)
        if ($Installer -eq 'PSResourceGet') { return @(Get-PSResourceRepository | ForEach-Object { $_.Name }) }
        @(Get-PSRepository -WarningAction SilentlyContinue | ForEach-Object { $_.Name })
    }

    function global:Register-UserFeed {
        # A repository the user registered, not through the action.
        param([string] $Installer, [string] $Name, [string] $Location)
        if ($Installer -eq 'PSResourceGet') { Register-PSResourceRepository -Name $Name -Uri $Location }
        else { Register-PSRepository -Name $Name -SourceLocation $Location }
    }

    function global:Unregister-UserFeed {
        param([string] $Installer, [string] $Name)
        if ($Installer -eq 'PSResourceGet') { Unregister-PSResourceRepository -Name $Name }
        else { Unregister-PSRepository -Name $Name }
    }

    function global:New-FeedFolder {
        # PowerShellGet 2 registers a folder that exists, each under one name only.
        param([string] $Name)
        (New-Item -ItemType Directory -Path (Join-Path $TestDrive $Name)).FullName
    }
}
AfterAll {
    Remove-Module -Name 'ExoConnectRunner' -ErrorAction SilentlyContinue
    foreach ($name in @('Get-RegisteredName', 'Register-UserFeed', 'Unregister-UserFeed', 'New-FeedFolder')) {
        Remove-Item -LiteralPath "function:$name" -ErrorAction SilentlyContinue
    }
}

Describe 'feeds registered for a save' {
    It 'registers module-repository under a name of its own, holding its owner file, and unregisters both (<Installer>)' -TestCases @(
        @{ Installer = 'PSResourceGet' }, @{ Installer = 'PowerShellGet' }
    ) {
        param($Installer)
        $location = New-FeedFolder "own-$Installer"
        InModuleScope ExoConnectRunner -Parameters @{ Installer = $Installer; Feed = 'file://' + $location } {
            param($Installer, $Feed)
            $registered = Register-SaveFeed -Installer $Installer -Repository $Feed
            $registered.Name | Should -Match '^exo-connect-[0-9a-f]{8}$'
            Get-RegisteredName $Installer | Should -Contain $registered.Name
            if ($Installer -eq 'PSResourceGet') {
                # Left behind by a killed run, it must not take another step's plain Install-PSResource.
                $entry = Microsoft.PowerShell.PSResourceGet\Get-PSResourceRepository -Name $registered.Name
                @($entry.Trusted, $entry.Priority) | Should -Be @($false, 100)
            }
            $registered.Owner.Name | Should -Be ([System.IO.Path]::Combine((Get-AccountDataFolder), 'exo-connect-action', 'repositories', $Installer, "$($registered.Name).lock"))
            # Held while registered: no other run can take it.
            Open-LockFile -Path $registered.Owner.Name -Mode Open | Should -BeNullOrEmpty
            Unregister-SaveFeed -Feed $registered
            Get-RegisteredName $Installer | Should -Not -Contain $registered.Name
            Test-Path -LiteralPath $registered.Owner.Name | Should -BeFalse
        }
    }

    It 'unregisters the feeds of runs killed before they unregistered, and neither a running save''s feed nor a repository the action did not register (<Installer>)' -TestCases @(
        @{ Installer = 'PSResourceGet' }, @{ Installer = 'PowerShellGet' }
    ) {
        param($Installer)
        # The user's own repositories: no owner file, whatever the name.
        Register-UserFeed -Installer $Installer -Name 'contoso-mirror' -Location (New-FeedFolder "mirror-$Installer")
        Register-UserFeed -Installer $Installer -Name 'exo-connect-0123abcd' -Location (New-FeedFolder "lookalike-$Installer")
        $folders = @{ Killed = (New-FeedFolder "killed-$Installer"); Gone = (New-FeedFolder "gone-$Installer"); Running = (New-FeedFolder "running-$Installer") }
        try {
            InModuleScope ExoConnectRunner -Parameters @{ Installer = $Installer; Folders = $folders } {
                param($Installer, $Folders)
                # A run killed while its feed was registered: the system let go of its owner file.
                $killed = Register-SaveFeed -Installer $Installer -Repository $Folders.Killed
                $killed.Owner.Dispose()
                # A run killed after it unregistered, before it removed its owner file.
                $gone = Register-SaveFeed -Installer $Installer -Repository $Folders.Gone
                Unregister-UserFeed -Installer $Installer -Name $gone.Name
                $gone.Owner.Dispose()
                # Another run's save, still going.
                $running = Register-SaveFeed -Installer $Installer -Repository $Folders.Running
                try {
                    Unregister-LeftFeed -Installer $Installer
                    $names = Get-RegisteredName $Installer
                    $names | Should -Not -Contain $killed.Name
                    $names | Should -Contain $running.Name
                    $names | Should -Contain 'contoso-mirror'
                    $names | Should -Contain 'exo-connect-0123abcd'
                    Test-Path -LiteralPath $killed.Owner.Name | Should -BeFalse
                    Test-Path -LiteralPath $gone.Owner.Name | Should -BeFalse
                    Open-LockFile -Path $running.Owner.Name -Mode Open | Should -BeNullOrEmpty
                } finally {
                    Unregister-SaveFeed -Feed $running
                }
            }
        } finally {
            Unregister-UserFeed -Installer $Installer -Name 'contoso-mirror'
            Unregister-UserFeed -Installer $Installer -Name 'exo-connect-0123abcd'
        }
    }

    It 'warns when a feed cannot be unregistered, without throwing, and keeps its owner file for the next save (<Installer>)' -TestCases @(
        @{ Installer = 'PSResourceGet'; Command = 'Unregister-PSResourceRepository' }, @{ Installer = 'PowerShellGet'; Command = 'Unregister-PSRepository' }
    ) {
        param($Installer, $Command)
        $location = New-FeedFolder "unregistered-$Installer"
        InModuleScope ExoConnectRunner -Parameters @{ Installer = $Installer; Location = $location; Command = $Command } {
            param($Installer, $Location, $Command)
            $registered = Register-SaveFeed -Installer $Installer -Repository $Location
            # Gone behind the run's back, so that unregistering it fails.
            Unregister-UserFeed -Installer $Installer -Name $registered.Name
            $said = Get-RunnerLog { Unregister-SaveFeed -Feed $registered }
            $said | Should -BeLike "::warning::The feed registered for the module's save as $($registered.Name) is still registered for the runner's account: unregistering it failed: *The next save of a module by this action on this runner removes it; to remove it now, run $Command -Name $($registered.Name) as that account."
            Test-Path -LiteralPath $registered.Owner.Name | Should -BeTrue
            # Let go: the next save finds nothing registered under that name and removes the file.
            Unregister-LeftFeed -Installer $Installer
            Test-Path -LiteralPath $registered.Owner.Name | Should -BeFalse
        }
    }
}
