BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot '../ExoConnectRunner.psd1') -Force
    function Invoke-TeardownQuietly {
        # Runs Invoke-Teardown with the given state and stand-ins for the commands it calls; gives the log and events.
        param([hashtable] $State, [hashtable] $Commands, [switch] $IsServer)
        $events = Join-Path $TestDrive ('events-' + [guid]::NewGuid().ToString('N') + '.jsonl')
        $console = [Console]::Out
        $log = New-Object System.IO.StringWriter
        [Console]::SetOut($log)
        try {
            InModuleScope ExoConnectRunner -Parameters @{ Events = $events; State = $State; Commands = $Commands; IsServer = [bool]$IsServer } {
                param($Events, $State, $Commands, $IsServer)
                Set-EventsPath -Path $Events
                $saved = $SafeCommands.Clone()
                foreach ($name in $State.Keys) { Set-Variable -Scope Script -Name $name -Value $State[$name] }
                foreach ($name in $Commands.Keys) { $SafeCommands[$name] = $Commands[$name] }
                try { Invoke-Teardown -IsServer:$IsServer 3>$null } finally {
                    $script:SafeCommands = $saved
                    $script:Connected = $false
                    $script:ConnectPending = $false
                    $script:RemoteSession = $null
                }
            }
        } finally {
            [Console]::SetOut($console)
        }
        $recorded = @()
        if (Test-Path -LiteralPath $events) { $recorded = @(Get-Content -LiteralPath $events | ConvertFrom-Json) }
        [pscustomobject]@{ Log = $log.ToString(); Events = $recorded }
    }
}
AfterAll { Remove-Module -Name ExoConnectRunner -ErrorAction SilentlyContinue }

Describe 'Invoke-Teardown' {
    It 'says so when nothing was connected' {
        $run = Invoke-TeardownQuietly -State @{ Connected = $false; ConnectPending = $false; RemoteSession = $null } -Commands @{}
        $run.Log | Should -Match '::group::Teardown\r?\nNothing was connected\.\r?\nteardown took \d+ ms\r?\n::endgroup::'
        $run.Events.Count | Should -Be 0
    }

    It "disconnects with the module's command kept at import, never as a what-if, even when a function of that name exists" {
        $calls = New-Object System.Collections.Generic.List[string]
        $disconnect = { [CmdletBinding()] param([switch] $Confirm, [switch] $WhatIf) $calls.Add("confirm=$Confirm whatif=$WhatIf") }.GetNewClosure()
        function global:Disconnect-ExchangeOnline { throw 'the look-alike ran' }
        try {
            $run = Invoke-TeardownQuietly -State @{ Connected = $true } -Commands @{ 'Disconnect-ExchangeOnline' = $disconnect }
        } finally {
            Remove-Item -Path function:global:Disconnect-ExchangeOnline
        }
        $calls | Should -Be @('confirm=False whatif=False')
        $run.Events[0].event | Should -Be 'disconnected'
    }

    It 'disconnects after a connect that was stopped half way, in case it left a connection' {
        $calls = New-Object System.Collections.Generic.List[string]
        $disconnect = { [CmdletBinding()] param([switch] $Confirm, [switch] $WhatIf) $calls.Add('called') }.GetNewClosure()
        $run = Invoke-TeardownQuietly -State @{ ConnectPending = $true } -Commands @{ 'Disconnect-ExchangeOnline' = $disconnect }
        $run.Log | Should -Match 'The connect was stopped before it finished; disconnecting in case it left a connection\.'
        $calls.Count | Should -Be 1
    }

    It 'records a failed disconnect as a teardown error, and does not claim a disconnect' {
        $run = Invoke-TeardownQuietly -State @{ Connected = $true } -Commands @{ 'Disconnect-ExchangeOnline' = { [CmdletBinding()] param([switch] $Confirm, [switch] $WhatIf) throw 'Disconnect failed (injected).' } }
        $run.Events.Count | Should -Be 1
        $run.Events[0].event | Should -Be 'error'
        $run.Events[0].phase | Should -Be 'teardown'
        $run.Events[0].message | Should -Be 'Disconnect failed (injected).'
    }

    It 'removes the server session it opened, and records its InstanceId' {
        $removed = New-Object System.Collections.Generic.List[string]
        $remove = { [CmdletBinding()] param($Session, [switch] $WhatIf) $removed.Add([string]$Session.InstanceId) }.GetNewClosure()
        $session = [pscustomobject]@{ InstanceId = [guid]::NewGuid() }
        $run = Invoke-TeardownQuietly -State @{ RemoteSession = $session } -Commands @{ 'Remove-PSSession' = $remove } -IsServer
        $removed | Should -Be @([string]$session.InstanceId)
        $run.Events[0].event | Should -Be 'disconnected'
        $run.Events[0].instanceId | Should -Be ([string]$session.InstanceId)
    }
}
