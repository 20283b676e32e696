<#
  SANDBOX ExchangeOnlineManagement.

  Stands in for Microsoft's module where Microsoft's cloud cannot be reached (tests,
  the demo). Command names and parameters follow the real module; validation is strict;
  the organization comes from a data file. Driven by environment variables:

    EXO_SANDBOX_LOG     file that receives one JSON line per call (the tests read it)
    EXO_SANDBOX_STATE   directory for state that outlives a process (fault counters)
    EXO_SANDBOX_ORG     organization data file (default: ../../organization.json)
    EXO_SANDBOX_MAILBOXES  make the organization this many mailboxes large (for example 20000):
                        the file's mailboxes first, then generated ones with realistic sizes
    EXO_SANDBOX_FAULTS  comma list of injected failures:
                          connect-auth          AADSTS700027 from Entra ID
                          connect-unauthorized  app lacks Exchange.ManageAsApp (401)
                          connect-tenant        AADSTS90002 tenant not found
                          connect-throttle:N    the first N connects answer 429
                          connect-slow:MS       connect takes MS milliseconds
                          role-missing          every data cmdlet: role not supported
                          disconnect-fail       Disconnect-ExchangeOnline throws
                          ipps-fail             Connect-IPPSSession answers UnAuthorized
                          disconnect-noop       Disconnect-ExchangeOnline returns, connection kept
                          disconnect-slow:MS    Disconnect-ExchangeOnline takes MS milliseconds (a service that does not answer)
                          remove-slow:MS        Remove-PSSession takes MS milliseconds (a server that does not answer)
                          remove-partial-line   Remove-PSSession first writes text with no line break (progress, say)
                          remove-fail           Remove-PSSession throws (the server refuses)
                          connection-info-fail:N  the first N Get-ConnectionInformation calls throw
                          connect-echo-token    connect fails with an error that quotes the access token
                          server-echo-password  New-PSSession fails with an error that quotes the password
                          server-echo-password:upper  the same, with the password upper-cased
                          import-hang           importing this module never ends (a PowerShell that hangs before
                                                the runner begins, when the action's tests preload it)
                          server-echo-password:folded-escaped  the same, with the password in a WinRM
                                                fault's XML upper- and lower-cased, and upper-cased in JSON
    EXO_SANDBOX_ERROR_TEXT  text appended to every injected error (servers put anything there)

  Secrets are never logged: a certificate is logged by thumbprint, a token by SHA-256.
#>

$script:Connection = $null
# Every open Connect-ExchangeOnline / Connect-IPPSSession connection: Info (what
# Get-ConnectionInformation shows), Workload, and Module (its generated cmdlets).
$script:Connections = New-Object System.Collections.Generic.List[object]
$script:Organization = $null
$script:MailboxIndex = $null
# Remote cmdlets: like the real module, they exist only after a connect, in a generated module
# (honouring -CommandName and -Prefix) that Disconnect-ExchangeOnline removes again.
# Exported name = private implementation. Get-RoleGroup exists in both workloads, as in the
# real services: the connection made last wins, as it does with the real module's imports.
$script:RemoteCommands = @('Get-Mailbox', 'Set-Mailbox', 'Get-DistributionGroup', 'Get-DistributionGroupMember', 'Add-DistributionGroupMember',
    'Get-TransportRule', 'New-TransportRule', 'Set-TransportRule', 'Remove-TransportRule', 'Get-RoleGroup=Get-ExchangeRoleGroup')
$script:ComplianceCommands = @('Get-Label', 'Get-LabelPolicy', 'Get-DlpCompliancePolicy', 'Get-RetentionCompliancePolicy', 'Get-RoleGroup=Get-ComplianceRoleGroup')
$script:RemoteModule = $null
$script:Environments = @('O365Default', 'O365USGovGCCHigh', 'O365USGovDoD', 'O365China', 'O365GermanyCloud')
$script:Utf8NoBom = New-Object System.Text.UTF8Encoding($false)

function Get-SandboxFault {
    param([Parameter(Mandatory)][string] $Name)
    foreach ($fault in ([string]$env:EXO_SANDBOX_FAULTS).Split(',')) {
        $parts = $fault.Trim().Split(':')
        if ($parts[0] -eq $Name) {
            if ($parts.Count -gt 1) { return $parts[1] }
            return $true
        }
    }
    return $null
}

function Get-TextHash {
    param([Parameter(Mandatory)][string] $Text)
    $sha = [System.Security.Cryptography.SHA256]::Create()
    try {
        $bytes = $sha.ComputeHash([System.Text.Encoding]::UTF8.GetBytes($Text))
        return -join ($bytes | ForEach-Object { $_.ToString('x2') })
    } finally {
        $sha.Dispose()
    }
}

function ConvertTo-LoggedValue {
    param($Name, $Value)
    if ($null -eq $Value) { return $null }
    if ($Value -is [System.Security.Cryptography.X509Certificates.X509Certificate2]) {
        return @{ thumbprint = $Value.Thumbprint; subject = $Value.Subject; hasPrivateKey = $Value.HasPrivateKey }
    }
    if ($Value -is [System.Management.Automation.PSCredential]) {
        return @{ userName = $Value.UserName; passwordSha256 = (Get-TextHash ($Value.GetNetworkCredential().Password)) }
    }
    if ($Value -is [System.Security.SecureString]) { return '(securestring)' }
    if ($Name -eq 'AccessToken') { return @{ sha256 = Get-TextHash ([string]$Value) } }
    if ($Value -is [System.Management.Automation.SwitchParameter]) { return $Value.IsPresent }
    # The comma keeps a one-element array an array; output would unroll it to its element.
    if ($Value -is [array]) { return , $Value }
    return $Value
}

function Write-SandboxCall {
    param([Parameter(Mandatory)][string] $Command, [hashtable] $Parameters = @{}, [hashtable] $Extra = @{})
    if (-not $env:EXO_SANDBOX_LOG) { return }
    $logged = @{}
    foreach ($key in $Parameters.Keys) { $logged[$key] = ConvertTo-LoggedValue $key $Parameters[$key] }
    $entry = @{ command = $Command; parameters = $logged; pid = $PID; at = [DateTime]::UtcNow.ToString('o') }
    foreach ($key in $Extra.Keys) { $entry[$key] = $Extra[$key] }
    $line = (ConvertTo-Json -InputObject $entry -Compress -Depth 5) + "`n"
    [System.IO.File]::AppendAllText($env:EXO_SANDBOX_LOG, $line, $script:Utf8NoBom)
}

function Copy-BoundParameters {
    # A case-insensitive copy, like a @{} literal; `@{} + $PSBoundParameters` is not allowed.
    param([Parameter(Mandatory)][AllowEmptyCollection()] $Bound)
    $copy = @{}
    foreach ($key in $Bound.Keys) { $copy[$key] = $Bound[$key] }
    $copy
}

function Get-SandboxOrganization {
    if ($null -eq $script:Organization) {
        $path = $env:EXO_SANDBOX_ORG
        if (-not $path) { $path = Join-Path $PSScriptRoot '../../organization.json' }
        $organization = Get-Content -LiteralPath $path -Raw | ConvertFrom-Json
        $size = [int]$env:EXO_SANDBOX_MAILBOXES
        if ($size -gt @($organization.mailboxes).Count) {
            $organization.mailboxes = @($organization.mailboxes) + @(New-SandboxMailboxes -From (@($organization.mailboxes).Count + 1) -To $size -Domain $organization.organization)
        }
        $script:Organization = $organization
    }
    $script:Organization
}

$script:GB = [long]1073741824

function Format-ByteQuantity {
    # Exchange's ByteQuantifiedSize as the REST cmdlets return it: "2.1 GB (2,254,857,830 bytes)".
    param([Parameter(Mandatory)][long] $Bytes)
    $units = @(@('GB', $script:GB), @('MB', [long]1048576), @('KB', [long]1024))
    $text = '{0} B' -f $Bytes
    foreach ($unit in $units) {
        if ($Bytes -ge $unit[1]) { $text = '{0} {1}' -f ([math]::Round($Bytes / $unit[1], 1).ToString([System.Globalization.CultureInfo]::InvariantCulture)), $unit[0]; break }
    }
    '{0} ({1} bytes)' -f $text, $Bytes.ToString('N0', [System.Globalization.CultureInfo]::InvariantCulture)
}

function New-SandboxMailboxes {
    # A tenant-sized organization, the same on every run: names, departments, mailbox types and
    # sizes vary the way a real tenant's do (most mailboxes small, a few near their quota).
    param([Parameter(Mandatory)][int] $From, [Parameter(Mandatory)][int] $To, [Parameter(Mandatory)][string] $Domain)
    $first = @('Adele', 'Alex', 'Allan', 'Bianca', 'Cameron', 'Christie', 'Debra', 'Diego', 'Emily', 'Enrico', 'Grady', 'Henrietta', 'Isaiah', 'Johanna', 'Joni', 'Lee', 'Lidia', 'Lynne', 'Megan', 'Miriam', 'Nestor', 'Patti', 'Pradeep', 'Raul', 'Sakura', 'Tomasz', 'Wanjiru', 'Yuki', 'Zainab', 'Omar')
    $last = @('Vance', 'Wilber', 'Deyoung', 'Pai', 'White', 'Cline', 'Berger', 'Siciliani', 'Braun', 'Archie', 'Gonzalez', 'Mueller', 'Holt', 'Lambert', 'Sherman', 'Gu', 'Patel', 'Nowak', 'Okafor', 'Tanaka', 'Haddad', 'Garcia', 'Kim', 'Larsen')
    $departments = @('Retail', 'Marketing', 'HR', 'R&D', 'Finance', 'Legal', 'Sales', 'Operations', 'IT', 'Support')
    $random = New-Object System.Random 20000
    for ($n = $From; $n -le $To; $n++) {
        $alias = '{0}.{1}{2:D5}' -f $first[$n % $first.Count].ToLowerInvariant(), $last[($n * 7) % $last.Count].ToLowerInvariant(), $n
        $type = 'UserMailbox'
        if ($n % 25 -eq 0) { $type = 'SharedMailbox' } elseif ($n % 211 -eq 0) { $type = 'RoomMailbox' } elseif ($n % 503 -eq 0) { $type = 'EquipmentMailbox' }
        $quotaGb = 99
        if ($type -ne 'UserMailbox') { $quotaGb = 49 }
        # Sizes spread over four orders of magnitude, like real mailboxes.
        $bytes = [long]([math]::Pow(10, 6 + 4.3 * $random.NextDouble()))
        if ($bytes -gt [long]$quotaGb * $script:GB) { $bytes = [long]($quotaGb * $script:GB * 0.97) }
        $address = '{0}@{1}' -f $alias, $Domain
        [PSCustomObject]@{
            Alias                         = $alias
            DisplayName                   = '{0} {1} ({2})' -f $first[$n % $first.Count], $last[($n * 7) % $last.Count], $n
            PrimarySmtpAddress            = $address
            UserPrincipalName             = $address
            RecipientTypeDetails          = $type
            Department                    = $departments[$n % $departments.Count]
            HiddenFromAddressListsEnabled = ($n % 97 -eq 0)
            ProhibitSendQuota             = Format-ByteQuantity ([long]$quotaGb * $script:GB)
            ItemCount                     = [int]($bytes / 61440) + 3
            TotalItemSize                 = Format-ByteQuantity $bytes
        }
    }
}

function Step-FaultCounter {
    # Counts calls across processes, so "fail the first N connects" holds for retries in new processes too.
    param([Parameter(Mandatory)][string] $Name)
    $dir = $env:EXO_SANDBOX_STATE
    if (-not $dir) { $dir = [System.IO.Path]::GetTempPath() }
    $file = Join-Path $dir "fault-$Name.count"
    $count = 0
    if (Test-Path -LiteralPath $file) { $count = [int](Get-Content -LiteralPath $file -Raw) }
    $count++
    [System.IO.File]::WriteAllText($file, [string]$count)
    $count
}

function Assert-Connected {
    # Each workload's cmdlets need that workload's connection (an Exchange Server session counts as Exchange).
    param([Parameter(Mandatory)][string] $Command, [string] $Workload = 'exchange-online')
    $connect = 'Connect-ExchangeOnline'
    if ($Workload -eq 'security-compliance') { $connect = 'Connect-IPPSSession' }
    $open = @($script:Connections | Where-Object { $_.Workload -eq $Workload })
    $server = $script:Connections.Count -eq 0 -and $null -ne $script:Connection -and $Workload -eq 'exchange-online'
    if ($open.Count -eq 0 -and -not $server) {
        throw "You must call the $connect cmdlet before calling any other cmdlets."
    }
    if (Get-SandboxFault 'role-missing') {
        throw "The role assigned to application $($script:Connection.AppId) isn't supported in this scenario."
    }
}

function Test-ConnectParameters {
    param([Parameter(Mandatory)][hashtable] $Bound, [Parameter(Mandatory)][string] $Command)
    $has = { param($name) $Bound.ContainsKey($name) }
    $appOnly = (& $has 'Certificate') -or (& $has 'CertificateThumbprint') -or (& $has 'CertificateFilePath')
    if ((& $has 'AppId') -and -not $appOnly) {
        throw "$Command : -AppId needs -Certificate, -CertificateThumbprint or -CertificateFilePath."
    }
    if ($appOnly -and -not (& $has 'AppId')) { throw "$Command : app-only authentication needs -AppId." }
    if (($appOnly -or (& $has 'AccessToken') -or (& $has 'ManagedIdentity')) -and -not (& $has 'Organization')) {
        throw "$Command : app-only authentication needs -Organization."
    }
    if ((& $has 'ManagedIdentityAccountId') -and -not (& $has 'ManagedIdentity')) {
        throw "$Command : -ManagedIdentityAccountId needs -ManagedIdentity."
    }
    if ((& $has 'Certificate') -and -not $Bound['Certificate'].HasPrivateKey) {
        throw 'The certificate does not have a private key.'
    }
    if ((& $has 'AppId') -and $Bound['AppId'] -notmatch '^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$') {
        throw "AADSTS700016: Application with identifier '$($Bound['AppId'])' was not found in the directory."
    }
    if (& $has 'CertificateThumbprint') {
        $found = $null
        if (Test-Path -LiteralPath 'Cert:\CurrentUser\My') {
            $found = Get-ChildItem -LiteralPath 'Cert:\CurrentUser\My' | Where-Object { $_.Thumbprint -eq $Bound['CertificateThumbprint'] }
        }
        if (-not $found) { throw "Certificate with thumbprint $($Bound['CertificateThumbprint']) was not found in CurrentUser\My." }
    }
    if ((& $has 'Organization') -and $Bound['Organization'] -ne (Get-SandboxOrganization).organization) {
        throw "AADSTS90002: Tenant '$($Bound['Organization'])' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud."
    }
}

function Open-SandboxConnection {
    param([Parameter(Mandatory)][hashtable] $Bound, [Parameter(Mandatory)][string] $Command, [string] $ConnectionUri, [bool] $IsEop)
    Write-SandboxCall -Command $Command -Parameters $Bound
    $slow = Get-SandboxFault 'connect-slow'
    if ($slow) { Start-Sleep -Milliseconds ([int]$slow) }
    $throttle = Get-SandboxFault 'connect-throttle'
    if ($throttle -and (Step-FaultCounter 'connect-throttle') -le [int]$throttle) {
        throw "The remote server returned an error: (429) Too Many Requests.$env:EXO_SANDBOX_ERROR_TEXT"
    }
    if (Get-SandboxFault 'connect-echo-token') {
        # Servers do quote what they were sent: the whole token, inside a long sentence.
        throw "AADSTS50013: Assertion failed signature validation. [Reason - The provided signature value did not match the expected signature value., Thumbprint of key used by client: 'unknown', Token presented: $($Bound['AccessToken']) was rejected by the service because its signature could not be verified against any key configured for the tenant.]$env:EXO_SANDBOX_ERROR_TEXT"
    }
    if (Get-SandboxFault 'connect-auth') {
        throw "AADSTS700027: The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found.]"
    }
    if (Get-SandboxFault 'connect-tenant') {
        throw "AADSTS90002: Tenant '$($Bound['Organization'])' not found."
    }
    if (Get-SandboxFault 'connect-unauthorized') { throw 'UnAuthorized' }
    Test-ConnectParameters -Bound $Bound -Command $Command

    $organization = (Get-SandboxOrganization)
    $id = $script:Connections.Count + 1
    $name = "ExchangeOnline_$id"
    if ($IsEop) { $name = "ExchangeOnlineProtection_$id" }
    $script:Connection = [PSCustomObject]@{
        ConnectionId                    = [guid]::NewGuid().ToString()
        Id                              = $id
        Name                            = $name
        UserPrincipalName               = $null
        ConnectionUri                   = $ConnectionUri
        AzureAdAuthorizationEndpointUri = $Bound['AzureADAuthorizationEndpointUri']
        TokenExpiryTimeUTC              = [DateTime]::UtcNow.AddHours(1)
        CertificateAuthentication       = $Bound.ContainsKey('Certificate') -or $Bound.ContainsKey('CertificateThumbprint')
        ModuleName                      = Join-Path ([System.IO.Path]::GetTempPath()) 'tmpEXO_sandbox'
        ModulePrefix                    = [string]$Bound['Prefix']
        Organization                    = $organization.organization
        DelegatedOrganization           = $Bound['DelegatedOrganization']
        AppId                           = $Bound['AppId']
        PageSize                        = 1000
        TenantID                        = $organization.tenantId
        TokenStatus                     = 'Active'
        ConnectionUsedForInbuiltCmdlets = $true
        IsEopSession                    = $IsEop
        State                           = 'Connected'
        CommandNames                    = [string[]]$Bound['CommandName']
    }
    $workload = 'exchange-online'
    $commands = $script:RemoteCommands
    if ($IsEop) { $workload = 'security-compliance'; $commands = $script:ComplianceCommands }
    $module = New-RemoteModule -CommandName $Bound['CommandName'] -Commands $commands
    $script:Connections.Add([PSCustomObject]@{ Info = $script:Connection; Workload = $workload; Module = $module; Prefix = [string]$Bound['Prefix'] })
    $import = @{ ModuleInfo = $module; Global = $true; DisableNameChecking = $true }
    if ($Bound['Prefix']) { $import['Prefix'] = $Bound['Prefix'] }
    Import-Module @import
    if ($env:EXO_SANDBOX_PROXY_FUNCTIONS) { Import-ProxyModule -Count ([int]$env:EXO_SANDBOX_PROXY_FUNCTIONS) -CommandName $Bound['CommandName'] }
    if ($Bound['ShowBanner'] -ne $false) {
        Write-Host 'This V3 EXO PowerShell module (SANDBOX) contains new REST API backed Exchange Online cmdlets.'
    }
}

function Import-ProxyModule {
    # A model of the real module's cost: at connect it writes a tmpEXO_* module with one proxy
    # function per remote cmdlet (about 900) and imports it. -CommandName limits what is generated.
    # Each proxy is sized like an implicit-remoting proxy: 40 typed pipeline parameters and a
    # steppable-pipeline body, about 5 KB.
    param([Parameter(Mandatory)][int] $Count, [string[]] $CommandName)
    $names = @($script:RemoteCommands | ForEach-Object { $_.Split('=')[0] }) + @(1..$Count | ForEach-Object { 'Get-SandboxRemoteCmdlet{0:D4}' -f $_ })
    $names = @($names | Select-Object -First $Count)
    if ($CommandName) { $names = @($names | Where-Object { $CommandName -contains $_ }) }
    $folder = Join-Path ([System.IO.Path]::GetTempPath()) ('tmpEXO_' + [guid]::NewGuid().ToString('N').Substring(0, 8))
    [void](New-Item -ItemType Directory -Path $folder)
    $parameters = (1..40 | ForEach-Object {
            "        [Parameter(ValueFromPipelineByPropertyName = `$true, HelpMessage = 'Sandbox parameter $_ of a remote cmdlet.')][AllowNull()][string] `$Parameter$_"
        }) -join ",`n"
    $builder = New-Object System.Text.StringBuilder
    foreach ($name in $names) {
        [void]$builder.AppendLine("function $name {")
        [void]$builder.AppendLine('    [CmdletBinding(SupportsShouldProcess = $true, DefaultParameterSetName = ''Identity'')]')
        [void]$builder.AppendLine('    param(')
        [void]$builder.AppendLine('        [Parameter(ParameterSetName = ''Identity'', Position = 0, ValueFromPipeline = $true)][string] $Identity,')
        [void]$builder.AppendLine('        [string] $Filter, $ResultSize, [string[]] $Properties,')
        [void]$builder.AppendLine($parameters)
        [void]$builder.AppendLine('    )')
        [void]$builder.AppendLine('    begin {')
        [void]$builder.AppendLine('        $positional = @($PSBoundParameters.Keys | Where-Object { $_ -like ''Parameter*'' })')
        [void]$builder.AppendLine('        $wrapped = { param($Bound) $Bound.Count }')
        [void]$builder.AppendLine('        $steppable = $wrapped.GetSteppablePipeline($MyInvocation.CommandOrigin)')
        [void]$builder.AppendLine('        $steppable.Begin($PSCmdlet)')
        [void]$builder.AppendLine('    }')
        [void]$builder.AppendLine('    process { $steppable.Process($_) }')
        [void]$builder.AppendLine('    end { $steppable.End(); $positional | Out-Null }')
        [void]$builder.AppendLine('}')
    }
    $file = Join-Path $folder 'tmpEXO_proxy.psm1'
    [System.IO.File]::WriteAllText($file, $builder.ToString(), $script:Utf8NoBom)
    Import-Module -Name $file -Global -DisableNameChecking -Prefix 'Proxy'
    Write-SandboxCall -Command 'Import-ProxyModule' -Parameters @{ Count = $names.Count }
}

function New-RemoteModule {
    # Proxies to this module's private implementations, as implicit remoting proxies the server's.
    # -Commands lists "Name" or "Name=Implementation".
    param([string[]] $CommandName, [string[]] $Commands = $script:RemoteCommands)
    $table = @{}
    foreach ($entry in $Commands) {
        $parts = $entry.Split('=')
        $name = $parts[0]
        $implementation = $parts[$parts.Count - 1]
        if ($CommandName -and $CommandName -notcontains $name) { continue }
        $table[$name] = $ExecutionContext.SessionState.InvokeCommand.GetCommand($implementation, 'Function')
    }
    New-Module -Name ('tmpEXO_sandbox_' + [guid]::NewGuid().ToString('N').Substring(0, 8)) -ArgumentList $table -ScriptBlock {
        param([hashtable] $Commands)
        foreach ($name in $Commands.Keys) {
            # The implementation's own script block: its parameters, -WhatIf and -Confirm:$false bind
            # as they do on the real proxies, and it still runs in this module's scope.
            Set-Item -Path "function:script:$name" -Value $Commands[$name].ScriptBlock
        }
        Export-ModuleMember -Function @($Commands.Keys)
    }
}

function Remove-ConnectionModule {
    # Removing a module imported with -Global leaves its functions in the global scope: take them out too.
    param([Parameter(Mandatory)] $Connection)
    foreach ($name in @($Connection.Module.ExportedFunctions.Keys)) {
        $public = $name
        if ($Connection.Prefix) { $public = $name -replace '^([^-]+)-', "`$1-$($Connection.Prefix)" }
        $function = Get-Item -LiteralPath "Function:\$public" -ErrorAction SilentlyContinue
        if ($null -ne $function -and $function.ModuleName -eq $Connection.Module.Name) { Remove-Item -LiteralPath "Function:\$public" -Force }
    }
    Remove-Module -ModuleInfo $Connection.Module -Force -ErrorAction SilentlyContinue
}

function Remove-RemoteModule {
    if ($null -ne $script:RemoteModule) {
        Remove-Module -ModuleInfo $script:RemoteModule -Force -ErrorAction SilentlyContinue
        $script:RemoteModule = $null
    }
}

function Connect-ExchangeOnline {
    [CmdletBinding(DefaultParameterSetName = 'DefaultParameterSet')]
    param(
        [Parameter(Position = 0)][string] $ConnectionUri,
        [Parameter(Position = 1)][string] $AzureADAuthorizationEndpointUri,
        [Parameter(Position = 2)][ValidateSet('O365Default', 'O365USGovGCCHigh', 'O365USGovDoD', 'O365China', 'O365GermanyCloud')][string] $ExchangeEnvironmentName = 'O365Default',
        [Parameter(Position = 3)] $PSSessionOption,
        [Parameter(Position = 4)][string] $DelegatedOrganization,
        [Parameter(Position = 5)][string] $Prefix,
        [Parameter(Position = 6)][string[]] $CommandName,
        [Parameter(Position = 7)][string[]] $FormatTypeName,
        [string] $AccessToken,
        [string] $AppId,
        [switch] $BypassMailboxAnchoring,
        [System.Security.Cryptography.X509Certificates.X509Certificate2] $Certificate,
        [string] $CertificateFilePath,
        [System.Security.SecureString] $CertificatePassword,
        [string] $CertificateThumbprint,
        [System.Management.Automation.PSCredential] $Credential,
        [switch] $Device,
        [switch] $DisableWAM,
        [switch] $EnableErrorReporting,
        [string] $EXOModuleBasePath,
        [switch] $InlineCredential,
        [switch] $LoadCmdletHelp,
        [string] $LogDirectoryPath,
        [ValidateSet('Default', 'All')][string] $LogLevel,
        [switch] $ManagedIdentity,
        [string] $ManagedIdentityAccountId,
        [string] $Organization,
        [uint32] $PageSize,
        [switch] $ShowBanner = $true,
        [bool] $ShowProgress = $true,
        [System.Security.Cryptography.X509Certificates.X509Certificate2] $SigningCertificate,
        [switch] $SkipLoadingCmdletHelp,
        [switch] $SkipLoadingFormatData,
        [bool] $TrackPerformance,
        [bool] $UseMultithreading = $true,
        [string] $UserPrincipalName,
        [switch] $UseRPSSession
    )
    $bound = Copy-BoundParameters $PSBoundParameters
    if (-not $bound.ContainsKey('ShowBanner')) { $bound['ShowBanner'] = $true } else { $bound['ShowBanner'] = $ShowBanner.IsPresent }
    $uri = $ConnectionUri
    if (-not $uri) { $uri = 'https://outlook.office365.com/powershell-liveid/' }
    Open-SandboxConnection -Bound $bound -Command 'Connect-ExchangeOnline' -ConnectionUri $uri -IsEop $false
}

function Connect-IPPSSession {
    [CmdletBinding()]
    param(
        [Parameter(Position = 0)][string] $ConnectionUri = 'https://ps.compliance.protection.outlook.com/powershell-liveid/',
        [Parameter(Position = 1)][string] $AzureADAuthorizationEndpointUri = 'https://login.microsoftonline.com/organizations',
        [Parameter(Position = 2)][string] $DelegatedOrganization,
        [Parameter(Position = 3)] $PSSessionOption,
        [switch] $BypassMailboxAnchoring,
        [Parameter(Position = 5)][string] $Prefix,
        [Parameter(Position = 6)][string[]] $CommandName,
        [Parameter(Position = 7)][string[]] $FormatTypeName,
        [string] $AccessToken,
        [string] $AppId,
        [System.Security.Cryptography.X509Certificates.X509Certificate2] $Certificate,
        [string] $CertificateFilePath,
        [System.Security.SecureString] $CertificatePassword,
        [string] $CertificateThumbprint,
        [System.Management.Automation.PSCredential] $Credential,
        [switch] $DisableWAM,
        [switch] $EnableErrorReporting,
        [switch] $EnableSearchOnlySession,
        [string] $LogDirectoryPath,
        [ValidateSet('Default', 'All')][string] $LogLevel,
        [string] $Organization,
        [switch] $ShowBanner = $true,
        [string] $UserPrincipalName,
        [switch] $UseRPSSession
    )
    $bound = Copy-BoundParameters $PSBoundParameters
    $bound['ShowBanner'] = $ShowBanner.IsPresent
    if (Get-SandboxFault 'ipps-fail') {
        Write-SandboxCall -Command 'Connect-IPPSSession' -Parameters $bound
        throw 'UnAuthorized'
    }
    Open-SandboxConnection -Bound $bound -Command 'Connect-IPPSSession' -ConnectionUri $ConnectionUri -IsEop $true
}

function Disconnect-ExchangeOnline {
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'High', DefaultParameterSetName = 'DefaultParameterSet')]
    param(
        [Parameter(ParameterSetName = 'ConnectionId', ValueFromPipelineByPropertyName = $true)][string[]] $ConnectionId,
        [Parameter(ParameterSetName = 'ModulePrefix')][string[]] $ModulePrefix
    )
    Write-SandboxCall -Command 'Disconnect-ExchangeOnline' -Parameters (Copy-BoundParameters $PSBoundParameters)
    $slow = Get-SandboxFault 'disconnect-slow'
    if ($slow) { Start-Sleep -Milliseconds ([int]$slow) }
    if (Get-SandboxFault 'disconnect-fail') { throw 'Disconnect failed (injected).' }
    if (Get-SandboxFault 'disconnect-noop') { return }
    # The real module reports its steps on the verbose stream: a global 'Inquire' would stop it.
    Write-Verbose 'Disconnecting the Exchange Online session.'
    # Without -ConnectionId, every connection goes: Exchange Online and Security & Compliance alike.
    $closing = @($script:Connections | Where-Object { -not $ConnectionId -or $ConnectionId -contains $_.Info.ConnectionId })
    if ($PSCmdlet.ShouldProcess('Exchange Online session', 'Disconnect')) {
        foreach ($connection in $closing) {
            Remove-ConnectionModule $connection
            [void]$script:Connections.Remove($connection)
        }
        $script:Connection = $null
        if ($script:Connections.Count -gt 0) { $script:Connection = $script:Connections[$script:Connections.Count - 1].Info }
        Remove-RemoteModule
    }
}

function Get-ConnectionInformation {
    [CmdletBinding(DefaultParameterSetName = 'DefaultParameterSet')]
    param(
        [Parameter(ParameterSetName = 'ConnectionId')][string[]] $ConnectionId,
        [Parameter(ParameterSetName = 'ModulePrefix')][string[]] $ModulePrefix
    )
    Write-SandboxCall -Command 'Get-ConnectionInformation' -Parameters (Copy-BoundParameters $PSBoundParameters)
    $failures = Get-SandboxFault 'connection-info-fail'
    if ($failures -and (Step-FaultCounter 'connection-info-fail') -le [int]$failures) { throw 'Get-ConnectionInformation failed (injected).' }
    foreach ($connection in $script:Connections) {
        if ($ConnectionId -and $ConnectionId -notcontains $connection.Info.ConnectionId) { continue }
        $connection.Info | Select-Object -Property * -ExcludeProperty CommandNames
    }
}

function Select-ByFilter {
    # Enough OPATH for reports: "Property -eq 'value'", -ne, -like, joined by -and.
    param($Items, [string] $Filter)
    if (-not $Filter) { return $Items }
    $clauses = $Filter -split '\s+-and\s+'
    foreach ($clause in $clauses) {
        if ($clause -notmatch "^\s*\(?\s*(\w+)\s+-(eq|ne|like)\s+['""]([^'""]*)['""]\s*\)?\s*$") {
            throw "Cannot bind parameter 'Filter' to the target. Exception setting ""Filter"": ""Invalid filter syntax: $clause"""
        }
        $property = $Matches[1]; $operator = $Matches[2]; $value = $Matches[3]
        $Items = @($Items | Where-Object {
                $actual = [string]$_.$property
                switch ($operator) { 'eq' { $actual -eq $value } 'ne' { $actual -ne $value } 'like' { $actual -like $value } }
            })
    }
    $Items
}

function Limit-Result {
    param($Items, $ResultSize)
    if ($null -eq $ResultSize -or [string]$ResultSize -eq 'Unlimited') { return $Items }
    $Items | Select-Object -First ([int]$ResultSize)
}

function Find-Mailbox {
    # An index, not a scan: a report looks up every one of tens of thousands of mailboxes.
    param([Parameter(Mandatory)][string] $Identity)
    if ($null -eq $script:MailboxIndex) {
        $script:MailboxIndex = @{}
        foreach ($mailbox in (Get-SandboxOrganization).mailboxes) {
            foreach ($key in @($mailbox.Alias, $mailbox.PrimarySmtpAddress, $mailbox.UserPrincipalName, $mailbox.DisplayName)) {
                if ($key -and -not $script:MailboxIndex.ContainsKey($key)) { $script:MailboxIndex[$key] = $mailbox }
            }
        }
    }
    $script:MailboxIndex[$Identity]
}

function New-NotFoundRecord {
    # Exchange's answer for an identity it does not have: a non-terminating error (its
    # ManagementObjectNotFoundException), so that a script under ErrorAction Continue goes on.
    param([Parameter(Mandatory)][string] $Identity)
    [System.Management.Automation.ErrorRecord]::new(
        [System.Management.Automation.ItemNotFoundException]::new("The operation couldn't be performed because object '$Identity' couldn't be found on 'SANDBOX'."),
        'ManagementObjectNotFoundException', [System.Management.Automation.ErrorCategory]::ObjectNotFound, $Identity)
}

# Exchange Online's default quotas (Learn: "Exchange Online limits"), for mailboxes that set none.
$script:QuotaDefaults = @{
    ProhibitSendReceiveQuota     = '100 GB (107,374,182,400 bytes)'
    IssueWarningQuota            = '98 GB (105,226,698,752 bytes)'
    RecoverableItemsQuota        = '30 GB (32,212,254,720 bytes)'
    RecoverableItemsWarningQuota = '20 GB (21,474,836,480 bytes)'
    ArchiveQuota                 = '100 GB (107,374,182,400 bytes)'
    ArchiveWarningQuota          = '90 GB (96,636,764,160 bytes)'
    UseDatabaseQuotaDefaults     = $false
}

function ConvertTo-Mailbox {
    param($Record, [string[]] $Properties)
    $default = [ordered]@{
        DisplayName          = $Record.DisplayName
        PrimarySmtpAddress   = $Record.PrimarySmtpAddress
        Alias                = $Record.Alias
        UserPrincipalName    = $Record.UserPrincipalName
        RecipientTypeDetails = $Record.RecipientTypeDetails
    }
    foreach ($name in $Properties) {
        $value = $null
        if ($Record.PSObject.Properties[$name]) { $value = $Record.$name } else { $value = $script:QuotaDefaults[$name] }
        $default[$name] = $value
    }
    [PSCustomObject]$default
}

function Get-EXOMailbox {
    [CmdletBinding(DefaultParameterSetName = 'Identity')]
    param(
        [Parameter(ParameterSetName = 'Identity', Position = 0, ValueFromPipelineByPropertyName = $true)][string] $Identity,
        [Parameter(ParameterSetName = 'Anr')][string] $Anr,
        [string] $Filter,
        [string[]] $Properties,
        [ValidateSet('All', 'Minimum', 'AddressList', 'Archive', 'Audit', 'Custom', 'Delivery', 'Hold', 'Moderation', 'Move', 'Policy', 'PublicFolder', 'Quota', 'Resource', 'Retention', 'SCL', 'SoftDelete', 'StatisticsSeed')][string[]] $PropertySets,
        [ValidateSet('UserMailbox', 'SharedMailbox', 'RoomMailbox', 'EquipmentMailbox')][string[]] $RecipientTypeDetails,
        $ResultSize = 1000
    )
    process {
        Write-SandboxCall -Command 'Get-EXOMailbox' -Parameters (Copy-BoundParameters $PSBoundParameters)
        Assert-Connected 'Get-EXOMailbox'
        $items = @((Get-SandboxOrganization).mailboxes)
        if ($Identity) {
            $found = Find-Mailbox $Identity
            if ($null -eq $found) { $PSCmdlet.WriteError((New-NotFoundRecord $Identity)); return }
            $items = @($found)
        }
        if ($Anr) { $items = @($items | Where-Object { $_.DisplayName -like "$Anr*" -or $_.Alias -like "$Anr*" }) }
        if ($RecipientTypeDetails) { $items = @($items | Where-Object { $RecipientTypeDetails -contains $_.RecipientTypeDetails }) }
        $items = Select-ByFilter $items $Filter
        $extra = @($Properties)
        # The Quota property set, as Learn lists it for Get-EXOMailbox.
        if ($PropertySets -contains 'Quota' -or $PropertySets -contains 'All') {
            $extra += @('ProhibitSendQuota', 'ProhibitSendReceiveQuota', 'IssueWarningQuota', 'RecoverableItemsQuota', 'RecoverableItemsWarningQuota', 'ArchiveQuota', 'ArchiveWarningQuota', 'UseDatabaseQuotaDefaults')
        }
        $extra = @($extra | Where-Object { $_ })
        foreach ($item in (Limit-Result $items $ResultSize)) { ConvertTo-Mailbox $item $extra }
    }
}

function Get-Mailbox {
    [CmdletBinding(DefaultParameterSetName = 'Identity')]
    param(
        [Parameter(ParameterSetName = 'Identity', Position = 0, ValueFromPipelineByPropertyName = $true)][string] $Identity,
        [Parameter(ParameterSetName = 'Anr')][string] $Anr,
        [string] $Filter,
        [string[]] $RecipientTypeDetails,
        $ResultSize = 1000
    )
    process {
        Write-SandboxCall -Command 'Get-Mailbox' -Parameters (Copy-BoundParameters $PSBoundParameters)
        Assert-Connected 'Get-Mailbox'
        $items = @((Get-SandboxOrganization).mailboxes)
        if ($Identity) {
            $found = Find-Mailbox $Identity
            if ($null -eq $found) { $PSCmdlet.WriteError((New-NotFoundRecord $Identity)); return }
            $items = @($found)
        }
        if ($Anr) { $items = @($items | Where-Object { $_.DisplayName -like "$Anr*" -or $_.Alias -like "$Anr*" }) }
        if ($RecipientTypeDetails) { $items = @($items | Where-Object { $RecipientTypeDetails -contains $_.RecipientTypeDetails }) }
        $items = Select-ByFilter $items $Filter
        foreach ($item in (Limit-Result $items $ResultSize)) {
            ConvertTo-Mailbox $item @('Department', 'HiddenFromAddressListsEnabled', 'ProhibitSendQuota')
        }
    }
}

function Set-Mailbox {
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)][string] $Identity,
        [string] $DisplayName,
        [string] $Department,
        [bool] $HiddenFromAddressListsEnabled,
        [string] $ProhibitSendQuota,
        [string] $CustomAttribute1,
        [string] $ForwardingSmtpAddress
    )
    process {
        $bound = Copy-BoundParameters $PSBoundParameters
        Assert-Connected 'Set-Mailbox'
        $record = Find-Mailbox $Identity
        if ($null -eq $record) { $PSCmdlet.WriteError((New-NotFoundRecord $Identity)); return }
        $applied = $false
        if ($PSCmdlet.ShouldProcess($Identity, 'Set-Mailbox')) {
            foreach ($name in @('DisplayName', 'Department', 'HiddenFromAddressListsEnabled', 'ProhibitSendQuota', 'CustomAttribute1', 'ForwardingSmtpAddress')) {
                if ($bound.ContainsKey($name)) {
                    $record | Add-Member -NotePropertyName $name -NotePropertyValue $bound[$name] -Force
                }
            }
            $applied = $true
        }
        Write-SandboxCall -Command 'Set-Mailbox' -Parameters $bound -Extra @{ applied = $applied; whatIf = [bool]$WhatIfPreference }
    }
}

function Get-EXOMailboxStatistics {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)][Alias('PrimarySmtpAddress', 'UserPrincipalName')][string] $Identity,
        [string[]] $Properties,
        [ValidateSet('All', 'Minimum')][string[]] $PropertySets
    )
    begin { $count = 0 }
    process {
        $count++
        # One call-log line per pipeline, not per mailbox: a report asks for tens of thousands.
        if ($count -eq 1) { Write-SandboxCall -Command 'Get-EXOMailboxStatistics' -Parameters (Copy-BoundParameters $PSBoundParameters) }
        Assert-Connected 'Get-EXOMailboxStatistics'
        $record = Find-Mailbox $Identity
        if ($null -eq $record) { $PSCmdlet.WriteError((New-NotFoundRecord $Identity)); return }
        # The Minimum property set (Learn: Get-EXOMailboxStatistics), with sizes as Exchange formats them.
        $bytes = [long](([string]$record.TotalItemSize) -replace '^.*\(([\d,]+) bytes\).*$', '$1' -replace ',', '')
        $statistics = [ordered]@{
            DisplayName          = $record.DisplayName
            MailboxGuid          = (New-StableGuid $record.Alias)
            ItemCount            = $record.ItemCount
            TotalItemSize        = $record.TotalItemSize
            DeletedItemCount     = [int]($record.ItemCount / 20)
            TotalDeletedItemSize = Format-ByteQuantity ([long]($bytes / 25))
        }
        if ($PropertySets -contains 'All') {
            $statistics['LastLogonTime'] = [DateTime]::new(2026, 11, 1, 8, 0, 0, [DateTimeKind]::Utc).AddMinutes(-($record.ItemCount % 20000))
            $statistics['MailboxTypeDetail'] = $record.RecipientTypeDetails
        }
        [PSCustomObject]$statistics
    }
}

function New-StableGuid {
    # The same GUID for the same mailbox on every run.
    param([Parameter(Mandatory)][string] $Key)
    $md5 = [System.Security.Cryptography.MD5]::Create()
    try { New-Object guid (, $md5.ComputeHash([System.Text.Encoding]::UTF8.GetBytes($Key))) } finally { $md5.Dispose() }
}

function Find-Group {
    param([Parameter(Mandatory)][string] $Identity)
    $found = @((Get-SandboxOrganization).groups | Where-Object {
            $_.Alias -eq $Identity -or $_.PrimarySmtpAddress -eq $Identity -or $_.DisplayName -eq $Identity
        })
    if ($found.Count -eq 0) {
        throw "The operation couldn't be performed because object '$Identity' couldn't be found on 'SANDBOX'."
    }
    $found[0]
}

function Get-DistributionGroup {
    [CmdletBinding()]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = $true)][string] $Identity,
        [string] $Filter,
        $ResultSize = 1000
    )
    process {
        Write-SandboxCall -Command 'Get-DistributionGroup' -Parameters (Copy-BoundParameters $PSBoundParameters)
        Assert-Connected 'Get-DistributionGroup'
        $items = @((Get-SandboxOrganization).groups)
        if ($Identity) { $items = @(Find-Group $Identity) }
        $items = Select-ByFilter $items $Filter
        foreach ($item in (Limit-Result $items $ResultSize)) {
            [PSCustomObject][ordered]@{ DisplayName = $item.DisplayName; PrimarySmtpAddress = $item.PrimarySmtpAddress; Alias = $item.Alias }
        }
    }
}

function Get-DistributionGroupMember {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)][string] $Identity,
        $ResultSize = 1000
    )
    process {
        Write-SandboxCall -Command 'Get-DistributionGroupMember' -Parameters (Copy-BoundParameters $PSBoundParameters)
        Assert-Connected 'Get-DistributionGroupMember'
        $group = Find-Group $Identity
        foreach ($alias in (Limit-Result @($group.Members) $ResultSize)) { ConvertTo-Mailbox (Find-Mailbox $alias) @() }
    }
}

function Add-DistributionGroupMember {
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Mandatory = $true, Position = 0)][string] $Identity,
        [Parameter(Mandatory = $true)][string] $Member,
        [switch] $BypassSecurityGroupManagerCheck
    )
    $bound = Copy-BoundParameters $PSBoundParameters
    Assert-Connected 'Add-DistributionGroupMember'
    $group = Find-Group $Identity
    $mailbox = Find-Mailbox $Member
    if ($null -eq $mailbox) { $PSCmdlet.WriteError((New-NotFoundRecord $Member)); return }
    $applied = $false
    if (@($group.Members) -contains $mailbox.Alias) {
        throw "The recipient ""$Member"" is already a member of the group ""$Identity""."
    }
    if ($PSCmdlet.ShouldProcess($Identity, "Add member $Member")) {
        $group.Members = @($group.Members) + $mailbox.Alias
        $applied = $true
    }
    Write-SandboxCall -Command 'Add-DistributionGroupMember' -Parameters $bound -Extra @{ applied = $applied; whatIf = [bool]$WhatIfPreference }
}

# ---------------------------------------------------------------------------------------------
# Transport rules (mail flow rules), the configuration a pull request plans and a merge applies.
# ---------------------------------------------------------------------------------------------

function Find-TransportRule {
    param([Parameter(Mandatory)][string] $Identity)
    $found = @(@((Get-SandboxOrganization).transportRules) | Where-Object { $_.Name -eq $Identity -or $_.Guid -eq $Identity })
    if ($found.Count -eq 0) { throw "The operation couldn't be performed because object '$Identity' couldn't be found on 'SANDBOX'." }
    $found[0]
}

function ConvertTo-TransportRule {
    param($Record)
    [PSCustomObject][ordered]@{
        Name           = $Record.Name
        State          = $Record.State
        Mode           = $Record.Mode
        Priority       = $Record.Priority
        FromScope      = $Record.FromScope
        SentToScope    = $Record.SentToScope
        PrependSubject = $Record.PrependSubject
        Comments       = $Record.Comments
        Guid           = $Record.Guid
    }
}

function Get-TransportRule {
    [CmdletBinding()]
    param([Parameter(Position = 0, ValueFromPipelineByPropertyName = $true)][string] $Identity, $ResultSize = 1000)
    process {
        Write-SandboxCall -Command 'Get-TransportRule' -Parameters (Copy-BoundParameters $PSBoundParameters)
        Assert-Connected 'Get-TransportRule'
        $rules = @((Get-SandboxOrganization).transportRules | Sort-Object Priority)
        if ($Identity) { $rules = @(Find-TransportRule $Identity) }
        foreach ($rule in (Limit-Result $rules $ResultSize)) { ConvertTo-TransportRule $rule }
    }
}

$script:TransportRuleSettings = @('FromScope', 'SentToScope', 'PrependSubject', 'Comments', 'Mode', 'Priority')

function Set-TransportRuleValues {
    param($Record, [hashtable] $Bound)
    foreach ($name in $script:TransportRuleSettings) {
        if ($Bound.ContainsKey($name)) { $Record | Add-Member -NotePropertyName $name -NotePropertyValue $Bound[$name] -Force }
    }
    if ($Bound.ContainsKey('Enabled')) {
        $state = 'Disabled'
        if ($Bound['Enabled']) { $state = 'Enabled' }
        $Record | Add-Member -NotePropertyName State -NotePropertyValue $state -Force
    }
}

function New-TransportRule {
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Mandatory = $true, Position = 0)][string] $Name,
        [ValidateSet('InOrganization', 'NotInOrganization')][string] $FromScope,
        [ValidateSet('InOrganization', 'NotInOrganization', 'ExternalPartner', 'ExternalNonPartner')][string] $SentToScope,
        [string] $PrependSubject,
        [string] $Comments,
        [ValidateSet('Audit', 'AuditAndNotify', 'Enforce')][string] $Mode = 'Enforce',
        [int] $Priority,
        [bool] $Enabled = $true
    )
    $bound = Copy-BoundParameters $PSBoundParameters
    Assert-Connected 'New-TransportRule'
    $organization = Get-SandboxOrganization
    if (@(@($organization.transportRules) | Where-Object { $_.Name -eq $Name }).Count -gt 0) {
        throw "A transport rule with the name '$Name' already exists."
    }
    $applied = $false
    if ($PSCmdlet.ShouldProcess($Name, 'New-TransportRule')) {
        $record = [PSCustomObject]@{ Name = $Name; State = 'Enabled'; Mode = $Mode; Priority = @($organization.transportRules).Count; FromScope = $null; SentToScope = $null; PrependSubject = $null; Comments = $null; Guid = [guid]::NewGuid().ToString() }
        Set-TransportRuleValues $record $bound
        $organization.transportRules = @($organization.transportRules) + $record
        $applied = $true
        ConvertTo-TransportRule $record
    }
    Write-SandboxCall -Command 'New-TransportRule' -Parameters $bound -Extra @{ applied = $applied; whatIf = [bool]$WhatIfPreference }
}

function Set-TransportRule {
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'Medium')]
    param(
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)][string] $Identity,
        [ValidateSet('InOrganization', 'NotInOrganization')][string] $FromScope,
        [ValidateSet('InOrganization', 'NotInOrganization', 'ExternalPartner', 'ExternalNonPartner')][string] $SentToScope,
        [string] $PrependSubject,
        [string] $Comments,
        [ValidateSet('Audit', 'AuditAndNotify', 'Enforce')][string] $Mode,
        [int] $Priority
    )
    process {
        $bound = Copy-BoundParameters $PSBoundParameters
        Assert-Connected 'Set-TransportRule'
        $record = Find-TransportRule $Identity
        $applied = $false
        if ($PSCmdlet.ShouldProcess($Identity, 'Set-TransportRule')) {
            Set-TransportRuleValues $record $bound
            $applied = $true
        }
        Write-SandboxCall -Command 'Set-TransportRule' -Parameters $bound -Extra @{ applied = $applied; whatIf = [bool]$WhatIfPreference }
    }
}

function Remove-TransportRule {
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'High')]
    param([Parameter(Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)][string] $Identity)
    process {
        $bound = Copy-BoundParameters $PSBoundParameters
        Assert-Connected 'Remove-TransportRule'
        $record = Find-TransportRule $Identity
        $applied = $false
        if ($PSCmdlet.ShouldProcess($Identity, 'Remove-TransportRule')) {
            $organization = Get-SandboxOrganization
            $organization.transportRules = @(@($organization.transportRules) | Where-Object { $_.Guid -ne $record.Guid })
            $applied = $true
        }
        Write-SandboxCall -Command 'Remove-TransportRule' -Parameters $bound -Extra @{ applied = $applied; whatIf = [bool]$WhatIfPreference }
    }
}

function Get-ExchangeRoleGroup {
    # Get-RoleGroup as Exchange Online answers it.
    [CmdletBinding()]
    param([Parameter(Position = 0)][string] $Identity)
    Write-SandboxCall -Command 'Get-RoleGroup' -Parameters (Copy-BoundParameters $PSBoundParameters) -Extra @{ workload = 'exchange-online' }
    Assert-Connected 'Get-RoleGroup'
    foreach ($name in @('Organization Management', 'Recipient Management', 'View-Only Organization Management', 'Compliance Management')) {
        if (-not $Identity -or $Identity -eq $name) { [PSCustomObject][ordered]@{ Name = $name; WorkloadSource = 'Exchange Online' } }
    }
}

# ---------------------------------------------------------------------------------------------
# Security & Compliance (Connect-IPPSSession): labels and policies from the data file.
# ---------------------------------------------------------------------------------------------

function Get-ComplianceItems {
    param([Parameter(Mandatory)][string] $Command, [Parameter(Mandatory)][string] $Collection, [string] $Identity, [hashtable] $Bound)
    Write-SandboxCall -Command $Command -Parameters $Bound -Extra @{ workload = 'security-compliance' }
    Assert-Connected $Command -Workload 'security-compliance'
    $items = @((Get-SandboxOrganization).$Collection)
    if ($Identity) {
        $items = @($items | Where-Object { $_.Name -eq $Identity -or $_.DisplayName -eq $Identity })
        if ($items.Count -eq 0) { throw "The operation couldn't be performed because object '$Identity' couldn't be found on 'SANDBOX'." }
    }
    $items
}

function Get-Label {
    [CmdletBinding()]
    param([Parameter(Position = 0)][string] $Identity, [switch] $IncludeDetailedLabelActions)
    Get-ComplianceItems -Command 'Get-Label' -Collection 'labels' -Identity $Identity -Bound (Copy-BoundParameters $PSBoundParameters)
}

function Get-LabelPolicy {
    [CmdletBinding()]
    param([Parameter(Position = 0)][string] $Identity)
    Get-ComplianceItems -Command 'Get-LabelPolicy' -Collection 'labelPolicies' -Identity $Identity -Bound (Copy-BoundParameters $PSBoundParameters)
}

function Get-DlpCompliancePolicy {
    [CmdletBinding()]
    param([Parameter(Position = 0)][string] $Identity)
    Get-ComplianceItems -Command 'Get-DlpCompliancePolicy' -Collection 'dlpPolicies' -Identity $Identity -Bound (Copy-BoundParameters $PSBoundParameters)
}

function Get-RetentionCompliancePolicy {
    [CmdletBinding()]
    param([Parameter(Position = 0)][string] $Identity)
    Get-ComplianceItems -Command 'Get-RetentionCompliancePolicy' -Collection 'retentionPolicies' -Identity $Identity -Bound (Copy-BoundParameters $PSBoundParameters)
}

function Get-ComplianceRoleGroup {
    # Get-RoleGroup as Security & Compliance answers it.
    [CmdletBinding()]
    param([Parameter(Position = 0)][string] $Identity)
    Write-SandboxCall -Command 'Get-RoleGroup' -Parameters (Copy-BoundParameters $PSBoundParameters) -Extra @{ workload = 'security-compliance' }
    Assert-Connected 'Get-RoleGroup' -Workload 'security-compliance'
    foreach ($name in @('Compliance Administrator', 'eDiscovery Manager', 'Information Protection', 'Security Reader')) {
        if (-not $Identity -or $Identity -eq $name) { [PSCustomObject][ordered]@{ Name = $name; WorkloadSource = 'Security & Compliance' } }
    }
}

# ---------------------------------------------------------------------------------------------
# Exchange Server remote sessions. Functions shadow the PowerShell cmdlets of the same
# names once this module is imported (functions win over cmdlets in command lookup). The server's
# session table is a file in EXO_SANDBOX_STATE, so it outlives processes the way a real server's does.
# Faults: server-logon, server-unreachable, server-access-denied, server-basic-disabled.
# ---------------------------------------------------------------------------------------------

function Get-SessionTablePath {
    $dir = $env:EXO_SANDBOX_STATE
    if (-not $dir) { $dir = [System.IO.Path]::GetTempPath() }
    Join-Path $dir 'server-sessions.json'
}

function Read-SessionTable {
    $path = Get-SessionTablePath
    if (-not (Test-Path -LiteralPath $path)) { return @() }
    $text = Get-Content -LiteralPath $path -Raw
    if (-not $text -or $text.Trim() -eq '') { return @() }
    @($text | ConvertFrom-Json)
}

function Write-SessionTable {
    param([AllowEmptyCollection()][object[]] $Sessions)
    $json = ConvertTo-Json -InputObject @($Sessions) -Depth 3
    [System.IO.File]::WriteAllText((Get-SessionTablePath), $json, $script:Utf8NoBom)
}

function Get-SessionUser {
    param($Credential)
    if ($null -ne $Credential) { return $Credential.UserName }
    return "integrated:$([Environment]::UserName)"
}

function Assert-ServerAnswers {
    # What the WinRM client and the server say before any session exists (New-PSSession and
    # Get-PSSession -ConnectionUri both authenticate to the server).
    param([Parameter(Mandatory)][uri] $Uri, [string] $Authentication)
    if ($Authentication -eq 'Basic' -and (Get-SandboxFault 'server-basic-disabled')) {
        throw 'The WinRM client cannot process the request. Basic authentication is currently disabled in the client configuration. Change the client configuration and try the request again.'
    }
    if (Get-SandboxFault 'server-unreachable') {
        throw "Connecting to remote server $($Uri.Host) failed with the following error message : WinRM cannot complete the operation. Verify that the specified computer name is valid."
    }
    if (Get-SandboxFault 'server-logon') {
        throw "Connecting to remote server $($Uri.Host) failed with the following error message : The user name or password is incorrect."
    }
    if (Get-SandboxFault 'server-access-denied') {
        throw "Connecting to remote server $($Uri.Host) failed with the following error message : Access is denied."
    }
}

function New-PSSessionOption {
    [CmdletBinding()]
    param(
        [ValidateSet('None', 'IEConfig', 'WinHttpConfig', 'AutoDetect', 'NoProxyServer')][string] $ProxyAccessType = 'None',
        [System.Management.Automation.PSCredential] $ProxyCredential,
        [switch] $SkipCACheck,
        [switch] $SkipCNCheck,
        [switch] $SkipRevocationCheck,
        [int] $OperationTimeout,
        [int] $OpenTimeout,
        [switch] $NoCompression
    )
    Write-SandboxCall -Command 'New-PSSessionOption' -Parameters (Copy-BoundParameters $PSBoundParameters)
    [PSCustomObject]@{
        PSTypeName          = 'Sandbox.PSSessionOption'
        ProxyAccessType     = $ProxyAccessType
        SkipCACheck         = $SkipCACheck.IsPresent
        SkipCNCheck         = $SkipCNCheck.IsPresent
        SkipRevocationCheck = $SkipRevocationCheck.IsPresent
    }
}

function New-PSSession {
    [CmdletBinding(DefaultParameterSetName = 'Uri')]
    param(
        [Parameter(ParameterSetName = 'Uri', Mandatory = $true, Position = 0)][Alias('URI', 'CU')][uri[]] $ConnectionUri,
        [string] $ConfigurationName,
        [ValidateSet('Default', 'Basic', 'Negotiate', 'NegotiateWithImplicitCredential', 'Credssp', 'Digest', 'Kerberos')][string] $Authentication = 'Default',
        [System.Management.Automation.PSCredential] $Credential,
        [switch] $AllowRedirection,
        $SessionOption,
        [string[]] $Name
    )
    $bound = Copy-BoundParameters $PSBoundParameters
    Write-SandboxCall -Command 'New-PSSession' -Parameters $bound
    if ($ConfigurationName -ne 'Microsoft.Exchange') {
        throw "Sandbox server: the only session configuration here is Microsoft.Exchange, not '$ConfigurationName'."
    }
    if ($null -ne $SessionOption -and $SessionOption.PSObject.TypeNames -notcontains 'Sandbox.PSSessionOption') {
        throw 'Cannot bind parameter ''SessionOption'': it is not a PSSessionOption.'
    }
    $uri = $ConnectionUri[0]
    $slow = Get-SandboxFault 'connect-slow'
    if ($slow) { Start-Sleep -Milliseconds ([int]$slow) }
    if ($Authentication -eq 'Basic' -and $null -eq $Credential) {
        throw 'The WinRM client cannot process the request. Requests must include user name and password when Basic or Digest authentication mechanism is used.'
    }
    Assert-ServerAnswers -Uri $uri -Authentication $Authentication
    $echo = Get-SandboxFault 'server-echo-password'
    if ($echo -and $null -ne $Credential) {
        $quoted = $Credential.GetNetworkCredential().Password
        if ($echo -eq 'upper') { $quoted = $quoted.ToUpperInvariant() }
        if ($echo -eq 'folded-escaped') {
            $upper = $quoted.ToUpperInvariant()
            $xml = [System.Security.SecurityElement]::Escape($upper) + ' / ' + [System.Security.SecurityElement]::Escape($quoted.ToLowerInvariant())
            $quoted = '<f:Message>' + $xml + ' / ' + (ConvertTo-Json -InputObject $upper -Compress).Trim('"') + '</f:Message>'
        }
        throw "Connecting to remote server $($uri.Host) failed with the following error message : The user name or password is incorrect. The server was given the password '$quoted' for the user $($Credential.UserName), which does not match the one in the directory for this account.$env:EXO_SANDBOX_ERROR_TEXT"
    }
    $user = Get-SessionUser $Credential
    $table = @(Read-SessionTable)
    $open = @($table | Where-Object { $_.User -eq $user -and $_.State -eq 'Opened' })
    if ($open.Count -ge 3) {
        throw "Connecting to remote server $($uri.Host) failed with the following error message : Fail to create a runspace because you have exceeded the maximum number of connections allowed : 3 for the policy party : MaxConcurrency."
    }
    $record = [PSCustomObject]@{
        InstanceId    = [guid]::NewGuid().ToString()
        ConnectionUri = [string]$uri
        User          = $user
        State         = 'Opened'
        Pid           = $PID
        Authentication = $Authentication
    }
    Write-SessionTable (@($table) + $record)
    $script:Connection = [PSCustomObject]@{ AppId = $null; CommandNames = $null; Organization = $uri.Host }
    [PSCustomObject]@{
        PSTypeName        = 'Sandbox.PSSession'
        Id                = $open.Count + 1
        Name              = "WinRM$($open.Count + 1)"
        InstanceId        = [guid]$record.InstanceId
        ComputerName      = $uri.Host
        ConfigurationName = $ConfigurationName
        State             = 'Opened'
        Availability      = 'Available'
        ConnectionUri     = [string]$uri
    }
}

function Assert-OpenSession {
    param($Session)
    if ($null -eq $Session -or $Session.PSObject.TypeNames -notcontains 'Sandbox.PSSession') {
        throw 'Cannot bind parameter ''Session'': it is not a PSSession.'
    }
    $record = @(Read-SessionTable) | Where-Object { $_.InstanceId -eq [string]$Session.InstanceId }
    if ($null -eq $record -or $record.State -ne 'Opened') {
        throw "The session state is Broken or Closed: $($Session.InstanceId)."
    }
}

function Import-PSSession {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true, Position = 0)] $Session,
        [Parameter(Position = 1)][Alias('Name')][string[]] $CommandName,
        [Parameter(Position = 2)][string[]] $FormatTypeName,
        [switch] $AllowClobber,
        [switch] $DisableNameChecking,
        [string] $Prefix,
        [object[]] $ArgumentList,
        [string[]] $Module
    )
    Write-SandboxCall -Command 'Import-PSSession' -Parameters (Copy-BoundParameters $PSBoundParameters)
    Assert-OpenSession $Session
    $script:Connection = [PSCustomObject]@{ AppId = $null; CommandNames = $null; Organization = $Session.ComputerName }
    # Implicit remoting: a temporary module of proxy functions for the server's cmdlets.
    $script:RemoteModule = New-RemoteModule -CommandName $CommandName
    $script:RemoteModule
}

function Get-PSSession {
    [CmdletBinding(DefaultParameterSetName = 'Name')]
    param(
        [Parameter(ParameterSetName = 'ConnectionUri', Mandatory = $true, Position = 0)][Alias('URI', 'CU')][uri[]] $ConnectionUri,
        [Parameter(ParameterSetName = 'ConnectionUri')][string] $ConfigurationName,
        [Parameter(ParameterSetName = 'ConnectionUri')][ValidateSet('Default', 'Basic', 'Negotiate', 'NegotiateWithImplicitCredential', 'Credssp', 'Digest', 'Kerberos')][string] $Authentication = 'Default',
        [Parameter(ParameterSetName = 'ConnectionUri')][System.Management.Automation.PSCredential] $Credential,
        [Parameter(ParameterSetName = 'ConnectionUri')][switch] $AllowRedirection,
        [Parameter(ParameterSetName = 'ConnectionUri')] $SessionOption,
        [guid[]] $InstanceId,
        [Parameter(ParameterSetName = 'Name')][string[]] $Name
    )
    Write-SandboxCall -Command 'Get-PSSession' -Parameters (Copy-BoundParameters $PSBoundParameters)
    $table = @(Read-SessionTable | Where-Object { $_.State -eq 'Opened' })
    if ($PSCmdlet.ParameterSetName -eq 'ConnectionUri') {
        Assert-ServerAnswers -Uri $ConnectionUri[0] -Authentication $Authentication
        # Asking the server: every open session of this user there, whichever process made it.
        $user = Get-SessionUser $Credential
        $table = @($table | Where-Object { $_.User -eq $user -and $ConnectionUri -contains [uri]$_.ConnectionUri })
    } else {
        $table = @($table | Where-Object { $_.Pid -eq $PID })
    }
    if ($InstanceId) {
        $wanted = @($InstanceId | ForEach-Object { [string]$_ })
        $table = @($table | Where-Object { $wanted -contains $_.InstanceId })
        if ($table.Count -eq 0) { Write-Error "Cannot find a session with InstanceId $($wanted -join ', ')." }
    }
    foreach ($record in $table) {
        [PSCustomObject]@{
            PSTypeName        = 'Sandbox.PSSession'
            InstanceId        = [guid]$record.InstanceId
            ComputerName      = ([uri]$record.ConnectionUri).Host
            ConfigurationName = 'Microsoft.Exchange'
            State             = 'Opened'
            ConnectionUri     = $record.ConnectionUri
        }
    }
}

function Remove-PSSession {
    [CmdletBinding(SupportsShouldProcess = $true, DefaultParameterSetName = 'Session')]
    param(
        [Parameter(ParameterSetName = 'Session', Mandatory = $true, Position = 0, ValueFromPipeline = $true)] $Session,
        [Parameter(ParameterSetName = 'InstanceId', Mandatory = $true)][guid[]] $InstanceId
    )
    process {
        Write-SandboxCall -Command 'Remove-PSSession' -Parameters (Copy-BoundParameters $PSBoundParameters)
        if (Get-SandboxFault 'remove-partial-line') { [Console]::Out.Write('Waiting for the server to close the session...') }
        $slow = Get-SandboxFault 'remove-slow'
        if ($slow) { Start-Sleep -Milliseconds ([int]$slow) }
        if (Get-SandboxFault 'remove-fail') { throw "Processing data from the remote server failed with the following error message: Access is denied.$env:EXO_SANDBOX_ERROR_TEXT" }
        $ids = @()
        if ($PSCmdlet.ParameterSetName -eq 'Session') { $ids = @($Session | ForEach-Object { [string]$_.InstanceId }) }
        else { $ids = @($InstanceId | ForEach-Object { [string]$_ }) }
        if ($PSCmdlet.ShouldProcess(($ids -join ', '), 'Remove-PSSession')) {
            Write-SessionTable @(Read-SessionTable | Where-Object { $ids -notcontains $_.InstanceId })
            $script:Connection = $null
            Remove-RemoteModule
        }
    }
}

if (Get-SandboxFault 'import-hang') { Start-Sleep -Seconds 600 }

Export-ModuleMember -Function @(
    'New-PSSessionOption', 'New-PSSession', 'Import-PSSession', 'Get-PSSession', 'Remove-PSSession',
    'Connect-ExchangeOnline', 'Connect-IPPSSession', 'Disconnect-ExchangeOnline', 'Get-ConnectionInformation',
    'Get-EXOMailbox', 'Get-EXOMailboxStatistics'
)
