BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot '../ExoConnectRunner.psd1') -Force
    function Invoke-TeardownQuietly {
        # Runs Invoke-Teardown with the given state and stand-ins for the commands it calls; gives the log and events.
        param([hashtable] $State, [hashtable] $Commands, [switch] $IsServer, [string] $Location = "$TestDrive")
        $events = Join-Path $TestDrive ('events-' + [guid]::NewGuid().ToString('N') + '.jsonl')
        $console = [Console]::Out
        $log = New-Object System.IO.StringWriter
        [Console]::SetOut($log)
        try {
            InModuleScope ExoConnectRunner -Parameters @{ Events = $events; State = $State; Commands = $Commands; IsServer = [bool]$IsServer; Location = $Location } {
                param($Events, $State, $Commands, $IsServer, $Location)
                Set-EventsPath -Path $Events
                $saved = $SafeCommands.Clone()
                foreach ($name in $State.Keys) { Set-Variable -Scope Script -Name $name -Value $State[$name] }
                foreach ($name in $Commands.Keys) { $SafeCommands[$name] = $Commands[$name] }
                try { Invoke-Teardown -IsServer:$IsServer -Location $Location 3>$null } finally {
                    $script:SafeCommands = $saved
                    $script:Connected = $false
                    $script:ConnectPending = $false
                    $script:RemoteSession = $null
                }
            }
        } finally {
            [Console]::SetOut($console)
        }
        $recorded = @()
        if (Test-Path -LiteralPath $events) { $recorded = @(Get-Content -LiteralPath $events | ConvertFrom-Json) }
        [pscustomobject]@{ Log = $log.ToString(); Events = $recorded; Kinds = @($recorded | ForEach-Object { $_.event }) }
    }
    $script:NoConnection = { [CmdletBinding()] param() }
}
AfterAll { Remove-Module -Name ExoConnectRunner -ErrorAction SilentlyContinue }

Describe 'Invoke-Teardown' {
    It 'says so when nothing was connected, between its start and end events' {
        $run = Invoke-TeardownQuietly -State @{ Connected = $false; ConnectPending = $false; RemoteSession = $null } -Commands @{}
        $run.Log | Should -Match '::group::Teardown\r?\nNothing was connected\.\r?\nteardown took \d+ ms\r?\n::endgroup::'
        $run.Kinds | Should -Be @('teardown', 'teardown')
        @($run.Events | ForEach-Object { $_.status }) | Should -Be @('start', 'end')
    }

    It "disconnects with the module's command kept at import, never as a what-if, and checks that nothing is left" {
        $calls = New-Object System.Collections.Generic.List[string]
        $disconnect = { [CmdletBinding()] param([switch] $Confirm, [switch] $WhatIf) $calls.Add("confirm=$Confirm whatif=$WhatIf") }.GetNewClosure()
        $information = { [CmdletBinding()] param() $calls.Add('checked') }.GetNewClosure()
        function global:Disconnect-ExchangeOnline { throw 'the look-alike ran' }
        try {
            $run = Invoke-TeardownQuietly -State @{ Connected = $true } -Commands @{ 'Disconnect-ExchangeOnline' = $disconnect; 'Get-ConnectionInformation' = $information }
        } finally {
            Remove-Item -Path function:Disconnect-ExchangeOnline
        }
        $calls | Should -Be @('confirm=False whatif=False', 'checked')
        $run.Kinds | Should -Be @('teardown', 'disconnected', 'teardown')
    }

    It "passes the default preferences to the module's functions as common parameters, which a pinned global preference cannot override" {
        $bound = New-Object System.Collections.Generic.List[string]
        $record = { [CmdletBinding()] param([switch] $Confirm, [switch] $WhatIf) $bound.Add((@($PSBoundParameters.Keys | Where-Object { $_ -notin 'Confirm', 'WhatIf' } | Sort-Object | ForEach-Object { "$_=$($PSBoundParameters[$_])" }) -join ' ')) }.GetNewClosure()
        $run = Invoke-TeardownQuietly -State @{ Connected = $true } -Commands @{ 'Disconnect-ExchangeOnline' = $record; 'Get-ConnectionInformation' = $record }
        $expected = 'Debug=False ErrorAction=Stop InformationAction=SilentlyContinue'
        if ($PSVersionTable.PSVersion -ge [version]'7.4') { $expected += ' ProgressAction=SilentlyContinue' }
        $expected += ' Verbose=False WarningAction=Continue'
        $bound | Should -Be @($expected, $expected)
        $run.Kinds | Should -Be @('teardown', 'disconnected', 'teardown')
    }

    It 'does not claim a disconnect that Get-ConnectionInformation contradicts' {
        $left = { [CmdletBinding()] param() [pscustomobject]@{ ConnectionId = 'c-1'; State = 'Connected' } }
        $disconnect = { [CmdletBinding()] param([switch] $Confirm, [switch] $WhatIf) }
        $run = Invoke-TeardownQuietly -State @{ Connected = $true } -Commands @{ 'Disconnect-ExchangeOnline' = $disconnect; 'Get-ConnectionInformation' = $left }
        $run.Kinds | Should -Be @('teardown', 'error', 'teardown')
        $run.Events[1].phase | Should -Be 'teardown'
        $run.Events[1].message | Should -Be 'Disconnect-ExchangeOnline returned, yet Get-ConnectionInformation still lists these connections: c-1.'
    }

    It 'disconnects after a connect that was stopped half way, in case it left a connection' {
        $calls = New-Object System.Collections.Generic.List[string]
        $disconnect = { [CmdletBinding()] param([switch] $Confirm, [switch] $WhatIf) $calls.Add('called') }.GetNewClosure()
        $run = Invoke-TeardownQuietly -State @{ ConnectPending = $true } -Commands @{ 'Disconnect-ExchangeOnline' = $disconnect; 'Get-ConnectionInformation' = $script:NoConnection }
        $run.Log | Should -Match 'The connect was stopped before it finished; disconnecting in case it left a connection\.'
        $calls.Count | Should -Be 1
    }

    It 'records a failed disconnect as a teardown error, and does not claim a disconnect' {
        $run = Invoke-TeardownQuietly -State @{ Connected = $true } -Commands @{ 'Disconnect-ExchangeOnline' = { [CmdletBinding()] param([switch] $Confirm, [switch] $WhatIf) throw 'Disconnect failed (injected).' } }
        $run.Kinds | Should -Be @('teardown', 'error', 'teardown')
        $run.Events[1].phase | Should -Be 'teardown'
        $run.Events[1].message | Should -Be 'Disconnect failed (injected).'
    }

    It 'removes the server session it opened, checks it is gone, and records its InstanceId' {
        $removed = New-Object System.Collections.Generic.List[string]
        $remove = { [CmdletBinding()] param($Session, [switch] $WhatIf) $removed.Add([string]$Session.InstanceId) }.GetNewClosure()
        $session = [pscustomobject]@{ InstanceId = [guid]::NewGuid(); State = 'Opened' }
        $run = Invoke-TeardownQuietly -State @{ RemoteSession = $session } -Commands @{ 'Remove-PSSession' = $remove; 'Get-PSSession' = $script:NoConnection } -IsServer
        $removed | Should -Be @([string]$session.InstanceId)
        $run.Kinds | Should -Be @('teardown', 'disconnected', 'teardown')
        $run.Events[1].instanceId | Should -Be ([string]$session.InstanceId)
    }

    It 'removes the PSSessions the script left open besides its own, and says how many' {
        $own = [pscustomobject]@{ InstanceId = [guid]::NewGuid(); State = 'Opened'; ComputerName = 'mail01.contoso.com'; ConfigurationName = 'Microsoft.Exchange' }
        $theirs = [pscustomobject]@{ InstanceId = [guid]::NewGuid(); State = 'Opened'; ComputerName = 'mail02.contoso.com'; ConfigurationName = 'Microsoft.Exchange' }
        $closed = [pscustomobject]@{ InstanceId = [guid]::NewGuid(); State = 'Closed'; ComputerName = 'mail03.contoso.com'; ConfigurationName = 'Microsoft.Exchange' }
        $sessions = [System.Collections.Generic.List[object]]@($theirs, $closed)
        $removed = New-Object System.Collections.Generic.List[string]
        # The action's own session is listed until it is removed; the script's stays until the sweep.
        $list = { [CmdletBinding()] param() $sessions }.GetNewClosure()
        $remove = { [CmdletBinding()] param($Session, [switch] $WhatIf) foreach ($s in @($Session)) { $removed.Add([string]$s.InstanceId); [void]$sessions.Remove($s) } }.GetNewClosure()
        $run = Invoke-TeardownQuietly -State @{ RemoteSession = $own } -Commands @{ 'Remove-PSSession' = $remove; 'Get-PSSession' = $list } -IsServer
        $removed | Should -Be @([string]$own.InstanceId, [string]$theirs.InstanceId)
        $run.Log | Should -Match ([regex]::Escape("1 PSSession was still open after the action's own connection was closed, as a script's New-PSSession leaves them: mail02.contoso.com (Microsoft.Exchange); removing it."))
        $run.Kinds | Should -Be @('teardown', 'disconnected', 'teardown')
    }

    It 'ends the teardown when Get-PSSession lists a null item among the sessions' {
        $theirs = [pscustomobject]@{ InstanceId = [guid]::NewGuid(); State = 'Opened'; ComputerName = 'mail02.contoso.com'; ConfigurationName = 'Microsoft.Exchange' }
        $removed = New-Object System.Collections.Generic.List[string]
        $list = { [CmdletBinding()] param() $theirs, $null }.GetNewClosure()
        $remove = { [CmdletBinding()] param($Session, [switch] $WhatIf) foreach ($s in @($Session)) { $removed.Add([string]$s.InstanceId) } }.GetNewClosure()
        $run = Invoke-TeardownQuietly -State @{ Connected = $false } -Commands @{ 'Remove-PSSession' = $remove; 'Get-PSSession' = $list }
        $removed | Should -Be @([string]$theirs.InstanceId)
        $run.Log | Should -Match 'teardown took \d+ ms'
        $run.Kinds | Should -Be @('teardown', 'teardown')
    }

    It 'warns when the PSSessions the script left cannot be removed, and the teardown still ends' {
        $theirs = [pscustomobject]@{ InstanceId = [guid]::NewGuid(); State = 'Opened'; ComputerName = 'mail02.contoso.com'; ConfigurationName = 'Microsoft.Exchange' }
        $list = { [CmdletBinding()] param() $theirs }.GetNewClosure()
        $refuse = { [CmdletBinding()] param($Session, [switch] $WhatIf) throw 'The WinRM client cannot complete the operation.' }
        $run = Invoke-TeardownQuietly -State @{ Connected = $false } -Commands @{ 'Remove-PSSession' = $refuse; 'Get-PSSession' = $list }
        $run.Log | Should -Match '1 PSSession was still open .*: mail02\.contoso\.com \(Microsoft\.Exchange\); removing it\.'
        $run.Log | Should -Match '(?m)^::warning::The PSSessions the script left open could not all be removed: The WinRM client cannot complete the operation\. Each holds a session on its server'
        $run.Log | Should -Match 'teardown took \d+ ms'
        $run.Kinds | Should -Be @('teardown', 'teardown')
    }

    It 'does not claim a removal while Get-PSSession still lists the session open' {
        $session = [pscustomobject]@{ InstanceId = [guid]::NewGuid(); State = 'Opened' }
        $stillThere = { [CmdletBinding()] param() $session }.GetNewClosure()
        $run = Invoke-TeardownQuietly -State @{ RemoteSession = $session } -Commands @{ 'Remove-PSSession' = { [CmdletBinding()] param($Session, [switch] $WhatIf) }; 'Get-PSSession' = $stillThere } -IsServer
        $run.Kinds | Should -Be @('teardown', 'error', 'teardown')
        $run.Events[1].message | Should -Be "Remove-PSSession returned, yet Get-PSSession still lists the session $($session.InstanceId) as Opened."
    }
}

Describe 'PSValue' {
    It 'counts as PowerShell does for the lists the teardown reads, and type data over Count and Length changes nothing' {
        $set = [System.Collections.Generic.HashSet[string]]::new([string[]]@('a', 'b'))
        $list = [System.Collections.Generic.List[object]]::new()
        $list.Add(1); $list.Add(2); $list.Add(3)
        $cases = @(
            @($null, 0), @(@(), 0), @(@(1, 2), 2), @($list, 3), @($set, 2), @(@{ a = 1; b = 2 }, 2),
            @([pscustomobject]@{ a = 1 }, 1), @(([psobject]@(1, 2)), 2), @(42, 1)
        )
        foreach ($case in $cases) { [ExoConnectRunner.Native.PSValue]::Count($case[0]) | Should -Be $case[1] -Because "$($case[0])" }
        # -TypeName takes wildcards: the brackets of an array's type name are escaped.
        $typeNames = @([WildcardPattern]::Escape('System.Object[]'), 'System.Diagnostics.Stopwatch')
        $builtIn = @(Get-TypeData -TypeName $typeNames)
        try {
            Update-TypeData -TypeName System.Object[] -MemberType ScriptProperty -MemberName Count -Value { 99 } -Force
            Update-TypeData -TypeName System.Diagnostics.Stopwatch -MemberType ScriptProperty -MemberName ElapsedMilliseconds -Value { 'hijacked' } -Force
            @(1, 2).Count | Should -Be 99
            [ExoConnectRunner.Native.PSValue]::Count(@(1, 2)) | Should -Be 2
            [ExoConnectRunner.Native.PSValue]::Milliseconds([System.Diagnostics.Stopwatch]::new()) | Should -Be 0
        } finally {
            Remove-TypeData -TypeName System.Object[] -ErrorAction SilentlyContinue
            Remove-TypeData -TypeName System.Diagnostics.Stopwatch -ErrorAction SilentlyContinue
            foreach ($data in $builtIn) { Update-TypeData -TypeData $data -Force }
        }
    }
}

Describe 'Set-GlobalVariable' {
    It 'sets a global variable the script made read-only, and leaves one it made constant as it is' {
        Set-Variable -Name ExoTestReadOnly -Scope Global -Value 'script' -Option ReadOnly -Force
        $constant = 'ExoTestConstant' + [guid]::NewGuid().ToString('N')
        New-Variable -Name $constant -Scope Global -Value 'script' -Option Constant
        try {
            InModuleScope ExoConnectRunner -Parameters @{ Constant = $constant } {
                param($Constant)
                Set-GlobalVariable -Name ExoTestReadOnly -Value 'runner'
                { Set-GlobalVariable -Name $Constant -Value 'runner' } | Should -Not -Throw
            }
            $global:ExoTestReadOnly | Should -Be 'runner'
            (Get-Variable -Name $constant -Scope Global).Value | Should -Be 'script'
        } finally {
            Remove-Variable -Name ExoTestReadOnly -Scope Global -Force
        }
    }
}

Describe 'Invoke-WithDefaultGlobalState' {
    It "runs the body with PowerShell's default preferences, no parameter defaults and a location that exists, then puts the script's back" {
        $before = @{ WhatIf = $global:WhatIfPreference; Confirm = $global:ConfirmPreference; ErrorAction = $global:ErrorActionPreference; Defaults = $global:PSDefaultParameterValues; Location = (Get-Location).Path }
        # The script left the location on another provider, and removed its working directory.
        Set-Location -Path Env:
        $global:WhatIfPreference = $true
        $global:ConfirmPreference = 'Low'
        $global:ErrorActionPreference = 'SilentlyContinue'
        $global:PSDefaultParameterValues = @{ 'Disconnect-ExchangeOnline:ConnectionId' = 'wrong' }
        try {
            $seen = InModuleScope ExoConnectRunner -Parameters @{ Location = (Join-Path $TestDrive 'also-gone') } {
                param($Location)
                Invoke-WithDefaultGlobalState -Location $Location -Body {
                    [pscustomobject]@{
                        WhatIf      = $global:WhatIfPreference
                        Confirm     = [string]$global:ConfirmPreference
                        ErrorAction = [string]$global:ErrorActionPreference
                        Defaults    = $global:PSDefaultParameterValues.Count
                        Location    = (Get-Location).Path
                    }
                }
            }
            $seen.WhatIf | Should -BeFalse
            $seen.Confirm | Should -Be 'High'
            $seen.ErrorAction | Should -Be 'Continue'
            $seen.Defaults | Should -Be 0
            $seen.Location.TrimEnd('/', '\') | Should -Be ([System.IO.Path]::GetTempPath().TrimEnd('/', '\'))
            $global:WhatIfPreference | Should -BeTrue
            $global:ConfirmPreference | Should -Be 'Low'
            $global:PSDefaultParameterValues['Disconnect-ExchangeOnline:ConnectionId'] | Should -Be 'wrong'
            (Get-Location).Provider.Name | Should -Be 'Environment'
        } finally {
            $global:WhatIfPreference = $before.WhatIf
            $global:ConfirmPreference = $before.Confirm
            $global:ErrorActionPreference = $before.ErrorAction
            $global:PSDefaultParameterValues = $before.Defaults
            Set-Location -LiteralPath $before.Location
        }
    }

    It 'takes a location whose name has wildcard characters literally, both ways, and sets a preference the script removed' {
        $before = (Get-Location).Path
        $working = Join-Path $TestDrive 'work[1]'
        $scripts = Join-Path $TestDrive 'scr[ia]pts'
        # A folder the wildcard would match instead, were the names read as patterns.
        foreach ($folder in $working, $scripts, (Join-Path $TestDrive 'work1'), (Join-Path $TestDrive 'scripts')) { $null = [System.IO.Directory]::CreateDirectory($folder) }
        Set-Location -LiteralPath $scripts
        $warning = $global:WarningPreference
        Remove-Variable -Name WarningPreference -Scope Global -Force
        try {
            $seen = InModuleScope ExoConnectRunner -Parameters @{ Location = $working } {
                param($Location)
                Invoke-WithDefaultGlobalState -Location $Location -Body { [pscustomobject]@{ Location = (Get-Location).Path; Warning = [string]$global:WarningPreference } }
            }
            $seen.Location | Should -Be $working
            $seen.Warning | Should -Be 'Continue'
            (Get-Location).Path | Should -Be $scripts
        } finally {
            $global:WarningPreference = $warning
            Set-Location -LiteralPath $before
        }
    }

    It 'moves to the working directory from a drive the script removed, without a warning; and puts back a location the body moved from' {
        $before = (Get-Location).Path
        $console = [Console]::Out
        $log = New-Object System.IO.StringWriter
        $null = New-PSDrive -Name ExoGone -PSProvider FileSystem -Root ([System.IO.Path]::GetTempPath())
        Set-Location -Path ExoGone:
        Remove-PSDrive -Name ExoGone -Force
        try {
            [Console]::SetOut($log)
            $seen = InModuleScope ExoConnectRunner -Parameters @{ Location = "$TestDrive" } {
                param($Location)
                Invoke-WithDefaultGlobalState -Location $Location -Body { (Get-Location).Path }
            }
            $seen | Should -Be "$TestDrive"
            $log.ToString() | Should -Not -Match 'could not set aside'
            # Already there: the body moves away, and the location it found is back after it.
            Set-Location -LiteralPath $TestDrive
            InModuleScope ExoConnectRunner -Parameters @{ Location = "$TestDrive" } {
                param($Location)
                Invoke-WithDefaultGlobalState -Location $Location -Body { Set-Location -LiteralPath ([System.IO.Path]::GetTempPath()) }
            }
            (Get-Location).Path | Should -Be "$TestDrive"
        } finally {
            [Console]::SetOut($console)
            Set-Location -LiteralPath $before
        }
    }

    It 'takes a folder name with a backtick literally' {
        $before = (Get-Location).Path
        $working = Join-Path $TestDrive 'a`[b]'
        $null = [System.IO.Directory]::CreateDirectory($working)
        try {
            $seen = InModuleScope ExoConnectRunner -Parameters @{ Location = $working } {
                param($Location)
                Invoke-WithDefaultGlobalState -Location $Location -Body { (Get-Location).Path }
            }
            $seen | Should -Be $working
        } finally {
            Set-Location -LiteralPath $before
        }
    }

    It 'runs the body when the state cannot be set aside, even when the error itself throws (type data), and warns' {
        $console = [Console]::Out
        $log = New-Object System.IO.StringWriter
        try {
            $seen = InModuleScope ExoConnectRunner -Parameters @{ Log = $log } {
                param($Log)
                $kept = $script:RunnerState
                $builtIn = Get-TypeData -TypeName System.Management.Automation.ErrorRecord
                $script:RunnerState = $null
                try {
                    [Console]::SetOut($Log)
                    $first = Invoke-WithDefaultGlobalState -Location $TestDrive -Body { 'body ran' }
                    Update-TypeData -TypeName System.Management.Automation.ErrorRecord -MemberType ScriptProperty -MemberName Exception -Value { throw 'hijacked' } -Force
                    $second = Invoke-WithDefaultGlobalState -Location $TestDrive -Body { 'body ran again' }
                    @($first, $second)
                } finally {
                    Remove-TypeData -TypeName System.Management.Automation.ErrorRecord -ErrorAction SilentlyContinue
                    if ($null -ne $builtIn) { Update-TypeData -TypeData $builtIn -Force }
                    $script:RunnerState = $kept
                }
            }
        } finally {
            [Console]::SetOut($console)
        }
        $seen | Should -Be @('body ran', 'body ran again')
        $log.ToString() | Should -Match '::warning::The teardown could not set aside'
    }

    It "runs the body without the engine's look-up and location hooks, even one that throws, then puts them back" {
        $ExecutionContext.InvokeCommand.LocationChangedAction = { throw 'no moving' }
        # The engine keeps it as a delegate.
        $throwing = $ExecutionContext.InvokeCommand.LocationChangedAction
        try {
            $seen = InModuleScope ExoConnectRunner -Parameters @{ Location = $TestDrive } {
                param($Location)
                Invoke-WithDefaultGlobalState -Location $Location -Body { $null -eq $ExecutionContext.InvokeCommand.LocationChangedAction }
            }
            $seen | Should -BeTrue
            $ExecutionContext.InvokeCommand.LocationChangedAction | Should -Be $throwing
        } finally {
            $ExecutionContext.InvokeCommand.LocationChangedAction = $null
        }
    }
}

Describe 'Remove-ScriptEventSubscription' {
    It "unregisters the script's event subscriptions but PowerShell.Exiting's, so that no action runs after the script" {
        $timer = [System.Timers.Timer]::new(20)
        $fired = Join-Path $TestDrive 'fired.txt'
        $console = [Console]::Out
        $log = New-Object System.IO.StringWriter
        try {
            $null = Register-ObjectEvent -InputObject $timer -EventName Elapsed -SourceIdentifier "ticks`n::warning::x" -Action { Add-Content -LiteralPath $Event.MessageData -Value 'tick' } -MessageData $fired
            # A module's, there before the script started: it stays.
            $null = Register-EngineEvent -SourceIdentifier Module.Own -Action { 'module' }
            $null = Register-EngineEvent -SourceIdentifier 'Custom.Signal' -Action { 'never' }
            $null = Register-EngineEvent -SourceIdentifier PowerShell.Exiting -Action { 'at exit' }
            $timer.Start()
            [Console]::SetOut($log)
            try { InModuleScope ExoConnectRunner -Parameters @{ Before = [int[]]@((Get-EventSubscriber -SourceIdentifier Module.Own).SubscriptionId) } { param($Before) Remove-ScriptEventSubscription -Before $Before } } finally { [Console]::SetOut($console) }
            @(Get-EventSubscriber | ForEach-Object { $_.SourceIdentifier } | Sort-Object) | Should -Be @('Module.Own', 'PowerShell.Exiting')
            # The identifier is the script's text: on one line, it cannot start a workflow command.
            $log.ToString() | Should -Be ("Unregistered the script's 2 event subscriptions (ticks ::warning::x, Custom.Signal) as it ended, so that no action of theirs runs during the teardown." + [Environment]::NewLine)
            Remove-Item -LiteralPath $fired -ErrorAction SilentlyContinue
            Start-Sleep -Milliseconds 200
            Test-Path -LiteralPath $fired | Should -BeFalse
        } finally {
            $timer.Dispose()
            Get-EventSubscriber | Unregister-Event
        }
    }
}

Describe 'Hide-ScriptCommand and Restore-ScriptCommand' {
    BeforeAll {
        . (Join-Path $PSScriptRoot '../../../../test/ps/TestPwsh.ps1')
        function Invoke-InChildPowerShell {
            # For what would outlive a test in this PowerShell. Body's one argument: the module's manifest.
            param([Parameter(Mandatory)][scriptblock] $Body)
            & (Get-TestPwsh) -NoProfile -NonInteractive -OutputFormat Text -Command $Body -args (Join-Path $PSScriptRoot '../ExoConnectRunner.psd1')
        }
    }

    It "set aside the global functions and aliases made after the snapshot, a read-only one too, and put them back with their options" {
        $console = [Console]::Out
        $log = New-Object System.IO.StringWriter
        $before = InModuleScope ExoConnectRunner { Get-ScopeCommand }
        function global:Where-Object { 'shadow' }
        Set-Alias -Name Select-Object -Value Get-Date -Scope Global -Option ReadOnly
        # (An AllScope one, copied into every scope made after it, is in the hostile-scripts e2e.)
        Set-Item -Path function:global:Get-Random -Value { 'shadow' } -Options ReadOnly
        try {
            [Console]::SetOut($log)
            try {
                $setAside = InModuleScope ExoConnectRunner -Parameters @{ Before = $before } {
                    param($Before)
                    $hidden = @(Hide-ScriptCommand -Before $Before -Now (Get-ScopeCommand))
                    # What a module's function sees meanwhile: the cmdlets.
                    [pscustomobject]@{
                        Hidden = $hidden
                        Seen = @(foreach ($name in 'Where-Object', 'Select-Object', 'Get-Random') { [string]$ExecutionContext.InvokeCommand.GetCommand($name, 'All').CommandType })
                    }
                }
            } finally { [Console]::SetOut($console) }
            @($setAside.Hidden | ForEach-Object { $_.Name } | Sort-Object) | Should -Be @('Get-Random', 'Select-Object', 'Where-Object')
            $setAside.Seen | Should -Be @('Cmdlet', 'Cmdlet', 'Cmdlet')
            $log.ToString() | Should -Match "^Set aside the script's 3 global functions and aliases \([-\w, ]+\) while the teardown runs"
            InModuleScope ExoConnectRunner -Parameters @{ Hidden = $setAside.Hidden } { param($Hidden) Restore-ScriptCommand -Commands $Hidden }
            (Get-Command Where-Object).CommandType | Should -Be 'Function'
            (Get-Alias Select-Object).Options | Should -Be ([System.Management.Automation.ScopedItemOptions]::ReadOnly)
            (Get-Item function:Get-Random).Options | Should -Be ([System.Management.Automation.ScopedItemOptions]::ReadOnly)
            Get-Random | Should -Be 'shadow'
        } finally {
            Remove-Item -Path 'function:Where-Object', 'alias:Select-Object', 'function:Get-Random' -Force -ErrorAction SilentlyContinue
        }
        (Get-Command -Name 'Where-Object', 'Select-Object', 'Get-Random').CommandType | Should -Be @('Cmdlet', 'Cmdlet', 'Cmdlet')
    }

    It 'leaves a constant one, and warns, naming it' {
        $before = InModuleScope ExoConnectRunner { Get-ScopeCommand }
        # Made in a child PowerShell: a constant alias here would outlive this test.
        $out = Invoke-InChildPowerShell {
            param($Module)
            Import-Module $Module
            $before = & (Get-Module ExoConnectRunner) { Get-ScopeCommand }
            Set-Alias -Name Where-Object -Value Get-Date -Scope Global -Option Constant
            & (Get-Module ExoConnectRunner) { param($Before) @(Hide-ScriptCommand -Before $Before -Now (Get-ScopeCommand)).Count } $before
        }
        $before | Should -Not -BeNullOrEmpty
        ($out -join "`n") | Should -Match "::warning::The teardown could not set aside these global functions or aliases the script defined, which the Exchange module's own calls may reach: Where-Object\. "
        $out[-1] | Should -Be '0'
    }

    It 'sets aside and puts back the script''s functions and aliases when the script removed the Function: and Alias: drives' {
        # In a child PowerShell: this one keeps its drives.
        $out = Invoke-InChildPowerShell {
            param($Module)
            Import-Module $Module
            $runner = Get-Module ExoConnectRunner
            $before = & $runner { Get-ScopeCommand }
            function global:Where-Object { 'shadow' }
            Set-Alias -Name Select-Object -Value Get-Date -Scope Global
            Remove-PSDrive -Name 'Function', 'Alias' -Force
            & $runner {
                param($Before)
                $hidden = @(Hide-ScriptCommand -Before $Before -Now (Get-ScopeCommand))
                'hidden: ' + (@($hidden | ForEach-Object { $_.Name } | Sort-Object) -join ',')
                'during: ' + (@(foreach ($name in 'Where-Object', 'Select-Object') { [string]$ExecutionContext.InvokeCommand.GetCommand($name, 'All').CommandType }) -join ',')
                Restore-ScriptCommand -Commands $hidden
                'after: ' + (@(foreach ($name in 'Where-Object', 'Select-Object') { [string]$ExecutionContext.InvokeCommand.GetCommand($name, 'All').CommandType }) -join ',')
            } $before
        }
        ($out -join "`n") | Should -Not -Match '::warning::'
        $out | Should -Contain 'hidden: Select-Object,Where-Object'
        $out | Should -Contain 'during: Cmdlet,Cmdlet'
        $out | Should -Contain 'after: Function,Alias'
    }

    It "puts a default alias the script replaced back for the teardown, sets aside a module's export named like a cmdlet, and leaves its other exports alone" {
        $console = [Console]::Out
        $log = New-Object System.IO.StringWriter
        $before = InModuleScope ExoConnectRunner { Get-ScopeCommand }
        # A module the script imports: Get-Date would come before the cmdlet in the module's calls;
        # Get-ExoTestThing names no cmdlet, as a connect's proxies do not.
        $imported = New-Module -Name ExoTestImported -ScriptBlock { function Get-Date { 'module' }; function Get-ExoTestThing { 'thing' } } | Import-Module -PassThru
        # cpi is ReadOnly, not AllScope: the new one is in the global scope only. (An AllScope
        # alias keeps its earlier copy in every scope made before, modules' among them.)
        Set-Alias -Name cpi -Value Get-Random -Scope Global -Force
        try {
            [Console]::SetOut($log)
            try {
                $run = InModuleScope ExoConnectRunner -Parameters @{ Before = $before } {
                    param($Before)
                    $hidden = @(Hide-ScriptCommand -Before $Before -Now (Get-ScopeCommand))
                    [pscustomobject]@{
                        Hidden = $hidden
                        Cpi    = (Get-Alias -Name cpi -Scope Global)
                        Seen   = @(foreach ($name in 'Get-Date', 'Get-ExoTestThing') { [string]$ExecutionContext.InvokeCommand.GetCommand($name, 'All').CommandType })
                    }
                }
            } finally { [Console]::SetOut($console) }
            @($run.Hidden | ForEach-Object { $_.Name } | Sort-Object) | Should -Be @('cpi', 'Get-Date')
            $run.Seen | Should -Be @('Cmdlet', 'Function')
            $run.Cpi.Definition | Should -Be 'Copy-Item'
            $run.Cpi.Options | Should -Be ([System.Management.Automation.ScopedItemOptions]::ReadOnly)
            InModuleScope ExoConnectRunner -Parameters @{ Hidden = $run.Hidden } { param($Hidden) Restore-ScriptCommand -Commands $Hidden }
            (Get-Alias -Name cpi -Scope Global).Definition | Should -Be 'Get-Random'
            $restored = Get-Command -Name Get-Date
            $restored.CommandType | Should -Be 'Function'
            $restored.Module.Name | Should -Be 'ExoTestImported'
            Get-Date | Should -Be 'module'
        } finally {
            Set-Alias -Name cpi -Value Copy-Item -Scope Global -Option ReadOnly -Force
            Remove-Module -ModuleInfo $imported
        }
        (Get-Command -Name Get-Date).CommandType | Should -Be 'Cmdlet'
    }

    It "does not put back the export of a module removed during the teardown" {
        $console = [Console]::Out
        $before = InModuleScope ExoConnectRunner { Get-ScopeCommand }
        $imported = New-Module -Name ExoTestRemoved -ScriptBlock { function Get-Date { 'module' } } | Import-Module -PassThru
        try {
            [Console]::SetOut((New-Object System.IO.StringWriter))
            try {
                $hidden = InModuleScope ExoConnectRunner -Parameters @{ Before = $before } { param($Before) @(Hide-ScriptCommand -Before $Before -Now (Get-ScopeCommand)) }
            } finally { [Console]::SetOut($console) }
            @($hidden | ForEach-Object { $_.Name }) | Should -Be @('Get-Date')
            Remove-Module -ModuleInfo $imported
            InModuleScope ExoConnectRunner -Parameters @{ Hidden = $hidden } { param($Hidden) Restore-ScriptCommand -Commands $Hidden }
            (Get-Command -Name Get-Date).CommandType | Should -Be 'Cmdlet'
        } finally {
            Remove-Item -Path 'function:Get-Date' -ErrorAction SilentlyContinue
            Remove-Module -Name ExoTestRemoved -ErrorAction SilentlyContinue
        }
    }

    It 'does nothing when the script defined none' {
        InModuleScope ExoConnectRunner { @(Hide-ScriptCommand -Before (Get-ScopeCommand) -Now (Get-ScopeCommand)).Count } | Should -Be 0
    }
}
