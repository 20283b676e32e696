# The processes this PowerShell started, for a stop that a native command holds up. PowerShell runs
# a native command whose output goes to the console on its own, and the script's output stage is
# named Out-Default so that it does (UserScript.ps1). Stopping the pipeline then leaves the command
# running: at a console, Ctrl+C reaches the command itself, and PowerShell only ends a command whose
# output it reads. On Windows nothing else can (Node's process.kill is TerminateProcess), so the
# stop watcher (Stop.ps1) ends the command and what it started, and the script's `finally` blocks
# and the teardown follow.
# Only what was running when the stop came is ended: a native command that the script's `finally`
# starts afterwards (a logout, an upload) runs on, as after one Ctrl+C at a console.
# These functions run in the runspace the stop watcher opens once a stop comes, which has no
# commands (Start-StopWatcher hands it their syntax trees): only the language and .NET.

function Get-ProcessTable {
    # Every process as { Id, ParentId, Started, Name }. Started (UTC) is there only where the OS keeps
    # the id of a parent that has exited (Windows), so that a process whose recorded parent id was
    # reused is not taken for a child.
    param([Parameter(Mandatory)][ValidateSet('cim', 'proc', 'ps')][string] $Source)
    $table = [System.Collections.Generic.List[object]]::new()
    if ($Source -eq 'cim') {
        # Win32_Process, through the CIM client PowerShell 7 and Windows PowerShell 5.1 both ship:
        # https://learn.microsoft.com/windows/win32/cimwin32prov/win32-process
        [void][System.Reflection.Assembly]::Load('Microsoft.Management.Infrastructure, Version=1.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35')
        $session = ('Microsoft.Management.Infrastructure.CimSession' -as [type])::Create($null)
        try {
            foreach ($instance in $session.QueryInstances('root/cimv2', 'WQL', 'SELECT ProcessId, ParentProcessId, CreationDate, Name FROM Win32_Process')) {
                $properties = $instance.CimInstanceProperties
                $started = $properties['CreationDate'].Value
                if ($null -ne $started) { $started = ([datetime]$started).ToUniversalTime() }
                $table.Add(@{ Id = [int]$properties['ProcessId'].Value; ParentId = [int]$properties['ParentProcessId'].Value; Started = $started; Name = [string]$properties['Name'].Value })
            }
        } finally {
            $session.Dispose()
        }
    } elseif ($Source -eq 'proc') {
        # Linux: /proc/<pid>/stat, whose fourth field is the parent's id; the name (second field)
        # is in parentheses and may hold spaces and parentheses itself.
        # https://man7.org/linux/man-pages/man5/proc_pid_stat.5.html
        foreach ($folder in [System.IO.Directory]::GetDirectories('/proc')) {
            $id = 0
            if (-not [int]::TryParse([System.IO.Path]::GetFileName($folder), [ref]$id)) { continue }
            try { $stat = [System.IO.File]::ReadAllText($folder + '/stat') } catch { continue }
            $open = $stat.IndexOf([char]'(')
            $close = $stat.LastIndexOf([char]')')
            if ($open -lt 0 -or $close -lt $open) { continue }
            $fields = $stat.Substring($close + 2).Split(' ')
            $table.Add(@{ Id = $id; ParentId = [int]$fields[1]; Started = $null; Name = $stat.Substring($open + 1, $close - $open - 1) })
        }
    } else {
        # macOS and other systems without /proc: ps, as POSIX specifies its -A and -o options.
        # https://pubs.opengroup.org/onlinepubs/9799919799/utilities/ps.html
        # By its path: a name is looked up on this process's PATH, which the script may have changed,
        # and another program's lines would name the processes to end.
        $program = '/bin/ps'
        if (-not [System.IO.File]::Exists($program)) { $program = '/usr/bin/ps' }
        $start = [System.Diagnostics.ProcessStartInfo]::new($program, '-A -o pid= -o ppid= -o comm=')
        $start.UseShellExecute = $false
        $start.RedirectStandardOutput = $true
        $ps = [System.Diagnostics.Process]::Start($start)
        $lines = $ps.StandardOutput.ReadToEnd().Split([char[]]@("`n"), [System.StringSplitOptions]::RemoveEmptyEntries)
        $ps.WaitForExit()
        foreach ($line in $lines) {
            $fields = $line.Trim().Split([char[]]@(' '), 3, [System.StringSplitOptions]::RemoveEmptyEntries)
            $id = 0
            $parent = 0
            if ($fields.Length -lt 2 -or -not [int]::TryParse($fields[0], [ref]$id) -or -not [int]::TryParse($fields[1], [ref]$parent)) { continue }
            # Not ps itself, which this process started just now.
            if ($id -eq $ps.Id) { continue }
            $name = ''
            if ($fields.Length -gt 2) { $name = [System.IO.Path]::GetFileName($fields[2].Trim()) }
            $table.Add(@{ Id = $id; ParentId = $parent; Started = $null; Name = $name })
        }
    }
    , $table.ToArray()
}

function Get-ChildProcess {
    # The processes $RootId (this process) started that run now and started before $StartedBefore
    # (UTC), where the OS tells (Windows; elsewhere the moment this reads the table is close enough).
    param([Parameter(Mandatory)][string] $Source, [Parameter(Mandatory)][datetime] $StartedBefore, [int] $RootId = [System.Diagnostics.Process]::GetCurrentProcess().Id)
    $children = [System.Collections.Generic.List[object]]::new()
    foreach ($entry in (Get-ProcessTable -Source $Source)) {
        if ($entry.ParentId -ne $RootId -or $entry.Id -eq $RootId) { continue }
        if ($null -ne $entry.Started -and $entry.Started -ge $StartedBefore) { continue }
        $children.Add($entry)
    }
    , $children.ToArray()
}

function Select-ProcessTree {
    # The processes descended from $RootId in $Table, each parent before its children, without the
    # root, and without those named in $Keep and what they started. With $Only (from
    # Get-ChildProcess), only those of the root's children and what they started. A process is a
    # child only if it started after its parent (when both start times are known): Windows keeps a
    # parent's id after the parent exits, and may give that id to a new process.
    param([Parameter(Mandatory)][AllowEmptyCollection()][object[]] $Table, [Parameter(Mandatory)][int] $RootId, [string[]] $Keep = @(), [AllowNull()][object[]] $Only = $null)
    $children = @{}
    $root = $null
    foreach ($entry in $Table) {
        if ($entry.Id -eq $RootId) { $root = $entry }
        if ($entry.Id -eq $entry.ParentId) { continue }
        if (-not $children.ContainsKey($entry.ParentId)) { $children[$entry.ParentId] = [System.Collections.Generic.List[object]]::new() }
        $children[$entry.ParentId].Add($entry)
    }
    if ($null -eq $root) { $root = @{ Id = $RootId; Started = $null } }
    $found = [System.Collections.Generic.List[object]]::new()
    $seen = @{ $RootId = $true }
    $queue = [System.Collections.Generic.Queue[object]]::new()
    $queue.Enqueue($root)
    while ($queue.Count -gt 0) {
        $parent = $queue.Dequeue()
        if (-not $children.ContainsKey($parent.Id)) { continue }
        foreach ($child in $children[$parent.Id]) {
            if ($seen.ContainsKey($child.Id) -or $Keep -contains $child.Name) { continue }
            if ($null -ne $parent.Started -and $null -ne $child.Started -and $child.Started -lt $parent.Started) { continue }
            if ($parent.Id -eq $RootId -and $null -ne $Only -and -not (Test-SameProcess -Entry $child -Among $Only)) { continue }
            $seen[$child.Id] = $true
            $found.Add($child)
            $queue.Enqueue($child)
        }
    }
    , $found.ToArray()
}

function Test-SameProcess {
    # Whether $Entry is one of $Among: the same id and, where known, the same start (not a reused id).
    param([Parameter(Mandatory)] $Entry, [Parameter(Mandatory)][AllowEmptyCollection()][object[]] $Among)
    foreach ($other in $Among) {
        if ($other.Id -eq $Entry.Id -and ($null -eq $other.Started -or $null -eq $Entry.Started -or $other.Started -eq $Entry.Started)) { return $true }
    }
    $false
}

function Stop-ProcessTree {
    # Ends the processes that $RootId (this process) started and theirs, each parent first (an ended
    # parent starts no more): with $Only, only those of its children (from Get-ChildProcess); on
    # Windows not conhost.exe, the console host of a process that has a console of its own. Hands
    # $Report the "name (process id)" of each before it is ended, so that whoever the end lets go on
    # finds them listed; returns the failures' messages.
    param([Parameter(Mandatory)][string] $Source, [Parameter(Mandatory)][System.Collections.IList] $Report, [AllowNull()][object[]] $Only = $null, [int] $RootId = [System.Diagnostics.Process]::GetCurrentProcess().Id)
    $tree = Select-ProcessTree -Table (Get-ProcessTable -Source $Source) -RootId $RootId -Keep @('conhost.exe') -Only $Only
    foreach ($entry in $tree) { [void]$Report.Add("$($entry.Name) (process $($entry.Id))") }
    $failures = [System.Collections.Generic.List[string]]::new()
    foreach ($entry in $tree) {
        try {
            $process = [System.Diagnostics.Process]::GetProcessById($entry.Id)
            try { $process.Kill() } finally { $process.Dispose() }
        } catch [System.ArgumentException], [System.InvalidOperationException] {
            # It has exited already.
            $null = $_
        } catch {
            $failures.Add("$($entry.Name) (process $($entry.Id)): $($_.Exception.Message)")
        }
    }
    , $failures.ToArray()
}
