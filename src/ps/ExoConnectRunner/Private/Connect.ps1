# Exchange Online and Security & Compliance: the connect parameters, retries of transient
# failures, and the connect itself.

function New-ConnectParameter {
    # The parameters to splat for one connection and its credentials. Compiled
    # (Native/ConnectParameters.cs): as script, its lines' first runs cost each run about 15 ms.
    param([Parameter(Mandatory)] $Connection, [Parameter(Mandatory)] $Credentials)
    try {
        [ExoConnectRunner.Native.ConnectParameters]::For($Connection, $Credentials)
    } catch [System.Management.Automation.MethodInvocationException] {
        # Its own message, without PowerShell's "Exception calling ..." around it.
        throw $_.Exception.InnerException
    }
}

function Test-TransientFailure {
    # An exception may carry no message at all: that is not transient.
    param([Parameter(Mandatory)][AllowEmptyString()][string] $Message)
    $Message -match '(?i)\b429\b|too many|throttl|temporarily|timed? ?out|\b50[0234]\b|shell was not found|maximum number of .*(sessions|connections)'
}

function Invoke-WithRetry {
    # Transient failures only (throttling, 5xx, time-outs, the session limit): exponential backoff
    # with jitter. Authentication and authorization failures are never retried. -AnyFailure retries
    # every failure, for a read that signs in to nothing.
    param([Parameter(Mandatory)][string] $What, [Parameter(Mandatory)][scriptblock] $Action, [int] $Retries, [switch] $AnyFailure)
    for ($attempt = 0; ; $attempt++) {
        try {
            return (& $Action)
        } catch {
            # `throw` here, in the catch: the record goes on as it came, its exception's type included.
            if (-not (Wait-BeforeRetry -What $What -Attempt $attempt -Retries $Retries -AnyFailure:$AnyFailure -Message ([string]$_.Exception.Message))) { throw }
        }
    }
}

function Wait-BeforeRetry {
    # Invoke-WithRetry's wait after a failure: $false when the failure is not to be retried. A
    # function of its own, so that a run whose first attempt succeeds never compiles it.
    param([Parameter(Mandatory)][string] $What, [int] $Attempt, [int] $Retries, [switch] $AnyFailure, [Parameter(Mandatory)][AllowEmptyString()][string] $Message)
    if ($Attempt -ge $Retries -or -not ($AnyFailure -or (Test-TransientFailure -Message $Message))) { return $false }
    $delay = [int]([math]::Pow(2, $Attempt) * 1000 + (& $SafeCommands['Get-Random'] -Maximum 500))
    $Message = Limit-Text -Text $Message -Length $script:EventTextLimit
    Write-RunnerEvent @{ event = 'retry'; attempt = $Attempt + 1; delayMs = $delay; cause = $Message }
    # A server's text: on one line, so it can carry no workflow command and split no secret.
    $failed = 'failed with a transient error'
    if ($AnyFailure) { $failed = 'failed' }
    Write-RunnerLog (ConvertTo-LogLine "$What $failed; retry $($Attempt + 1) of $Retries in $delay ms: $Message")
    & $SafeCommands['Start-Sleep'] -Milliseconds $delay
    $true
}

function Connect-Exchange {
    param([Parameter(Mandatory)] $Connection, [Parameter(Mandatory)] $Credentials, [int] $Retries)
    $parameters = New-ConnectParameter -Connection $Connection -Credentials $Credentials
    $name = 'Connect-ExchangeOnline'
    if ($Connection.target -eq 'security-compliance') { $name = 'Connect-IPPSSession' }
    $connect = Get-SafeCommand -Name $name
    Invoke-WithRetry -What $name -Retries $Retries -Action { & $connect @parameters }
    Set-Connected
    $info = Get-NewConnection -Command $name
    $organization = Get-ConfigValue $Connection 'organization'
    $reported = Get-ConfigValue $info 'Organization'
    if ($reported) { $organization = [string]$reported }
    # With delegated-organization (a partner's delegated access), the session works in the
    # customer's tenant: that is the organization it is connected to.
    $delegated = Get-ConfigValue $Connection 'delegatedOrganization'
    $reportedDelegated = Get-ConfigValue $info 'DelegatedOrganization'
    if ($reportedDelegated) { $delegated = [string]$reportedDelegated }
    if ($delegated) { $organization = $delegated }
    $connectionId = $null
    if ($null -ne $info) { $connectionId = [string](Get-ConfigValue $info 'ConnectionId') }
    Write-RunnerEvent @{ event = 'connected'; target = $Connection.target; command = $name; organization = $organization; connectionId = $connectionId }
    # Get-ConnectionInformation may not have answered (Get-NewConnection): then no connection id.
    $which = ''
    if ($connectionId) { $which = " (connection $connectionId)" }
    Write-RunnerLog (ConvertTo-LogLine "Connected to $($Connection.target) with $name`: $organization$which.")
}

function Get-NewConnection {
    # The connection that $Command just made, as Get-ConnectionInformation reports it (the last one
    # listed), for its organization and id. That reads the module's own record of its connections:
    # a failure is retried as a transient one, and one that lasts leaves the connection standing
    # (the teardown disconnects it) without those two facts, and a warning that says so.
    # https://learn.microsoft.com/powershell/module/exchange/get-connectioninformation
    param([Parameter(Mandatory)][string] $Command)
    $read = Get-SafeCommand -Name 'Get-ConnectionInformation'
    try {
        $listed = @(Invoke-WithRetry -What 'Get-ConnectionInformation' -Retries 2 -AnyFailure -Action { & $read -ErrorAction Stop })
        if ($listed.Count -gt 0) { $listed[$listed.Count - 1] }
    } catch {
        Write-RunnerAnnotation -Kind 'warning' -Message "$Command connected, but Get-ConnectionInformation then failed three times: $($_.Exception.Message) The script runs on the connection, and the teardown disconnects it; the log and the organization output name the organization input, and no connection id."
    }
}

function Connect-Workloads {
    # Exchange Online and/or Security & Compliance, in the order given, each with its own credential
    # entry (a token is issued for one workload). Each connect imports that workload's cmdlets; a
    # name both have comes from the one connected last, as in an interactive session with the
    # module, and the log names those cmdlets.
    param([Parameter(Mandatory)][object[]] $Connections, [AllowNull()] $CommandNames, [int] $Retries)
    foreach ($entry in $Connections) {
        if ($null -ne $entry.connection.PSObject.Properties['commandNames']) { $entry.connection.commandNames = $CommandNames }
    }
    # Which module each connect imported matters only when there are two of them: that part is a
    # function of its own, compiled only in the runs that connect both.
    if ($Connections.Count -gt 1) { Connect-BothWorkloads -Connections $Connections -Retries $Retries; return }
    Connect-Exchange -Connection $Connections[0].connection -Credentials $Connections[0].credentials -Retries $Retries
}

function Connect-BothWorkloads {
    # Connect-Workloads for two connections: each connected in turn, and the cmdlets both imported named.
    param([Parameter(Mandatory)][object[]] $Connections, [int] $Retries)
    $imported = @()
    foreach ($entry in $Connections) {
        $before = @(& $SafeCommands['Get-Module'] | & $SafeCommands['ForEach-Object'] { $_.Name })
        Connect-Exchange -Connection $entry.connection -Credentials $entry.credentials -Retries $Retries
        $new = @(& $SafeCommands['Get-Module'] | & $SafeCommands['Where-Object'] { $before -notcontains $_.Name })
        $imported += , @{ target = $entry.connection.target; names = @($new | & $SafeCommands['ForEach-Object'] { @($_.ExportedCommands.Keys) }) }
    }
    if ($imported.Count -lt 2) { return }
    # Ordinal: Sort-Object -Unique compares by culture, and in some (Thai) ignores the '-' of a name.
    $sorted = [System.Collections.Generic.SortedSet[string]]::new([System.StringComparer]::OrdinalIgnoreCase)
    foreach ($name in $imported[0].names) { if ($imported[1].names -contains $name) { [void]$sorted.Add($name) } }
    $shared = @($sorted)
    if ($shared.Count -eq 0) { return }
    Write-RunnerEvent @{ event = 'shared-commands'; from = $imported[1].target; names = $shared }
    Write-RunnerLog "$(Format-Count $shared.Count 'cmdlet exists' 'cmdlets exist') in both $($imported[0].target) and $($imported[1].target); the script gets $($imported[1].target)'s, connected last: $($shared -join ', ')."
}
