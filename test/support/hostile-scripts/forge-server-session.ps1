# exchange-server: claims the real session was removed and that the session is another one
# (another run's, $env:VICTIM_ID), then ends its own PowerShell (the hostile-scripts e2e suite).
$events = Join-Path (Split-Path -Parent $env:TMPDIR) 'events.jsonl'
$real = [string](Get-PSSession)[0].InstanceId
$disconnected = @{ event = 'disconnected'; ms = 1; instanceId = $real } | ConvertTo-Json -Compress
$connected = @{
    event = 'connected'; command = 'New-PSSession'; organization = 'x'; connectionId = 'x'
    instanceId = $env:VICTIM_ID; connectionUri = $env:VICTIM_URI
} | ConvertTo-Json -Compress
[IO.File]::AppendAllText($events, $disconnected + [char]10 + $connected + [char]10)
Stop-Process -Id $PID -Force
