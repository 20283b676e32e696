# The stop channel on its own: lines on a pipe stand in for Node's stdin.
BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot '../ExoConnectRunner.psd1') -Force
    function Start-Watching {
        # A pipe as stdin: returns the end that Node would write to.
        $node = New-Object System.IO.Pipes.AnonymousPipeServerStream([System.IO.Pipes.PipeDirection]::Out)
        $stdin = New-Object System.IO.Pipes.AnonymousPipeClientStream([System.IO.Pipes.PipeDirection]::In, $node.ClientSafePipeHandle)
        InModuleScope ExoConnectRunner -Parameters @{ Stdin = $stdin } { param($Stdin) Start-StopWatcher -Stream $Stdin -KeepChildInput }
        $node
    }
    function Send-Line {
        param($Node, [string] $Line)
        $bytes = (New-Object System.Text.UTF8Encoding($false)).GetBytes($Line + "`n")
        $Node.Write($bytes, 0, $bytes.Length)
        $Node.Flush()
    }
}
AfterAll { Remove-Module -Name ExoConnectRunner -ErrorAction SilentlyContinue }

Describe 'the stop channel' {
    AfterEach { InModuleScope ExoConnectRunner { [void](Complete-Stop) } }

    It 'a stop line stops the running work as Ctrl+C would: its finally runs, its catch does not' {
        $node = Start-Watching
        $marks = [hashtable]::Synchronized(@{})
        InModuleScope ExoConnectRunner -Parameters @{ Node = $node; Marks = $marks } {
            param($Node, $Marks)
            $sender = [powershell]::Create()
            [void]$sender.AddScript('param($n) Start-Sleep -Milliseconds 500; $b = [Text.Encoding]::UTF8.GetBytes("{`"type`":`"stop`",`"reason`":`"timeout`"}`n"); $n.Write($b, 0, $b.Length); $n.Flush()').AddArgument($Node)
            [void]$sender.BeginInvoke()
            Invoke-Stoppable -Body {
                try { $Marks.started = $true; Start-Sleep -Seconds 30; $Marks.after = $true }
                catch { $Marks.caught = $true }
                finally { $Marks.finally = $true }
            }
            Complete-Stop | Should -Be 'timeout'
        }
        $marks.started | Should -BeTrue
        $marks.finally | Should -BeTrue
        $marks.ContainsKey('after') | Should -BeFalse
        $marks.ContainsKey('caught') | Should -BeFalse
    }

    It 'a stop ends a native command the work waits on, which PowerShell runs on its own: the finally runs within seconds' -Skip:$IsWindows {
        # Its output and errors (2>&1) followed by a command named Out-Default, as the user's script's
        # are (UserScript.ps1): PowerShell runs the command without reading its output, and a stop
        # leaves it running.
        $node = Start-Watching
        $marks = [hashtable]::Synchronized(@{})
        InModuleScope ExoConnectRunner -Parameters @{ Node = $node; Marks = $marks } {
            param($Node, $Marks)
            $sender = [powershell]::Create()
            [void]$sender.AddScript('param($n) Start-Sleep -Milliseconds 500; $b = [Text.Encoding]::UTF8.GetBytes("{`"type`":`"stop`",`"reason`":`"timeout`"}`n"); $n.Write($b, 0, $b.Length); $n.Flush()').AddArgument($Node)
            [void]$sender.BeginInvoke()
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            Invoke-Stoppable -Body {
                filter Out-Default { $_ }
                & {
                    try { & sleep 30; $Marks.after = $true }
                    finally { $Marks.finally = $clock.ElapsedMilliseconds }
                } 2>&1 | Out-Default
            }
            Complete-Stop | Should -Be 'timeout'
            $Marks.ended = @($script:Stop.Ended)
        }
        $marks.ContainsKey('after') | Should -BeFalse
        # The stop came at 0.5 s; the grace is 2 s.
        $marks.finally | Should -BeLessThan 10000
        $marks.ended | Should -HaveCount 1
        $marks.ended[0] | Should -Match '^sleep \(process \d+\)$'
    }

    It 'a native command the work starts after the stop came (in its finally block) runs to its end' -Skip:$IsWindows {
        $node = Start-Watching
        $marks = [hashtable]::Synchronized(@{})
        InModuleScope ExoConnectRunner -Parameters @{ Node = $node; Marks = $marks } {
            param($Node, $Marks)
            $sender = [powershell]::Create()
            [void]$sender.AddScript('param($n) Start-Sleep -Milliseconds 500; $b = [Text.Encoding]::UTF8.GetBytes("{`"type`":`"stop`",`"reason`":`"cancel`"}`n"); $n.Write($b, 0, $b.Length); $n.Flush()').AddArgument($Node)
            [void]$sender.BeginInvoke()
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            Invoke-Stoppable -Body {
                filter Out-Default { $_ }
                & {
                    try { Start-Sleep -Seconds 30 }
                    finally { & sh -c 'sleep 3; exit 7'; $Marks.code = $LASTEXITCODE; $Marks.finally = $clock.ElapsedMilliseconds }
                } 2>&1 | Out-Default
            }
            Complete-Stop | Should -Be 'cancel'
            $Marks.ended = $script:Stop.Ended
        }
        # It outlived the watcher's 2 s, and was not ended.
        $marks.code | Should -Be 7
        $marks.finally | Should -BeGreaterThan 3000
        $marks.ended | Should -BeNullOrEmpty
    }

    It 'a finally block that outlives the grace: the processes running at the stop are ended, the native command it started after the stop runs to its end' -Skip:$IsWindows {
        # A process the work started before the stop makes the watcher end something 2 s after the
        # request; the one the finally block starts then must not be among what it ends.
        $node = Start-Watching
        $marks = [hashtable]::Synchronized(@{})
        $before = [System.Diagnostics.Process]::Start('sleep', '30')
        try {
            InModuleScope ExoConnectRunner -Parameters @{ Node = $node; Marks = $marks } {
                param($Node, $Marks)
                $sender = [powershell]::Create()
                [void]$sender.AddScript('param($n) Start-Sleep -Milliseconds 500; $b = [Text.Encoding]::UTF8.GetBytes("{`"type`":`"stop`",`"reason`":`"cancel`"}`n"); $n.Write($b, 0, $b.Length); $n.Flush()').AddArgument($Node)
                [void]$sender.BeginInvoke()
                Invoke-Stoppable -Body {
                    filter Out-Default { $_ }
                    & {
                        try { Start-Sleep -Seconds 30 }
                        finally { & sh -c 'sleep 4; exit 7'; $Marks.code = $LASTEXITCODE }
                    } 2>&1 | Out-Default
                }
                Complete-Stop | Should -Be 'cancel'
                $Marks.ended = @($script:Stop.Ended)
            }
            $before.WaitForExit(5000) | Should -BeTrue
            $marks.ended | Should -Be @("sleep (process $($before.Id))")
            $marks.code | Should -Be 7
        } finally {
            if (-not $before.HasExited) { $before.Kill() }
        }
    }

    It 'a cancel asked before the work starts: the work does not start' {
        $node = Start-Watching
        Send-Line $node '{"type":"stop","reason":"cancel"}'
        InModuleScope ExoConnectRunner {
            $deadline = [DateTime]::UtcNow.AddSeconds(10)
            while ($null -eq $script:Stop.Reason -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
            $ran = @{}
            Invoke-Stoppable -Body { $ran.yes = $true }
            $ran.ContainsKey('yes') | Should -BeFalse
            Complete-Stop | Should -Be 'cancel'
        }
    }

    It 'the end of stdin (the action is gone) is a stop with reason parent-gone; other lines are ignored' {
        $node = Start-Watching
        Send-Line $node '{"type":"something-else"}'
        $node.Dispose()
        InModuleScope ExoConnectRunner {
            $deadline = [DateTime]::UtcNow.AddSeconds(10)
            while ($null -eq $script:Stop.Reason -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
            Complete-Stop | Should -Be 'parent-gone'
        }
    }

    It 'without a stop, the work runs to its end and its terminating error comes out as it was raised' {
        $node = Start-Watching
        InModuleScope ExoConnectRunner {
            $script:Seen = $null
            try { Invoke-Stoppable -Body { Get-Item -LiteralPath '/no/such/path' -ErrorAction Stop } } catch { $script:Seen = $_ }
            $script:Seen.FullyQualifiedErrorId | Should -Be 'PathNotFound,Microsoft.PowerShell.Commands.GetItemCommand'
            $script:Seen.Exception.Message | Should -Match 'no/such/path'
            Complete-Stop | Should -BeNullOrEmpty
        }
        $node.Dispose()
    }

    It 'a run that is not stopped opens no runspace for it; a stop opens one' {
        # The watcher waits on stdin in a thread, and opens the runspace that stops the work only
        # when a stop comes. The stop runspace of an earlier test closes shortly after its stop is
        # complete: counted once that count holds still.
        $deadline = [DateTime]::UtcNow.AddSeconds(10)
        do {
            $before = @(Get-Runspace).Count
            Start-Sleep -Milliseconds 200
        } while (@(Get-Runspace).Count -ne $before -and [DateTime]::UtcNow -lt $deadline)
        $node = Start-Watching
        Start-Sleep -Milliseconds 300
        @(Get-Runspace).Count | Should -Be $before
        Send-Line $node '{"type":"stop","reason":"timeout"}'
        InModuleScope ExoConnectRunner -Parameters @{ Before = $before } {
            param($Before)
            $deadline = [DateTime]::UtcNow.AddSeconds(10)
            while (@(Get-Runspace).Count -eq $Before -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
            @(Get-Runspace).Count | Should -Be ($Before + 1)
            $script:Stop.Reason | Should -Be 'timeout'
            Complete-Stop | Should -Be 'timeout'
        }
    }

    It 'a stop whose runspace fails is told, with the reason, and the run goes on' {
        $node = New-Object System.IO.Pipes.AnonymousPipeServerStream([System.IO.Pipes.PipeDirection]::Out)
        $stdin = New-Object System.IO.Pipes.AnonymousPipeClientStream([System.IO.Pipes.PipeDirection]::In, $node.ClientSafePipeHandle)
        InModuleScope ExoConnectRunner -Parameters @{ Stdin = $stdin } {
            param($Stdin)
            # A stop script that throws, as one whose runspace cannot be made or opened would.
            $script:Stop = New-StopState
            $script:Stop.Watcher = [ExoConnectRunner.Native.StopWatcher]::new($script:Stop, 'throw ''no runspace for the stop''')
            $script:Stop.Watcher.Start($Stdin, $false, $true)
        }
        Send-Line $node '{"type":"stop","reason":"cancel"}'
        InModuleScope ExoConnectRunner -Parameters @{ Events = (Join-Path $TestDrive 'events.jsonl') } {
            param($Events)
            $deadline = [DateTime]::UtcNow.AddSeconds(10)
            while ($null -eq $script:Stop.WatchError -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
            $script:Stop.Reason | Should -Be 'cancel'
            $script:Stop.WatchError | Should -Be 'no runspace for the stop'
            $script:Stop.InputError | Should -Be 'left as it is'
            Set-EventsPath -Path $Events
            $log = [System.IO.StringWriter]::new()
            $out = [Console]::Out
            [Console]::SetOut($log)
            try { Write-StopEvent -Reason 'cancel' } finally { [Console]::SetOut($out) }
            $log.ToString() | Should -Match "::warning::The stop's runspace failed, so the running work was not asked to stop: no runspace for the stop"
            # The processes the stop ended, counted whatever type data the script added over a list's Count.
            $script:Stop.Ended = [System.Collections.ArrayList]::Synchronized([System.Collections.ArrayList]@('sleep (4242)'))
            $log = [System.IO.StringWriter]::new()
            [Console]::SetOut($log)
            $builtIn = @(Get-TypeData -TypeName System.Collections.ArrayList)
            try {
                Update-TypeData -TypeName System.Collections.ArrayList -MemberType ScriptProperty -MemberName Count -Value { 'hijacked' } -Force
                Write-StopEvent -Reason 'cancel'
            } finally {
                Remove-TypeData -TypeName System.Collections.ArrayList -ErrorAction SilentlyContinue
                foreach ($data in $builtIn) { Update-TypeData -TypeData $data -Force }
                [Console]::SetOut($out)
            }
            $log.ToString() | Should -Match 'so the stop ended the 1 process this PowerShell had started: sleep \(4242\)'
            [void](Complete-Stop)
        }
        $node.Dispose()
    }

    It 'the syntax trees a stop defines its functions from are those of the start: a function replaced later does not change them' {
        InModuleScope ExoConnectRunner {
            $names = [string[]]@('Get-ProcessTable', 'Stop-ProcessTree')
            $trees = [ExoConnectRunner.Native.StopWatcher]::SyntaxTrees($Own, $names)
            @($trees | ForEach-Object { $_.Name }) | Should -Be $names
            $kept = $Own['Stop-ProcessTree'].ScriptBlock
            try {
                Set-Item -Path function:script:Stop-ProcessTree -Value { 'replaced' }
                $Own['Stop-ProcessTree'].ScriptBlock.ToString() | Should -Match 'replaced'
                $trees[1].Extent.Text | Should -Not -Match 'replaced'
            } finally {
                Set-Item -Path function:script:Stop-ProcessTree -Value $kept
            }
            { [ExoConnectRunner.Native.StopWatcher]::SyntaxTrees($Own, [string[]]@('No-SuchFunction')) } | Should -Throw '*No function No-SuchFunction*'
        }
    }

    It 'a stop line is read whatever the case of its names and values, as PowerShell''s -match read it' {
        $node = Start-Watching
        Send-Line $node '{"Type":"Stop","Reason":"Timeout"}'
        InModuleScope ExoConnectRunner {
            $deadline = [DateTime]::UtcNow.AddSeconds(10)
            while ($null -eq $script:Stop.Reason -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
            Complete-Stop | Should -Be 'timeout'
        }
    }

    It 'a stdin that cannot be read is the action gone (parent-gone), and PowerShell lives on to stop and tear down' {
        # A stream that cannot be read at all: the watcher's reader fails as it is made. Any exception
        # that left the watcher's thread would end this process.
        $unreadable = [System.IO.FileStream]::new((Join-Path $TestDrive 'write-only'), [System.IO.FileMode]::Create, [System.IO.FileAccess]::Write)
        try {
            InModuleScope ExoConnectRunner -Parameters @{ Stdin = $unreadable } {
                param($Stdin)
                Start-StopWatcher -Stream $Stdin -KeepChildInput
                $deadline = [DateTime]::UtcNow.AddSeconds(10)
                while ($null -eq $script:Stop.Reason -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
                $script:Stop.WatchError | Should -BeNullOrEmpty
                Complete-Stop | Should -Be 'parent-gone'
            }
        } finally {
            $unreadable.Dispose()
        }
        $PID | Should -BeGreaterThan 0
    }
}
