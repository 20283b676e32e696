# Forges a `disconnected` event, unsigned and then signed with every key-like value the script can
# reach, and ends its own PowerShell so that no teardown runs (the hostile-scripts e2e suite).
$events = Join-Path (Split-Path -Parent $env:TMPDIR) 'events.jsonl'
$json = '{"event":"disconnected","ms":1}'
[IO.File]::AppendAllText($events, $json + [char]10)

# Every string in every variable of every scope and module the script can reach.
$candidates = New-Object System.Collections.Generic.HashSet[string]
foreach ($scope in @('Global', 'Script', 'Local') + (0..20)) {
    foreach ($v in @(Get-Variable -Scope $scope -ErrorAction SilentlyContinue)) {
        foreach ($s in @($v.Value | ConvertTo-Json -Depth 4 -Compress -WarningAction SilentlyContinue)) { [void]$candidates.Add([string]$s) }
    }
}
foreach ($m in @(Get-Module)) {
    try {
        foreach ($v in @(& $m { Get-Variable })) {
            foreach ($s in @($v.Value | ConvertTo-Json -Depth 4 -Compress -WarningAction SilentlyContinue)) { [void]$candidates.Add([string]$s) }
        }
    } catch { Write-Verbose "module $($m.Name) has no script scope" }
}
$keys = @($candidates | ForEach-Object { [regex]::Matches([string]$_, '[A-Za-z0-9+/]{43}=') } | ForEach-Object Value | Sort-Object -Unique)
[IO.File]::WriteAllText($env:HOSTILE_OUT, [string]$keys.Count)
foreach ($key in $keys) {
    $hmac = New-Object System.Security.Cryptography.HMACSHA256 (, [Convert]::FromBase64String($key))
    $mac = -join ($hmac.ComputeHash([Text.Encoding]::UTF8.GetBytes($json)) | ForEach-Object { $_.ToString('x2') })
    [IO.File]::AppendAllText($events, "$mac $json" + [char]10)
}
Stop-Process -Id $PID -Force
