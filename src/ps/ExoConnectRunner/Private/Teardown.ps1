# Teardown, in the runner's `finally`: remove the server session or disconnect, whatever happened,
# and whatever the user's script left behind: its preferences, $PSDefaultParameterValues and
# location never reach the teardown's commands, which are the module's own command objects
# (see SafeCommands.ps1). "disconnected" is recorded only once it is checked.

$script:Connected = $false
# Set while a connect runs. A stop (timeout, cancel) skips catch blocks, so it stays set when a
# connect was interrupted half way, and teardown disconnects in case a connection was left.
$script:ConnectPending = $false
$script:RemoteSession = $null

# PowerShell's defaults, for the teardown's commands, whatever the script set globally (progress
# silenced: the log shows no progress bar):
# https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_preference_variables
$script:DefaultPreferences = [ordered]@{
    ConfirmPreference     = [System.Management.Automation.ConfirmImpact]::High
    DebugPreference       = [System.Management.Automation.ActionPreference]::SilentlyContinue
    ErrorActionPreference = [System.Management.Automation.ActionPreference]::Continue
    InformationPreference = [System.Management.Automation.ActionPreference]::SilentlyContinue
    ProgressPreference    = [System.Management.Automation.ActionPreference]::SilentlyContinue
    VerbosePreference     = [System.Management.Automation.ActionPreference]::SilentlyContinue
    WarningPreference     = [System.Management.Automation.ActionPreference]::Continue
    WhatIfPreference      = $false
    # Module functions load the modules of the commands they call; 'None' would break them.
    PSModuleAutoLoadingPreference = [System.Management.Automation.PSModuleAutoLoadingPreference]::All
}

# The same defaults again, as common parameters of each call of the module's functions in the
# teardown: a function reads a preference from its own scope first, and a common parameter sets it
# there (about_CommonParameters), whatever the script made of the global variable meanwhile: a
# constant, a variable breakpoint or an event action that sets it again. -ErrorAction, -WhatIf and
# -Confirm are at each call; -ProgressAction exists from PowerShell 7.4 on.
# https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_commonparameters
$script:TeardownPreferences = @{ Verbose = $false; Debug = $false; WarningAction = 'Continue'; InformationAction = 'SilentlyContinue' }
if ($PSVersionTable.PSVersion -ge [version]'7.4') { $script:TeardownPreferences['ProgressAction'] = 'SilentlyContinue' }

# The engine's objects the teardown works with, taken as the module loads: after the user's script,
# reading them as members ($ExecutionContext.SessionState) would go through any type data the script
# added (Update-TypeData), which can stand in for the members of .NET objects.
$script:RunnerState = $ExecutionContext.SessionState
$script:RunnerEvents = $ExecutionContext.Events

# The functions and aliases the command look-up saw as the script started (Get-ScopeCommand), or
# $null before it did.
$script:CommandsBeforeScript = $null

function Invoke-WithDefaultGlobalState {
    # Runs Body with the global preferences at their defaults, an empty $PSDefaultParameterValues,
    # no engine hooks (about_Automatic_Variables, $ExecutionContext), the location at Location (or
    # the temp directory, if the script removed it) and the global functions and aliases as they
    # were before the script; then puts the script's back. Module functions, such as
    # Disconnect-ExchangeOnline, read these from the global scope. The variables, hooks and
    # location in compiled code (Native/GlobalState.cs): as script, about twenty Set-Variable calls.
    # Body runs whatever happens while these are set aside: it is the disconnect.
    param([Parameter(Mandatory)][scriptblock] $Body, [string] $Location)
    $saved = $null
    $setAside = @()
    try {
        try {
            $saved = [ExoConnectRunner.Native.GlobalState]::Save($script:RunnerState, $script:DefaultPreferences)
            if ($null -ne $script:CommandsBeforeScript) {
                # Most scripts define no global command: one comparison then.
                $now = & $Own['Get-ScopeCommand']
                if (-not [ExoConnectRunner.Native.GlobalState]::SameCommands($now, $script:CommandsBeforeScript)) { $setAside = @(& $Own['Hide-ScriptCommand'] -Before $script:CommandsBeforeScript -Now $now) }
            }
            [ExoConnectRunner.Native.GlobalState]::ApplyDefaults($saved, $SafeCommands['Set-Variable'], $Location)
        } catch {
            & $Own['Write-TeardownStateWarning'] -Step 'set aside' -ErrorRecord $_
        }
        . $Body
    } finally {
        try {
            if ($null -ne $saved) { [ExoConnectRunner.Native.GlobalState]::RestoreValues($saved, $SafeCommands['Set-Variable']) }
            if ($setAside) { & $Own['Restore-ScriptCommand'] -Commands $setAside }
            # Last: the location is back before the script's location hook is.
            if ($null -ne $saved) { [ExoConnectRunner.Native.GlobalState]::RestoreHooks($saved) }
        } catch {
            & $Own['Write-TeardownStateWarning'] -Step 'put back' -ErrorRecord $_
        }
    }
}

function Write-TeardownStateWarning {
    # Never a stop: the teardown goes on, and its disconnect runs.
    # The record's members too may be the script's (type data): nothing here throws.
    param([Parameter(Mandatory)][string] $Step, [Parameter(Mandatory)] $ErrorRecord)
    try {
        $message = "The teardown could not $Step all of the script's global state (preferences, parameter defaults, engine hooks, location, global commands): $($ErrorRecord.Exception.Message) The disconnect runs all the same, with PowerShell's default preferences as its own parameters."
        & $Own['Write-RunnerAnnotation'] -Kind 'warning' -Message $message
    } catch { $null = $_ }
}

function Set-GlobalVariable {
    # Sets a global variable whatever the script made of it (Native/GlobalState.cs): one it made
    # read-only is set with Set-Variable -Force; one it made Constant (removed, then created anew)
    # cannot change, and stays as it is; the teardown's calls take the defaults as common
    # parameters all the same ($script:TeardownPreferences).
    param([Parameter(Mandatory)][string] $Name, [AllowNull()] $Value)
    $unchanged = [ExoConnectRunner.Native.GlobalState]::Set($script:RunnerState, $Name, $Value, $SafeCommands['Set-Variable'])
    if ($null -ne $unchanged) { & $SafeCommands['Write-Verbose'] $unchanged }
}

function Clear-EngineHook {
    # Removes the engine's look-up and location hooks; returns those that were set, by name.
    [ExoConnectRunner.Native.GlobalState]::ClearHooks($script:RunnerState)
}

function Get-ScopeCommand {
    # The functions and aliases a look-up from here sees, the global scope's and the runner's own,
    # as a set (Native/GlobalState.cs says what it does not see).
    , [ExoConnectRunner.Native.GlobalState]::ScopeCommands($script:RunnerState)
}

function Hide-ScriptCommand {
    # Sets aside, for the teardown, the global functions and aliases the script defined, and those
    # a module it imported exports under a cmdlet's name: the
    # Exchange module's own functions look commands up by name, and an alias or a function named
    # like a cmdlet comes before it (about_Command_Precedence), so `function global:Where-Object {}`
    # would otherwise run inside Disconnect-ExchangeOnline. An alias the script put in place of
    # one there before (Set-Alias sleep ...) gives way to that one. Returns what it set aside, for
    # Restore-ScriptCommand.
    # https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_command_precedence
    # Before and Now: Get-ScopeCommand's sets as the script started and now. Untyped: a typed
    # parameter would copy them.
    param($Before, $Now)
    $added = [System.Collections.Generic.HashSet[object]]::new($Now)
    $added.ExceptWith($Before)
    # The script's own definitions, and what a module it imported exports under a cmdlet's name.
    # Other exports stay: a connect's proxies, or a module's own commands, name no cmdlet, and
    # setting aside thousands of them would cost seconds.
    $defined = [System.Collections.Generic.List[object]]::new()
    $exported = [System.Collections.Generic.List[object]]::new()
    foreach ($command in $added) {
        if ($null -eq $command.Module) { $defined.Add($command) } else { $exported.Add($command) }
    }
    if ([ExoConnectRunner.Native.PSValue]::Count($exported) -gt 0) {
        # The cmdlets loaded now: a wildcard look-up loads no module, so an export named like a
        # cmdlet of a module not loaded yet stays.
        $cmdlets = [System.Collections.Generic.HashSet[string]]::new([System.StringComparer]::OrdinalIgnoreCase)
        foreach ($cmdlet in $ExecutionContext.InvokeCommand.GetCommands('*', [System.Management.Automation.CommandTypes]::Cmdlet, $true)) { [void]$cmdlets.Add($cmdlet.Name) }
        foreach ($command in $exported) { if ($cmdlets.Contains($command.Name)) { $defined.Add($command) } }
    }
    if ([ExoConnectRunner.Native.PSValue]::Count($defined) -eq 0) { return }
    $earlier = @{}
    foreach ($command in $Before) {
        if ($command -is [System.Management.Automation.AliasInfo] -and $null -eq $command.Module) { $earlier[$command.Name] = $command }
    }
    $items = $ExecutionContext.SessionState.InvokeProvider.Item
    $kept = [System.Collections.Generic.List[string]]::new()
    $setAside = foreach ($command in $defined) {
        # Provider-qualified paths, which need no drive: the script may have removed the Function:
        # and Alias: drives (about_Providers).
        $path = "Microsoft.PowerShell.Core\Function::$($command.Name)"
        if ($command -is [System.Management.Automation.AliasInfo]) { $path = "Microsoft.PowerShell.Core\Alias::$($command.Name)" }
        try {
            # Removed where the look-up finds it first: an AllScope one has a copy in each scope made
            # since, this function's own among them.
            for ($try = 0; $try -lt 4 -and (& $Own['Test-CommandAt'] -Path $path -Command $command); $try++) {
                $items.Remove([string[]]@($path), $false, $true, $true)
            }
        } catch {
            & $SafeCommands['Write-Verbose'] "$path not removed: $($_.Exception.Message)"
        }
        if (& $Own['Test-CommandAt'] -Path $path -Command $command) {
            $kept.Add($command.Name)
            continue
        }
        if ($command -is [System.Management.Automation.AliasInfo] -and $earlier.ContainsKey($command.Name)) {
            try { & $Own['Set-GlobalAlias'] -Alias $earlier[$command.Name] } catch { & $SafeCommands['Write-Verbose'] "$path not put back: $($_.Exception.Message)" }
        }
        $command
    }
    $setAside = @($setAside)
    if ([ExoConnectRunner.Native.PSValue]::Count($setAside) -gt 0) {
        $count = & $Own['Format-Count'] -Count ([ExoConnectRunner.Native.PSValue]::Count($setAside)) -One 'global function or alias' -Many 'global functions and aliases'
        & $Own['Write-RunnerLog'] (& $Own['ConvertTo-LogLine'] "Set aside the script's $count ($(@(foreach ($command in $setAside) { $command.Name }) -join ', ')) while the teardown runs, so that the Exchange module's own calls reach the commands they name.")
    }
    if ([ExoConnectRunner.Native.PSValue]::Count($kept) -gt 0) {
        $message = "The teardown could not set aside these global functions or aliases the script defined, which the Exchange module's own calls may reach: $($kept -join ', '). A constant one (-Option Constant) stays until PowerShell exits; give the script's own commands names of their own."
        try { & $Own['Write-RunnerAnnotation'] -Kind 'warning' -Message $message } catch { $null = $_ }
    }
    $setAside
}

function Test-CommandAt {
    # Whether the function or alias found at Path (a provider-qualified path of the Function or
    # Alias provider) from here is Command itself. The provider's own look-up: a command look-up by
    # name would search PSModulePath for a module to load when there is none. Only "not found" is
    # an answer of no: after any other failure the command may still be there.
    param([Parameter(Mandatory)][string] $Path, [Parameter(Mandatory)] $Command)
    try {
        $found = $ExecutionContext.SessionState.InvokeProvider.Item.Get([string[]]@($Path), $true, $true)
    } catch {
        return -not ($_.Exception.InnerException -is [System.Management.Automation.ItemNotFoundException])
    }
    [ExoConnectRunner.Native.PSValue]::Count($found) -gt 0 -and [object]::ReferenceEquals($found[0].psobject.BaseObject, $Command)
}

function Set-GlobalAlias {
    # Defines an alias in the global scope as it was, options and all. The alias drive takes no
    # scope in its paths, so Set-Alias.
    param([Parameter(Mandatory)][System.Management.Automation.AliasInfo] $Alias)
    & $SafeCommands['Set-Alias'] -Name $Alias.Name -Value $Alias.Definition -Description $Alias.Description -Option $Alias.Options -Scope Global -Force -WhatIf:$false
}

function Restore-ScriptCommand {
    # Puts back what Hide-ScriptCommand set aside, with its options, once the teardown is over:
    # PowerShell.Exiting actions run after it, with the script's functions, as at the end of a
    # plain pwsh -File. An alias replaces the earlier one Hide-ScriptCommand put back for the teardown.
    param([Parameter(Mandatory)][object[]] $Commands)
    $items = $ExecutionContext.SessionState.InvokeProvider.Item
    $loaded = $null
    foreach ($command in $Commands) {
        # A module's export comes back only while its module is loaded: the teardown may have
        # removed it (a connect the script made).
        if ($null -ne $command.Module) {
            if ($null -eq $loaded) { $loaded = @(& $SafeCommands['Get-Module'] -All) }
            if ($loaded -notcontains $command.Module) { continue }
        }
        try {
            if ($command -is [System.Management.Automation.AliasInfo]) {
                & $Own['Set-GlobalAlias'] -Alias $command
            } else {
                # The function provider takes a scope in its paths; no drive (Hide-ScriptCommand).
                [void]$items.Set([string[]]@("Microsoft.PowerShell.Core\Function::global:$($command.Name)"), $command, $true, $true)
            }
        } catch {
            & $SafeCommands['Write-Verbose'] "$($command.Name) not put back: $($_.Exception.Message)"
        }
    }
}

function Remove-ScriptEventSubscription {
    # Unregisters the event subscriptions the script made (Register-ObjectEvent on a timer,
    # Register-EngineEvent, ...), as the script ends: PowerShell runs their actions between the
    # statements of whatever runs next, the runner's report and teardown, where an action can
    # hold the teardown or open a connection after the disconnect. PowerShell.Exiting's stay: they
    # run after the teardown, as at the end of a plain pwsh -File, and the action ends a
    # PowerShell they hold. Compiled (Native/EventSubscriptions.cs).
    # Before: the subscription ids there were when the script started (a module's own stay).
    param([int[]] $Before = @())
    $removed = [ExoConnectRunner.Native.EventSubscriptions]::RemoveAdded($script:RunnerEvents, $Before)
    if ($null -ne $removed) {
        $count = & $Own['Format-Count'] -Count ([ExoConnectRunner.Native.PSValue]::Count($removed)) -One 'event subscription' -Many 'event subscriptions'
        & $Own['Write-RunnerLog'] (& $Own['ConvertTo-LogLine'] "Unregistered the script's $count ($($removed -join ', ')) as it ended, so that no action of theirs runs during the teardown.")
    }
}

function Set-Connected {
    # Called the moment a connect returns, before anything else can fail: from here on, teardown
    # disconnects.
    $script:Connected = $true
    $script:ConnectPending = $false
}

function Invoke-Teardown {
    param([switch] $IsServer, [string] $Location)
    # Every call through $Own: this runs after the user's script (see ExoConnectRunner.psm1).
    & $Own['Invoke-WithDefaultGlobalState'] -Location $Location -Body {
        # An event that cannot be written (the script may have broken the events file) does not
        # stop the disconnect; the action then reports no teardown, and post checks.
        try { & $Own['Write-RunnerEvent'] @{ event = 'teardown'; status = 'start' } } catch { $null = $_ }
        & $Own['Write-RunnerLog'] '::group::Teardown'
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        if ($null -ne $script:RemoteSession) {
            & $Own['Remove-ServerSession'] -Session $script:RemoteSession -Clock $clock
        } elseif ($script:ConnectPending -and $IsServer) {
            # New-PSSession was stopped: remove whatever session this PowerShell process holds.
            $left = @(& $SafeCommands['Get-PSSession'] -ErrorAction SilentlyContinue)
            & $Own['Write-RunnerLog'] "The connect was stopped before it finished; removing the $([ExoConnectRunner.Native.PSValue]::Count($left)) sessions this PowerShell holds."
            if ([ExoConnectRunner.Native.PSValue]::Count($left) -gt 0) { & $SafeCommands['Remove-PSSession'] -Session $left -WhatIf:$false -ErrorAction Continue }
        } elseif ($script:Connected -or $script:ConnectPending) {
            if ($script:ConnectPending) { & $Own['Write-RunnerLog'] 'The connect was stopped before it finished; disconnecting in case it left a connection.' }
            & $Own['Disconnect-Exchange'] -Clock $clock
        } else {
            & $Own['Write-RunnerLog'] 'Nothing was connected.'
        }
        & $Own['Remove-LeftPSSession']
        & $Own['Write-RunnerLog'] "teardown took $([ExoConnectRunner.Native.PSValue]::Milliseconds($clock)) ms"
        & $Own['Write-RunnerLog'] '::endgroup::'
        try { & $Own['Write-RunnerEvent'] @{ event = 'teardown'; status = 'end' } } catch { $null = $_ }
    }
}

function Remove-LeftPSSession {
    # Every PSSession this PowerShell still holds besides the action's own: those the script opened
    # (New-PSSession to a second server, say). Each counts against its server's session limit until
    # the server ends it, and a PowerShell that exits does not close it there.
    # https://learn.microsoft.com/powershell/module/microsoft.powershell.core/remove-pssession
    $actionSession = ''
    if ($null -ne $script:RemoteSession) { $actionSession = [string]$script:RemoteSession.InstanceId }
    try {
        $listed = @(& $SafeCommands['Get-PSSession'] -ErrorAction Stop)
    } catch {
        & $SafeCommands['Write-Verbose'] "PSSessions not listed: $($_.Exception.Message)"
        return
    }
    # Most scripts open none: the removal is a function of its own, compiled only when one is listed.
    if ([ExoConnectRunner.Native.PSValue]::Count($listed) -gt 0) { & $Own['Remove-ScriptPSSession'] -Listed $listed -ActionSession $actionSession }
}

function Remove-ScriptPSSession {
    # Remove-LeftPSSession's removal: Listed is what Get-PSSession listed, ActionSession the
    # instance id of the action's own session (Exchange Server), or empty.
    # Not Mandatory: a mandatory list refuses a null item, and no binding error may end the teardown here.
    param([object[]] $Listed = @(), [string] $ActionSession = '')
    try {
        # A loop, not Where-Object: a cmdlet's first call costs milliseconds.
        $left = @(foreach ($session in $Listed) { if ($null -ne $session -and [string]$session.State -ne 'Closed' -and [string]$session.InstanceId -ne $ActionSession) { $session } })
        if ([ExoConnectRunner.Native.PSValue]::Count($left) -eq 0) { return }
        $names = @(foreach ($session in $left) { "$(& $Own['Get-ConfigValue'] $session 'ComputerName') ($(& $Own['Get-ConfigValue'] $session 'ConfigurationName'))" }) -join ', '
        $what = "$([ExoConnectRunner.Native.PSValue]::Count($left)) PSSessions were"
        $them = 'them'
        if ([ExoConnectRunner.Native.PSValue]::Count($left) -eq 1) { $what = '1 PSSession was'; $them = 'it' }
        & $Own['Write-RunnerLog'] (& $Own['ConvertTo-LogLine'] "$what still open after the action's own connection was closed, as a script's New-PSSession leaves them: $names; removing $them.")
        & $SafeCommands['Remove-PSSession'] -Session $left -WhatIf:$false -ErrorAction Stop
    } catch {
        # A warning, never a stop: the teardown goes on and reports its end.
        $message = "The PSSessions the script left open could not all be removed: $($_.Exception.Message) Each holds a session on its server until the server ends it at its idle timeout; end the script's sessions with Remove-PSSession in its own finally block."
        try { & $Own['Write-RunnerAnnotation'] -Kind 'warning' -Message $message } catch { $null = $_ }
    }
}

# What the teardown prints when the disconnect fails: not the error's text, which the server wrote.
# The runner no longer holds the run's secrets once the script has started (Clear-HeldSecret), so
# it could not take out one the server echoed split or spaced out; the action prints the error from
# the event after the run, with the gaps taken into account (src/secrets.ts).
$script:TeardownFailedLine = "{0} failed; the action's warning after the run says why."

function Disconnect-Exchange {
    # Disconnect-ExchangeOnline ends every connection of this process (Connect-IPPSSession's too);
    # Get-ConnectionInformation then lists none:
    # https://learn.microsoft.com/powershell/module/exchange/disconnect-exchangeonline
    param([Parameter(Mandatory)][System.Diagnostics.Stopwatch] $Clock)
    try {
        $preferences = $script:TeardownPreferences
        & (& $Own['Get-SafeCommand'] -Name 'Disconnect-ExchangeOnline') @preferences -Confirm:$false -WhatIf:$false -ErrorAction Stop
        try {
            $left = @(& (& $Own['Get-SafeCommand'] -Name 'Get-ConnectionInformation') @preferences -ErrorAction Stop)
        } catch {
            # Said as what it is: the disconnect returned, and only the check after it failed.
            throw "Disconnect-ExchangeOnline returned, but the check after it failed (Get-ConnectionInformation: $($_.Exception.Message)), so no connection is known to be left or gone."
        }
        if ([ExoConnectRunner.Native.PSValue]::Count($left) -gt 0) {
            $ids = ($left | & $SafeCommands['ForEach-Object'] { [string](& $Own['Get-ConfigValue'] $_ 'ConnectionId') }) -join ', '
            throw "Disconnect-ExchangeOnline returned, yet Get-ConnectionInformation still lists these connections: $ids."
        }
        & $Own['Write-RunnerEvent'] @{ event = 'disconnected'; ms = [ExoConnectRunner.Native.PSValue]::Milliseconds($Clock) }
    } catch {
        & $Own['Write-RunnerEvent'] ((& $Own['Get-ErrorFacts'] $_) + @{ event = 'error'; phase = 'teardown'; terminating = $false })
        & $SafeCommands['Write-Warning'] ($script:TeardownFailedLine -f 'Disconnect')
    }
}

function Remove-ServerSession {
    # Removed means closed: Get-PSSession no longer lists it, or lists it as Closed.
    param([Parameter(Mandatory)] $Session, [Parameter(Mandatory)][System.Diagnostics.Stopwatch] $Clock)
    $id = [string]$Session.InstanceId
    try {
        & $SafeCommands['Remove-PSSession'] -Session $Session -WhatIf:$false -ErrorAction Stop
        $open = @(& $SafeCommands['Get-PSSession'] -ErrorAction Stop | & $SafeCommands['Where-Object'] { [string]$_.InstanceId -eq $id -and [string]$_.State -ne 'Closed' })
        if ([ExoConnectRunner.Native.PSValue]::Count($open) -gt 0) { throw "Remove-PSSession returned, yet Get-PSSession still lists the session $id as $($open[0].State)." }
        & $Own['Write-RunnerEvent'] @{ event = 'disconnected'; ms = [ExoConnectRunner.Native.PSValue]::Milliseconds($Clock); instanceId = $id }
    } catch {
        & $Own['Write-RunnerEvent'] ((& $Own['Get-ErrorFacts'] $_) + @{ event = 'error'; phase = 'teardown'; terminating = $false })
        & $SafeCommands['Write-Warning'] ($script:TeardownFailedLine -f 'Remove-PSSession')
    }
}
