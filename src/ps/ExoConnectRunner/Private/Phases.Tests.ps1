BeforeAll { Import-Module -Name (Join-Path $PSScriptRoot '../ExoConnectRunner.psd1') -Force }
AfterAll { Remove-Module -Name ExoConnectRunner -ErrorAction SilentlyContinue }

Describe 'Measure-Phase' {
    BeforeEach {
        # The log lines go to [Console]::Out; capture them so that no workflow command reaches the terminal.
        $script:Console = [Console]::Out
        $script:Log = New-Object System.IO.StringWriter
        [Console]::SetOut($script:Log)
    }
    AfterEach { [Console]::SetOut($script:Console) }

    It "runs the body in a log group, returns its output, and records the phase's start and end" {
        $events = Join-Path $TestDrive 'ok.jsonl'
        $out = InModuleScope ExoConnectRunner -Parameters @{ Events = $events } {
            param($Events)
            Set-EventsPath -Path $Events
            Measure-Phase -Name 'connect' -Title 'Connect: here' -Body { 'body ran' }
            $script:CurrentPhase | Should -Be 'connect'
        }
        $out | Should -Be 'body ran'
        $log = $script:Log.ToString() -split "`r?`n"
        $log[0] | Should -Be '::group::Connect: here'
        $log[1] | Should -Match '^connect took \d+ ms$'
        $log[2] | Should -Be '::endgroup::'
        $recorded = @(Get-Content -LiteralPath $events | ConvertFrom-Json)
        @($recorded | ForEach-Object { $_.status }) | Should -Be @('start', 'end')
    }

    It 'records a failed phase, closes the group and throws the error on' {
        $events = Join-Path $TestDrive 'failed.jsonl'
        {
            InModuleScope ExoConnectRunner -Parameters @{ Events = $events } {
                param($Events)
                Set-EventsPath -Path $Events
                Measure-Phase -Name 'module' -Title 'Module' -Body { throw 'no module' }
            }
        } | Should -Throw 'no module'
        $script:Log.ToString() | Should -Match 'module failed after \d+ ms\r?\n::endgroup::'
        @(Get-Content -LiteralPath $events | ConvertFrom-Json)[-1].status | Should -Be 'failed'
    }
}

Describe 'Get-ConnectTitle' {
    It 'names the target, cloud, organization or server (a server without a cloud), auth method, and the module Import-ExchangeModule imported' {
        InModuleScope ExoConnectRunner {
            $script:ExchangeModule = $null
            $online = '{"connection":{"target":"exchange-online","environment":"O365Default","organization":"contoso.onmicrosoft.com","connectionUri":null,"authMethod":"oidc"}}' | ConvertFrom-Json
            Get-ConnectTitle -Config $online | Should -Be 'Connect: exchange-online, O365Default, contoso.onmicrosoft.com, auth oidc, remote session'
            $onPremises = '{"connection":{"target":"exchange-server","environment":"O365Default","organization":null,"connectionUri":"http://mail01/PowerShell/","authMethod":"integrated"}}' | ConvertFrom-Json
            Get-ConnectTitle -Config $onPremises | Should -Be 'Connect: exchange-server, http://mail01/PowerShell/, auth integrated, remote session'
            $script:ExchangeModule = Get-Module -Name Microsoft.PowerShell.Utility
            try {
                $server = '{"connection":{"target":"exchange-server","environment":"O365Default","organization":null,"connectionUri":"https://mail01/PowerShell/","authMethod":"credential"}}' | ConvertFrom-Json
                Get-ConnectTitle -Config $server | Should -Match '^Connect: exchange-server, https://mail01/PowerShell/, auth credential, Microsoft.PowerShell.Utility \d'
            } finally {
                $script:ExchangeModule = $null
            }
        }
    }
}

Describe 'Write-RunnerAnnotation' {
    It 'writes one workflow command line, with the data escaped as the runner reads it' {
        . (Join-Path $PSScriptRoot '../../../../test/ps/RunnerLog.ps1')
        InModuleScope ExoConnectRunner {
            $message = 'ExchangeOnlineManagement 3.5.0 is 100% older' + [Environment]::NewLine + '::error::not a command'
            Get-RunnerLog { Write-RunnerAnnotation -Kind 'notice' -Message $message } |
                Should -Be '::notice::ExchangeOnlineManagement 3.5.0 is 100%25 older ::error::not a command'
        }
        Remove-Item -Path function:Get-RunnerLog
    }
}
