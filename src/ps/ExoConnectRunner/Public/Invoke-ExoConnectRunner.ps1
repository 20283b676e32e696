# The run itself: module, connect, script, and teardown in `finally`; or, for the post step,
# removing a server session that a stopped main left open. Returns the process's exit code, and
# nothing else: whatever a phase outputs goes to the log, as it would from a script.

$script:ExitCode = 0

function Invoke-ExoConnectRunner {
    param([Parameter(Mandatory)] $Config)
    # The event key signs this run's events; like the credentials, it must not stay in the config.
    Set-EventsPath -Path $Config.paths.events -Key (Get-ConfigValue $Config 'eventKey')
    if ($null -ne $Config.PSObject.Properties['eventKey']) { $Config.eventKey = $null }
    $script:CurrentPhase = 'module'
    $script:ExitCode = 0
    $script:Connected = $false
    $script:ConnectPending = $false
    $script:RemoteSession = $null
    $toLog = $SafeCommands['Out-Default']

    if ($Config.mode -eq 'remove-session') {
        try {
            Remove-LeftServerSession -Connection $Config.connection -Auth $Config.auth -InstanceId $Config.instanceId | & $toLog
            return 0
        } catch {
            # The action prints it from the event, on one line (PowerShell's own view wraps it).
            Write-RunnerEvent ((Get-ErrorFacts $_) + @{ event = 'error'; phase = 'teardown'; terminating = $true })
            return 1
        }
    }

    $isServer = $Config.connection.target -eq 'exchange-server'
    # One entry per workload, each { connection, auth }: two for exchange-online, security-compliance.
    $connections = @([pscustomobject]@{ connection = $Config.connection; auth = $Config.auth })
    $listed = Get-ConfigValue $Config 'connections'
    if ($null -ne $listed) { $connections = @($listed) }
    try {
        if (-not $isServer) { Measure-Phase -Name 'module' -Title 'Module' -Body { Import-ExchangeModule -Module $Config.module } | & $toLog }
        Resolve-CommandNames -Connection $Config.connection -ScriptPath $Config.script.path
        Measure-Phase -Name 'connect' -Title (Get-ConnectTitle -Config $Config) -Body {
            $script:ConnectPending = $true
            if ($isServer) {
                Connect-ExchangeServer -Connection $Config.connection -Auth $Config.auth -Retries ([int]$Config.connectRetries)
                $script:Connected = $true
            } else {
                # In order; once one is connected, teardown disconnects, also when the next connect fails.
                Connect-Workloads -Connections $connections -CommandNames (Get-ConfigValue $Config.connection 'commandNames') -Retries ([int]$Config.connectRetries)
            }
            $script:ConnectPending = $false
        } | & $toLog
        # Nothing the user's script can reach should still hold a secret.
        $Config.auth = $null
        foreach ($entry in $connections) { $entry.auth = $null }
        $scriptTitle = 'Script'
        if ($Config.script.whatIf) { $scriptTitle = 'Script (what-if: nothing is changed)' }
        Measure-Phase -Name 'script' -Title $scriptTitle -Body {
            $resultDepth = Get-ConfigValue $Config 'resultDepth'
            if ($null -eq $resultDepth) { $resultDepth = 4 }
            $script:ExitCode = Invoke-UserScript -Script $Config.script -ResultPath $Config.paths.result -ResultLimit ([int]$Config.resultLimit) `
                -ResultDepth ([int]$resultDepth) -ResultFile (Get-ConfigValue $Config 'resultFile') -PlanPath ([string](Get-ConfigValue $Config.paths 'plan'))
        }
    } catch {
        $script:ExitCode = 1
        # A connect that failed with an error cleans up after itself.
        $script:ConnectPending = $false
        # The action prints it from the event, on one line and masked: PowerShell's own error view
        # wraps long messages, and a secret split across lines escapes the log's masking.
        Write-RunnerEvent ((Get-ErrorFacts $_) + @{ event = 'error'; phase = $script:CurrentPhase; terminating = $true })
    } finally {
        Invoke-Teardown -IsServer:$isServer
    }
    $script:ExitCode
}
