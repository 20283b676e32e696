# The sandbox organization as the demo, the bench and the README examples use it.
BeforeAll {
    $script:Module = Join-Path $PSScriptRoot 'ExchangeOnlineManagement.psd1'
    $script:Token = 'header.payload.signature'
    function Connect-Both {
        Connect-ExchangeOnline -AccessToken $script:Token -Organization contoso.onmicrosoft.com -ShowBanner:$false
        Connect-IPPSSession -AccessToken $script:Token -Organization contoso.onmicrosoft.com -ShowBanner:$false
    }
}

Describe 'the sandbox organization' {
    BeforeEach {
        $env:EXO_SANDBOX_LOG = $null
        Import-Module $script:Module -Force -DisableNameChecking
    }
    AfterEach {
        $env:EXO_SANDBOX_MAILBOXES = $null
        $env:EXO_SANDBOX_FAULTS = $null
        if (Get-Command Disconnect-ExchangeOnline -ErrorAction SilentlyContinue) { Disconnect-ExchangeOnline -Confirm:$false }
        Remove-Module ExchangeOnlineManagement -Force
    }

    It 'can be made tenant-sized, the same on every run, with the mailbox-size report''s properties' {
        $env:EXO_SANDBOX_MAILBOXES = '20000'
        Import-Module $script:Module -Force -DisableNameChecking
        Connect-ExchangeOnline -AccessToken $script:Token -Organization contoso.onmicrosoft.com -ShowBanner:$false
        $mailboxes = @(Get-EXOMailbox -ResultSize Unlimited -PropertySets Quota)
        $mailboxes.Count | Should -Be 20000
        @($mailboxes | Select-Object -ExpandProperty PrimarySmtpAddress -Unique).Count | Should -Be 20000
        @($mailboxes | Where-Object RecipientTypeDetails -EQ 'SharedMailbox').Count | Should -BeGreaterThan 100
        $mailboxes[19999].PSObject.Properties.Name | Should -Contain 'ProhibitSendReceiveQuota'
        $mailboxes[19999].ProhibitSendQuota | Should -Match '^\d+(\.\d)? GB \([\d,]+ bytes\)$'
        $statistics = $mailboxes[19999] | Get-EXOMailboxStatistics
        $statistics.PSObject.Properties.Name | Should -Be @('DisplayName', 'MailboxGuid', 'ItemCount', 'TotalItemSize', 'DeletedItemCount', 'TotalDeletedItemSize')
        $statistics.TotalItemSize | Should -Match '^[\d.]+ (GB|MB|KB) \([\d,]+ bytes\)$'
        Remove-Module ExchangeOnlineManagement -Force
        Import-Module $script:Module -Force -DisableNameChecking
        Connect-ExchangeOnline -AccessToken $script:Token -Organization contoso.onmicrosoft.com -ShowBanner:$false
        (Get-EXOMailbox -Identity $mailboxes[19999].Alias | Get-EXOMailboxStatistics).TotalItemSize | Should -Be $statistics.TotalItemSize
    }

    It 'without the setting it is the small organization of the data file' {
        Connect-ExchangeOnline -AccessToken $script:Token -Organization contoso.onmicrosoft.com -ShowBanner:$false
        @(Get-EXOMailbox -ResultSize Unlimited).Count | Should -Be 7
    }

    It 'answers an identity it does not have with a non-terminating error, as Exchange does: a script under Continue goes on, and Stop makes it end' {
        Connect-ExchangeOnline -AccessToken $script:Token -Organization contoso.onmicrosoft.com -ShowBanner:$false
        foreach ($lookup in @({ Get-Mailbox -Identity nobody @args }, { Get-EXOMailbox -Identity nobody @args }, { Set-Mailbox -Identity nobody -Department X @args }, { Get-EXOMailboxStatistics -Identity nobody @args })) {
            # Global: a module's cmdlet sees the session's preference, not its caller's local one.
            $saved = $global:ErrorActionPreference
            $global:ErrorActionPreference = 'Continue'
            try { $out = @(& { & $lookup; 'went on' } 2>&1) } finally { $global:ErrorActionPreference = $saved }
            $out[-1] | Should -Be 'went on'
            $errors = @($out | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
            $errors.Count | Should -Be 1
            $errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $errors[0].Exception.Message | Should -Be "The operation couldn't be performed because object 'nobody' couldn't be found on 'SANDBOX'."
            { & $lookup -ErrorAction Stop } | Should -Throw "*'nobody' couldn't be found*"
        }
        @(Get-Mailbox -Identity adele).Count | Should -Be 1
    }

    It 'has transport rules that honour -WhatIf' {
        Connect-ExchangeOnline -AccessToken $script:Token -Organization contoso.onmicrosoft.com -ShowBanner:$false
        New-TransportRule -Name 'External sender banner' -FromScope NotInOrganization -PrependSubject '[EXTERNAL] ' -WhatIf
        @(Get-TransportRule).Name | Should -Not -Contain 'External sender banner'
        New-TransportRule -Name 'External sender banner' -FromScope NotInOrganization -PrependSubject '[EXTERNAL] ' | Out-Null
        (Get-TransportRule -Identity 'External sender banner').PrependSubject | Should -Be '[EXTERNAL] '
        { New-TransportRule -Name 'External sender banner' } | Should -Throw '*already exists*'
        Remove-TransportRule -Identity 'External sender banner' -Confirm:$false
        @(Get-TransportRule).Count | Should -Be 2
    }

    It 'connects both workloads; each one''s cmdlets need its own connection; the last connected wins a shared name' {
        Connect-ExchangeOnline -AccessToken $script:Token -Organization contoso.onmicrosoft.com -ShowBanner:$false
        # Like the real module's, a workload's cmdlets exist only once it is connected.
        Get-Command Get-Label -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Connect-IPPSSession -AccessToken $script:Token -Organization contoso.onmicrosoft.com -ShowBanner:$false
        @(Get-ConnectionInformation).Name | Should -Be @('ExchangeOnline_1', 'ExchangeOnlineProtection_2')
        (Get-Label | Select-Object -First 1).DisplayName | Should -Be 'Public'
        @(Get-EXOMailbox -ResultSize 2).Count | Should -Be 2
        (Get-RoleGroup | Select-Object -First 1).WorkloadSource | Should -Be 'Security & Compliance'
        Disconnect-ExchangeOnline -Confirm:$false
        @(Get-ConnectionInformation).Count | Should -Be 0
        Get-Command Get-Label -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'disconnects one connection by its ConnectionId' {
        Connect-Both
        $exchange = @(Get-ConnectionInformation)[0]
        Disconnect-ExchangeOnline -ConnectionId $exchange.ConnectionId -Confirm:$false
        @(Get-ConnectionInformation).Name | Should -Be @('ExchangeOnlineProtection_2')
        { Get-EXOMailbox -ResultSize 1 } | Should -Throw '*Connect-ExchangeOnline*'
    }

    It 'can make a disconnect slow, as a service that does not answer would' {
        Connect-ExchangeOnline -AccessToken $script:Token -Organization contoso.onmicrosoft.com -ShowBanner:$false
        $env:EXO_SANDBOX_FAULTS = 'disconnect-slow:1500'
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        Disconnect-ExchangeOnline -Confirm:$false
        $clock.ElapsedMilliseconds | Should -BeGreaterOrEqual 1500
        @(Get-ConnectionInformation).Count | Should -Be 0
    }
}
