# Forges a `disconnected` event, unsigned and then signed with every key-like value the script can
# reach, and ends its own PowerShell so that no teardown runs (the hostile-scripts e2e suite).
$events = Join-Path (Split-Path -Parent $env:TMPDIR) 'events.jsonl'
$json = '{"event":"disconnected","ms":1}'
[IO.File]::AppendAllText($events, $json + [char]10)

# Key candidates: base64 strings of 32 bytes and 32-byte arrays, in every variable of every scope
# the script can walk, in every loaded module's own variables, and one level into their values.
$candidates = New-Object 'System.Collections.Generic.HashSet[string]'
function Add-Candidate($value, [int] $depth) {
    if ($null -eq $value) { return }
    if ($value -is [string]) {
        foreach ($m in [regex]::Matches($value, '[A-Za-z0-9+/]{43}=')) { [void]$candidates.Add($m.Value) }
        return
    }
    if ($value -is [byte[]]) {
        if ($value.Length -eq 32) { [void]$candidates.Add([Convert]::ToBase64String($value)) }
        return
    }
    if ($depth -ge 2 -or $value -is [System.ValueType]) { return }
    if ($value -is [System.Collections.IDictionary]) { foreach ($v in @($value.Values)) { Add-Candidate $v ($depth + 1) }; return }
    if ($value -is [System.Collections.IEnumerable]) { foreach ($v in @($value | Select-Object -First 200)) { Add-Candidate $v ($depth + 1) }; return }
    foreach ($p in @($value.PSObject.Properties)) { try { Add-Candidate $p.Value ($depth + 1) } catch { Write-Verbose 'unreadable' } }
}
$variables = @()
foreach ($scope in @('Global', 'Script', 'Local') + (0..30)) {
    try { $variables += @(Get-Variable -Scope $scope -ErrorAction Stop) } catch { break } # past the outermost scope
}
foreach ($module in @(Get-Module)) {
    try { $variables += @(& $module { Get-Variable -Scope Script }) } catch { Write-Verbose "module $($module.Name) has no script scope" }
}
foreach ($v in $variables) { Add-Candidate $v.Value 0 }
foreach ($name in [Environment]::GetEnvironmentVariables().Keys) { Add-Candidate ([Environment]::GetEnvironmentVariable($name)) 0 }

[IO.File]::WriteAllText($env:HOSTILE_OUT, [string]$candidates.Count)
foreach ($key in $candidates) {
    $hmac = New-Object System.Security.Cryptography.HMACSHA256 -ArgumentList (, [Convert]::FromBase64String($key))
    $mac = [BitConverter]::ToString($hmac.ComputeHash([Text.Encoding]::UTF8.GetBytes($json))).Replace('-', '').ToLowerInvariant()
    [IO.File]::AppendAllText($events, "$mac $json" + [char]10)
}
Stop-Process -Id $PID -Force
