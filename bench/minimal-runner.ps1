# The floor of a runner written in PowerShell, for the bench only (docs/decisions/0010): the work the
# action's runner cannot do without, and nothing else. Its configuration is JSON on stdin after a
# line with its length in bytes; it signs eight events with an HMAC key, watches stdin for a stop in
# a second runspace, imports the module by its manifest's path, loads the certificate, connects, runs
# the script in a nested pipeline, writes result.json and disconnects in `finally`.
# None of the action's guarantees beyond that: no SafeCommands, no checks, no reset of what the
# script changed, no log groups, no error facts.
$stdin = [Console]::OpenStandardInput()
$length = [System.Text.StringBuilder]::new()
while (($byte = $stdin.ReadByte()) -ne 10) { [void]$length.Append([char]$byte) }
$bytes = [byte[]]::new([int]$length.ToString())
$read = 0
while ($read -lt $bytes.Length) { $read += $stdin.Read($bytes, $read, $bytes.Length - $read) }
$config = ConvertFrom-Json -InputObject ([System.Text.Encoding]::UTF8.GetString($bytes))

$hmac = [System.Security.Cryptography.HMACSHA256]::new([Convert]::FromBase64String($config.eventKey))
$events = [System.IO.FileStream]::new($config.events, 'Append', 'Write', 'Read')
function Write-Event([hashtable] $Data) {
    $Data['at'] = [DateTime]::UtcNow.ToString('o')
    $json = ConvertTo-Json -InputObject $Data -Compress
    $line = [Convert]::ToHexString($hmac.ComputeHash([System.Text.Encoding]::UTF8.GetBytes($json))) + ' ' + $json + "`n"
    $out = [System.Text.Encoding]::UTF8.GetBytes($line)
    $events.Write($out, 0, $out.Length)
    $events.Flush()
}

$watcherSpace = [runspacefactory]::CreateRunspace([System.Management.Automation.Runspaces.InitialSessionState]::Create())
$watcherSpace.Open()
$watcher = [powershell]::Create()
$watcher.Runspace = $watcherSpace
[void]$watcher.AddScript('param($Stream) $null = [System.IO.StreamReader]::new($Stream).ReadLine()').AddArgument($stdin)
[void]$watcher.BeginInvoke()

$module = $null
try {
    Write-Event @{ event = 'phase'; name = 'module'; status = 'start' }
    $module = Import-Module -Name $config.modulePath -PassThru
    Write-Event @{ event = 'phase'; name = 'module'; status = 'end' }
    Write-Event @{ event = 'phase'; name = 'connect'; status = 'start' }
    $certificate = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new([Convert]::FromBase64String($config.pfx), $config.password)
    $config.pfx = $null
    $config.password = $null
    & $module.ExportedCommands['Connect-ExchangeOnline'] -AppId $config.appId -Certificate $certificate -Organization $config.organization -ShowBanner:$false
    Write-Event @{ event = 'connected'; organization = $config.organization }
    Write-Event @{ event = 'phase'; name = 'connect'; status = 'end' }
    Write-Event @{ event = 'phase'; name = 'script'; status = 'start' }
    $nested = [powershell]::Create([System.Management.Automation.RunspaceMode]::CurrentRunspace)
    [void]$nested.AddScript('param($Path) & $Path', $true).AddArgument($config.script)
    $results = [System.Collections.Generic.List[object]]::new()
    foreach ($item in $nested.Invoke()) {
        $results.Add($item)
        $item | Out-Default
    }
    [System.IO.File]::WriteAllText($config.result, (ConvertTo-Json -InputObject $results.ToArray() -Compress -Depth 4))
    Write-Event @{ event = 'phase'; name = 'script'; status = 'end' }
} finally {
    if ($null -ne $module) { & $module.ExportedCommands['Disconnect-ExchangeOnline'] -Confirm:$false }
    Write-Event @{ event = 'disconnected' }
    $events.Dispose()
}
