# New-PSSessionOption -ProxyAccessType and WinRM sessions exist on Windows only; the sandbox module's
# stand-ins take their place here, as they do in the action's end-to-end tests.
BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot '../ExoConnectRunner.psd1') -Force
    $script:Sandbox = Import-Module -Name (Join-Path $PSScriptRoot '../../../../sandbox/modules/ExchangeOnlineManagement/ExchangeOnlineManagement.psd1') -PassThru -Force -DisableNameChecking
    InModuleScope ExoConnectRunner -Parameters @{ Sandbox = $script:Sandbox } { param($Sandbox) Use-TestDouble -Module $Sandbox }
    . (Join-Path $PSScriptRoot '../../../../test/ps/RunnerLog.ps1')
    # The sandbox keeps its server-side session table here.
    $env:EXO_SANDBOX_STATE = "$TestDrive"
}
AfterAll {
    Remove-Item -Path env:EXO_SANDBOX_STATE
    Remove-Item -Path function:Get-RunnerLog
    Remove-Module -Name @('ExoConnectRunner', 'ExchangeOnlineManagement') -ErrorAction SilentlyContinue
}

Describe 'New-ServerSessionParameter' {
    It 'asks for the Microsoft.Exchange endpoint with the chosen authentication, options and credential' {
        InModuleScope ExoConnectRunner {
            $connection = '{"connectionUri":"https://mail01.contoso.com/PowerShell/","server":{"authentication":"Basic","allowRedirection":true,"proxyAccessType":"NoProxyServer","skipCertificateChecks":true}}' | ConvertFrom-Json
            $auth = '{"kind":"credential","username":"CONTOSO\\svc","password":"pa$$ `\"word"}' | ConvertFrom-Json
            $parameters = New-ServerSessionParameter -Connection $connection -Credentials $auth
            $parameters['ConfigurationName'] | Should -Be 'Microsoft.Exchange'
            $parameters['ConnectionUri'] | Should -Be 'https://mail01.contoso.com/PowerShell/'
            $parameters['Authentication'] | Should -Be 'Basic'
            $parameters['AllowRedirection'] | Should -BeTrue
            $parameters['SessionOption'].ProxyAccessType | Should -Be 'NoProxyServer'
            $parameters['SessionOption'].SkipCACheck | Should -BeTrue
            $parameters['Credential'].UserName | Should -Be 'CONTOSO\svc'
            $parameters['Credential'].GetNetworkCredential().Password | Should -Be 'pa$$ `"word'
        }
    }
}

Describe 'Connect-ExchangeServer' {
    It 'opens the session, records its InstanceId and imports its cmdlets for the script' {
        InModuleScope ExoConnectRunner -Parameters @{ Events = (Join-Path $TestDrive 'server.jsonl') } {
            param($Events)
            Set-EventsPath -Path $Events
            $connection = '{"connectionUri":"https://mail01.contoso.com/PowerShell/","commandNames":["Get-Mailbox"],"prefix":null,"server":{"authentication":"Kerberos","allowRedirection":false,"proxyAccessType":"None","skipCertificateChecks":false}}' | ConvertFrom-Json
            $log = Get-RunnerLog { Connect-ExchangeServer -Connection $connection -Credentials ([pscustomobject]@{ kind = 'integrated' }) -Retries 0 }
            $connected = Get-Content -LiteralPath $Events | ConvertFrom-Json
            $connected.organization | Should -Be 'mail01.contoso.com'
            # The report names the workload from it, also when the import after it fails.
            $connected.target | Should -Be 'exchange-server'
            $connected.instanceId | Should -Be ([string]$script:RemoteSession.InstanceId)
            # As Connect-ExchangeOnline's line does for Exchange Online: where, how, which session.
            $log | Should -Be "Connected to mail01.contoso.com (New-PSSession, Kerberos, session $($script:RemoteSession.InstanceId)); 1 cmdlet imported."
            Get-Command -Name Get-Mailbox | Should -Not -BeNullOrEmpty
            & $SafeCommands['Remove-PSSession'] -Session $script:RemoteSession
        }
    }
}

Describe 'Remove-LeftServerSession' {
    It 'finds the session a stopped run left by InstanceId and removes only that one' {
        InModuleScope ExoConnectRunner -Parameters @{ Events = (Join-Path $TestDrive 'removed.jsonl') } {
            param($Events)
            Set-EventsPath -Path $Events
            $connection = '{"connectionUri":"https://mail01.contoso.com/PowerShell/","server":{"authentication":"Kerberos","allowRedirection":false,"proxyAccessType":"None","skipCertificateChecks":false}}' | ConvertFrom-Json
            $auth = [pscustomobject]@{ kind = 'integrated' }
            $parameters = New-ServerSessionParameter -Connection $connection -Credentials $auth
            $left = & $SafeCommands['New-PSSession'] @parameters
            $other = & $SafeCommands['New-PSSession'] @parameters
            Get-RunnerLog { Remove-LeftServerSession -Connection $connection -Credentials $auth -InstanceId ([string]$left.InstanceId) } |
                Should -Be "Removed 1 server-side session with InstanceId $($left.InstanceId)."

            $removed = Get-Content -LiteralPath $Events | ConvertFrom-Json
            $removed.count | Should -Be 1
            @(& $SafeCommands['Get-PSSession'] @parameters | ForEach-Object { [string]$_.InstanceId }) | Should -Be @([string]$other.InstanceId)
        }
    }
}

Describe 'Enable-ServerWhatIf' {
    # Real implicit remoting: a session to a second PowerShell process, whose cmdlets
    # Import-PSSession makes into local functions, as it does for an Exchange server's.
    BeforeAll {
        $script:Runspace = [runspacefactory]::CreateOutOfProcessRunspace($null)
        $script:Runspace.Open()
        $script:Session = [System.Management.Automation.Runspaces.PSSession]::Create($script:Runspace, 'OutOfProc', $null)
        Microsoft.PowerShell.Core\Invoke-Command -Session $script:Session {
            function global:Set-Thing {
                [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
                param([string] $Identity)
                if ($PSCmdlet.ShouldProcess($Identity)) { "changed $Identity" } else { "previewed $Identity" }
            }
            function global:Get-Thing {
                [CmdletBinding()]
                param([string] $Identity)
                "read $Identity"
            }
        }
    }
    AfterAll {
        $script:Runspace.Dispose()
        $global:WhatIfPreference = $false
    }

    It 'makes the imported cmdlets that take -WhatIf preview, as the preference says, where the server never sees the preference' {
        $module = Microsoft.PowerShell.Utility\Import-PSSession -Session $script:Session -CommandName 'Set-Thing', 'Get-Thing' -DisableNameChecking -AllowClobber
        $global:WhatIfPreference = $true
        # Without the wrapper the server changes it: the reason for it.
        & $module { Set-Thing -Identity 'a' } | Should -Be 'changed a'
        InModuleScope ExoConnectRunner -Parameters @{ Module = $module } { param($Module) Enable-ServerWhatIf -Module $Module }
        & $module { Set-Thing -Identity 'b' } | Should -Be 'previewed b'
        # A cmdlet without -WhatIf gets none (the server would refuse the parameter).
        & $module { Get-Thing -Identity 'c' } | Should -Be 'read c'
        # The script's own word for one call, and the preference turned off, still count.
        & $module { Set-Thing -Identity 'd' -WhatIf:$false } | Should -Be 'changed d'
        $global:WhatIfPreference = $false
        & $module { Set-Thing -Identity 'e' } | Should -Be 'changed e'
        # A Get-Variable of the script's own does not reach the wrapper.
        $global:WhatIfPreference = $true
        function global:Get-Variable { throw 'the script''s own Get-Variable' }
        try { & $module { Set-Thing -Identity 'f' } | Should -Be 'previewed f' } finally { Remove-Item -Path function:Get-Variable -WhatIf:$false }
        $global:WhatIfPreference = $false
    }

    It 'leaves a module of local functions alone (the sandbox''s stand-ins), whose functions read the preference themselves' {
        $local = New-Module -Name LocalCmdlets -ScriptBlock { function Set-Local { 'local' } }
        InModuleScope ExoConnectRunner -Parameters @{ Module = $local } { param($Module) Enable-ServerWhatIf -Module $Module }
        & $local { Get-ChildItem function: | Where-Object Name -EQ 'Get-PSImplicitRemotingClientSideParameters' } | Should -BeNullOrEmpty
    }
}
