# Exchange Server: a remote PowerShell session to the server's Microsoft.Exchange endpoint, as in
# https://learn.microsoft.com/powershell/exchange/connect-to-exchange-servers-using-remote-powershell

function script:New-ServerSessionParameter {
    param([Parameter(Mandatory)] $Connection, [Parameter(Mandatory)] $Credentials)
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
        SessionOption     = & $SafeCommands['New-PSSessionOption'] @options
    }
    if ($server.allowRedirection) { $parameters['AllowRedirection'] = $true }
    if ($Credentials.kind -eq 'credential') {
        # The password arrives as JSON text on stdin, the only channel that keeps it out of argv, the
        # environment and disk; PSCredential takes it as a SecureString, which NetworkCredential
        # makes without a cmdlet (and without loading Microsoft.PowerShell.Security for it).
        # https://learn.microsoft.com/dotnet/api/system.net.networkcredential.securepassword
        $password = [System.Net.NetworkCredential]::new('', [string]$Credentials.password).SecurePassword
        $parameters['Credential'] = [System.Management.Automation.PSCredential]::new($Credentials.username, $password)
    }
    $parameters
}

function script:Connect-ExchangeServer {
    # ForwardWhatIf: a what-if run (Enable-ServerWhatIf).
    param([Parameter(Mandatory)] $Connection, [Parameter(Mandatory)] $Credentials, [int] $Retries, [bool] $ForwardWhatIf)
    $parameters = New-ServerSessionParameter -Connection $Connection -Credentials $Credentials
    $newSession = $SafeCommands['New-PSSession']
    $script:RemoteSession = Invoke-WithRetry -What 'New-PSSession' -Retries $Retries -Action { & $newSession @parameters -ErrorAction Stop }
    Set-Connected
    $server = ([uri]$Connection.connectionUri).Host
    $instanceId = [string]$script:RemoteSession.InstanceId
    # Written before the import, which can fail: the post step finds a left session by its InstanceId.
    Write-RunnerEvent @{
        event         = 'connected'
        target        = 'exchange-server'
        command       = 'New-PSSession'
        organization  = $server
        connectionId  = $instanceId
        instanceId    = $instanceId
        connectionUri = $Connection.connectionUri
    }
    $import = @{ Session = $script:RemoteSession; DisableNameChecking = $true; AllowClobber = $true }
    $commandNames = Get-ConfigValue $Connection 'commandNames'
    if ($commandNames) { $import['CommandName'] = [string[]]$commandNames }
    $module = & $SafeCommands['Import-PSSession'] @import
    if ($ForwardWhatIf) { Enable-ServerWhatIf -Module $module }
    # Import-PSSession imports into the caller's scope; -Global makes the cmdlets the user's script's too.
    $importGlobally = @{ ModuleInfo = $module; Global = $true; DisableNameChecking = $true }
    $prefix = Get-ConfigValue $Connection 'prefix'
    if ($prefix) { $importGlobally['Prefix'] = $prefix }
    & $SafeCommands['Import-Module'] @importGlobally
    # What the line of Connect-Exchange says for Exchange Online: where, how, and which session.
    $imported = Format-Count $module.ExportedCommands.Count 'cmdlet' 'cmdlets'
    Write-RunnerLog (ConvertTo-LogLine "Connected to $server (New-PSSession, $($Connection.server.authentication), session $instanceId); $imported imported.")
}

function script:Enable-ServerWhatIf {
    # The cmdlets Import-PSSession makes are plain functions that send the server only the
    # parameters given to them: $WhatIfPreference never reaches it, and a what-if run would change
    # the server. Each of them hands its parameters to one helper of its module first
    # (Get-PSImplicitRemotingClientSideParameters); wrapped, the helper adds -WhatIf to a call of a
    # cmdlet that takes it, while the preference the call sees is on and the call did not say
    # -WhatIf:$false. A module without that helper is not one of implicit remoting: its functions
    # run here, and read the preference themselves.
    # https://learn.microsoft.com/powershell/module/microsoft.powershell.utility/import-pssession
    param([Parameter(Mandatory)][System.Management.Automation.PSModuleInfo] $Module)
    $helper = & $Module { $ExecutionContext.SessionState.InvokeCommand.GetCommand('Get-PSImplicitRemotingClientSideParameters', 'Function') }
    if ($null -eq $helper -or $helper.Module -ne $Module) { return }
    & $Module {
        param($Original, $Wrapper, $GetVariable)
        $script:ExoConnectClientSideParameters = $Original
        # The command object, not the name, which the user's script could take over.
        $script:ExoConnectGetVariable = $GetVariable
        # Assigned, not Set-Item, which a what-if preference of the moment would turn into a preview.
        ${function:script:Get-PSImplicitRemotingClientSideParameters} = $Wrapper
    } $helper.ScriptBlock $Module.NewBoundScriptBlock(${function:Add-ServerWhatIf}) $SafeCommands['Get-Variable']
}

function script:Add-ServerWhatIf {
    # Enable-ServerWhatIf's wrapper, never called here: it runs in the imported module, as a copy
    # bound to it (NewBoundScriptBlock). A cmdlet calls it from its begin block: one scope up is
    # the cmdlet's own, and the preference is the one it sees.
    param($BoundParameters, $ProxyForCmdlet)
    $command = (& $script:ExoConnectGetVariable -Name MyInvocation -Scope 1 -ValueOnly).MyCommand
    if ($WhatIfPreference -and -not $BoundParameters.ContainsKey('WhatIf') -and $command.Parameters.ContainsKey('WhatIf')) {
        $BoundParameters['WhatIf'] = [switch]$true
    }
    & $script:ExoConnectClientSideParameters $BoundParameters $ProxyForCmdlet
}

function script:Remove-LeftServerSession {
    # Post step: a main that was cancelled or killed left its server-side session open.
    # Sessions count against the account's PowerShellMaxConcurrency (its throttling policy) until they
    # expire, so find it again and remove it.
    param([Parameter(Mandatory)] $Connection, [Parameter(Mandatory)] $Credentials, [Parameter(Mandatory)][string] $InstanceId)
    $parameters = New-ServerSessionParameter -Connection $Connection -Credentials $Credentials
    # List the account's sessions and filter here: -InstanceId would report "not found" as an error,
    # and silencing that would also silence "access denied", hiding a session that is still open.
    $left = @(& $SafeCommands['Get-PSSession'] @parameters -ErrorAction Stop | & $SafeCommands['Where-Object'] { [string]$_.InstanceId -eq $InstanceId })
    foreach ($session in $left) { & $SafeCommands['Remove-PSSession'] -Session $session }
    Write-RunnerEvent @{ event = 'removed'; instanceId = $InstanceId; count = $left.Count }
    Write-RunnerLog (ConvertTo-LogLine "Removed $(Format-Count $left.Count 'server-side session' 'server-side sessions') with InstanceId $InstanceId.")
}
