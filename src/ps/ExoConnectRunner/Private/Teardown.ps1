# Teardown, in the runner's `finally`: remove the server session or disconnect, whatever happened.

$script:Connected = $false
# Set while a connect runs. A stop (timeout, cancel) skips catch blocks, so it stays set when a
# connect was interrupted half way, and teardown disconnects in case a connection was left.
$script:ConnectPending = $false
$script:RemoteSession = $null

function Invoke-Teardown {
    param([switch] $IsServer)
    [Console]::Out.WriteLine('::group::Teardown')
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    if ($null -ne $script:RemoteSession) {
        try {
            & $SafeCommands['Remove-PSSession'] -Session $script:RemoteSession -WhatIf:$false -ErrorAction Stop
            Write-RunnerEvent @{ event = 'disconnected'; ms = $clock.ElapsedMilliseconds; instanceId = [string]$script:RemoteSession.InstanceId }
        } catch {
            Write-RunnerEvent ((Get-ErrorFacts $_) + @{ event = 'error'; phase = 'teardown'; terminating = $false })
            & $SafeCommands['Write-Warning'] (ConvertTo-LogLine "Remove-PSSession failed: $($_.Exception.Message)")
        }
    } elseif ($script:ConnectPending -and $IsServer) {
        # New-PSSession was stopped: remove whatever session this PowerShell process holds.
        $left = @(& $SafeCommands['Get-PSSession'] -ErrorAction SilentlyContinue)
        [Console]::Out.WriteLine("The connect was stopped before it finished; removing the $($left.Count) sessions this PowerShell holds.")
        if ($left.Count -gt 0) { & $SafeCommands['Remove-PSSession'] -Session $left -WhatIf:$false -ErrorAction Continue }
    } elseif ($script:Connected -or $script:ConnectPending) {
        if ($script:ConnectPending) { [Console]::Out.WriteLine('The connect was stopped before it finished; disconnecting in case it left a connection.') }
        try {
            & (Get-SafeCommand -Name 'Disconnect-ExchangeOnline') -Confirm:$false -WhatIf:$false -ErrorAction Stop
            Write-RunnerEvent @{ event = 'disconnected'; ms = $clock.ElapsedMilliseconds }
        } catch {
            Write-RunnerEvent ((Get-ErrorFacts $_) + @{ event = 'error'; phase = 'teardown'; terminating = $false })
            & $SafeCommands['Write-Warning'] (ConvertTo-LogLine "Disconnect failed: $($_.Exception.Message)")
        }
    } else {
        [Console]::Out.WriteLine('Nothing was connected.')
    }
    [Console]::Out.WriteLine("teardown took $($clock.ElapsedMilliseconds) ms")
    [Console]::Out.WriteLine('::endgroup::')
}
