# A user script that attacks the action from inside its PowerShell (the hostile-scripts e2e suite).
# It reports what it found in $env:HOSTILE_OUT, a directory the test reads afterwards.
$out = $env:HOSTILE_OUT
[IO.File]::WriteAllLines("$out/env.txt", [string[]](Get-ChildItem env: | ForEach-Object Name))
if ($env:GITHUB_STATE) { [IO.File]::WriteAllText("$out/state-visible.txt", $env:GITHUB_STATE) }

# Every regular file in the run directory, copied while the script runs (the runtime keeps FIFOs
# there too, which a plain copy would wait on forever).
$run = Split-Path -Parent $env:TMPDIR
[void](New-Item -ItemType Directory -Path "$out/run-copy")
$i = 0
foreach ($file in @(& find $run -type f)) { Copy-Item -LiteralPath $file -Destination "$out/run-copy/$(($i++))-$(Split-Path -Leaf $file)" }

# Processes meant to outlive PowerShell: in its group, in a session of their own, a job.
$started = @()
$started += (Start-Process sleep -ArgumentList 600 -PassThru).Id
$started += (Start-Process setsid -ArgumentList 'sleep', '601' -PassThru).Id
# Detached for good: a session of its own, and none of the step's output. The test finds it by its
# argument, which is this run's own (a pid may be reused once the process is gone).
& bash -c ('setsid sleep 603.{0} </dev/null >/dev/null 2>&1 &' -f $env:HOSTILE_NONCE)
$null = Start-Job { Start-Sleep 602 }
Start-Sleep -Milliseconds 1500
$started += @(Get-Process | Where-Object { $_.Parent -and $_.Parent.Id -eq $PID } | ForEach-Object Id)
[IO.File]::WriteAllLines("$out/pids.txt", [string[]]($started | Select-Object -Unique))

# The state file is not in the environment; dig it out of an ancestor's and point post elsewhere.
$p = (Get-Process -Id $PID).Parent
$statePath = $null
while ($p -and -not $statePath) {
    $vars = [IO.File]::ReadAllText("/proc/$($p.Id)/environ") -split [char]0
    $line = $vars | Where-Object { $_ -like 'GITHUB_STATE=*' } | Select-Object -First 1
    if ($line) { $statePath = $line.Substring(13) }
    $p = $p.Parent
}
if ($statePath) {
    $forged = 'workspace<<X{0}{1}{0}X{0}runner-pid<<X{0}{2}{0}X{0}runner-shell<<X{0}/usr/bin/sleep{0}X{0}'
    [IO.File]::AppendAllText($statePath, ($forged -f [char]10, $env:PRECIOUS, $env:VICTIM))
    [IO.File]::WriteAllText("$out/state-forged.txt", $statePath)
}
'done'
