BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot '../ExoConnectRunner.psd1') -Force
    . (Join-Path $PSScriptRoot '../../../../test/ps/RunnerLog.ps1')
    . (Join-Path $PSScriptRoot '../../../../test/ps/PrivateDataFolder.ps1')
    Assert-PrivateDataFolder
    $script:SandboxModules = (Resolve-Path (Join-Path $PSScriptRoot '../../../../sandbox/modules')).Path
    $script:Packer = (Resolve-Path (Join-Path $PSScriptRoot '../../../../test/support/pack-module.ps1')).Path

    function New-FakeModule {
        # A module directory <root>/<name>/<version>/ with a manifest, as Save-Module lays it out.
        param([string] $Root, [string] $Name, [string] $Version, [string] $PowerShellVersion = '5.1', [string] $Prerelease, [switch] $Unversioned)
        $dir = Join-Path $Root "$Name/$Version"
        # PowerShell lists a copy that needs a newer PowerShell only from a folder without a version.
        if ($Unversioned) { $dir = Join-Path $Root $Name }
        New-Item -ItemType Directory -Force -Path $dir | Out-Null
        Set-Content -LiteralPath (Join-Path $dir "$Name.psm1") -Value 'function Connect-ExchangeOnline { }'
        $manifest = @{ Path = (Join-Path $dir "$Name.psd1"); RootModule = "$Name.psm1"; ModuleVersion = $Version; PowerShellVersion = $PowerShellVersion; FunctionsToExport = 'Connect-ExchangeOnline'; Description = 'test module' }
        # As the gallery keeps a prerelease: the label in the manifest, the folder named by the version alone.
        if ($Prerelease) { $manifest['Prerelease'] = $Prerelease }
        New-ModuleManifest @manifest
        # RootModule computed from $PSEdition, as in Microsoft's ExchangeOnlineManagement manifest,
        # which Import-PowerShellDataFile refuses to read.
        $text = (Get-Content -LiteralPath $manifest.Path -Raw) -replace "RootModule = '$Name.psm1'", "RootModule = if (`$PSEdition -eq 'Core') { '$Name.psm1' } else { '$Name.psm1' }"
        Set-Content -LiteralPath $manifest.Path -Value $text
        { Import-PowerShellDataFile -Path $manifest.Path } | Should -Throw
        $dir
    }

    function New-FakeFeed {
        # A folder feed holding one fake module, packed as a gallery would serve it; -More adds
        # further versions ('1.3.0' or '1.3.0-rc1') of it.
        param([string] $Tag, [string] $Name, [string] $Version, [string] $Prerelease, [string[]] $More = @())
        $feed = Join-Path $TestDrive "feed-$Tag"
        New-Item -ItemType Directory -Path $feed | Out-Null
        $all = @(@{ Version = $Version; Prerelease = $Prerelease }) + @($More | ForEach-Object { $v = $_.Split('-'); @{ Version = $v[0]; Prerelease = $(if ($v.Count -gt 1) { $v[1] } else { '' }) } })
        $n = 0
        foreach ($one in $all) {
            $n++
            $source = New-FakeModule -Root (Join-Path $TestDrive "src-$Tag-$n") -Name $Name -Version $one.Version -Prerelease $one.Prerelease
            $staged = Join-Path $TestDrive "stage-$Tag-$n/$Name"
            New-Item -ItemType Directory -Force -Path (Split-Path $staged) | Out-Null
            Copy-Item -Recurse -Path $source -Destination $staged
            & $Packer -ModulePath $staged -Repository $feed
        }
        $feed
    }
}
AfterAll { Remove-Module -Name @('ExoConnectRunner', 'ExchangeOnlineManagement') -ErrorAction SilentlyContinue }

Describe 'module provisioning' {
    BeforeEach { $script:SavedPath = $env:PSModulePath }
    AfterEach { $env:PSModulePath = $script:SavedPath }

    Describe 'Get-ModuleCopy' {
        It "reads each copy's version, prerelease label and minimum PowerShell from its manifest" {
            New-FakeModule -Root (Join-Path $TestDrive 'release') -Name 'FakeExchange' -Version '2.1.0' -PowerShellVersion '99.0' -Unversioned | Out-Null
            New-FakeModule -Root (Join-Path $TestDrive 'prerelease') -Name 'FakeExchange' -Version '2.2.0' -Prerelease 'Preview3' | Out-Null
            $env:PSModulePath = (Join-Path $TestDrive 'release') + [System.IO.Path]::PathSeparator + (Join-Path $TestDrive 'prerelease') + [System.IO.Path]::PathSeparator + $env:PSModulePath
            InModuleScope ExoConnectRunner {
                $copies = @(Get-ModuleCopy -Name 'FakeExchange' | Sort-Object Version)
                $copies.Count | Should -Be 2
                $copies[0].Version | Should -Be ([version]'2.1.0')
                $copies[0].Prerelease | Should -Be ''
                $copies[0].PowerShellVersion | Should -Be ([version]'99.0')
                $copies[1].Version | Should -Be ([version]'2.2.0')
                $copies[1].Prerelease | Should -Be 'Preview3'
            }
        }
    }

    Describe 'Join-VersionLabel' {
        It 'writes a version as module-version does: with its prerelease label, or alone' {
            InModuleScope ExoConnectRunner {
                Join-VersionLabel -Version ([version]'3.10.0') -Label 'Preview1' | Should -BeExactly '3.10.0-Preview1'
                Join-VersionLabel -Version '3.9.0' -Label '' | Should -BeExactly '3.9.0'
                Join-VersionLabel -Version ([version]'3.9.0') -Label $null | Should -BeExactly '3.9.0'
                # A manifest without a version: nothing to name, and no failure (Publish-StagedSave replaces that copy).
                Join-VersionLabel -Version $null -Label '' | Should -BeExactly ''
            }
        }
    }

    Describe 'Read-ManifestData' {
        It 'reads <Case>' -TestCases @(
            @{ Case = 'constants beside a computed RootModule'; Text = "@{ RootModule = if (`$PSEdition -eq 'Core') { 'a.psm1' } else { 'b.psm1' }; ModuleVersion = '3.9.0'; PowerShellVersion = '7.4'; PrivateData = @{ PSData = @{ Prerelease = 'Preview1'; Tags = @('x') } } }"; Version = '3.9.0'; PowerShell = '7.4'; Prerelease = 'Preview1' }
            @{ Case = 'names in any case, values in double quotes'; Text = '@{ moduleversion = "1.2.3"; privatedata = @{ psdata = @{ prerelease = "rc1" } } }'; Version = '1.2.3'; PowerShell = $null; Prerelease = 'rc1' }
            @{ Case = 'quoted names'; Text = "@{ 'ModuleVersion' = '1.2.4'; `"PowerShellVersion`" = '5.1'; 'PrivateData' = @{ 'PSData' = @{ 'Prerelease' = 'beta' } } }"; Version = '1.2.4'; PowerShell = '5.1'; Prerelease = 'beta' }
            @{ Case = 'a PrivateData that is not a table'; Text = "@{ ModuleVersion = '2.0.0'; PrivateData = 'none' }"; Version = '2.0.0'; PowerShell = $null; Prerelease = $null }
            @{ Case = 'a computed version as missing'; Text = "@{ ModuleVersion = if (`$true) { '9.9.9' } else { '0.0.1' } }"; Version = $null; PowerShell = $null; Prerelease = $null }
        ) {
            param($Text, $Version, $PowerShell, $Prerelease)
            $path = Join-Path $TestDrive 'manifest.psd1'
            Set-Content -LiteralPath $path -Value $Text
            InModuleScope ExoConnectRunner -Parameters @{ Path = $path; Version = $Version; PowerShell = $PowerShell; Prerelease = $Prerelease } {
                param($Path, $Version, $PowerShell, $Prerelease)
                $data = Read-ManifestData -Path $Path
                $data.ModuleVersion | Should -Be $Version
                $data.PowerShellVersion | Should -Be $PowerShell
                $data.Prerelease | Should -Be $Prerelease
            }
        }
    }

    Describe 'Test-PrereleaseManifest' {
        It 'says <Expected> for <Case>' -TestCases @(
            @{ Case = 'a release without the word'; Text = "@{ ModuleVersion = '3.9.0'; PrivateData = @{ PSData = @{ Tags = @('x') } } }"; Expected = $false }
            @{ Case = 'a constant label'; Text = "@{ ModuleVersion = '3.9.0'; PrivateData = @{ PSData = @{ Prerelease = 'Preview1' } } }"; Expected = $true }
            @{ Case = 'a label in capitals'; Text = "@{ ModuleVersion = '3.9.0'; PRIVATEDATA = @{ PSDATA = @{ 'PRERELEASE' = 'rc1' } } }"; Expected = $true }
            @{ Case = 'an empty label'; Text = "@{ ModuleVersion = '3.9.0'; PrivateData = @{ PSData = @{ Prerelease = '' } } }"; Expected = $false }
            @{ Case = 'the word in a comment only'; Text = "@{ ModuleVersion = '3.9.0' }" + [Environment]::NewLine + "# Prerelease = 'Preview1'"; Expected = $false }
            @{ Case = 'a UTF-16 file'; Text = "@{ ModuleVersion = '3.9.0'; PrivateData = @{ PSData = @{ Prerelease = 'rc3' } } }"; Expected = $true; Encoding = 'Unicode' }
        ) {
            param($Text, $Expected, $Encoding = 'UTF8')
            $path = Join-Path $TestDrive 'prerelease-test.psd1'
            Set-Content -LiteralPath $path -Value $Text -Encoding $Encoding
            InModuleScope ExoConnectRunner -Parameters @{ Path = $path; Expected = $Expected } {
                param($Path, $Expected)
                Test-PrereleaseManifest -Path $Path | Should -Be $Expected
            }
        }

        It 'parses a manifest whose key is spelled with a backtick escape' {
            $path = Join-Path $TestDrive 'escaped.psd1'
            Set-Content -LiteralPath $path -Value @'
@{ ModuleVersion = '3.9.0'; PrivateData = @{ PSData = @{ "Prere`lease" = 'rc2' } } }
'@
            InModuleScope ExoConnectRunner -Parameters @{ Path = $path } {
                param($Path)
                Test-PrereleaseManifest -Path $Path | Should -BeTrue
            }
        }

        It 'does not parse a plain manifest without the word' {
            $path = Join-Path $TestDrive 'plain.psd1'
            Set-Content -LiteralPath $path -Value "@{ ModuleVersion = '3.9.0'; PrivateData = @{ PSData = @{ Tags = @('x') } } }"
            Mock Read-ManifestData -ModuleName ExoConnectRunner { throw 'parsed' }
            InModuleScope ExoConnectRunner -Parameters @{ Path = $path } {
                param($Path)
                Test-PrereleaseManifest -Path $Path | Should -BeFalse
            }
            Should -Invoke Read-ManifestData -ModuleName ExoConnectRunner -Times 0 -Exactly
        }
    }

    Describe 'Get-ModuleCopy with a manifest entry it cannot read as a constant' {
        It 'keeps what Get-Module read for a computed prerelease label' {
            $root = Join-Path $TestDrive 'computed'
            $dir = Join-Path $root 'FakeComputed/3.1.0'
            New-Item -ItemType Directory -Force -Path $dir | Out-Null
            Set-Content -LiteralPath (Join-Path $dir 'FakeComputed.psm1') -Value 'function Connect-ExchangeOnline { }'
            Set-Content -LiteralPath (Join-Path $dir 'FakeComputed.psd1') -Value @"
@{ RootModule = 'FakeComputed.psm1'; ModuleVersion = '3.1.0'; FunctionsToExport = 'Connect-ExchangeOnline'
   PrivateData = @{ PSData = @{ Prerelease = if (`$PSEdition -eq 'Core') { 'rc2' } else { 'rc2' } } } }
"@
            $env:PSModulePath = $root + [System.IO.Path]::PathSeparator + $env:PSModulePath
            InModuleScope ExoConnectRunner {
                $copies = @(Get-ModuleCopy -Name 'FakeComputed')
                @($copies | ForEach-Object { "$($_.Version) $($_.Prerelease)" }) | Should -Be @('3.1.0 rc2')
            }
        }
    }

    Describe 'Select-ModuleCopy' {
        It 'keeps the pinned version with its prerelease label, only the saved copies for latest, and any copy for installed' {
            InModuleScope ExoConnectRunner {
                $copies = @(
                    [pscustomobject]@{ Version = [version]'3.9.0'; Prerelease = 'Preview1'; Path = '/cache/EOM/3.9.0/EOM.psd1' }
                    [pscustomobject]@{ Version = [version]'3.9.0'; Prerelease = ''; Path = '/image/EOM/3.9.0/EOM.psd1' }
                    [pscustomobject]@{ Version = [version]'3.7.0'; Prerelease = ''; Path = '/image/EOM/3.7.0/EOM.psd1' }
                )
                @(Select-ModuleCopy -Module ([pscustomobject]@{ version = '3.7.0'; path = '/cache' }) -Copies $copies).Path | Should -Be '/image/EOM/3.7.0/EOM.psd1'
                @(Select-ModuleCopy -Module ([pscustomobject]@{ version = '3.9.0-Preview1'; path = '/cache' }) -Copies $copies).Path | Should -Be '/cache/EOM/3.9.0/EOM.psd1'
                @(Select-ModuleCopy -Module ([pscustomobject]@{ version = '3.9.0-preview1'; path = '/cache' }) -Copies $copies).Path | Should -Be '/cache/EOM/3.9.0/EOM.psd1'
                @(Select-ModuleCopy -Module ([pscustomobject]@{ version = '3.9.0'; path = '/cache' }) -Copies $copies).Path | Should -Be '/image/EOM/3.9.0/EOM.psd1'
                @(Select-ModuleCopy -Module ([pscustomobject]@{ version = '3.9.0-Preview2'; path = '/cache' }) -Copies $copies).Count | Should -Be 0
                @(Select-ModuleCopy -Module ([pscustomobject]@{ version = 'latest'; path = '/CACHE' }) -Copies $copies).Path | Should -Be '/cache/EOM/3.9.0/EOM.psd1'
                @(Select-ModuleCopy -Module ([pscustomobject]@{ version = 'installed'; path = '/cache' }) -Copies $copies).Count | Should -Be 3
                @(Select-ModuleCopy -Module ([pscustomobject]@{ version = '1.0.0'; path = '/cache' }) -Copies $copies).Count | Should -Be 0
                # Another feed's latest save is named like this one's with more after it: not inside it.
                $feeds = @(
                    [pscustomobject]@{ Version = [version]'3.9.1'; Prerelease = ''; Path = '/tools/latest-2026-11-22-0123456789ab/EOM/3.9.1/EOM.psd1' }
                    [pscustomobject]@{ Version = [version]'3.9.0'; Prerelease = ''; Path = '/tools/latest-2026-11-22/EOM/3.9.0/EOM.psd1' }
                )
                @(Select-ModuleCopy -Module ([pscustomobject]@{ version = 'latest'; path = '/tools/latest-2026-11-22' }) -Copies $feeds).Path | Should -Be '/tools/latest-2026-11-22/EOM/3.9.0/EOM.psd1'
                @(Select-ModuleCopy -Module ([pscustomobject]@{ version = 'latest'; path = '/tools/latest-2026-11-22/' }) -Copies $feeds).Path | Should -Be '/tools/latest-2026-11-22/EOM/3.9.0/EOM.psd1'
            }
        }
    }

    Describe 'Save-ExchangeModule' {
        # PowerShellGet 2's functions take the global error preference, which the runner leaves at
        # PowerShell's default, Continue (test/pester.ps1 sets Stop).
        BeforeEach {
            $script:Preference = $global:ErrorActionPreference
            $global:ErrorActionPreference = 'Continue'
        }
        AfterEach { $global:ErrorActionPreference = $script:Preference }

        It 'saves the pinned version with <Installer> from a file feed registered for this install only' -TestCases @(
            @{ Installer = 'PSResourceGet' }
            @{ Installer = 'PowerShellGet' }
        ) {
            param($Installer)
            $feed = New-FakeFeed -Tag $Installer -Name 'FakeExchange' -Version '1.2.3'
            $target = Join-Path $TestDrive "saved-$Installer"
            # Repositories are per user, and other runs may register their own meanwhile: look for this feed.
            $registeredFeeds = { @(Get-PSRepository -WarningAction SilentlyContinue | ForEach-Object { $_.SourceLocation }) + @(Get-PSResourceRepository | ForEach-Object { $_.Uri.LocalPath }) }
            $events = Join-Path $TestDrive "events-$Installer.jsonl"
            InModuleScope ExoConnectRunner -Parameters @{ Feed = 'file://' + $feed; Target = $target; Installer = $Installer; Events = $events } {
                param($Feed, $Target, $Installer, $Events)
                Set-EventsPath -Path $Events
                Save-ExchangeModule -Module ([pscustomobject]@{ name = 'FakeExchange'; version = '1.2.3'; repository = $Feed; path = $Target }) -Installer $Installer
            }
            Test-Path -LiteralPath (Join-Path $target 'FakeExchange/1.2.3/FakeExchange.psd1') | Should -BeTrue
            @(Get-Content -LiteralPath $events | ConvertFrom-Json | ForEach-Object { "$($_.event) $(if ($_.PSObject.Properties['installer']) { $_.installer })".Trim() }) |
                Should -Be @('module-saving', "module-saved $Installer")
            & $registeredFeeds | Should -Not -Contain $feed
            # The account's save lock, in the run's own data folder (Assert-PrivateDataFolder).
            $lock = InModuleScope ExoConnectRunner { Get-ModuleSaveLockPath }
            $lock | Should -Be ([System.IO.Path]::Combine($env:XDG_DATA_HOME, 'exo-connect-action', 'module-save.lock'))
            Test-Path -LiteralPath $lock | Should -BeTrue
            # Saved through a staging folder beside the target, which it removed.
            @(Get-ChildItem -LiteralPath $TestDrive -Force -Name -Filter '.saving-*') | Should -Be @()
        }

        It 'shows no copy until the save is complete, and leaves neither a copy nor its staging folder when the save fails' {
            $target = Join-Path $TestDrive 'cut-short/1.0.0'
            Mock Save-WithPSResourceGet -ModuleName ExoConnectRunner {
                # Half the files written, as when the installer is stopped or killed while it copies.
                $dir = Join-Path $Path 'FakeCut/1.0.0'
                New-Item -ItemType Directory -Force -Path $dir | Out-Null
                Set-Content -LiteralPath (Join-Path $dir 'FakeCut.psd1') -Value "@{ ModuleVersion = '1.0.0' }"
                $global:FakeCutSeen = @(Get-ChildItem -LiteralPath $Module.path -Recurse -Force -Name)
                throw 'the save was cut short'
            }
            try {
                InModuleScope ExoConnectRunner -Parameters @{ Target = $target } {
                    param($Target)
                    { Save-ExchangeModule -Module ([pscustomobject]@{ name = 'FakeCut'; version = '1.0.0'; repository = 'PSGallery'; path = $Target }) -Installer 'PSResourceGet' } |
                        Should -Throw 'the save was cut short'
                }
                # What another run would have found at the target while the save was half done.
                $global:FakeCutSeen | Should -Be @()
                # Nothing is left: no copy, no staging folder, no empty folder of the version.
                Test-Path -LiteralPath $target | Should -BeFalse
                @(Get-ChildItem -LiteralPath (Split-Path -Parent $target) -Force -Name) | Should -Be @()
            } finally {
                Remove-Variable -Name FakeCutSeen -Scope Global -ErrorAction SilentlyContinue
            }
        }

        It 'waits for another run that is saving, then uses the copy it saved and saves none itself' {
            $cache = Join-Path $TestDrive 'waited/1.0.0'
            New-Item -ItemType Directory -Force -Path $cache | Out-Null
            $theirs = New-FakeModule -Root (Join-Path $TestDrive 'waited-theirs') -Name 'FakeWaited' -Version '1.0.0'
            $lockPath = Join-Path $TestDrive 'waited.lock'
            Mock Get-ModuleSaveLockPath -ModuleName ExoConnectRunner { $lockPath }
            # The other run: holds the lock, then renames its complete copy into place and lets go.
            $held = [System.Threading.ManualResetEvent]::new($false)
            $other = [powershell]::Create()
            [void]$other.AddScript({
                    param($LockPath, $Held, $Theirs, $Final)
                    $lock = [System.IO.File]::Open($LockPath, 'OpenOrCreate', 'ReadWrite', 'None')
                    [void]$Held.Set()
                    Start-Sleep -Milliseconds 800
                    [void][System.IO.Directory]::CreateDirectory([System.IO.Path]::GetDirectoryName($Final))
                    [System.IO.Directory]::Move($Theirs, $Final)
                    $lock.Dispose()
                }).AddArgument($lockPath).AddArgument($held).AddArgument($theirs).AddArgument((Join-Path $cache 'FakeWaited/1.0.0'))
            $async = $other.BeginInvoke()
            try {
                $held.WaitOne(30000) | Should -BeTrue
                InModuleScope ExoConnectRunner -Parameters @{ Cache = $cache; Events = (Join-Path $TestDrive 'waited.jsonl') } {
                    param($Cache, $Events)
                    Set-EventsPath -Path $Events
                    # A feed that cannot be reached: a save of this run's own would fail.
                    $module = [pscustomobject]@{ name = 'FakeWaited'; version = '1.0.0'; repository = 'https://127.0.0.1:9/nuget/v3/index.json'; path = $Cache; testedVersion = '3.9.0' }
                    $said = @((Get-RunnerLog { Import-ExchangeModule -Module $module }) -split '\r?\n')
                    $said[0] | Should -BeLike 'Another run on this runner, as the same account, is saving a module (it holds *waited.lock). This run waits for it, then uses its copy of FakeWaited 1.0.0 if it saved that.'
                    $said[1] | Should -Match ('^FakeWaited 1\.0\.0 from ' + [regex]::Escape((Join-Path $Cache 'FakeWaited/1.0.0')) + ' \(saved by another run on this runner, which this run waited \d+ ms for\)$')
                    @(Get-Content -LiteralPath $Events | ConvertFrom-Json | Where-Object event -EQ 'module-saved') | Should -Be @()
                }
            } finally {
                [void]$other.EndInvoke($async)
                $other.Dispose()
                Remove-Module -Name 'FakeWaited' -Force -ErrorAction SilentlyContinue
            }
        }

        It 'names the version a feed lacks and the versions it has, with <Installer>' -TestCases @(
            @{ Installer = 'PSResourceGet' }
            @{ Installer = 'PowerShellGet' }
        ) {
            param($Installer)
            $feed = New-FakeFeed -Tag "lacks-$Installer" -Name 'FakeLacking' -Version '1.2.3' -More @('1.3.0-rc1', '1.3.0')
            InModuleScope ExoConnectRunner -Parameters @{ Feed = 'file://' + $feed; Target = (Join-Path $TestDrive "lacks-$Installer"); Installer = $Installer; Events = (Join-Path $TestDrive "lacks-$Installer.jsonl") } {
                param($Feed, $Target, $Installer, $Events)
                Set-EventsPath -Path $Events
                { Save-ExchangeModule -Module ([pscustomobject]@{ name = 'FakeLacking'; version = '1.2.4'; repository = $Feed; path = $Target }) -Installer $Installer } |
                    Should -Throw -ExpectedMessage "FakeLacking 1.2.4 is not in $Feed (it has: 1.3.0, 1.3.0-rc1, 1.2.3)."
                # No empty folder of the version it could not save stays in the tool cache.
                Test-Path -LiteralPath $Target | Should -BeFalse
            }
        }

        It 'keeps the installer''s own error when the feed cannot be reached' {
            InModuleScope ExoConnectRunner -Parameters @{ Target = (Join-Path $TestDrive 'unreachable'); Events = (Join-Path $TestDrive 'unreachable.jsonl') } {
                param($Target, $Events)
                Set-EventsPath -Path $Events
                { Save-ExchangeModule -Module ([pscustomobject]@{ name = 'FakeLacking'; version = '1.2.4'; repository = 'https://127.0.0.1:9/nuget/v3/index.json'; path = $Target }) -Installer 'PSResourceGet' } |
                    Should -Throw -ExpectedMessage '*127.0.0.1:9*'
            }
        }

        It 'fails with the installer''s own error when module-repository cannot be registered, and unregisters nothing (PowerShellGet)' {
            # PowerShellGet 2 registers a feed under one name only, and says so as an error it goes on after.
            $feed = New-FakeFeed -Tag 'taken' -Name 'FakeTaken' -Version '1.0.0'
            Register-PSRepository -Name 'contoso-mirror' -SourceLocation $feed
            try {
                InModuleScope ExoConnectRunner -Parameters @{ Feed = 'file://' + $feed; Target = (Join-Path $TestDrive 'taken') } {
                    param($Feed, $Target)
                    { Save-ExchangeModule -Module ([pscustomobject]@{ name = 'FakeTaken'; version = '1.0.0'; repository = $Feed; path = $Target }) -Installer 'PowerShellGet' } |
                        Should -Throw -ExpectedMessage "*there exists a registered repository with Name 'contoso-mirror'*"
                }
                @(Get-PSRepository -WarningAction SilentlyContinue | ForEach-Object { $_.Name }) | Should -Be @('contoso-mirror')
            } finally {
                Unregister-PSRepository -Name 'contoso-mirror'
            }
        }

        It 'unregisters the feed a killed run left before it saves (<Installer>)' -TestCases @(
            @{ Installer = 'PSResourceGet' }, @{ Installer = 'PowerShellGet' }
        ) {
            param($Installer)
            $feed = New-FakeFeed -Tag "left-$Installer" -Name 'FakeLeft' -Version '1.0.0'
            $killed = New-Item -ItemType Directory -Path (Join-Path $TestDrive "killed-$Installer")
            InModuleScope ExoConnectRunner -Parameters @{ Feed = 'file://' + $feed; Killed = $killed.FullName; Installer = $Installer; Target = (Join-Path $TestDrive "left-$Installer") } {
                param($Feed, $Killed, $Installer, $Target)
                # What a run killed during its save leaves: the feed registered, its owner file let go.
                $left = Register-SaveFeed -Installer $Installer -Repository $Killed
                $left.Owner.Dispose()
                Save-ExchangeModule -Module ([pscustomobject]@{ name = 'FakeLeft'; version = '1.0.0'; repository = $Feed; path = $Target }) -Installer $Installer
                if ($Installer -eq 'PSResourceGet') { $names = @(Get-PSResourceRepository | ForEach-Object { $_.Name }) }
                else { $names = @(Get-PSRepository -WarningAction SilentlyContinue | ForEach-Object { $_.Name }) }
                @($names | Where-Object { $_ -like 'exo-connect-*' }) | Should -Be @()
                Test-Path -LiteralPath $left.Owner.Name | Should -BeFalse
            }
        }

        It 'picks PSResourceGet where this PowerShell ships it' {
            InModuleScope ExoConnectRunner { Select-ModuleInstaller | Should -Be 'PSResourceGet' }
        }
    }

    Describe 'Get-RepositoryStoreMessage' {
        It 'names the store file and leaves out the advice to reset it, which would drop every registered repository' {
            InModuleScope ExoConnectRunner {
                $store = [System.IO.Path]::Combine((Get-AccountDataFolder), 'PSResourceGet', 'PSResourceRepository.xml')
                Test-RepositoryStoreError 'Loading repository store failed: Root element is missing.' | Should -BeTrue
                Test-RepositoryStoreError "Unable to find repository 'PSGallery'." | Should -BeFalse
                Get-RepositoryStoreMessage -Message "Repository store may be corrupted, file reading failed with error: Root element is missing.. Try running 'Reset-PSResourceRepository' to reset the repository store." |
                    Should -Be "PSResourceGet cannot read the repository store of the runner's account, $($store): Repository store may be corrupted, file reading failed with error: Root element is missing.."
            }
        }
    }

    Describe 'Save-WithPowerShellGet' {
        It 'refuses a NuGet v3 service index before it registers anything: PowerShellGet 2 reads v2 feeds only' {
            InModuleScope ExoConnectRunner {
                Mock Register-SaveFeed { throw 'registered' }
                $module = [pscustomobject]@{ name = 'ExchangeOnlineManagement'; version = '3.9.0'; repository = 'https://pkgs.dev.azure.com/contoso/_packaging/exo/nuget/v3/index.json' }
                { Save-WithPowerShellGet -Module $module -Path $TestDrive } | Should -Throw '*is a NuGet v3 feed (its service index)*shell: pwsh*'
                Should -Invoke Register-SaveFeed -Times 0
            }
        }
    }

    Describe 'Get-MissingVersionMessage' {
        It 'lists ten versions and counts the rest, and says when the feed has none' {
            InModuleScope ExoConnectRunner {
                $module = [pscustomobject]@{ name = 'ExchangeOnlineManagement'; version = '3.8.1'; repository = 'https://nexus.contoso.com/repository/psgallery/' }
                $versions = [string[]]@(12..1 | ForEach-Object { "3.$_.0" })
                Get-MissingVersionMessage -Module $module -Versions $versions |
                    Should -Be 'ExchangeOnlineManagement 3.8.1 is not in https://nexus.contoso.com/repository/psgallery/ (it has: 3.12.0, 3.11.0, 3.10.0, 3.9.0, 3.8.0, 3.7.0, 3.6.0, 3.5.0, 3.4.0, 3.3.0, and 2 older).'
                Get-MissingVersionMessage -Module $module -Versions @() |
                    Should -Be 'ExchangeOnlineManagement 3.8.1 is not in https://nexus.contoso.com/repository/psgallery/ (it has no version of ExchangeOnlineManagement).'
                $module.version = 'latest'
                Get-MissingVersionMessage -Module $module -Versions @('3.10.0-Preview1') |
                    Should -Be 'A release of ExchangeOnlineManagement is not in https://nexus.contoso.com/repository/psgallery/ (it has: 3.10.0-Preview1).'
            }
        }
    }

    Describe 'Import-ExchangeModule' {
        It 'imports the chosen copy, records it, and keeps its own Disconnect-ExchangeOnline for teardown' {
            InModuleScope ExoConnectRunner -Parameters @{ Modules = $SandboxModules; Events = (Join-Path $TestDrive 'events.jsonl') } {
                param($Modules, $Events)
                Set-EventsPath -Path $Events
                $said = Get-RunnerLog { Import-ExchangeModule -Module ([pscustomobject]@{ name = 'ExchangeOnlineManagement'; version = '3.9.0'; repository = 'PSGallery'; path = $Modules; testedVersion = '3.9.0' }) }
                "$said" | Should -Be "ExchangeOnlineManagement 3.9.0 from $(Join-Path $Modules 'ExchangeOnlineManagement') (already saved, by an earlier run or from the Actions cache)"
                $recorded = Get-Content -LiteralPath $Events | ConvertFrom-Json
                $recorded.event | Should -Be 'module'
                $recorded.version | Should -Be '3.9.0'
                $recorded.path | Should -Be (Join-Path $Modules 'ExchangeOnlineManagement')
                $SafeCommands['Disconnect-ExchangeOnline'].Module.ModuleBase | Should -Be (Join-Path $Modules 'ExchangeOnlineManagement')
            }
        }

        It 'imports a pinned version from the action''s own folder first, a prerelease from its release folder' -TestCases @(
            @{ Pinned = '4.5.6'; Label = '' }, @{ Pinned = '4.5.6-Preview1'; Label = 'Preview1' }
        ) {
            $cache = Join-Path $TestDrive "cache-$Pinned"
            $image = Join-Path $TestDrive "image-$Pinned"
            New-FakeModule -Root $cache -Name 'FakePinned' -Version '4.5.6' -Prerelease $Label | Out-Null
            New-FakeModule -Root $image -Name 'FakePinned' -Version '4.5.6' | Out-Null
            New-FakeModule -Root $image -Name 'FakePinned' -Version '4.6.0' | Out-Null
            $env:PSModulePath = $image + [System.IO.Path]::PathSeparator + $env:PSModulePath
            InModuleScope ExoConnectRunner -Parameters @{ Cache = $cache; Pinned = $Pinned; Events = (Join-Path $TestDrive "pinned-$Pinned.jsonl") } {
                param($Cache, $Pinned, $Events)
                Set-EventsPath -Path $Events
                $said = Get-RunnerLog { Import-ExchangeModule -Module ([pscustomobject]@{ name = 'FakePinned'; version = $Pinned; repository = 'PSGallery'; path = $Cache; testedVersion = '3.9.0' }) }
                "$said" | Should -Be "FakePinned $Pinned from $(Join-Path $Cache 'FakePinned/4.5.6') (already saved, by an earlier run or from the Actions cache)"
                $recorded = Get-Content -LiteralPath $Events | ConvertFrom-Json
                # The version that runs, with its label: the prerelease is not reported as the release.
                $recorded.version | Should -Be $Pinned
                Get-ConnectTitle -Config ([pscustomobject]@{ connection = [pscustomobject]@{ target = 'exchange-online'; environment = 'O365Default'; organization = 'contoso.onmicrosoft.com'; authMethod = 'oidc' } }) |
                    Should -Be "Connect: exchange-online, O365Default, contoso.onmicrosoft.com, auth oidc, FakePinned $Pinned"
                $recorded.path | Should -Be (Join-Path $Cache 'FakePinned/4.5.6')
                $SafeCommands['Connect-ExchangeOnline'].Module.ModuleBase | Should -Be (Join-Path $Cache 'FakePinned/4.5.6')
            }
            Remove-Module -Name 'FakePinned' -Force
        }

        It 'installs a pinned prerelease rather than take the release of the same version from the image' {
            $feed = New-FakeFeed -Tag 'pre' -Name 'FakePre' -Version '7.0.0' -Prerelease 'Preview2'
            $image = Join-Path $TestDrive 'image-pre'
            New-FakeModule -Root $image -Name 'FakePre' -Version '7.0.0' | Out-Null
            $env:PSModulePath = $image + [System.IO.Path]::PathSeparator + $env:PSModulePath
            $cache = Join-Path $TestDrive 'cache-pre'
            InModuleScope ExoConnectRunner -Parameters @{ Feed = $feed; Cache = $cache; Events = (Join-Path $TestDrive 'pre.jsonl') } {
                param($Feed, $Cache, $Events)
                Set-EventsPath -Path $Events
                $said = Get-RunnerLog { Import-ExchangeModule -Module ([pscustomobject]@{ name = 'FakePre'; version = '7.0.0-Preview2'; repository = $Feed; path = $Cache; testedVersion = '3.9.0' }) }
                "$said" | Should -Match ('^FakePre 7\.0\.0-Preview2 from ' + [regex]::Escape((Join-Path $Cache 'FakePre/7.0.0')) + ' \(saved from ' + [regex]::Escape($Feed) + ' with PSResourceGet in \d+ ms\)$')
                (Get-Content -LiteralPath $Events | ConvertFrom-Json | Where-Object event -EQ 'module').version | Should -Be '7.0.0-Preview2'
                $SafeCommands['Connect-ExchangeOnline'].Module.ModuleBase | Should -Be (Join-Path $Cache 'FakePre/7.0.0')
                $SafeCommands['Connect-ExchangeOnline'].Module.PrivateData.PSData.Prerelease | Should -Be 'Preview2'
            }
            Remove-Module -Name 'FakePre' -Force
        }

        It 'installs a pinned release rather than take a prerelease of the same version from the image' {
            $feed = New-FakeFeed -Tag 'rel' -Name 'FakeRel' -Version '5.0.0'
            $image = Join-Path $TestDrive 'image-rel'
            New-FakeModule -Root $image -Name 'FakeRel' -Version '5.0.0' -Prerelease 'Preview1' | Out-Null
            $env:PSModulePath = $image + [System.IO.Path]::PathSeparator + $env:PSModulePath
            $cache = Join-Path $TestDrive 'cache-rel'
            InModuleScope ExoConnectRunner -Parameters @{ Feed = $feed; Cache = $cache; Events = (Join-Path $TestDrive 'rel.jsonl') } {
                param($Feed, $Cache, $Events)
                Set-EventsPath -Path $Events
                Import-ExchangeModule -Module ([pscustomobject]@{ name = 'FakeRel'; version = '5.0.0'; repository = $Feed; path = $Cache; testedVersion = '3.9.0' })
                $SafeCommands['Connect-ExchangeOnline'].Module.ModuleBase | Should -Be (Join-Path $Cache 'FakeRel/5.0.0')
                Get-PrereleaseLabel -Module $SafeCommands['Connect-ExchangeOnline'].Module | Should -Be ''
            }
            Remove-Module -Name 'FakeRel' -Force -ErrorAction SilentlyContinue
        }

        It 'gives the error of a pinned copy whose own code fails, and runs that code once' {
            $dir = New-FakeModule -Root (Join-Path $TestDrive 'broken') -Name 'FakeBroken' -Version '2.0.0'
            Set-Content -LiteralPath (Join-Path $dir 'FakeBroken.psm1') -Value '$global:FakeBrokenLoads++; throw "FakeBroken cannot load its assembly"'
            $global:FakeBrokenLoads = 0
            try {
                InModuleScope ExoConnectRunner -Parameters @{ Root = (Join-Path $TestDrive 'broken') } {
                    param($Root)
                    { Import-ExchangeModule -Module ([pscustomobject]@{ name = 'FakeBroken'; version = '2.0.0'; repository = 'PSGallery'; path = $Root; testedVersion = '3.9.0' }) } |
                        Should -Throw '*FakeBroken cannot load its assembly*'
                }
                $global:FakeBrokenLoads | Should -Be 1
            } finally {
                Remove-Variable -Name FakeBrokenLoads -Scope Global -ErrorAction SilentlyContinue
            }
        }

        It 'refuses a copy that needs a newer PowerShell, and says which release to pin' {
            New-FakeModule -Root $TestDrive -Name 'FakeExchange' -Version '9.0.0' -PowerShellVersion '99.0' -Unversioned | Out-Null
            InModuleScope ExoConnectRunner -Parameters @{ Root = "$TestDrive" } {
                param($Root)
                { Import-ExchangeModule -Module ([pscustomobject]@{ name = 'FakeExchange'; version = '9.0.0'; repository = 'PSGallery'; path = $Root; testedVersion = '3.9.0' }) } |
                    Should -Throw 'FakeExchange 9.0.0 requires a minimum PowerShell version of 99.0;*such as 3.9.0 (tested with this release of the action)*'
            }
        }

        It 'says which copy installed found, and notes a prerelease and a version older than the tested one' {
            $image = Join-Path $TestDrive 'image-installed'
            New-FakeModule -Root $image -Name 'FakeInstalled' -Version '3.5.0' | Out-Null
            New-FakeModule -Root $image -Name 'FakeInstalled' -Version '3.6.0' -Prerelease 'Preview1' | Out-Null
            $env:PSModulePath = $image + [System.IO.Path]::PathSeparator + $env:PSModulePath
            InModuleScope ExoConnectRunner -Parameters @{ Image = $image; Events = (Join-Path $TestDrive 'installed.jsonl') } {
                param($Image, $Events)
                Set-EventsPath -Path $Events
                $said = @((Get-RunnerLog { Import-ExchangeModule -Module ([pscustomobject]@{ name = 'FakeInstalled'; version = 'installed'; repository = 'PSGallery'; path = $null; testedVersion = '3.9.0' }) }) -split '\r?\n')
                $said | Should -Be @(
                    "FakeInstalled 3.6.0-Preview1 from $(Join-Path $Image 'FakeInstalled/3.6.0') (found on PSModulePath, module-version installed)"
                    '::notice::module-version installed runs FakeInstalled 3.6.0-Preview1, a prerelease: the newest copy on PSModulePath. To run a release, pin one, such as module-version 3.9.0.'
                    '::notice::module-version installed runs FakeInstalled 3.6.0-Preview1, older than 3.9.0, the version this release of the action is tested with. Update the module on the runner, or pin module-version 3.9.0.'
                )
            }
            Remove-Module -Name 'FakeInstalled' -Force
        }

        It 'takes the release over a prerelease of the same version for installed, whichever comes first on PSModulePath' {
            $first = Join-Path $TestDrive 'image-first'
            $second = Join-Path $TestDrive 'image-second'
            New-FakeModule -Root $first -Name 'FakeTie' -Version '3.9.0' -Prerelease 'Preview1' | Out-Null
            New-FakeModule -Root $second -Name 'FakeTie' -Version '3.9.0' | Out-Null
            $env:PSModulePath = $first + [System.IO.Path]::PathSeparator + $second + [System.IO.Path]::PathSeparator + $env:PSModulePath
            InModuleScope ExoConnectRunner -Parameters @{ Second = $second } {
                param($Second)
                Get-RunnerLog { Import-ExchangeModule -Module ([pscustomobject]@{ name = 'FakeTie'; version = 'installed'; repository = 'PSGallery'; path = $null; testedVersion = '3.9.0' }) } |
                    Should -Be "FakeTie 3.9.0 from $(Join-Path $Second 'FakeTie/3.9.0') (found on PSModulePath, module-version installed)"
            }
            Remove-Module -Name 'FakeTie' -Force
        }

        It 'says nothing more when installed finds the tested release, and names a pinned copy from the image' {
            $image = Join-Path $TestDrive 'image-current'
            New-FakeModule -Root $image -Name 'FakeCurrent' -Version '3.9.0' | Out-Null
            $env:PSModulePath = $image + [System.IO.Path]::PathSeparator + $env:PSModulePath
            InModuleScope ExoConnectRunner -Parameters @{ Image = $image } {
                param($Image)
                Get-RunnerLog { Import-ExchangeModule -Module ([pscustomobject]@{ name = 'FakeCurrent'; version = 'installed'; repository = 'PSGallery'; path = $null; testedVersion = '3.9.0' }) } |
                    Should -Be "FakeCurrent 3.9.0 from $(Join-Path $Image 'FakeCurrent/3.9.0') (found on PSModulePath, module-version installed)"
                Get-RunnerLog { Import-ExchangeModule -Module ([pscustomobject]@{ name = 'FakeCurrent'; version = '3.9.0'; repository = 'PSGallery'; path = (Join-Path $Image 'cache'); testedVersion = '3.9.0' }) } |
                    Should -Be "FakeCurrent 3.9.0 from $(Join-Path $Image 'FakeCurrent/3.9.0') (found on PSModulePath)"
            }
            Remove-Module -Name 'FakeCurrent' -Force
        }

        It 'says how to install when module-version installed finds nothing' {
            InModuleScope ExoConnectRunner {
                { Import-ExchangeModule -Module ([pscustomobject]@{ name = 'NoSuchExchangeModule'; version = 'installed'; repository = 'PSGallery'; path = '/nowhere'; testedVersion = '3.9.0' }) } |
                    Should -Throw 'NoSuchExchangeModule is not installed, and module-version installed installs nothing. Use module-version 3.9.0 to install it.'
            }
        }
    }
    }
