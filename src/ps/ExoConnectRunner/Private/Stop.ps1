# How the action stops a run, the same way on every OS. After the configuration Node keeps
# stdin open; one more line, {"type":"stop","reason":"timeout"} or {"type":"stop","reason":"cancel"},
# asks to stop, and the end of stdin means the action is gone ("parent-gone"). A background
# runspace reads stdin and stops the stoppable work (module, connect, the user's script) as Ctrl+C
# does: a PipelineStoppedException, so the script's own `finally` blocks run. The teardown runs
# after that work, where no stop reaches it. Signals cannot do this on Windows, where Node's
# process.kill is TerminateProcess: no `finally`, no disconnect.

function New-StopState {
    [hashtable]::Synchronized(@{
            # Why the run was asked to stop: timeout, cancel or parent-gone; $null while it runs on.
            Reason     = $null
            # The nested pipeline running the stoppable work, for the watcher to stop.
            Current    = $null
            # Set when the teardown starts: nothing is stopped after that.
            Done       = $false
            # Cancelled at the same time, so that the watcher ends at once and does not hold up the exit.
            Finished   = [System.Threading.CancellationTokenSource]::new()
            # Set once native commands started from here get an empty stdin instead of this one.
            Ready      = $null
            InputError = $null
            StopError  = $null
            # Kept alive for as long as the process runs: the handle behind the children's stdin.
            Keep       = $null
            Watcher    = $null
        })
}

# Without a watcher (the post step's removal, the tests) nothing ever asks to stop.
$script:Stop = New-StopState

# Runs in its own runspace, with no commands: only the language and .NET.
$script:WatchStdin = {
    param([System.IO.Stream] $Stream, $Stop, [bool] $OnWindows, [bool] $KeepChildInput)

    # Native commands that the user's script starts inherit this process's stdin. They get an
    # empty one, as when Node closed stdin after the configuration: a tool that reads stdin must
    # neither wait for the end of the run nor swallow the stop request.
    try {
        if ($KeepChildInput) { throw 'left as it is' }
        $assembly = [System.Reflection.Emit.AssemblyBuilder]::DefineDynamicAssembly(
            [System.Reflection.AssemblyName]::new('ExoConnectChildInput'), [System.Reflection.Emit.AssemblyBuilderAccess]::Run)
        $type = $assembly.DefineDynamicModule('ExoConnectChildInput').DefineType('ChildInput', 'Public, Class, Abstract, Sealed')
        if ($OnWindows) {
            # SetStdHandle: https://learn.microsoft.com/windows/console/setstdhandle
            $method = $type.DefinePInvokeMethod('SetStdHandle', 'kernel32.dll', 'Public, Static, PinvokeImpl', 'Standard', [bool], [Type[]]@([int], [IntPtr]), 'Winapi', 'Auto')
        } else {
            $method = $type.DefinePInvokeMethod('dup2', 'libc', 'Public, Static, PinvokeImpl', 'Standard', [int], [Type[]]@([int], [int]), 'Winapi', 'Ansi')
        }
        $method.SetImplementationFlags('PreserveSig')
        $native = $type.CreateType()
        if ($OnWindows) {
            # The read end of a pipe whose write end is closed: an inheritable handle that reads
            # as an empty stream. (.NET Framework's FileStream refuses to open NUL.)
            $pipe = [System.IO.Pipes.AnonymousPipeServerStream]::new([System.IO.Pipes.PipeDirection]::Out, [System.IO.HandleInheritability]::Inheritable)
            $empty = $pipe.ClientSafePipeHandle
            $pipe.Dispose()
            $Stop.Keep = $empty
            if (-not $native::SetStdHandle(-10, $empty.DangerousGetHandle())) { throw 'SetStdHandle(STD_INPUT_HANDLE) failed.' }
        } else {
            # .NET read the action's stdin through a duplicate of descriptor 0, so 0 can change.
            $empty = [System.IO.File]::OpenRead('/dev/null')
            if ($native::dup2([int]$empty.SafeFileHandle.DangerousGetHandle(), 0) -lt 0) { throw 'dup2(/dev/null, 0) failed.' }
            $empty.Dispose()
        }
    } catch {
        $Stop.InputError = $_.Exception.Message
    }
    [void]$Stop.Ready.Set()

    # The read runs on a thread-pool thread, which does not hold the process open: when the run
    # ends without a stop, Finished ends the wait at once, and PowerShell can exit.
    $reader = [System.IO.StreamReader]::new($Stream, [System.Text.UTF8Encoding]::new($false))
    $reason = $null
    $pending = $reader.ReadLineAsync()
    # Ends when the run finishes. WaitAny returns when either task ends and throws for neither: an
    # exception here would cost the main thread time just as the teardown starts.
    $finished = [System.Threading.Tasks.Task]::Delay(-1, $Stop.Finished.Token)
    while ($null -eq $reason) {
        # Until a line (or the end of stdin) arrives, or the run finishes.
        [void][System.Threading.Tasks.Task]::WaitAny([System.Threading.Tasks.Task[]]@($pending, $finished))
        if ($Stop.Done) { return }
        $line = $null
        try { $line = $pending.Result } catch { $line = $null }
        if ($null -eq $line) {
            $reason = 'parent-gone'
        } elseif ($line -match '"type"\s*:\s*"stop"') {
            $reason = 'cancel'
            if ($line -match '"reason"\s*:\s*"(timeout|cancel)"') { $reason = $Matches[1] }
        } else {
            $pending = $reader.ReadLineAsync()
        }
    }
    $Stop.Reason = $reason
    # Keep stopping whatever stoppable work runs, until the teardown starts: a stop that came just
    # before a nested pipeline started is caught on the next round.
    while (-not $Stop.Done) {
        $current = $Stop.Current
        if ($null -ne $current -and $current.InvocationStateInfo.State -eq 'Running') {
            try { $current.Stop() } catch { $Stop.StopError = $_.Exception.Message }
        }
        [void]$Stop.Finished.Token.WaitHandle.WaitOne(50)
    }
}

function Start-StopWatcher {
    # Started right after the configuration is read, before the module and the connect.
    # -KeepChildInput leaves this process's stdin as it is (the tests' own process).
    param([Parameter(Mandatory)][System.IO.Stream] $Stream, [switch] $KeepChildInput)
    $script:Stop = New-StopState
    $script:Stop.Ready = [System.Threading.ManualResetEvent]::new($false)
    $state = [System.Management.Automation.Runspaces.InitialSessionState]::Create()
    $state.LanguageMode = [System.Management.Automation.PSLanguageMode]::FullLanguage
    $runspace = [System.Management.Automation.Runspaces.RunspaceFactory]::CreateRunspace($state)
    $runspace.Open()
    $watcher = [System.Management.Automation.PowerShell]::Create()
    $watcher.Runspace = $runspace
    [void]$watcher.AddScript($script:WatchStdin.ToString()).AddArgument($Stream).AddArgument($script:Stop).AddArgument((Test-Windows)).AddArgument([bool]$KeepChildInput)
    [void]$watcher.BeginInvoke()
    $script:Stop.Watcher = $watcher
}

function Test-Windows {
    # $IsWindows does not exist on Windows PowerShell 5.1, which runs only on Windows.
    $PSVersionTable.PSEdition -eq 'Desktop' -or [System.Environment]::OSVersion.Platform -eq [System.PlatformID]::Win32NT
}

function Wait-ChildInput {
    # Before the user's script: its native commands must not inherit the action's stdin.
    if ($null -eq $script:Stop.Ready) { return }
    if (-not $script:Stop.Ready.WaitOne(10000)) { $script:Stop.InputError = 'it did not finish in 10 s' }
    if ($null -ne $script:Stop.InputError) {
        & $SafeCommands['Write-Warning'] "Native commands started by the script read the action's own stdin (giving them an empty one failed: $($script:Stop.InputError)). A command that waits for input there holds the run until it is stopped."
        $script:Stop.InputError = $null
    }
}

function Invoke-Stoppable {
    # Runs $Body as a nested pipeline in this runspace, which the watcher can stop. Its terminating
    # error, if any, is thrown here as it was thrown there.
    param([Parameter(Mandatory)][scriptblock] $Body)
    if ($null -ne $script:Stop.Reason) { return }
    $box = @{ Error = $null }
    $nested = [System.Management.Automation.PowerShell]::Create([System.Management.Automation.RunspaceMode]::CurrentRunspace)
    [void]$nested.AddScript('param($Body, $Box) try { & $Body } catch { $Box.Error = $_ }', $true).AddArgument($Body).AddArgument($box)
    $script:Stop.Current = $nested
    try {
        $nested.Invoke() | & $SafeCommands['Out-Default']
    } finally {
        $script:Stop.Current = $null
        $nested.Dispose()
    }
    if ($null -ne $box.Error) { throw $box.Error }
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
    $nested = [System.Management.Automation.PowerShell]::Create([System.Management.Automation.RunspaceMode]::CurrentRunspace)
    [void]$nested.AddScript('param($Body) & $Body', $true).AddArgument($Body)
    # Handed to the watcher first, then the reason checked: a stop that came before either is seen
    # here, one after both stops this pipeline.
    $script:Stop.Current = $nested
    if ($null -ne $script:Stop.Reason) {
        $script:Stop.Current = $null
        $nested.Dispose()
        throw [System.Management.Automation.PipelineStoppedException]::new()
    }
    $failure = $null
    try {
        try { [void]$nested.Invoke() } catch { $failure = $_ }
        $outcome = $nested.InvocationStateInfo
    } finally {
        $script:Stop.Current = $null
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
    $script:Stop.Done = $true
    $script:Stop.Finished.Cancel()
    $script:Stop.Reason
}

function Write-StopEvent {
    param([Parameter(Mandatory)][string] $Reason)
    $why = @{ timeout = 'script-timeout expired'; cancel = 'the run was cancelled'; 'parent-gone' = 'the action ended' }[$Reason]
    & $Own['Write-RunnerLog'] "Stopped: $why; the teardown follows."
    & $Own['Write-RunnerEvent'] @{ event = 'stopped'; reason = $Reason }
}
