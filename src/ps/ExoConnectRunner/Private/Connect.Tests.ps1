BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot '../ExoConnectRunner.psd1') -Force
    $script:SandboxModules = (Resolve-Path (Join-Path $PSScriptRoot '../../../../sandbox/modules')).Path
    . (Join-Path $PSScriptRoot '../../../../test/ps/RunnerLog.ps1')
}
AfterAll {
    Remove-Module -Name @('ExoConnectRunner', 'ExchangeOnlineManagement') -ErrorAction SilentlyContinue
    Remove-Item -Path function:Get-RunnerLog
}

Describe 'New-ConnectParameter' {
    It 'binds the connection fields that are set, and the access token, as parameters' {
        InModuleScope ExoConnectRunner {
            $connection = '{"target":"exchange-online","environment":"O365USGovGCCHigh","connectionUri":null,"authorizationEndpointUri":null,"organization":"contoso.onmicrosoft.com","delegatedOrganization":null,"prefix":"Cloud","commandNames":["Get-Mailbox"]}' | ConvertFrom-Json
            $auth = '{"kind":"access-token","token":"eyJ0.x.y"}' | ConvertFrom-Json
            $parameters = New-ConnectParameter -Connection $connection -Credentials $auth
            @($parameters.Keys | Sort-Object) | Should -Be @('AccessToken', 'CommandName', 'ExchangeEnvironmentName', 'Organization', 'Prefix', 'ShowBanner', 'ShowProgress')
            $parameters['AccessToken'] | Should -Be 'eyJ0.x.y'
            $parameters['ExchangeEnvironmentName'] | Should -Be 'O365USGovGCCHigh'
            $parameters['CommandName'] | Should -Be @('Get-Mailbox')
            $parameters['ShowBanner'] | Should -BeFalse
        }
    }

    It 'gives Security & Compliance its endpoints and no environment name, and managed identity without an account id' {
        InModuleScope ExoConnectRunner {
            $connection = '{"target":"security-compliance","environment":"O365Default","connectionUri":"https://ps.compliance.protection.outlook.com/powershell-liveid/","authorizationEndpointUri":"https://login.microsoftonline.com/organizations","organization":"contoso.onmicrosoft.com","commandNames":null}' | ConvertFrom-Json
            $parameters = New-ConnectParameter -Connection $connection -Credentials ('{"kind":"managed-identity"}' | ConvertFrom-Json)
            $parameters.ContainsKey('ExchangeEnvironmentName') | Should -BeFalse
            $parameters['ConnectionUri'] | Should -Be 'https://ps.compliance.protection.outlook.com/powershell-liveid/'
            $parameters['AzureADAuthorizationEndpointUri'] | Should -Be 'https://login.microsoftonline.com/organizations'
            $parameters['ManagedIdentity'] | Should -BeTrue
            $parameters.ContainsKey('ManagedIdentityAccountId') | Should -BeFalse
        }
    }

    It 'opens the PFX in memory and passes the certificate with its app id' {
        $rsa = [System.Security.Cryptography.RSA]::Create(2048)
        $request = New-Object System.Security.Cryptography.X509Certificates.CertificateRequest('CN=exo-connect-test', $rsa, [System.Security.Cryptography.HashAlgorithmName]::SHA256, [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
        $certificate = $request.CreateSelfSigned([DateTimeOffset]::UtcNow.AddDays(-1), [DateTimeOffset]::UtcNow.AddDays(1))
        $auth = [pscustomobject]@{ kind = 'certificate'; clientId = '00000000-0000-0000-0000-000000000001'; password = 'p@ss "word"'; pfxBase64 = [Convert]::ToBase64String($certificate.Export('Pfx', 'p@ss "word"')) }
        InModuleScope ExoConnectRunner -Parameters @{ Auth = $auth; Thumbprint = $certificate.Thumbprint } {
            param($Auth, $Thumbprint)
            $connection = [pscustomobject]@{ target = 'exchange-online'; environment = 'O365Default'; organization = 'contoso.onmicrosoft.com' }
            $parameters = New-ConnectParameter -Connection $connection -Credentials $Auth
            $parameters['Certificate'].Thumbprint | Should -Be $Thumbprint
            $parameters['Certificate'].HasPrivateKey | Should -BeTrue
            $parameters['AppId'] | Should -Be '00000000-0000-0000-0000-000000000001'
        }
    }

    It 'refuses an authentication kind it does not handle' {
        InModuleScope ExoConnectRunner {
            { New-ConnectParameter -Connection ([pscustomobject]@{ target = 'exchange-online'; environment = 'O365Default' }) -Credentials ([pscustomobject]@{ kind = 'client-secret' }) } |
                Should -Throw "Authentication 'client-secret' is not handled by this runner."
        }
    }
}

Describe 'Test-TransientFailure' {
    It 'is true for <Message>' -TestCases @(
        @{ Message = 'The remote server returned an error: (429) Too Many Requests.' }
        @{ Message = 'Service temporarily unavailable (503)' }
        @{ Message = 'The operation has timed out.' }
        @{ Message = 'you have exceeded the maximum number of connections allowed : 3' }
    ) {
        InModuleScope ExoConnectRunner -Parameters @{ Message = $Message } { param($Message) Test-TransientFailure -Message $Message | Should -BeTrue }
    }

    It 'is false for an authentication failure' {
        InModuleScope ExoConnectRunner { Test-TransientFailure -Message 'AADSTS700027: Client assertion contains an invalid signature.' | Should -BeFalse }
    }
}

Describe 'Invoke-WithRetry' {
    BeforeEach {
        InModuleScope ExoConnectRunner -Parameters @{ Events = (Join-Path $TestDrive 'retry.jsonl') } {
            param($Events)
            Set-EventsPath -Path $Events
            # Record the waits instead of waiting: the sleep is one of the runner's SafeCommands.
            $script:SavedSleep = $SafeCommands['Start-Sleep']
            $script:Slept = New-Object System.Collections.Generic.List[int]
            $SafeCommands['Start-Sleep'] = { param([int] $Milliseconds) $script:Slept.Add($Milliseconds) }
        }
    }
    AfterEach { InModuleScope ExoConnectRunner { $SafeCommands['Start-Sleep'] = $script:SavedSleep } }

    It 'retries a transient failure with a growing delay, then returns the result' {
        InModuleScope ExoConnectRunner -Parameters @{ Events = (Join-Path $TestDrive 'retry.jsonl') } {
            param($Events)
            $calls = @{ count = 0 }
            $result = $null
            $log = Get-RunnerLog {
                $script:result = Invoke-WithRetry -What 'Connect-ExchangeOnline' -Retries 3 -Action {
                    $calls.count++
                    if ($calls.count -le 2) { throw 'The remote server returned an error: (429) Too Many Requests.' }
                    'connected'
                }
            }
            $script:result | Should -Be 'connected'
            $log | Should -Match '^Connect-ExchangeOnline failed with a transient error; retry 1 of 3 in \d+ ms: .*\(429\)'
            $calls.count | Should -Be 3
            $script:Slept.Count | Should -Be 2
            $script:Slept[0] | Should -BeGreaterOrEqual 1000
            $script:Slept[0] | Should -BeLessThan 1500
            $script:Slept[1] | Should -BeGreaterOrEqual 2000
            $script:Slept[1] | Should -BeLessThan 2500
            $retries = @(Get-Content -LiteralPath $Events | ConvertFrom-Json)
            @($retries | ForEach-Object { $_.attempt }) | Should -Be @(1, 2)
            $retries[0].cause | Should -BeLike '*(429)*'
        }
    }

    It 'throws an authentication failure at once, and a transient one after the last retry' {
        InModuleScope ExoConnectRunner {
            $calls = @{ count = 0 }
            { Invoke-WithRetry -What 'x' -Retries 3 -Action { $calls.count++; throw 'AADSTS7000215: Invalid client secret.' } } | Should -Throw 'AADSTS7000215*'
            $calls.count | Should -Be 1
            $calls.count = 0
            { Get-RunnerLog { Invoke-WithRetry -What 'x' -Retries 1 -Action { $calls.count++; throw 'HTTP 503' } } } | Should -Throw 'HTTP 503'
            $calls.count | Should -Be 2
        }
    }

    It 'throws a failure with no message as it came, without a retry (not a binding error of its own)' {
        InModuleScope ExoConnectRunner {
            $calls = @{ count = 0 }
            $thrown = $null
            try { Invoke-WithRetry -What 'x' -Retries 2 -Action { $calls.count++; throw [System.InvalidOperationException]::new('') } } catch { $thrown = $_ }
            $thrown.Exception.GetType() | Should -Be ([System.InvalidOperationException])
            $calls.count | Should -Be 1
        }
    }
}

Describe 'Connect-Exchange' {
    It "connects with the imported module's own command and records the organization it reports" {
        $env:EXO_SANDBOX_STATE = "$TestDrive"
        InModuleScope ExoConnectRunner -Parameters @{ Modules = $SandboxModules; Events = (Join-Path $TestDrive 'connect.jsonl') } {
            param($Modules, $Events)
            Set-EventsPath -Path $Events
            Import-ExchangeModule -Module ([pscustomobject]@{ name = 'ExchangeOnlineManagement'; version = '3.9.0'; repository = 'PSGallery'; path = $Modules; testedVersion = '3.9.0' })
            $connection = '{"target":"exchange-online","environment":"O365Default","organization":"contoso.onmicrosoft.com","commandNames":null}' | ConvertFrom-Json
            Connect-Exchange -Connection $connection -Credentials ([pscustomobject]@{ kind = 'access-token'; token = 'token' }) -Retries 0
            $connected = @(Get-Content -LiteralPath $Events | ConvertFrom-Json)[-1]
            $connected.event | Should -Be 'connected'
            $connected.command | Should -Be 'Connect-ExchangeOnline'
            $connected.organization | Should -Be 'contoso.onmicrosoft.com'
            $connected.connectionId | Should -Not -BeNullOrEmpty
            & $SafeCommands['Disconnect-ExchangeOnline'] -Confirm:$false
        }
        Remove-Item -Path env:EXO_SANDBOX_STATE
    }
}

Describe 'Get-ConnectionInformation after a connect' {
    BeforeEach {
        $script:State = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory -Path $script:State | Out-Null
        $env:EXO_SANDBOX_STATE = $script:State
        InModuleScope ExoConnectRunner -Parameters @{ Modules = $SandboxModules; Events = (Join-Path $script:State 'connect.jsonl') } {
            param($Modules, $Events)
            Set-EventsPath -Path $Events
            Import-ExchangeModule -Module ([pscustomobject]@{ name = 'ExchangeOnlineManagement'; version = '3.9.0'; repository = 'PSGallery'; path = $Modules; testedVersion = '3.9.0' })
            # Record the waits instead of waiting: the sleep is one of the runner's SafeCommands.
            $script:SavedSleep = $SafeCommands['Start-Sleep']
            $SafeCommands['Start-Sleep'] = { param([int] $Milliseconds) }
        }
    }
    AfterEach {
        InModuleScope ExoConnectRunner {
            $SafeCommands['Start-Sleep'] = $script:SavedSleep
            & $SafeCommands['Disconnect-ExchangeOnline'] -Confirm:$false
        }
        Remove-Item -Path @('env:EXO_SANDBOX_STATE', 'env:EXO_SANDBOX_FAULTS') -ErrorAction SilentlyContinue
    }

    It 'is retried when it fails right after a connect that succeeded, and the connection is recorded as it reports it' {
        $env:EXO_SANDBOX_FAULTS = 'connection-info-fail:2'
        $log = InModuleScope ExoConnectRunner {
            $connection = '{"target":"exchange-online","environment":"O365Default","organization":"contoso.onmicrosoft.com","commandNames":null}' | ConvertFrom-Json
            Get-RunnerLog { Connect-Exchange -Connection $connection -Credentials ([pscustomobject]@{ kind = 'access-token'; token = 'token' }) -Retries 0 }
        }
        $log | Should -Match '(?m)^Get-ConnectionInformation failed; retry 1 of 2 in \d+ ms: Get-ConnectionInformation failed \(injected\)\.$'
        $log | Should -Match '(?m)^Get-ConnectionInformation failed; retry 2 of 2 in '
        $log | Should -Not -Match '::warning::'
        $connected = @(Get-Content -LiteralPath (Join-Path $script:State 'connect.jsonl') | ConvertFrom-Json | Where-Object { $_.event -eq 'connected' })
        $connected | Should -HaveCount 1
        $connected[0].connectionId | Should -Not -BeNullOrEmpty
    }

    It 'that keeps failing leaves the connection standing, for the teardown, with a warning that says what is missing' {
        $env:EXO_SANDBOX_FAULTS = 'connection-info-fail:9'
        $log = InModuleScope ExoConnectRunner {
            $connection = '{"target":"exchange-online","environment":"O365Default","organization":"contoso.onmicrosoft.com","commandNames":null}' | ConvertFrom-Json
            Get-RunnerLog { Connect-Exchange -Connection $connection -Credentials ([pscustomobject]@{ kind = 'access-token'; token = 'token' }) -Retries 0 }
            $script:Connected | Should -BeTrue
        }
        $log | Should -Match '(?m)^::warning::Connect-ExchangeOnline connected, but Get-ConnectionInformation then failed three times: Get-ConnectionInformation failed \(injected\)\. The script runs on the connection, and the teardown disconnects it'
        $connected = @(Get-Content -LiteralPath (Join-Path $script:State 'connect.jsonl') | ConvertFrom-Json | Where-Object { $_.event -eq 'connected' })
        $connected[0].organization | Should -Be 'contoso.onmicrosoft.com'
        $connected[0].connectionId | Should -BeNullOrEmpty
        # No empty "(connection )" when there is no id to name.
        $log | Should -Match '(?m)^Connected to exchange-online with Connect-ExchangeOnline: contoso\.onmicrosoft\.com\.$'
    }
}
