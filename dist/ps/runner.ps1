<#
  exo-connect-action runner.

  A static script: its whole configuration arrives as ONE line of JSON on stdin,
  secrets included, so no value ever appears in argv or in PowerShell source text.
  It imports the module, connects, runs the user's script in this same process,
  and disconnects in `finally`. Facts the action needs (phases, connection,
  errors, exit code) are appended as JSON lines to the events file; the script's
  pipeline output is written to the result file. Neither file holds a secret.

  Runs on PowerShell 7 and Windows PowerShell 5.1: no PS7-only syntax here.
#>
[CmdletBinding()]
param()

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

$Utf8NoBom = New-Object System.Text.UTF8Encoding($false)
# stdin is UTF-8 JSON from Node. [Console]::In would decode it with the console code page
# (OEM on Windows) and change any non-ASCII value, so read the raw stream as UTF-8.
$stdin = New-Object System.IO.StreamReader([Console]::OpenStandardInput(), $Utf8NoBom)
$Config = $stdin.ReadLine() | ConvertFrom-Json
# The runner reads the log as UTF-8; a console without a code page of its own may refuse the change.
try { [Console]::OutputEncoding = $Utf8NoBom } catch { Write-Verbose 'console output encoding unchanged' }
$EventsPath = $Config.paths.events

function Write-RunnerEvent {
    param([Parameter(Mandatory)][hashtable] $Data)
    $Data['at'] = [DateTime]::UtcNow.ToString('o')
    $line = (ConvertTo-Json -InputObject $Data -Compress -Depth 5) + "`n"
    [System.IO.File]::AppendAllText($EventsPath, $line, $Utf8NoBom)
}

function Get-ErrorFacts {
    # With -ScriptPath, the position is the user's line: an error raised inside a module function
    # (the module's proxies are functions) carries the module's position in InvocationInfo, and
    # the user's line only in the script stack trace.
    param([Parameter(Mandatory)] $Record, [string] $ScriptPath)
    $facts = @{
        message  = [string]$Record.Exception.Message
        category = [string]$Record.CategoryInfo.Category
        errorId  = [string]$Record.FullyQualifiedErrorId
        type     = $Record.Exception.GetType().FullName
    }
    $info = $Record.InvocationInfo
    if ($null -ne $info -and $info.ScriptName) {
        $facts['file'] = $info.ScriptName
        $facts['line'] = $info.ScriptLineNumber
    }
    if ($ScriptPath -and $facts['file'] -ne $ScriptPath) {
        foreach ($frame in ([string]$Record.ScriptStackTrace -split "`n")) {
            $at = $frame.LastIndexOf(': line ')
            if ($at -gt 0 -and $frame.Substring(0, $at).EndsWith($ScriptPath)) {
                $facts['file'] = $ScriptPath
                $facts['line'] = [int]$frame.Substring($at + 7).Trim()
                break
            }
        }
    }
    $facts
}

function Measure-Phase {
    # Each phase is a collapsible group in the log that ends with its duration.
    param([Parameter(Mandatory)][string] $Name, [Parameter(Mandatory)][string] $Title, [Parameter(Mandatory)][scriptblock] $Body)
    $script:CurrentPhase = $Name
    Write-RunnerEvent @{ event = 'phase'; name = $Name; status = 'start' }
    [Console]::Out.WriteLine("::group::$Title")
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    try {
        . $Body
        Write-RunnerEvent @{ event = 'phase'; name = $Name; status = 'end'; ms = $clock.ElapsedMilliseconds }
        [Console]::Out.WriteLine("$Name took $($clock.ElapsedMilliseconds) ms")
    } catch {
        Write-RunnerEvent @{ event = 'phase'; name = $Name; status = 'failed'; ms = $clock.ElapsedMilliseconds }
        [Console]::Out.WriteLine("$Name failed after $($clock.ElapsedMilliseconds) ms")
        throw
    } finally {
        [Console]::Out.WriteLine('::endgroup::')
    }
}

function Get-ConnectTitle {
    param([Parameter(Mandatory)] $Config)
    $c = $Config.connection
    $where = $c.organization
    if ($c.target -eq 'exchange-server') { $where = $c.connectionUri }
    $module = Get-Module -Name $Config.module.name
    $version = 'remote session'
    if ($module) { $version = "$($module.Name) $($module.Version)" }
    "Connect: $($c.target), $($c.environment), $where, auth $($c.authMethod), $version"
}

function ConvertTo-Hashtable {
    # ConvertFrom-Json gives PSCustomObject on 5.1 (no -AsHashtable); splatting needs a hashtable.
    param($Object)
    $table = @{}
    if ($null -ne $Object) {
        foreach ($property in $Object.PSObject.Properties) { $table[$property.Name] = $property.Value }
    }
    $table
}

function Save-ExchangeModule {
    # Saves the module into the action's private directory, from PSGallery or from a feed that is
    # registered for this install only.
    param([Parameter(Mandatory)] $Module)
    $repository = $Module.repository
    $registered = $null
    if ($repository -ne 'PSGallery') {
        $registered = 'exo-connect-' + [guid]::NewGuid().ToString('N').Substring(0, 8)
        $source = $repository
        if ($source -like 'file:*') { $source = ([uri]$source).LocalPath }
        Register-PSRepository -Name $registered -SourceLocation $source -InstallationPolicy Trusted
        $repository = $registered
    }
    try {
        $save = @{ Name = $Module.name; Path = $Module.path; Repository = $repository; Force = $true }
        if ($Module.version -ne 'latest') { $save['RequiredVersion'] = $Module.version }
        [void](New-Item -ItemType Directory -Force -Path $Module.path)
        Save-Module @save
    } finally {
        if ($registered) { Unregister-PSRepository -Name $registered }
    }
}

function Get-ModuleCopies {
    # Reads each copy's manifest as data: Get-Module -ListAvailable lists a copy that needs a newer
    # PowerShell as version 0.0, which would hide why it cannot load.
    param([Parameter(Mandatory)][string] $Name)
    foreach ($listed in Get-Module -ListAvailable -Name $Name) {
        $copy = [pscustomobject]@{ Version = $listed.Version; PowerShellVersion = $listed.PowerShellVersion; Path = $listed.Path }
        if ($listed.Path -like '*.psd1') {
            $manifest = Import-PowerShellDataFile -Path $listed.Path
            $copy.Version = [version]$manifest.ModuleVersion
            $copy.PowerShellVersion = if ($manifest.PowerShellVersion) { [version]$manifest.PowerShellVersion } else { $null }
        }
        $copy
    }
}

function Import-ExchangeModule {
    param([Parameter(Mandatory)] $Module)
    $wanted = $Module.version -replace '-.*$', ''
    # latest means the newest release, so only a copy this action saved (today's cache) counts.
    $matching = {
        if ($Module.version -eq 'installed') { $true }
        elseif ($Module.version -eq 'latest') { $_.Path.StartsWith($Module.path, [System.StringComparison]::OrdinalIgnoreCase) }
        else { $_.Version -eq [version]$wanted }
    }
    if ($Module.version -ne 'installed') { $env:PSModulePath = $Module.path + [System.IO.Path]::PathSeparator + $env:PSModulePath }
    $candidates = @(Get-ModuleCopies -Name $Module.name | Where-Object $matching)
    if ($candidates.Count -eq 0 -and $Module.version -ne 'installed') {
        Save-ExchangeModule -Module $Module
        $candidates = @(Get-ModuleCopies -Name $Module.name | Where-Object $matching)
    }
    $candidates = @($candidates | Sort-Object Version -Descending)
    if ($candidates.Count -eq 0) {
        if ($Module.version -eq 'installed') { throw "$($Module.name) is not installed, and module-version installed installs nothing. Use module-version $($Module.testedVersion) to install it." }
        throw "$($Module.name) $($Module.version) is not in $($Module.path) after the install."
    }
    $chosen = $candidates[0]
    if ($null -ne $chosen.PowerShellVersion -and $PSVersionTable.PSVersion -lt $chosen.PowerShellVersion) {
        throw "$($Module.name) $($chosen.Version) requires a minimum PowerShell version of $($chosen.PowerShellVersion); this runner has $($PSVersionTable.PSVersion). Pin module-version to a release that supports PowerShell $($PSVersionTable.PSVersion), such as $($Module.testedVersion) (tested with this release of the action), or use a newer PowerShell."
    }
    # The exact copy chosen, so that another one on the image's PSModulePath cannot win.
    $imported = Import-Module -Name $chosen.Path -PassThru -DisableNameChecking -Global
    Write-RunnerEvent @{ event = 'module'; name = $Module.name; version = [string]$imported.Version; path = $imported.ModuleBase }
}

function Resolve-CommandNames {
    # command-names: auto reads the script's syntax tree with PowerShell's own parser and requests
    # only the cmdlets it names. Dynamic invocation cannot be read, so it falls back to all.
    param([Parameter(Mandatory)] $Connection, [Parameter(Mandatory)][string] $ScriptPath)
    $auto = $Connection.commandNames -is [string] -and $Connection.commandNames -eq 'auto'
    if (-not $auto) {
        if ($Connection.commandNames) { Write-Host "command-names: $(@($Connection.commandNames).Count) cmdlets requested." }
        return
    }
    $tokens = $null
    $errors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseFile($ScriptPath, [ref]$tokens, [ref]$errors)
    $defined = @($ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.FunctionDefinitionAst] }, $true) | ForEach-Object { $_.Name })
    $names = New-Object 'System.Collections.Generic.List[string]'
    $reason = $null
    foreach ($command in $ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.CommandAst] }, $true)) {
        $name = $command.GetCommandName()
        $line = $command.Extent.StartLineNumber
        if ($null -eq $name) { $reason = "line ${line} invokes a command whose name is computed"; break }
        if ($command.InvocationOperator -eq [System.Management.Automation.Language.TokenKind]::Dot) { $reason = "line ${line} dot-sources $name"; break }
        if (@('Invoke-Expression', 'iex', 'Invoke-Command', 'icm', 'Import-Module', 'ipmo') -contains $name) { $reason = "line ${line} uses $name"; break }
        if ($defined -notcontains $name -and -not $names.Contains($name) -and -not (Get-Command -Name $name -ErrorAction SilentlyContinue)) { $names.Add($name) }
    }
    if ($null -ne $reason) {
        Write-Host "command-names auto: loading all cmdlets, because $reason."
        Write-RunnerEvent @{ event = 'commands'; requested = 'all'; reason = $reason }
        $Connection.commandNames = $null
    } elseif ($names.Count -eq 0) {
        Write-Host 'command-names auto: the script names no Exchange cmdlet outside the module; loading all cmdlets.'
        Write-RunnerEvent @{ event = 'commands'; requested = 'all'; reason = 'no remote cmdlet named' }
        $Connection.commandNames = $null
    } else {
        Write-Host "command-names auto: $($names.Count) cmdlets requested: $($names -join ', ')."
        Write-RunnerEvent @{ event = 'commands'; requested = $names.Count; names = $names.ToArray() }
        $Connection.commandNames = $names.ToArray()
    }
}

function New-ConnectParameters {
    param([Parameter(Mandatory)] $Connection, [Parameter(Mandatory)] $Auth)
    $parameters = @{ ShowBanner = $false }
    if ($Connection.target -eq 'exchange-online') {
        $parameters['ExchangeEnvironmentName'] = $Connection.environment
        $parameters['ShowProgress'] = $false
    }
    if ($Connection.connectionUri) { $parameters['ConnectionUri'] = $Connection.connectionUri }
    if ($Connection.authorizationEndpointUri) { $parameters['AzureADAuthorizationEndpointUri'] = $Connection.authorizationEndpointUri }
    if ($Connection.organization) { $parameters['Organization'] = $Connection.organization }
    if ($Connection.delegatedOrganization) { $parameters['DelegatedOrganization'] = $Connection.delegatedOrganization }
    if ($Connection.prefix) { $parameters['Prefix'] = $Connection.prefix }
    if ($Connection.commandNames) { $parameters['CommandName'] = [string[]]$Connection.commandNames }

    switch ($Auth.kind) {
        'certificate' {
            $bytes = [Convert]::FromBase64String($Auth.pfxBase64)
            try {
                # EphemeralKeySet keeps the private key in memory: no key file, no store.
                # macOS does not support ephemeral keys; there the default set is used.
                $flags = [System.Security.Cryptography.X509Certificates.X509KeyStorageFlags]::EphemeralKeySet
                if ($IsMacOS) { $flags = [System.Security.Cryptography.X509Certificates.X509KeyStorageFlags]::DefaultKeySet }
                $parameters['Certificate'] = New-Object System.Security.Cryptography.X509Certificates.X509Certificate2 -ArgumentList @($bytes, [string]$Auth.password, $flags)
            } finally {
                [Array]::Clear($bytes, 0, $bytes.Length)
            }
            $parameters['AppId'] = $Auth.clientId
        }
        'certificate-thumbprint' {
            $parameters['CertificateThumbprint'] = $Auth.thumbprint
            $parameters['AppId'] = $Auth.clientId
        }
        'access-token' { $parameters['AccessToken'] = $Auth.token }
        'managed-identity' {
            $parameters['ManagedIdentity'] = $true
            if ($Auth.accountId) { $parameters['ManagedIdentityAccountId'] = $Auth.accountId }
        }
        default { throw "Authentication '$($Auth.kind)' is not handled by this runner." }
    }
    $parameters
}

function Test-TransientFailure {
    param([Parameter(Mandatory)][string] $Message)
    $Message -match '(?i)\b429\b|too many|throttl|temporarily|timed? ?out|\b50[0234]\b|shell was not found|maximum number of .*(sessions|connections)'
}

function Invoke-WithRetry {
    # Transient failures only (throttling, 5xx, time-outs, the session limit): exponential backoff
    # with jitter. Authentication and authorization failures are never retried.
    param([Parameter(Mandatory)][string] $What, [Parameter(Mandatory)][scriptblock] $Action, [int] $Retries)
    for ($attempt = 0; ; $attempt++) {
        try {
            return (& $Action)
        } catch {
            $message = [string]$_.Exception.Message
            if ($attempt -ge $Retries -or -not (Test-TransientFailure $message)) { throw }
            $delay = [int]([math]::Pow(2, $attempt) * 1000 + (Get-Random -Maximum 500))
            Write-RunnerEvent @{ event = 'retry'; attempt = $attempt + 1; delayMs = $delay; cause = $message }
            Write-Host "$What failed with a transient error; retry $($attempt + 1) of $Retries in $delay ms: $message"
            Start-Sleep -Milliseconds $delay
        }
    }
}

function Connect-Exchange {
    param([Parameter(Mandatory)] $Connection, [Parameter(Mandatory)] $Auth, [int] $Retries)
    $parameters = New-ConnectParameters -Connection $Connection -Auth $Auth
    $command = 'Connect-ExchangeOnline'
    if ($Connection.target -eq 'security-compliance') { $command = 'Connect-IPPSSession' }
    Invoke-WithRetry -What $command -Retries $Retries -Action { & $command @parameters }
    $info = @(Get-ConnectionInformation) | Select-Object -Last 1
    $organization = $Connection.organization
    if ($null -ne $info -and $info.Organization) { $organization = [string]$info.Organization }
    $connectionId = $null
    if ($null -ne $info) { $connectionId = [string]$info.ConnectionId }
    Write-RunnerEvent @{ event = 'connected'; command = $command; organization = $organization; connectionId = $connectionId }
}

function New-ServerSessionParameters {
    # Seed 004: New-PSSession -ConfigurationName Microsoft.Exchange -ConnectionUri ... -Authentication ...
    param([Parameter(Mandatory)] $Connection, [Parameter(Mandatory)] $Auth)
    $server = $Connection.server
    $options = @{ ProxyAccessType = $server.proxyAccessType }
    if ($server.skipCertificateChecks) {
        $options['SkipCACheck'] = $true
        $options['SkipCNCheck'] = $true
        $options['SkipRevocationCheck'] = $true
    }
    $parameters = @{
        ConfigurationName = 'Microsoft.Exchange'
        ConnectionUri     = $Connection.connectionUri
        Authentication    = $server.authentication
        SessionOption     = New-PSSessionOption @options
    }
    if ($server.allowRedirection) { $parameters['AllowRedirection'] = $true }
    if ($Auth.kind -eq 'credential') {
        $password = ConvertTo-SecureString -String $Auth.password -AsPlainText -Force
        $parameters['Credential'] = New-Object System.Management.Automation.PSCredential -ArgumentList @($Auth.username, $password)
    }
    $parameters
}

function Connect-ExchangeServer {
    param([Parameter(Mandatory)] $Connection, [Parameter(Mandatory)] $Auth, [int] $Retries)
    $parameters = New-ServerSessionParameters -Connection $Connection -Auth $Auth
    $script:RemoteSession = Invoke-WithRetry -What 'New-PSSession' -Retries $Retries -Action { New-PSSession @parameters -ErrorAction Stop }
    Write-RunnerEvent @{
        event         = 'connected'
        command       = 'New-PSSession'
        organization  = ([uri]$Connection.connectionUri).Host
        connectionId  = [string]$script:RemoteSession.InstanceId
        instanceId    = [string]$script:RemoteSession.InstanceId
        connectionUri = $Connection.connectionUri
    }
    $import = @{ Session = $script:RemoteSession; DisableNameChecking = $true; AllowClobber = $true }
    if ($Connection.commandNames) { $import['CommandName'] = [string[]]$Connection.commandNames }
    $module = Import-PSSession @import
    # Import-PSSession imports into the caller's scope; -Global makes the cmdlets the user's script's too.
    $importGlobally = @{ ModuleInfo = $module; Global = $true; DisableNameChecking = $true }
    if ($Connection.prefix) { $importGlobally['Prefix'] = $Connection.prefix }
    Import-Module @importGlobally
}

function Remove-LeftServerSession {
    # Post step: a main that was cancelled or killed left its server-side session open.
    # Sessions count against the three-per-user limit until they expire, so find it again and remove it.
    param([Parameter(Mandatory)] $Connection, [Parameter(Mandatory)] $Auth, [Parameter(Mandatory)][string] $InstanceId)
    $parameters = New-ServerSessionParameters -Connection $Connection -Auth $Auth
    # List the account's sessions and filter here: -InstanceId would report "not found" as an error,
    # and silencing that would also silence "access denied", hiding a session that is still open.
    $left = @(Get-PSSession @parameters -ErrorAction Stop | Where-Object { [string]$_.InstanceId -eq $InstanceId })
    foreach ($session in $left) { Remove-PSSession -Session $session }
    Write-RunnerEvent @{ event = 'removed'; instanceId = $InstanceId; count = $left.Count }
    Write-Host "Removed $($left.Count) server-side session(s) with InstanceId $InstanceId."
}

function Invoke-UserScript {
    param([Parameter(Mandatory)] $Script, [int] $ResultLimit)
    $parameters = ConvertTo-Hashtable $Script.parameters
    $collected = New-Object System.Collections.Generic.List[object]
    $state = @{ errors = 0; truncated = $false; exitCode = 0; failed = $false }

    Set-Location -LiteralPath $Script.workingDirectory
    # The user's script inherits this function's preferences; functions in script modules (the
    # module's generated proxies among them) read the global ones instead, so set both, and put
    # the global ones back before teardown, which must never run as a what-if.
    $savedGlobal = @{ WhatIf = $global:WhatIfPreference; ErrorAction = $global:ErrorActionPreference }
    # Filters, not ForEach-Object, and lines written straight to stdout: with a million lines of
    # output this runs near the pace of a bare `pwsh -File` (ForEach-Object and Out-Default: half).
    filter Watch-Output {
        if ($_ -is [System.Management.Automation.ErrorRecord]) {
            $state.errors++
            if ($state.errors -le 50) { Write-RunnerEvent ((Get-ErrorFacts $_ -ScriptPath $Script.path) + @{ event = 'error'; phase = 'script'; terminating = $false }) }
        } elseif (-not $state.truncated -and -not ($null -ne $_ -and $_.GetType().FullName -like 'Microsoft.PowerShell.Commands.Internal.Format.*')) {
            # Format-Table output is for the log only; it has no data to return. Past the limit,
            # objects only pass through, at the cost of one test each.
            if ($collected.Count -lt $ResultLimit) { $collected.Add($_) } else { $state.truncated = $true }
        }
        $_
    }
    filter Write-LogLine { $stdout.WriteLine($_) }
    $stdout = [Console]::Out
    $WhatIfPreference = [bool]$Script.whatIf
    $ErrorActionPreference = $Script.errorActionPreference
    $global:WhatIfPreference = $WhatIfPreference
    $global:ErrorActionPreference = $ErrorActionPreference
    $global:LASTEXITCODE = 0
    try {
        & $Script.path @parameters 2>&1 | Watch-Output | Out-String -Stream -Width $LogWidth | Write-LogLine
        $state.exitCode = [int]$global:LASTEXITCODE
    } catch {
        $state.failed = $true
        $state.exitCode = 1
        Write-RunnerEvent ((Get-ErrorFacts $_ -ScriptPath $Script.path) + @{ event = 'error'; phase = 'script'; terminating = $true })
        [Console]::Error.WriteLine(($_ | Out-String).TrimEnd())
    } finally {
        $global:WhatIfPreference = $savedGlobal.WhatIf
        $global:ErrorActionPreference = $savedGlobal.ErrorAction
    }
    $ErrorActionPreference = 'Stop'
    $WhatIfPreference = $false

    try {
        $json = ConvertTo-Json -InputObject $collected.ToArray() -Depth 4 -Compress -WarningAction SilentlyContinue
    } catch {
        Write-Warning "The script's output could not be converted to JSON for the result output: $($_.Exception.Message)"
        $json = '[]'
    }
    if ($null -eq $json) { $json = '[]' }
    [System.IO.File]::WriteAllText($Config.paths.result, $json, $Utf8NoBom)
    Write-RunnerEvent @{ event = 'script'; exitCode = $state.exitCode; errors = $state.errors; terminated = $state.failed; objects = $collected.Count; truncated = $state.truncated }
    $script:ExitCode = $state.exitCode
}

# Output is redirected, so PowerShell would format for 80 columns and cut table columns short;
# the Actions log is wider.
$LogWidth = 200
$script:CurrentPhase = 'module'
$script:ExitCode = 0
$script:Connected = $false
# Set while a connect runs. A stop (timeout, cancel) skips catch blocks, so it stays set when a
# connect was interrupted half way, and teardown disconnects in case a connection was left.
$script:ConnectPending = $false
$script:RemoteSession = $null
$IsServer = $Config.connection.target -eq 'exchange-server'

# The action's own tests load the sandbox here, so that its New-PSSession & co. shadow the cmdlets.
if ($env:EXO_CONNECT_ACTION_TEST_PRELOAD) { Import-Module -Name $env:EXO_CONNECT_ACTION_TEST_PRELOAD -Global -DisableNameChecking }

if ($Config.mode -eq 'remove-session') {
    try {
        Remove-LeftServerSession -Connection $Config.connection -Auth $Config.auth -InstanceId $Config.instanceId
        exit 0
    } catch {
        Write-RunnerEvent ((Get-ErrorFacts $_) + @{ event = 'error'; phase = 'teardown'; terminating = $true })
        [Console]::Error.WriteLine(($_ | Out-String).TrimEnd())
        exit 1
    }
}

try {
    if (-not $IsServer) { Measure-Phase 'module' 'Module' { Import-ExchangeModule -Module $Config.module } }
    Resolve-CommandNames -Connection $Config.connection -ScriptPath $Config.script.path
    Measure-Phase 'connect' (Get-ConnectTitle $Config) {
        $script:ConnectPending = $true
        if ($IsServer) {
            Connect-ExchangeServer -Connection $Config.connection -Auth $Config.auth -Retries ([int]$Config.connectRetries)
        } else {
            Connect-Exchange -Connection $Config.connection -Auth $Config.auth -Retries ([int]$Config.connectRetries)
        }
        $script:Connected = $true
        $script:ConnectPending = $false
    }
    # Nothing the user's script can reach should still hold a secret.
    $Config.auth = $null
    $scriptTitle = 'Script'
    if ($Config.script.whatIf) { $scriptTitle = 'Script (what-if: nothing is changed)' }
    Measure-Phase 'script' $scriptTitle { Invoke-UserScript -Script $Config.script -ResultLimit ([int]$Config.resultLimit) }
} catch {
    $script:ExitCode = 1
    # A connect that failed with an error cleans up after itself.
    $script:ConnectPending = $false
    Write-RunnerEvent ((Get-ErrorFacts $_) + @{ event = 'error'; phase = $script:CurrentPhase; terminating = $true })
    [Console]::Error.WriteLine(($_ | Out-String).TrimEnd())
} finally {
    [Console]::Out.WriteLine('::group::Teardown')
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    if ($null -ne $script:RemoteSession) {
        try {
            Remove-PSSession -Session $script:RemoteSession -WhatIf:$false -ErrorAction Stop
            Write-RunnerEvent @{ event = 'disconnected'; ms = $clock.ElapsedMilliseconds; instanceId = [string]$script:RemoteSession.InstanceId }
        } catch {
            Write-RunnerEvent ((Get-ErrorFacts $_) + @{ event = 'error'; phase = 'teardown'; terminating = $false })
            Write-Warning "Remove-PSSession failed: $($_.Exception.Message)"
        }
    } elseif ($script:ConnectPending -and $IsServer) {
        # New-PSSession was stopped: remove whatever session this PowerShell process holds.
        $left = @(Get-PSSession -ErrorAction SilentlyContinue)
        [Console]::Out.WriteLine("The connect was stopped before it finished; removing the $($left.Count) sessions this PowerShell holds.")
        if ($left.Count -gt 0) { Remove-PSSession -Session $left -WhatIf:$false -ErrorAction Continue }
    } elseif ($script:Connected -or $script:ConnectPending) {
        if ($script:ConnectPending) { [Console]::Out.WriteLine('The connect was stopped before it finished; disconnecting in case it left a connection.') }
        try {
            Disconnect-ExchangeOnline -Confirm:$false -WhatIf:$false -ErrorAction Stop
            Write-RunnerEvent @{ event = 'disconnected'; ms = $clock.ElapsedMilliseconds }
        } catch {
            Write-RunnerEvent ((Get-ErrorFacts $_) + @{ event = 'error'; phase = 'teardown'; terminating = $false })
            Write-Warning "Disconnect failed: $($_.Exception.Message)"
        }
    } else {
        [Console]::Out.WriteLine('Nothing was connected.')
    }
    [Console]::Out.WriteLine("teardown took $($clock.ElapsedMilliseconds) ms")
    [Console]::Out.WriteLine('::endgroup::')
}
exit $script:ExitCode
