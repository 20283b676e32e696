# The processes a stop ends when a native command holds it up. The Windows table (CIM) cannot be
# read here; the choice of what to end from any table can, with the ids Windows keeps.
BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot '../ExoConnectRunner.psd1') -Force
    function Start-Tree {
        # sh, which starts sh, which starts sleep: returns the outer sh once the sleep runs.
        $outer = [System.Diagnostics.Process]::Start('sh', '-c "sh -c ''sleep 60; true''; true"')
        $deadline = [DateTime]::UtcNow.AddSeconds(10)
        while ([DateTime]::UtcNow -lt $deadline) {
            $inner = @(Get-ChildProcessId $outer.Id)
            if ($inner.Count -eq 1 -and @(Get-ChildProcessId $inner[0]).Count -eq 1) { return $outer }
            Start-Sleep -Milliseconds 50
        }
        throw 'the process tree did not start'
    }
    function Test-Running([int] $Id) {
        # Neither gone nor a zombie (ended, not yet reaped).
        $stat = $null
        try { $stat = [System.IO.File]::ReadAllText("/proc/$Id/stat") } catch { return $false }
        $stat.Substring($stat.LastIndexOf(')') + 2, 1) -ne 'Z'
    }
    function Test-Ended([int] $Id) {
        # Kill sends the signal and returns; the process ends when the kernel next schedules it.
        # https://learn.microsoft.com/dotnet/api/system.diagnostics.process.kill
        $deadline = [DateTime]::UtcNow.AddSeconds(5)
        while ((Test-Running $Id) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
        -not (Test-Running $Id)
    }
    function Get-ChildProcessId([int] $Parent) {
        # Straight from /proc, for the test's own check.
        foreach ($folder in [System.IO.Directory]::GetDirectories('/proc')) {
            $stat = $null
            try { $stat = [System.IO.File]::ReadAllText("$folder/stat") } catch { continue }
            $fields = $stat.Substring($stat.LastIndexOf(')') + 2).Split(' ')
            if ([int]$fields[1] -eq $Parent -and $fields[0] -ne 'Z') { [int][System.IO.Path]::GetFileName($folder) }
        }
    }
}
AfterAll { Remove-Module -Name ExoConnectRunner -ErrorAction SilentlyContinue }

Describe 'Select-ProcessTree' {
    It 'gives the descendants, each parent before its children, without the root, conhost.exe or a cycle' {
        $table = @(
            @{ Id = 1; ParentId = 0; Started = $null; Name = 'init' }
            @{ Id = 100; ParentId = 1; Started = $null; Name = 'pwsh' }
            @{ Id = 101; ParentId = 100; Started = $null; Name = 'conhost.exe' }
            @{ Id = 102; ParentId = 100; Started = $null; Name = 'sh' }
            @{ Id = 103; ParentId = 102; Started = $null; Name = 'sleep' }
            @{ Id = 104; ParentId = 103; Started = $null; Name = 'grandchild' }
            @{ Id = 105; ParentId = 105; Started = $null; Name = 'its own parent' }
            @{ Id = 106; ParentId = 1; Started = $null; Name = 'elsewhere' }
        )
        InModuleScope ExoConnectRunner -Parameters @{ Table = $table } {
            param($Table)
            $tree = Select-ProcessTree -Table $Table -RootId 100 -Keep @('conhost.exe')
            @($tree | ForEach-Object { $_.Id }) | Should -Be @(102, 103, 104)
            (Select-ProcessTree -Table $Table -RootId 106).Count | Should -Be 0
        }
    }

    It 'with -Only, only the children listed and what they started; a listed id with another start is not the same process' {
        $start = [datetime]::new(2026, 1, 1, 12, 0, 0, [DateTimeKind]::Utc)
        $table = @(
            @{ Id = 100; ParentId = 1; Started = $start; Name = 'pwsh' }
            @{ Id = 101; ParentId = 100; Started = $start.AddSeconds(1); Name = 'robocopy.exe' }
            @{ Id = 102; ParentId = 101; Started = $start.AddSeconds(2); Name = 'its child.exe' }
            @{ Id = 103; ParentId = 100; Started = $start.AddSeconds(9); Name = 'az logout, after the stop' }
            @{ Id = 104; ParentId = 103; Started = $start.AddSeconds(9); Name = 'its child too' }
            @{ Id = 105; ParentId = 100; Started = $start.AddSeconds(9); Name = 'a reused id' }
        )
        $only = @(
            @{ Id = 101; ParentId = 100; Started = $start.AddSeconds(1); Name = 'robocopy.exe' }
            @{ Id = 105; ParentId = 100; Started = $start.AddSeconds(5); Name = 'gone since' }
        )
        InModuleScope ExoConnectRunner -Parameters @{ Table = $table; Only = $only } {
            param($Table, $Only)
            @(Select-ProcessTree -Table $Table -RootId 100 -Only $Only | ForEach-Object { $_.Id }) | Should -Be @(101, 102)
        }
    }

    It 'on Windows: not a process whose recorded parent id was reused, nor what it started' {
        # Windows keeps a parent's id after the parent exits; a process made before this one cannot be its child.
        $start = [datetime]::new(2026, 1, 1, 12, 0, 0, [DateTimeKind]::Utc)
        $table = @(
            @{ Id = 500; ParentId = 4; Started = $start; Name = 'pwsh.exe' }
            @{ Id = 501; ParentId = 500; Started = $start.AddMinutes(-5); Name = 'older.exe' }
            @{ Id = 502; ParentId = 501; Started = $start.AddMinutes(1); Name = 'child-of-older.exe' }
            @{ Id = 503; ParentId = 500; Started = $start.AddSeconds(3); Name = 'robocopy.exe' }
            @{ Id = 504; ParentId = 503; Started = $start.AddSeconds(2); Name = 'before-its-parent.exe' }
            @{ Id = 505; ParentId = 503; Started = $start.AddSeconds(4); Name = 'after-its-parent.exe' }
        )
        InModuleScope ExoConnectRunner -Parameters @{ Table = $table } {
            param($Table)
            @(Select-ProcessTree -Table $Table -RootId 500 | ForEach-Object { $_.Name }) | Should -Be @('robocopy.exe', 'after-its-parent.exe')
        }
    }
}

Describe 'Get-ProcessTable' -Skip:(-not $IsLinux) {
    It 'lists a process this one started, with its parent id and name, from <Source>' -TestCases @(
        @{ Source = 'proc' }
        @{ Source = 'ps' }
    ) {
        $sleep = [System.Diagnostics.Process]::Start('sleep', '30')
        try {
            $table = InModuleScope ExoConnectRunner -Parameters @{ Source = $Source } { param($Source) Get-ProcessTable -Source $Source }
            $entry = @($table | Where-Object { $_.Id -eq $sleep.Id })
            $entry | Should -HaveCount 1
            $entry[0].ParentId | Should -Be $PID
            $entry[0].Name | Should -Be 'sleep'
            @($table | Where-Object { $_.Id -eq $PID }) | Should -HaveCount 1
            # ps lists itself as this process's child; it has exited by the time anything is ended.
            @($table | Where-Object { $_.ParentId -eq $PID -and $_.Name -eq 'ps' }) | Should -HaveCount 0
        } finally {
            $sleep.Kill()
            $sleep.WaitForExit()
        }
    }
}

Describe 'Get-ProcessTable from ps' -Skip:(-not $IsLinux) {
    It "runs the system's ps, not one the script put first on PATH" {
        # The stop watcher runs in this process, whose PATH the script may have changed.
        $folder = Join-Path $TestDrive 'fake-bin'
        [void][System.IO.Directory]::CreateDirectory($folder)
        $fake = Join-Path $folder 'ps'
        [System.IO.File]::WriteAllText($fake, "#!/bin/sh`necho '1 $PID not-the-system-ps'`n")
        & chmod +x $fake
        $path = $env:PATH
        $env:PATH = $folder + [System.IO.Path]::PathSeparator + $path
        try {
            $table = InModuleScope ExoConnectRunner { Get-ProcessTable -Source 'ps' }
        } finally {
            $env:PATH = $path
        }
        @($table | Where-Object { $_.Name -eq 'not-the-system-ps' }) | Should -HaveCount 0
        @($table | Where-Object { $_.Id -eq $PID }) | Should -HaveCount 1
    }
}

Describe 'Get-ChildProcess' -Skip:(-not $IsLinux) {
    It 'lists the processes a process started that run now' {
        $sleep = [System.Diagnostics.Process]::Start('sleep', '30')
        try {
            $children = InModuleScope ExoConnectRunner { Get-ChildProcess -Source 'proc' -StartedBefore ([DateTime]::UtcNow) }
            @($children | Where-Object { $_.Id -eq $sleep.Id -and $_.Name -eq 'sleep' }) | Should -HaveCount 1
            @($children | Where-Object { $_.ParentId -ne $PID }) | Should -HaveCount 0
        } finally {
            $sleep.Kill()
            $sleep.WaitForExit()
        }
    }
}

Describe 'Stop-ProcessTree' -Skip:(-not $IsLinux) {
    It 'ends the processes a process started and theirs, lists them first, and leaves the process itself' {
        $outer = Start-Tree
        try {
            $inner = @(Get-ChildProcessId $outer.Id)[0]
            $sleep = @(Get-ChildProcessId $inner)[0]
            $report = [System.Collections.ArrayList]::new()
            $failures = InModuleScope ExoConnectRunner -Parameters @{ Report = $report; Root = $outer.Id } {
                param($Report, $Root)
                Stop-ProcessTree -Source 'proc' -Report $Report -RootId $Root
            }
            @($failures) | Should -HaveCount 0
            @($report) | Should -Be @("sh (process $inner)", "sleep (process $sleep)")
            # The outer sh goes on, its child ended, and exits by itself.
            $outer.WaitForExit(10000) | Should -BeTrue
            Test-Ended $inner | Should -BeTrue
            Test-Ended $sleep | Should -BeTrue
        } finally {
            if (-not $outer.HasExited) { $outer.Kill($true) }
        }
    }

    It 'with -Only, leaves a child that was not listed (one the finally block started after the stop)' {
        $outer = [System.Diagnostics.Process]::Start('sh', '-c "sleep 60 & sleep 61; wait"')
        try {
            $deadline = [DateTime]::UtcNow.AddSeconds(10)
            while (@(Get-ChildProcessId $outer.Id).Count -lt 2 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            $pair = @(Get-ChildProcessId $outer.Id | Sort-Object)
            $pair | Should -HaveCount 2
            $report = [System.Collections.ArrayList]::new()
            InModuleScope ExoConnectRunner -Parameters @{ Report = $report; Root = $outer.Id; Listed = $pair[0] } {
                param($Report, $Root, $Listed)
                $all = Get-ChildProcess -Source 'proc' -StartedBefore ([DateTime]::UtcNow) -RootId $Root
                $only = @($all | Where-Object { $_.Id -eq $Listed })
                [void](Stop-ProcessTree -Source 'proc' -Report $Report -Only $only -RootId $Root)
            }
            @($report) | Should -Be @("sleep (process $($pair[0]))")
            Test-Ended $pair[0] | Should -BeTrue
            Test-Running $pair[1] | Should -BeTrue
        } finally {
            if (-not $outer.HasExited) { $outer.Kill($true) }
        }
    }
}
