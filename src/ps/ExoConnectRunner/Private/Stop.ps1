# How the action stops a run, the same way on every OS. After the configuration Node keeps
# stdin open; one more line, {"type":"stop","reason":"timeout"} or {"type":"stop","reason":"cancel"},
# asks to stop, and the end of stdin means the action is gone ("parent-gone"). A thread reads stdin
# (Native/StopWatcher.cs) and, once a stop is asked for, opens a runspace that stops the stoppable
# work (module, connect, the user's script) as Ctrl+C does: a PipelineStoppedException, so the
# script's own `finally` blocks run. The teardown runs after that work, where no stop reaches it.
# Signals cannot do this on Windows, where Node's process.kill is TerminateProcess: no `finally`,
# no disconnect. Until a stop comes, the run pays for a thread, not for a runspace.
# A stop does not end a native command the script waits on (ChildProcesses.ps1): when the work has
# not stopped $script:ChildGraceMs after it was asked to, the watcher ends the processes this
# PowerShell started.

# Long enough for work that stops when asked (a cmdlet, Start-Sleep) to stop by itself; short enough
# to leave the script's `finally` and the teardown most of the 5 s that Node waits (session.ts).
$script:ChildGraceMs = 2000

function New-StopState {
    # The run's own functions read and write it by index ($script:Stop['Reason']), not by member
    # name: see $state in Invoke-UserScript. StopRunningWork, which runs only at a stop, reads it
    # by name.
    [hashtable]::Synchronized(@{
            # Why the run was asked to stop: timeout, cancel or parent-gone; $null while it runs on.
            Reason     = $null
            # The nested pipeline running the stoppable work, for the watcher to stop.
            Current    = $null
            # Set when the teardown starts: nothing is stopped after that.
            Done       = $false
            # Cancelled at the same time, so that the stop's runspace, if a stop opened one, ends at
            # once and does not hold up the exit.
            Finished   = [System.Threading.CancellationTokenSource]::new()
            # Set (by the watcher) once native commands started from here get an empty stdin
            # instead of this one.
            Ready      = $null
            InputError = $null
            StopError  = $null
            # Why the runspace that stops the work could not run (Native/StopWatcher.cs).
            WatchError = $null
            # What the watcher ended, "name (process id)" each, and what it could not; how long it
            # lets the work stop by itself first, and the syntax trees of the functions of
            # ChildProcesses.ps1 that it defines if a stop needs them.
            Ended      = $null
            EndError   = $null
            GraceMs    = $script:ChildGraceMs
            Functions  = $null
            # Kept alive for as long as the process runs: the handle behind the children's stdin.
            Keep       = $null
            Watcher    = $null
        })
}

# Without a watcher (the post step's removal, the tests) nothing ever asks to stop.
$script:Stop = New-StopState

# Runs once a stop was asked for ($Stop.Reason is set), in a runspace of its own that the watcher
# opens then, with no commands: only the language and .NET.
$script:StopRunningWork = {
    param($Stop, [bool] $OnWindows)
    # Keep stopping whatever stoppable work runs, until the teardown starts: a stop that came just
    # before a nested pipeline started is caught on the next round. BeginStop, not Stop, which
    # waits for the work to stop, and a native command it does not end would hold it for good.
    $asked = $null
    $askedClock = [System.Diagnostics.Stopwatch]::new()
    # The processes this one had started when the stop came (ChildProcesses.ps1), once per run: what
    # still holds the work up ChildGraceMs later is ended, as one Ctrl+C at a console would.
    $children = $null
    $listError = $null
    $ended = $false
    $source = 'ps'
    if ($OnWindows) { $source = 'cim' } elseif ([System.IO.Directory]::Exists('/proc/self')) { $source = 'proc' }
    $noteChildren = {
        try {
            # Defined here, by one script block bound to no runspace, made of copies of their syntax
            # trees (a tree has one parent): a function of the module's would run in the module's runspace.
            # https://learn.microsoft.com/dotnet/api/system.management.automation.language.scriptblockast.-ctor
            $copies = [System.Collections.Generic.List[System.Management.Automation.Language.StatementAst]]::new()
            foreach ($definition in $Stop.Functions) { $copies.Add($definition.Copy()) }
            $body = [System.Management.Automation.Language.StatementBlockAst]::new($copies[0].Extent, $copies, $null)
            . ([System.Management.Automation.Language.ScriptBlockAst]::new($copies[0].Extent, $null, $body, $false).GetScriptBlock())
            $children = Get-ChildProcess -Source $source -StartedBefore $requested
        } catch {
            # Told only if the work then does not stop by itself.
            $listError = $_.Exception.Message
            $children = @()
        }
    }
    while (-not $Stop.Done) {
        $current = $Stop.Current
        $state = $null
        if ($null -ne $current) {
            try { $state = $current.InvocationStateInfo.State } catch { $state = $null }
        }
        if ($state -eq [System.Management.Automation.PSInvocationState]::Running) {
            $requested = [DateTime]::UtcNow
            # Before the stop where only the list tells what ran before it (a command the script's
            # `finally` starts is there a few milliseconds later); on Windows after it, as CIM takes
            # longer and gives each process's start.
            if ($null -eq $children -and -not $OnWindows) { . $noteChildren }
            try { [void]$current.BeginStop($null, $null) } catch { $Stop.StopError = $_.Exception.Message }
            if (-not [object]::ReferenceEquals($current, $asked)) {
                $asked = $current
                $askedClock.Restart()
            }
            if ($null -eq $children) { . $noteChildren }
        } elseif ($state -eq [System.Management.Automation.PSInvocationState]::Stopping -and -not $ended -and ($children.Count -gt 0 -or $null -ne $listError) -and
            [object]::ReferenceEquals($current, $asked) -and $askedClock.ElapsedMilliseconds -ge $Stop.GraceMs) {
            $ended = $true
            try {
                if ($null -ne $listError) { throw "listing them failed: $listError" }
                $Stop.Ended = [System.Collections.ArrayList]::Synchronized([System.Collections.ArrayList]::new())
                # Not once the teardown started: the work stopped meanwhile.
                if (-not $Stop.Done) {
                    $failures = Stop-ProcessTree -Source $source -Report $Stop.Ended -Only $children
                    if ($failures.Count -gt 0) { $Stop.EndError = $failures -join '; ' }
                }
            } catch {
                $Stop.EndError = $_.Exception.Message
            }
        }
        [void]$Stop.Finished.Token.WaitHandle.WaitOne(50)
    }
}

function Start-StopWatcher {
    # Started right after the configuration is read, before the module and the connect.
    # -KeepChildInput leaves this process's stdin as it is (the tests' own process).
    param([Parameter(Mandatory)][System.IO.Stream] $Stream, [switch] $KeepChildInput)
    $script:Stop = New-StopState
    # The syntax trees of the functions the watcher needs if a stop comes (ChildProcesses.ps1). It makes
    # its script block of them then, off this thread: made here, that block cost every run about 8 ms.
    # The trees, and whether this is Windows, in compiled code: as script, about 10 ms more.
    $script:Stop['Functions'] = [ExoConnectRunner.Native.StopWatcher]::SyntaxTrees($Own, [string[]]@('Get-ProcessTable', 'Get-ChildProcess', 'Select-ProcessTree', 'Test-SameProcess', 'Stop-ProcessTree'))
    $script:Stop['Watcher'] = [ExoConnectRunner.Native.StopWatcher]::new($script:Stop, $script:StopRunningWork.ToString())
    $script:Stop['Watcher'].Start($Stream, [ExoConnectRunner.Native.StopWatcher]::OnWindows, [bool]$KeepChildInput)
}

function Test-Windows {
    # $IsWindows does not exist on Windows PowerShell 5.1, which runs only on Windows. The watcher's
    # own test (Native/StopWatcher.cs), so that the two never disagree.
    [ExoConnectRunner.Native.StopWatcher]::OnWindows
}

function Wait-ChildInput {
    # Before the user's script: its native commands must not inherit the action's stdin.
    if ($null -eq $script:Stop['Ready']) { return }
    if (-not $script:Stop['Ready'].WaitOne(10000)) { $script:Stop['InputError'] = 'it did not finish in 10 s' }
    if ($null -ne $script:Stop['InputError']) {
        & $SafeCommands['Write-Warning'] "Native commands started by the script read the action's own stdin (giving them an empty one failed: $($script:Stop['InputError'])). A command that waits for input there holds the run until it is stopped."
        $script:Stop['InputError'] = $null
    }
}

function Invoke-Stoppable {
    # Runs $Body as a nested pipeline in this runspace, which the watcher can stop. Its terminating
    # error, if any, is thrown here as it was thrown there.
    param([Parameter(Mandatory)][scriptblock] $Body)
    if ($null -ne $script:Stop['Reason']) { return }
    $box = @{ Error = $null }
    # Made ready in compiled code (Native/NestedPipelines.cs): 'param($Body, $Box) try { & $Body } catch { $Box.Error = $_ }'.
    $nested = [ExoConnectRunner.Native.NestedPipelines]::Stoppable($Body, $box)
    $script:Stop['Current'] = $nested
    try {
        [ExoConnectRunner.Native.NestedPipelines]::Invoke($nested) | & $SafeCommands['Out-Default']
    } finally {
        $script:Stop['Current'] = $null
        $nested.Dispose()
    }
    if ($null -ne $box['Error']) { throw $box['Error'] }
}

function Invoke-Isolated {
    # Runs $Body as a nested pipeline of its own, which the watcher stops instead of the one around
    # it. PowerShell hands a terminating error to the nearest try statement in any calling scope
    # (https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_try_catch_finally):
    # inside one of the runner's, the user's script would end at a statement-terminating error even
    # under Continue, and SilentlyContinue would not pass over a throw, unlike under a plain
    # `pwsh -File`. A nested pipeline starts outside every try. Its terminating error is thrown on
    # with the script's own error record, and a stop as a stop.
    # It is the run's last stoppable work: once it ends, the watcher stops nothing more, so that a
    # stop does not cut the results' writing short (the caller's `finally`).
    param([Parameter(Mandatory)][scriptblock] $Body)
    # Made ready in compiled code (Native/NestedPipelines.cs): 'param($Body) & $Body'.
    $nested = [ExoConnectRunner.Native.NestedPipelines]::Isolated($Body)
    # Handed to the watcher first, then the reason checked: a stop that came before either is seen
    # here, one after both stops this pipeline.
    $script:Stop['Current'] = $nested
    if ($null -ne $script:Stop['Reason']) {
        $script:Stop['Current'] = $null
        $nested.Dispose()
        throw [System.Management.Automation.PipelineStoppedException]::new()
    }
    $failure = $null
    try {
        # With the language mode it had before the script, which may set another.
        try { [void][ExoConnectRunner.Native.NestedPipelines]::Invoke($nested) } catch { $failure = $_ }
        $outcome = $nested.InvocationStateInfo
    } finally {
        # The script's breakpoints (Set-PSBreakpoint) end with it: their actions would otherwise run
        # in the runner's code from here on, and in the Exchange module's during the teardown. A
        # static property and a method: no command or variable, which a breakpoint could catch.
        # https://learn.microsoft.com/powershell/module/microsoft.powershell.utility/set-psbreakpoint
        try { [System.Management.Automation.Runspaces.Runspace]::DefaultRunspace.Debugger.SetDebugMode([System.Management.Automation.DebugModes]::None) } catch { $null = $_ }
        $script:Stop['Current'] = $null
        $nested.Dispose()
    }
    if ($outcome.State -eq [System.Management.Automation.PSInvocationState]::Stopped) { throw [System.Management.Automation.PipelineStoppedException]::new() }
    if ($null -ne $failure) {
        if ($outcome.Reason -is [System.Management.Automation.IContainsErrorRecord]) { throw $outcome.Reason.ErrorRecord }
        throw $failure
    }
}

function Complete-Stop {
    # The teardown starts: nothing is stopped from here on. Returns the reason the run was asked
    # to stop, or $null.
    $script:Stop['Done'] = $true
    $script:Stop['Finished'].Cancel()
    $script:Stop['Reason']
}

function Write-StopEvent {
    param([Parameter(Mandatory)][string] $Reason)
    $why = @{ timeout = 'script-timeout expired'; cancel = 'the run was cancelled'; 'parent-gone' = 'the action ended' }[$Reason]
    & $Own['Write-RunnerLog'] "Stopped: $why; the teardown follows."
    $ended = $script:Stop['Ended']
    # Counted by a static call: the script's type data may stand in for the list's Count (Native/PSValue.cs).
    $endedCount = [ExoConnectRunner.Native.PSValue]::Count($ended)
    if ($endedCount -gt 0) {
        $processes = & $Own['Format-Count'] $endedCount 'process' 'processes'
        & $Own['Write-RunnerLog'] (& $Own['ConvertTo-LogLine'] "The work had not stopped $($script:ChildGraceMs / 1000) s after it was asked to, so the stop ended the $processes this PowerShell had started: $(@($ended) -join ', '). PowerShell does not end a native command whose output goes to the log when it stops the script.")
    }
    if ($null -ne $script:Stop['WatchError']) {
        & $Own['Write-RunnerAnnotation'] -Kind 'warning' -Message "The stop's runspace failed, so the running work was not asked to stop: $($script:Stop['WatchError'])"
    }
    if ($null -ne $script:Stop['EndError']) {
        & $Own['Write-RunnerAnnotation'] -Kind 'warning' -Message "Ending the processes this PowerShell started, which held up the stop, failed: $($script:Stop['EndError'])"
    }
    & $Own['Write-RunnerEvent'] @{ event = 'stopped'; reason = $Reason }
}
