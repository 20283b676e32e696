@{
    # Sandbox stand-in for Microsoft's ExchangeOnlineManagement, for tests and the demo only.
    # Computed, as in Microsoft's manifest (which loads netCore\ or netFramework\): a manifest that
    # Import-PowerShellDataFile cannot read.
    RootModule        = if ($PSEdition -eq 'Core') { 'ExchangeOnlineManagement.psm1' } else { 'ExchangeOnlineManagement.psm1' }
    ModuleVersion     = '3.9.0'
    GUID              = '7a2f4c1e-0b35-4d6e-9f10-3c8e5a2b9d41'
    Author            = 'exo-connect-action (sandbox)'
    Description       = 'SANDBOX ExchangeOnlineManagement: same command names and parameters as the real module, backed by an in-memory organization.'
    PowerShellVersion = '5.1'
    FunctionsToExport = @(
        'New-PSSessionOption', 'New-PSSession', 'Import-PSSession', 'Get-PSSession', 'Remove-PSSession',
        'Connect-ExchangeOnline', 'Connect-IPPSSession', 'Disconnect-ExchangeOnline', 'Get-ConnectionInformation',
        'Get-EXOMailbox', 'Get-EXOMailboxStatistics'
    )
    CmdletsToExport   = @()
    AliasesToExport   = @()
    VariablesToExport = @()
    PrivateData       = @{ Sandbox = $true }
}
