# The run itself: module, connect, script, and teardown in `finally`; or, for the post step,
# removing a server session that a stopped main left open. Returns the process's exit code, and
# nothing else: whatever a phase outputs goes to the log, as it would from a script.

$script:ExitCode = 0

function Start-ExoConnectRunner {
    # runner.ps1's one call: read the configuration from stdin, check it, run. Launcher: see
    # Invoke-UserScript.
    param([Parameter(Mandatory)][scriptblock] $Launcher)
    # The runner reads the log as UTF-8; a console without a code page of its own may refuse the change.
    try { [Console]::OutputEncoding = $script:Utf8NoBom } catch { & $SafeCommands['Write-Verbose'] 'console output encoding unchanged' }
    $stdin = [Console]::OpenStandardInput()
    # Read, the events file opened, checked, the start-up variables cleared (Read-RunnerConfig,
    # Set-EventsPath, Assert-RunnerConfig, Clear-StartupVariable), in one compiled call
    # (Native/RunStart.cs): as script, their first calls cost every run about 20 ms.
    $start = [ExoConnectRunner.Native.RunStart]::Begin($stdin, $script:ConfigMaxBytes, $script:ContractVersion, $script:ConfigFields)
    $script:EventsPath = $start.EventsPath
    $script:EventWriter = $start.Events
    if ($null -ne $start.Failure) { return (Write-ConfigFailure -Start $start) }
    $config = $start.Config
    # A run keeps reading stdin, for a request to stop (Stop.ps1); the post step's removal has
    # nothing to stop, and its stdin ends after the configuration.
    if ($config.mode -eq 'run') { Start-StopWatcher -Stream $stdin }
    # The action's own tests load the sandbox here, so that its New-PSSession & co. stand in for the cmdlets.
    if ($env:EXO_CONNECT_ACTION_TEST_PRELOAD) {
        Use-TestDouble -Module (& $SafeCommands['Import-Module'] -Name $env:EXO_CONNECT_ACTION_TEST_PRELOAD -Global -DisableNameChecking -PassThru)
    }
    Invoke-ExoConnectRunner -Config $config -Launcher $Launcher
}

function Write-ConfigFailure {
    # Start-ExoConnectRunner's end when the configuration could not be read or was refused: the
    # reason on stderr, and as an event when the events file is open. Returns the exit code, 1.
    param([Parameter(Mandatory)] $Start)
    if ($Start.Unread) {
        [Console]::Error.WriteLine((ConvertTo-LogLine "The runner could not read its configuration from stdin: $($Start.Failure.Message)"))
        return 1
    }
    try {
        throw $Start.Failure
    } catch {
        if ($null -ne $script:EventWriter) { Write-RunnerEvent ((Get-ErrorFacts $_) + @{ event = 'error'; phase = 'config'; terminating = $true }) }
        [Console]::Error.WriteLine((ConvertTo-LogLine $_.Exception.Message))
    }
    1
}

function Invoke-ExoConnectRunner {
    # The events file is open before this runs: Start-ExoConnectRunner (or a test) opens it.
    param([Parameter(Mandatory)] $Config, [scriptblock] $Launcher)
    $script:CurrentPhase = 'module'
    $script:ExitCode = 0
    $script:Connected = $false
    $script:ConnectPending = $false
    $script:RemoteSession = $null
    $toLog = $SafeCommands['Out-Default']

    if ($Config.mode -eq 'remove-session') { return (Invoke-SessionRemoval -Config $Config) }

    $isServer = $Config.connection.target -eq 'exchange-server'
    # One entry per workload, each { connection, credentials }: two for exchange-online,
    # security-compliance. Those and the held secrets in compiled code (Native/RunStart.cs): as
    # script, these lines' first runs cost every run about 20 ms.
    $connections = [ExoConnectRunner.Native.RunStart]::Connections($Config)
    $script:HeldSecrets.Set([ExoConnectRunner.Native.RunStart]::Credentials($Config, $connections))
    try {
        # A stop from the action (Stop.ps1) ends this block as Ctrl+C would, and the teardown follows.
        Invoke-Stoppable -Body {
            # Before anything connects: keys the script does not declare are refused here.
            $script:CurrentPhase = 'parameters'
            $source = Read-ScriptSource -Path $Config.script.path
            $parameters = Read-ScriptParameter -Script $Config.script -Source $source -ExchangeModule $Config.module.name
            $script:CurrentPhase = 'module'
            if (-not $isServer) {
                Measure-Phase -Name 'module' -Title 'Module' -Body { Import-ExchangeModule -Module $Config.module } | & $toLog
                # A #Requires, or an Import-Module of the module by its name (looked for only in a script that names it).
                if ($null -ne $source.Ast.ScriptRequirements -or $source.Text.IndexOf($script:ExchangeModule.Name, [System.StringComparison]::OrdinalIgnoreCase) -ge 0) {
                    # A refusal of the script's input, as those before the module.
                    $script:CurrentPhase = 'parameters'
                    Assert-ModuleRequirement -Source $source -Module $script:ExchangeModule -From $Config.script.input
                    $script:CurrentPhase = 'module'
                }
            }
            Resolve-CommandName -Connection $Config.connection -Source $source
            Measure-Phase -Name 'connect' -Title (Get-ConnectTitle -Config $Config) -Body {
                $script:ConnectPending = $true
                try {
                    if ($isServer) {
                        Import-RunnerFile -Path 'Private/ServerSession.ps1'
                        Connect-ExchangeServer -Connection $Config.connection -Credentials $Config.credentials -Retries ([int]$Config.connectRetries) -ForwardWhatIf ([bool]$Config.script.whatIf)
                    } else {
                        # In order; once one is connected, teardown disconnects, also when the next connect fails.
                        Connect-Workloads -Connections $connections -CommandNames (Get-ConfigValue $Config.connection 'commandNames') -Retries ([int]$Config.connectRetries)
                    }
                    # Only a command-names list can name a cmdlet the connection did not import.
                    if ($script:ListedCommandNames.Count -gt 0) { Write-UnloadedCommandWarning -Prefix (Get-ConfigValue $Config.connection 'prefix') -Source $source }
                } finally {
                    # Nothing the user's script can reach should still hold a secret.
                    $Config.credentials = $null
                    foreach ($entry in $connections) { $entry.credentials = $null }
                }
            } | & $toLog
            $scriptTitle = 'Script'
            if ($Config.script.whatIf) { $scriptTitle = 'Script (what-if)' }
            Wait-ChildInput
            # The script can reach what this module holds: the last copies of the secrets go now.
            Clear-HeldSecret
            Measure-Phase -Name 'script' -Title $scriptTitle -Body {
                $resultDepth = Get-ConfigValue $Config 'resultDepth'
                if ($null -eq $resultDepth) { $resultDepth = 4 }
                $script:ExitCode = Invoke-UserScript -Script $Config.script -Source $source -Parameters $parameters -Launcher $Launcher -ResultPath $Config.paths.result -ResultLimit ([int]$Config.resultLimit) `
                    -ResultDepth ([int]$resultDepth) -ResultFile (Get-ConfigValue $Config 'resultFile') -PlanPath ([string](Get-ConfigValue $Config.paths 'plan'))
            }
        }
    } catch {
        $script:ExitCode = 1
        # A connect that failed with an error cleans up after itself; one that returned has set
        # Connected already (Set-Connected), so teardown still disconnects.
        $script:ConnectPending = $false
        # The action prints it from the event, on one line and masked: PowerShell's own error view
        # wraps long messages, and a secret split across lines escapes the log's masking.
        & $Own['Write-RunnerEvent'] ((& $Own['Get-ErrorFacts'] $_) + @{ event = 'error'; phase = $script:CurrentPhase; terminating = $true })
    } finally {
        # From here on through $Own, not by name: the user's script has run (see ExoConnectRunner.psm1).
        $stopped = $null
        try {
            & $Own['Clear-HeldSecret']
            $Config.credentials = $null
            $stopped = & $Own['Complete-Stop']
            if ($null -ne $stopped) { & $Own['Write-StopEvent'] -Reason $stopped }
        } finally {
            # Whatever the script made of what the steps above use (type data over their objects'
            # members, say), the teardown runs; their error, if any, comes after it.
            & $Own['Invoke-Teardown'] -IsServer:$isServer -Location $Config.script.workingDirectory
        }
        # On Windows the runner's CTRL_C reaches PowerShell too, and may have stopped it first.
        if ($null -eq $stopped) {
            $stopped = $script:Stop['Reason']
            if ($null -ne $stopped) { & $Own['Write-StopEvent'] -Reason $stopped }
        }
        if ($null -ne $stopped) { $script:ExitCode = 1 }
    }
    $script:ExitCode
}

function Invoke-SessionRemoval {
    # The post step's run: removes the server session a stopped main left open. Returns the exit code.
    param([Parameter(Mandatory)] $Config)
    Set-HeldSecret -Credentials @($Config.credentials)
    try {
        Import-RunnerFile -Path 'Private/ServerSession.ps1'
        Remove-LeftServerSession -Connection $Config.connection -Credentials $Config.credentials -InstanceId $Config.instanceId | & $SafeCommands['Out-Default']
        return 0
    } catch {
        # The action prints it from the event, on one line (PowerShell's own view wraps it).
        Write-RunnerEvent ((Get-ErrorFacts $_) + @{ event = 'error'; phase = 'teardown'; terminating = $true })
        return 1
    } finally {
        Clear-HeldSecret
        $Config.credentials = $null
    }
}
