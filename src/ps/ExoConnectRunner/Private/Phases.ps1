# Each phase is a collapsible group in the log that ends with its duration, and a pair of events.

$script:CurrentPhase = 'module'
# The process's stdout, as the module found it: the script may replace [Console]::Out (SetOut)
# and close what it put there.
$script:StartOut = [Console]::Out

function Write-RunnerLog {
    # A line of the runner's own log, straight to stdout, where the script's output goes too. A
    # line that cannot be written never stops the runner (its teardown least of all).
    param([Parameter(Mandatory)][AllowEmptyString()][string] $Line)
    try {
        [Console]::Out.WriteLine($Line)
    } catch {
        try { $script:StartOut.WriteLine($Line) } catch { $null = $_ }
    }
}

function Write-RunnerAnnotation {
    # A warning or notice the Actions runner shows beside the job, not only inside a collapsed group.
    # The message is one line, and '%' is escaped as the runner reads the command's data.
    # https://docs.github.com/actions/reference/workflows-and-actions/workflow-commands
    param([Parameter(Mandatory)][ValidateSet('warning', 'notice')][string] $Kind, [Parameter(Mandatory)][string] $Message)
    # Through $Own: the teardown warns too, after the user's script ran (see ExoConnectRunner.psm1).
    & $Own['Write-RunnerLog'] ("::${Kind}::" + (& $Own['ConvertTo-LogLine'] $Message).Replace('%', '%25'))
}

function Measure-Phase {
    param([Parameter(Mandatory)][string] $Name, [Parameter(Mandatory)][string] $Title, [Parameter(Mandatory)][scriptblock] $Body)
    $script:CurrentPhase = $Name
    Write-RunnerEvent @{ event = 'phase'; name = $Name; status = 'start' }
    & $Own['Write-RunnerLog'] "::group::$Title"
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    $told = $false
    try {
        . $Body
        # Through $Own: the Script phase ends after the user's script ran (see ExoConnectRunner.psm1).
        & $Own['Write-RunnerEvent'] @{ event = 'phase'; name = $Name; status = 'end'; ms = [ExoConnectRunner.Native.PSValue]::Milliseconds($clock) }
        & $Own['Write-RunnerLog'] "$Name took $([ExoConnectRunner.Native.PSValue]::Milliseconds($clock)) ms"
        $told = $true
    } catch {
        & $Own['Write-RunnerEvent'] @{ event = 'phase'; name = $Name; status = 'failed'; ms = [ExoConnectRunner.Native.PSValue]::Milliseconds($clock) }
        & $Own['Write-RunnerLog'] "$Name failed after $([ExoConnectRunner.Native.PSValue]::Milliseconds($clock)) ms"
        $told = $true
        throw
    } finally {
        # A stop (script-timeout, a cancel) reaches no catch: its phase's time is told here.
        if (-not $told) {
            & $Own['Write-RunnerEvent'] @{ event = 'phase'; name = $Name; status = 'stopped'; ms = [ExoConnectRunner.Native.PSValue]::Milliseconds($clock) }
            & $Own['Write-RunnerLog'] "$Name stopped after $([ExoConnectRunner.Native.PSValue]::Milliseconds($clock)) ms"
        }
        & $Own['Write-RunnerLog'] '::endgroup::'
    }
}

function Get-ConnectTitle {
    param([Parameter(Mandatory)] $Config)
    $c = $Config.connection
    $where = Get-ConfigValue $c 'organization'
    if ($c.target -eq 'exchange-server') { $where = Get-ConfigValue $c 'connectionUri' }
    $version = 'remote session'
    if ($null -ne $script:ExchangeModule) { $version = "$($script:ExchangeModule.Name) $([ExoConnectRunner.Native.ModuleFacts]::VersionText($script:ExchangeModule))" }
    $target = $c.target
    $listed = Get-ConfigValue $Config 'connections'
    if ($null -ne $listed -and @($listed).Count -gt 1) { $target = (@($listed) | & $SafeCommands['ForEach-Object'] { $_.connection.target }) -join ' + ' }
    $delegated = Get-ConfigValue $c 'delegatedOrganization'
    if ($delegated) { $where = "$where for $delegated (delegated-organization)" }
    # A server is not in a Microsoft cloud: environment says nothing about it.
    if ($c.target -eq 'exchange-server') { return "Connect: $target, $where, auth $($c.authMethod), $version" }
    "Connect: $target, $($c.environment), $where, auth $($c.authMethod), $version"
}
