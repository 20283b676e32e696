BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot '../ExoConnectRunner.psd1') -Force
    . (Join-Path $PSScriptRoot '../../../../test/ps/RunnerLog.ps1')
}
AfterAll {
    Remove-Module -Name ExoConnectRunner -ErrorAction SilentlyContinue
    Remove-Item -Path function:Get-RunnerLog
}

Describe 'Find-RemoteCommandName' {
    It "lists the commands the script names that neither it defines nor this PowerShell has" {
        $script = Join-Path $TestDrive 'report.ps1'
        Set-Content -LiteralPath $script -Value @(
            'function Format-Row { param($m) "$($m.DisplayName)" }'
            'Get-Mailbox -ResultSize 5 | ForEach-Object { Format-Row $_ }'
            'Get-Date'
            'Get-DistributionGroup; Get-Mailbox'
        )
        InModuleScope ExoConnectRunner -Parameters @{ Script = $script } {
            param($Script)
            $found = Find-RemoteCommandName -Source (Read-ScriptSource -Path $Script)
            $found.Reason | Should -BeNullOrEmpty
            $found.Names | Should -Be @('Get-Mailbox', 'Get-DistributionGroup')
        }
    }

    It "counts as the script's own the functions it defines with a scope, or through the function: drive" {
        $script = Join-Path $TestDrive 'own.ps1'
        Set-Content -LiteralPath $script -Value @(
            'function script:Format-Row { "row" }'
            'function global:Show-It { "shown" }'
            '${function:Get-Local} = { "local" }'
            'New-Item -Path function:Get-Other -Value { "other" } | Out-Null'
            'Set-Item -Path function:\Get-Third -Value { "third" }'
            'Format-Row; Show-It; Get-Local; Get-Other; Get-Third; Get-Mailbox'
        )
        InModuleScope ExoConnectRunner -Parameters @{ Script = $script } {
            param($Script)
            $found = Find-RemoteCommandName -Source (Read-ScriptSource -Path $Script)
            $found.Reason | Should -BeNullOrEmpty
            $found.Names | Should -Be @('Get-Mailbox')
        }
    }

    It "requests a name the script defines only inside a block, or only reads from the function: drive, as the script may call the cmdlet itself" {
        $script = Join-Path $TestDrive 'conditional.ps1'
        Set-Content -LiteralPath $script -Value @(
            'param([switch] $Offline)'
            'if ($Offline) { function Get-Mailbox { "stub" } }'
            'if (-not (Test-Path function:\Get-DistributionGroup)) { throw ''not loaded'' }'
            '$before = Get-Item -Path function:Get-Recipient -ErrorAction SilentlyContinue'
            'Get-Mailbox; Get-DistributionGroup; Get-Recipient'
        )
        InModuleScope ExoConnectRunner -Parameters @{ Script = $script } {
            param($Script)
            $found = Find-RemoteCommandName -Source (Read-ScriptSource -Path $Script)
            $found.Reason | Should -BeNullOrEmpty
            $found.Names | Should -Be @('Get-Mailbox', 'Get-DistributionGroup', 'Get-Recipient')
        }
    }

    It 'gives up, with the reason, for a command of a module from outside PowerShell''s folder, which may call any cmdlet' {
        $modules = Join-Path $TestDrive 'modules'
        $folder = Join-Path $modules 'Contoso.ExoTools'
        New-Item -ItemType Directory -Path $folder -Force | Out-Null
        Set-Content -LiteralPath (Join-Path $folder 'Contoso.ExoTools.psm1') -Value 'function Get-ContosoSharedMailboxReport { Get-Mailbox -RecipientTypeDetails SharedMailbox }'
        Set-Content -LiteralPath (Join-Path $folder 'Contoso.ExoTools.psd1') -Value "@{ RootModule = 'Contoso.ExoTools.psm1'; ModuleVersion = '1.0'; FunctionsToExport = @('Get-ContosoSharedMailboxReport') }"
        $script = Join-Path $TestDrive 'helper-module.ps1'
        Set-Content -LiteralPath $script -Value @('Get-ContosoSharedMailboxReport', 'Get-DistributionGroup')
        $saved = $env:PSModulePath
        $env:PSModulePath = $modules + [System.IO.Path]::PathSeparator + $saved
        try {
            InModuleScope ExoConnectRunner -Parameters @{ Script = $script } {
                param($Script)
                $found = Find-RemoteCommandName -Source (Read-ScriptSource -Path $Script)
                $found.Reason | Should -Be 'line 1 calls Get-ContosoSharedMailboxReport of the module Contoso.ExoTools, whose cmdlets are not read'
                @($found.Names).Count | Should -Be 0
            }
        } finally {
            $env:PSModulePath = $saved
            Remove-Module -Name Contoso.ExoTools -ErrorAction SilentlyContinue
        }
    }

    It 'gives the reason when the names cannot be read from the script: <Line>' -TestCases @(
        @{ Line = '& $command'; Reason = 'line 2 invokes a command whose name is computed' }
        @{ Line = '. ./helpers.ps1'; Reason = 'line 2 dot-sources ./helpers.ps1' }
        @{ Line = '. "$PSScriptRoot/helpers.ps1"'; Reason = 'line 2 dot-sources "$PSScriptRoot/helpers.ps1"' }
        @{ Line = 'iex "Get-Mailbox"'; Reason = 'line 2 uses iex' }
        @{ Line = 'Import-Module Foo'; Reason = 'line 2 uses Import-Module' }
        @{ Line = './helpers.ps1 -Id adele'; Reason = 'line 2 runs the script ./helpers.ps1, whose cmdlets are not read' }
        @{ Line = '& "lib/child.ps1"'; Reason = 'line 2 runs the script lib/child.ps1, whose cmdlets are not read' }
        @{ Line = './tools/report'; Reason = 'line 2 runs ./tools/report by its path, which may be a script whose cmdlets are not read' }
        @{ Line = 'helpers.ps1'; Reason = 'line 2 runs the script helpers.ps1, whose cmdlets are not read' }
        @{ Line = 'Set-Alias gmb Get-Mailbox'; Reason = 'line 2 defines aliases with Set-Alias, whose cmdlets are not read' }
        @{ Line = 'nal -Name gdg -Value Get-DistributionGroup'; Reason = 'line 2 defines aliases with nal, whose cmdlets are not read' }
        @{ Line = 'New-Item -Path Alias:gmbx -Value Get-Mailbox | Out-Null'; Reason = 'line 2 defines an alias through the alias: drive, whose cmdlets are not read' }
        @{ Line = '${alias:gdg} = ''Get-DistributionGroup'''; Reason = 'line 2 defines an alias through the alias: drive, whose cmdlets are not read' }
        @{ Line = '[scriptblock]::Create(''Get-DistributionGroup'').Invoke()'; Reason = 'line 2 calls [scriptblock]::Create(), which runs or looks up commands by a name the script does not write as a command' }
        @{ Line = '$ExecutionContext.InvokeCommand.InvokeScript(''Get-TransportRule'')'; Reason = 'line 2 calls $ExecutionContext.InvokeCommand.InvokeScript(), which runs or looks up commands by a name the script does not write as a command' }
        @{ Line = '[powershell]::Create(''CurrentRunspace'').AddCommand(''Get-TransportRule'').Invoke()'; Reason = 'line 2 calls [powershell]::Create(''CurrentRunspace'').AddCommand(), which runs or looks up commands by a name the script does not write as a command' }
        @{ Line = 'Get-Command -Noun Mailbox'; Reason = 'line 2 looks commands up with Get-Command by other than their exact names' }
        @{ Line = 'gcm Set-*'; Reason = 'line 2 looks commands up with gcm by other than their exact names' }
        @{ Line = 'Get-Command $name'; Reason = 'line 2 looks commands up with Get-Command by other than their exact names' }
        @{ Line = 'Import-Module ExchangeOnlineManagement, Contoso.Tools'; Reason = 'line 2 uses Import-Module' }
    ) {
        $script = Join-Path $TestDrive 'dynamic.ps1'
        Set-Content -LiteralPath $script -Value @('Get-Mailbox', $Line)
        InModuleScope ExoConnectRunner -Parameters @{ Script = $script; Reason = $Reason } {
            param($Script, $Reason)
            $found = Find-RemoteCommandName -Source (Read-ScriptSource -Path $Script)
            $found.Reason | Should -Be $Reason
            @($found.Names).Count | Should -Be 0
        }
    }
}

Describe 'Find-RemoteCommandName with modules the script imports by statement' {
    It 'gives the reason for <Case>' -TestCases @(
        @{ Case = 'using module'; Lines = @('using module ./Helpers.psm1', 'Get-MailboxReport'); Reason = 'line 1 imports the module ./Helpers.psm1 with using module, whose cmdlets are not read' }
        @{ Case = 'using module with a specification'; Lines = @('using module @{ ModuleName = ''Contoso.Helpers''; ModuleVersion = ''1.0'' }', 'Get-MailboxReport'); Reason = '*imports the module *Contoso.Helpers* with using module, whose cmdlets are not read' }
        @{ Case = '#Requires -Modules'; Lines = @('param([string] $Id)', '#Requires -Modules ExchangeOnlineManagement, Contoso.Helpers', 'Get-MailboxReport -Id $Id'); Reason = 'line 2 requires the module Contoso.Helpers (#Requires -Modules), whose cmdlets are not read' }
        @{ Case = '#Requires -Modules with a specification'; Lines = @('#requires -Modules @{ ModuleName = ''Contoso.Helpers''; ModuleVersion = ''1.0'' }', 'Get-MailboxReport'); Reason = 'line 1 requires the module Contoso.Helpers (#Requires -Modules), whose cmdlets are not read' }
    ) {
        $script = Join-Path $TestDrive 'imports.ps1'
        Set-Content -LiteralPath $script -Value $Lines
        InModuleScope ExoConnectRunner -Parameters @{ Script = $script; Reason = $Reason } {
            param($Script, $Reason)
            $found = Find-RemoteCommandName -Source (Read-ScriptSource -Path $Script)
            $found.Reason | Should -BeLike $Reason
            @($found.Names).Count | Should -Be 0
        }
    }

    It 'requests a cmdlet the script looks up by its exact name, reads Import-Module ExchangeOnlineManagement as #Requires, and is not misled by a Create() of another type' {
        $script = Join-Path $TestDrive 'lookup.ps1'
        Set-Content -LiteralPath $script -Value @(
            'Import-Module ExchangeOnlineManagement -MinimumVersion 3.0.0 -ErrorAction Stop'
            'ipmo -Name ''ExchangeOnlineManagement'''
            'if (Get-Command Set-Mailbox -ErrorAction SilentlyContinue) { Get-Mailbox -ResultSize 1 }'
            'gcm -Name Get-DistributionGroup, Get-TransportRule | Out-Null'
            'Get-Command -Name Set-Alias, ./deploy.ps1 -ErrorAction Ignore | Out-Null'
            '$file = [System.IO.File]::Create("$env:RUNNER_TEMP/x"); $file.Dispose()'
        )
        InModuleScope ExoConnectRunner -Parameters @{ Script = $script } {
            param($Script)
            $found = Find-RemoteCommandName -Source (Read-ScriptSource -Path $Script)
            $found.Reason | Should -BeNullOrEmpty
            $found.Names | Should -Be @('Set-Mailbox', 'Get-Mailbox', 'Get-DistributionGroup', 'Get-TransportRule')
        }
    }

    It 'reads the script when the module it names is ExchangeOnlineManagement itself' {
        $script = Join-Path $TestDrive 'exo-requires.ps1'
        Set-Content -LiteralPath $script -Value @('using module ExchangeOnlineManagement', 'using module @{ ModuleName = ''ExchangeOnlineManagement''; ModuleVersion = ''3.0.0'' }', '#Requires -Modules ExchangeOnlineManagement', 'Get-Mailbox -ResultSize 1', '& { Get-Mailbox -Identity adele }')
        InModuleScope ExoConnectRunner -Parameters @{ Script = $script } {
            param($Script)
            $found = Find-RemoteCommandName -Source (Read-ScriptSource -Path $Script)
            $found.Reason | Should -BeNullOrEmpty
            $found.Names | Should -Be @('Get-Mailbox')
        }
    }
}

Describe 'Resolve-CommandName' {
    It 'with auto, requests the named cmdlets and records them' {
        $script = Join-Path $TestDrive 'auto.ps1'
        Set-Content -LiteralPath $script -Value 'Get-Mailbox | Set-Mailbox -HiddenFromAddressListsEnabled $true'
        InModuleScope ExoConnectRunner -Parameters @{ Script = $script; Events = (Join-Path $TestDrive 'auto.jsonl') } {
            param($Script, $Events)
            Set-EventsPath -Path $Events
            $connection = [pscustomobject]@{ commandNames = 'auto' }
            $said = Get-RunnerLog { Resolve-CommandName -Connection $connection -Source (Read-ScriptSource -Path $Script) }
            $connection.commandNames | Should -Be @('Get-Mailbox', 'Set-Mailbox')
            "$said" | Should -Be 'command-names auto: 2 cmdlets requested: Get-Mailbox, Set-Mailbox.'
            $recorded = Get-Content -LiteralPath $Events | ConvertFrom-Json
            $recorded.requested | Should -Be 2
            $recorded.names | Should -Be @('Get-Mailbox', 'Set-Mailbox')
        }
    }

    It 'with auto and nothing remote named, requests all cmdlets' {
        $script = Join-Path $TestDrive 'local.ps1'
        Set-Content -LiteralPath $script -Value 'Get-Date'
        InModuleScope ExoConnectRunner -Parameters @{ Script = $script; Events = (Join-Path $TestDrive 'local.jsonl') } {
            param($Script, $Events)
            Set-EventsPath -Path $Events
            $connection = [pscustomobject]@{ commandNames = 'auto' }
            $said = Get-RunnerLog { Resolve-CommandName -Connection $connection -Source (Read-ScriptSource -Path $Script) }
            $connection.commandNames | Should -BeNullOrEmpty
            "$said" | Should -Be 'command-names auto: loading all cmdlets, because the script names none of the Exchange cmdlets.'
            (Get-Content -LiteralPath $Events | ConvertFrom-Json).reason | Should -Be 'no remote cmdlet named'
        }
    }

    It 'with auto and a prefix, requests the names without it, as -CommandName takes them' {
        $script = Join-Path $TestDrive 'prefixed.ps1'
        Set-Content -LiteralPath $script -Value 'Get-ContosoMailbox | set-contosomailbox -HiddenFromAddressListsEnabled $true'
        InModuleScope ExoConnectRunner -Parameters @{ Script = $script; Events = (Join-Path $TestDrive 'prefixed.jsonl') } {
            param($Script, $Events)
            Set-EventsPath -Path $Events
            $connection = [pscustomobject]@{ commandNames = 'auto'; prefix = 'Contoso' }
            $said = Get-RunnerLog { Resolve-CommandName -Connection $connection -Source (Read-ScriptSource -Path $Script) }
            $connection.commandNames | Should -Be @('Get-Mailbox', 'set-mailbox')
            "$said" | Should -Be 'command-names auto: 2 cmdlets requested: Get-Mailbox, set-mailbox.'
        }
    }

    It 'with a list and a prefix, requests each name as written and, when it carries the prefix, without it' {
        InModuleScope ExoConnectRunner {
            # 'Get-Mailbox' with the prefix Mail: either the module's name or Get-<Mail>box; both are asked for.
            $connection = [pscustomobject]@{ commandNames = @('Get-ContosoMailbox', 'Set-Mailbox', 'Get-Contoso'); prefix = 'Contoso' }
            $said = Get-RunnerLog { Resolve-CommandName -Connection $connection -Source $null }
            $connection.commandNames | Should -Be @('Get-Mailbox', 'Get-ContosoMailbox', 'Set-Mailbox', 'Get-Contoso')
            "$said" | Should -Be 'command-names: 3 cmdlets listed; with prefix Contoso, a listed name that carries it is requested without it too: Get-Mailbox, Get-ContosoMailbox, Set-Mailbox, Get-Contoso.'
        }
    }

    It 'leaves a list the user gave as it is' {
        InModuleScope ExoConnectRunner {
            $connection = [pscustomobject]@{ commandNames = @('Get-Mailbox') }
            $said = Get-RunnerLog { Resolve-CommandName -Connection $connection -Source $null }
            $connection.commandNames | Should -Be @('Get-Mailbox')
            "$said" | Should -Be 'command-names: 1 cmdlet requested: Get-Mailbox.'
            # A name listed twice is requested once; a prefix that no listed name carries adds none.
            $connection = [pscustomobject]@{ commandNames = @('Get-Mailbox', 'get-mailbox'); prefix = 'Contoso' }
            $said = Get-RunnerLog { Resolve-CommandName -Connection $connection -Source $null }
            "$said" | Should -Be 'command-names: 1 cmdlet requested: Get-Mailbox.'
        }
    }

    It 'with auto and using module, loads all cmdlets and says why' {
        $script = Join-Path $TestDrive 'using.ps1'
        Set-Content -LiteralPath $script -Value @('using module ./Helpers.psm1', 'Get-MailboxReport')
        InModuleScope ExoConnectRunner -Parameters @{ Script = $script; Events = (Join-Path $TestDrive 'using.jsonl') } {
            param($Script, $Events)
            Set-EventsPath -Path $Events
            $connection = [pscustomobject]@{ commandNames = 'auto' }
            $said = Get-RunnerLog { Resolve-CommandName -Connection $connection -Source (Read-ScriptSource -Path $Script) }
            $connection.commandNames | Should -BeNullOrEmpty
            "$said" | Should -Be 'command-names auto: loading all cmdlets, because line 1 imports the module ./Helpers.psm1 with using module, whose cmdlets are not read.'
            (Get-Content -LiteralPath $Events | ConvertFrom-Json).requested | Should -Be 'all'
        }
    }
}

Describe 'Write-UnloadedCommandWarning' {
    BeforeAll {
        # Stand-ins for cmdlets a connection imported, one of them with the prefix Contoso.
        function global:Get-ExoTestWidget { }
        function global:Set-ContosoExoTestWidget { }
    }
    AfterAll { Remove-Item -Path @('function:Get-ExoTestWidget', 'function:Set-ContosoExoTestWidget') }

    It 'warns once, beside the job, naming the listed names the session cannot run as the user wrote them, and the cmdlets the script calls that the list left out' {
        $script = Join-Path $TestDrive 'widgets.ps1'
        Set-Content -LiteralPath $script -Value @('Get-ExoTestWidget', 'Set-ContosoExoTestWidget -Id 1', 'Get-ExoTestGadget | Remove-ExoTestGadget')
        InModuleScope ExoConnectRunner -Parameters @{ Script = $script } {
            param($Script)
            $connection = [pscustomobject]@{ commandNames = @('Get-ExoTestWidget', 'Get-ExoTestWidgetTypo', 'Set-ExoTestWidget', 'Remove-ExoTestWidget'); prefix = 'Contoso' }
            [void](Get-RunnerLog { Resolve-CommandName -Connection $connection -Source (Read-ScriptSource -Path $Script) })
            $said = @((Get-RunnerLog { Write-UnloadedCommandWarning -Prefix 'Contoso' -Source (Read-ScriptSource -Path $Script) }) -split '\r?\n')
            $said | Should -Be @(
                '::warning::command-names lists Get-ExoTestWidgetTypo, Remove-ExoTestWidget, which the connection did not import: they are not cmdlets of this connection (typos?), or the Exchange role of the app or account does not grant them. Cmdlets the script calls that the list leaves out fail as not recognized: Get-ExoTestGadget, Remove-ExoTestGadget.'
            )
        }
    }

    It 'with a prefix, a listed cmdlet the script calls without it: the warning names the prefixed name to call, not the list' {
        $script = Join-Path $TestDrive 'unprefixed.ps1'
        Set-Content -LiteralPath $script -Value @('Get-ExoTestWidget', 'Get-ExoTestThing')
        InModuleScope ExoConnectRunner -Parameters @{ Script = $script } {
            param($Script)
            # The connection imported the listed cmdlet with the prefix, as Get-ContosoExoTestThing.
            function global:Get-ContosoExoTestThing { }
            try {
                $connection = [pscustomobject]@{ commandNames = @('Get-ExoTestWidget', 'Get-ExoTestThing'); prefix = 'Contoso' }
                [void](Get-RunnerLog { Resolve-CommandName -Connection $connection -Source (Read-ScriptSource -Path $Script) })
                $said = @((Get-RunnerLog { Write-UnloadedCommandWarning -Prefix 'Contoso' -Source (Read-ScriptSource -Path $Script) }) -split '\r?\n')
                $said | Should -Be @('::warning::The script calls Get-ExoTestThing without the prefix Contoso: with prefix set, the connection names them Get-ContosoExoTestThing, so the calls fail as not recognized. Call them by those names, or leave prefix empty.')
            } finally {
                Remove-Item -Path function:Get-ContosoExoTestThing
            }
        }
    }

    It 'a typo the script never calls: the warning names the cmdlet the script calls instead, not the typo, as what fails' {
        $script = Join-Path $TestDrive 'typo.ps1'
        Set-Content -LiteralPath $script -Value 'Get-ExoTestMailbox -ResultSize 1 | Out-Null'
        InModuleScope ExoConnectRunner -Parameters @{ Script = $script } {
            param($Script)
            $connection = [pscustomobject]@{ commandNames = @('Get-ExoTestMailbx') }
            [void](Get-RunnerLog { Resolve-CommandName -Connection $connection -Source (Read-ScriptSource -Path $Script) })
            $said = Get-RunnerLog { Write-UnloadedCommandWarning -Prefix $null -Source (Read-ScriptSource -Path $Script) }
            "$said" | Should -Be '::warning::command-names lists Get-ExoTestMailbx, which the connection did not import: it is not a cmdlet of this connection (a typo?), or the Exchange role of the app or account does not grant it. Cmdlets the script calls that the list leaves out fail as not recognized: Get-ExoTestMailbox.'
            "$said" | Should -Not -Match 'fails where it calls Get-ExoTestMailbx'
        }
    }

    It 'a script whose cmdlets cannot be read, or that calls none the list left out: no names are guessed' {
        $dynamic = Join-Path $TestDrive 'dynamic.ps1'
        Set-Content -LiteralPath $dynamic -Value @('$verb = "Get"', '& "$verb-ExoTestWidget"')
        $covered = Join-Path $TestDrive 'covered.ps1'
        Set-Content -LiteralPath $covered -Value 'Get-ExoTestWidget'
        InModuleScope ExoConnectRunner -Parameters @{ Dynamic = $dynamic; Covered = $covered } {
            param($Dynamic, $Covered)
            $connection = [pscustomobject]@{ commandNames = @('Get-ExoTestWidget', 'Get-ExoTestWidgetTypo') }
            [void](Get-RunnerLog { Resolve-CommandName -Connection $connection -Source (Read-ScriptSource -Path $Dynamic) })
            $first = 'command-names lists Get-ExoTestWidgetTypo, which the connection did not import: it is not a cmdlet of this connection (a typo?), or the Exchange role of the app or account does not grant it.'
            "$(Get-RunnerLog { Write-UnloadedCommandWarning -Prefix $null -Source (Read-ScriptSource -Path $Dynamic) })" | Should -Be "::warning::$first Cmdlets the script calls that the list leaves out fail as not recognized."
            "$(Get-RunnerLog { Write-UnloadedCommandWarning -Prefix $null -Source (Read-ScriptSource -Path $Covered) })" | Should -Be "::warning::$first"
        }
    }

    It 'every listed name imported, but the script calls a cmdlet the list left out: a warning names it' {
        $script = Join-Path $TestDrive 'left-out.ps1'
        Set-Content -LiteralPath $script -Value @('Get-ExoTestWidget', 'Set-ExoTestGadget -Id 1')
        $covered = Join-Path $TestDrive 'all-listed.ps1'
        Set-Content -LiteralPath $covered -Value 'Get-ExoTestWidget | Out-Null'
        InModuleScope ExoConnectRunner -Parameters @{ Script = $script; Covered = $covered } {
            param($Script, $Covered)
            $connection = [pscustomobject]@{ commandNames = @('Get-ExoTestWidget') }
            [void](Get-RunnerLog { Resolve-CommandName -Connection $connection -Source (Read-ScriptSource -Path $Script) })
            "$(Get-RunnerLog { Write-UnloadedCommandWarning -Prefix $null -Source (Read-ScriptSource -Path $Script) })" |
                Should -Be '::warning::command-names leaves out Set-ExoTestGadget, which the script calls and this session does not have: it fails as not recognized, unless the script installs or imports a module that has it. Add the Exchange cmdlets among them to command-names, or set it to auto, which requests the cmdlets the script names.'
            Get-RunnerLog { Write-UnloadedCommandWarning -Prefix $null -Source (Read-ScriptSource -Path $Covered) } | Should -BeNullOrEmpty
        }
    }

    It 'says nothing for all or auto' {
        $script = Join-Path $TestDrive 'auto-missing.ps1'
        Set-Content -LiteralPath $script -Value 'Get-ExoTestMissing'
        InModuleScope ExoConnectRunner -Parameters @{ Script = $script } {
            param($Script)
            $connection = [pscustomobject]@{ commandNames = @('Get-ExoTestMissing') }
            [void](Get-RunnerLog { Resolve-CommandName -Connection $connection -Source (Read-ScriptSource -Path $Script) })
            $connection = [pscustomobject]@{ commandNames = 'auto' }
            [void](Get-RunnerLog { Resolve-CommandName -Connection $connection -Source (Read-ScriptSource -Path $Script) })
            Get-RunnerLog { Write-UnloadedCommandWarning -Prefix $null -Source (Read-ScriptSource -Path $Script) } | Should -BeNullOrEmpty
        }
    }
}

Describe 'Resolve-CommandName with only the module''s own cmdlets' {
    BeforeAll {
        Import-Module -Name (Join-Path $PSScriptRoot '../../../../sandbox/modules/ExchangeOnlineManagement') -Force -DisableNameChecking
    }
    AfterAll { Remove-Module -Name ExchangeOnlineManagement -ErrorAction SilentlyContinue }

    It 'requests only the module''s own cmdlets the script uses, so that the connection loads none of its own' {
        $script = Join-Path $TestDrive 'exo.ps1'
        Set-Content -LiteralPath $script -Value @('Get-EXOMailbox -ResultSize 10 | Select-Object DisplayName', 'Get-EXOMailboxStatistics -Identity a')
        InModuleScope ExoConnectRunner -Parameters @{ Script = $script; Events = (Join-Path $TestDrive 'exo.jsonl') } {
            param($Script, $Events)
            Set-EventsPath -Path $Events
            $connection = [pscustomobject]@{ commandNames = 'auto' }
            $said = Get-RunnerLog { Resolve-CommandName -Connection $connection -Source (Read-ScriptSource -Path $Script) }
            $connection.commandNames | Should -Be @('Get-EXOMailbox', 'Get-EXOMailboxStatistics')
            "$said" | Should -Be 'command-names auto: the script calls only Get-EXOMailbox, Get-EXOMailboxStatistics, which the ExchangeOnlineManagement module itself provides: the connection loads none of its other cmdlets.'
            (Get-Content -LiteralPath $Events | ConvertFrom-Json).requested | Should -Be 2
        }
    }

    It 'warns, under any command-names, when the script calls one of the module''s own cmdlets with the prefix, which it does not take' {
        $script = Join-Path $TestDrive 'prefixed-exo.ps1'
        Set-Content -LiteralPath $script -Value @('Get-ContosoEXOMailbox -ResultSize 1', 'Get-ContosoMailbox -Identity a', 'Get-ContosoEXOMailbox -ResultSize 2')
        InModuleScope ExoConnectRunner -Parameters @{ Script = $script; Events = (Join-Path $TestDrive 'prefixed-exo.jsonl') } {
            param($Script, $Events)
            Set-EventsPath -Path $Events
            Register-ExchangeCommand -Module (Get-Module -Name ExchangeOnlineManagement)
            # command-names all reaches the runner as null.
            foreach ($names in @($null, 'auto')) {
                $connection = [pscustomobject]@{ commandNames = $names; prefix = 'Contoso' }
                $said = @((Get-RunnerLog { Resolve-CommandName -Connection $connection -Source (Read-ScriptSource -Path $Script) }) -split '\r?\n' | Where-Object { $_ -like '::warning::*' })
                $said | Should -Be @("::warning::The script calls Get-ContosoEXOMailbox (call Get-EXOMailbox): prefix renames the cmdlets the connection loads, not the ExchangeOnlineManagement module's own (Get-EXOMailbox, Get-ConnectionInformation and the like), which keep their names, so these calls fail as not recognized.") -Because $names
            }
            $plain = [pscustomobject]@{ commandNames = $null; prefix = $null }
            Get-RunnerLog { Resolve-CommandName -Connection $plain -Source (Read-ScriptSource -Path $Script) } | Should -BeNullOrEmpty
            # A wrapper of the script's own by that name is what the call reaches.
            $wrapper = Join-Path (Split-Path -Parent $Script) 'wrapper.ps1'
            Set-Content -LiteralPath $wrapper -Value @('function Get-ContosoEXOMailbox { Get-EXOMailbox @args }', 'Get-ContosoEXOMailbox -ResultSize 1')
            $connection = [pscustomobject]@{ commandNames = $null; prefix = 'Contoso' }
            Get-RunnerLog { Resolve-CommandName -Connection $connection -Source (Read-ScriptSource -Path $wrapper) } | Should -BeNullOrEmpty
        }
    }
}

Describe 'Get-UnprefixedName and Get-PrefixedName' {
    It 'take the prefix out of a noun that carries it, and put it in front of one, leaving names without a verb alone' {
        InModuleScope ExoConnectRunner {
            Get-UnprefixedName -Name 'Get-ContosoMailbox' -Prefix 'Contoso' | Should -BeExactly 'Get-Mailbox'
            Get-UnprefixedName -Name 'get-CONTOSOMailbox' -Prefix 'Contoso' | Should -BeExactly 'get-Mailbox'
            Get-UnprefixedName -Name 'Get-Contoso' -Prefix 'Contoso' | Should -BeNullOrEmpty
            Get-UnprefixedName -Name 'Get-Mailbox' -Prefix 'Contoso' | Should -BeNullOrEmpty
            Get-UnprefixedName -Name 'ContosoMailbox' -Prefix 'Contoso' | Should -BeNullOrEmpty
            Get-UnprefixedName -Name 'Get-ContosoMailbox' -Prefix '' | Should -BeNullOrEmpty
            Get-PrefixedName -Name 'Get-Mailbox' -Prefix 'Contoso' | Should -BeExactly 'Get-ContosoMailbox'
            Get-PrefixedName -Name 'Mailbox' -Prefix 'Contoso' | Should -BeExactly 'Mailbox'
        }
    }
}
