# The runner's own code, one file per concern under Private/, loaded by ExoConnectRunner.psm1.
# runner.ps1 is the entry script that the action starts; it imports this module.
@{
    RootModule        = 'ExoConnectRunner.psm1'
    ModuleVersion     = '1.0.0'
    GUID              = '5d0b8f3e-6a51-4c8e-9f0b-2f7a4c1e9d36'
    Author            = 'exo-connect-action'
    Description       = 'Connects to Exchange, runs one script and tears down: the PowerShell side of exo-connect-action.'
    PowerShellVersion = '5.1'
    FunctionsToExport = @()
    CmdletsToExport   = @()
    VariablesToExport = @()
    AliasesToExport   = @()
}
