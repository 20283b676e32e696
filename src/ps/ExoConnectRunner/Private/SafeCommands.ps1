# The commands the runner itself calls, resolved once when the module loads and called through
# these CommandInfo objects, never by name: a function or alias of the same name, defined later
# by the user's script, cannot stand in for them. This is the SafeCommands pattern that Pester uses.

$script:SafeCommands = @{}

# The modules Add-SafeCommand has seen: each is imported once, from $PSHOME where it is there.
$script:BuiltInModules = [System.Collections.Generic.HashSet[string]]::new([System.StringComparer]::OrdinalIgnoreCase)

function Add-SafeCommand {
    # Module-qualified names, which already rule out a look-alike from elsewhere. A file loaded when
    # needed (RunnerFiles.ps1) adds the cmdlets only it calls as it loads, before the user's script
    # runs: their modules then load only in the runs that call them (each costs milliseconds).
    # Each module named for the first time is imported from PowerShell's own folder, by path, into
    # the global scope where loading it by a command's name would have put it: loaded by name, the
    # first module cost about 60 ms more (PowerShell 7.6.9, measured). Microsoft.PowerShell.Core has
    # no folder: it is built in. A manifest that fails to import fails the run.
    # https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_psmodulepath
    # Compiled (Native/SafeCommands.cs): as script, this loop cost each run tens of milliseconds.
    param([Parameter(Mandatory)][string[]] $Name)
    try {
        [ExoConnectRunner.Native.SafeCommands]::Add($ExecutionContext.SessionState, $script:SafeCommands, $script:BuiltInModules, $Name)
    } catch [System.Management.Automation.MethodInvocationException] {
        # Its own message, without PowerShell's "Exception calling ..." around it.
        throw $_.Exception.InnerException
    }
}

Add-SafeCommand -Name @(
    'Microsoft.PowerShell.Core\ForEach-Object'
    'Microsoft.PowerShell.Core\Get-Command'
    'Microsoft.PowerShell.Core\Get-Module'
    'Microsoft.PowerShell.Core\Get-PSSession'
    'Microsoft.PowerShell.Core\Import-Module'
    'Microsoft.PowerShell.Core\New-PSSession'
    'Microsoft.PowerShell.Core\Out-Default'
    'Microsoft.PowerShell.Core\New-PSSessionOption'
    'Microsoft.PowerShell.Core\Remove-PSSession'
    'Microsoft.PowerShell.Core\Where-Object'
    'Microsoft.PowerShell.Core\Out-Null'
    'Microsoft.PowerShell.Management\New-Item'
    'Microsoft.PowerShell.Management\Set-Location'
    'Microsoft.PowerShell.Utility\ConvertFrom-Json'
    'Microsoft.PowerShell.Utility\ConvertTo-Json'
    'Microsoft.PowerShell.Utility\Get-Random'
    'Microsoft.PowerShell.Utility\Get-Variable'
    'Microsoft.PowerShell.Utility\Import-PSSession'
    'Microsoft.PowerShell.Utility\Out-String'
    'Microsoft.PowerShell.Utility\Remove-Variable'
    'Microsoft.PowerShell.Utility\Select-Object'
    'Microsoft.PowerShell.Utility\Set-Alias'
    'Microsoft.PowerShell.Utility\Set-Variable'
    'Microsoft.PowerShell.Utility\Sort-Object'
    'Microsoft.PowerShell.Utility\Start-Sleep'
    'Microsoft.PowerShell.Utility\Write-Verbose'
    'Microsoft.PowerShell.Utility\Write-Warning'
)

# The Exchange module's own commands, taken from the module that Import-ExchangeModule imported.
$script:ExchangeCommandNames = [string[]]@('Connect-ExchangeOnline', 'Connect-IPPSSession', 'Disconnect-ExchangeOnline', 'Get-ConnectionInformation')

function Register-ExchangeCommand {
    # Right after the import, from the module's own ExportedCommands (not a look-up by name, which
    # a function of the same name elsewhere would win), and kept for the connect and the teardown.
    # A function is kept as its script block: the script can reach the module's scope and replace
    # the function there (Set-Item function:Disconnect-ExchangeOnline), which changes the
    # FunctionInfo in place, not the block it had.
    # Compiled (Native/ModuleFacts.cs).
    param([Parameter(Mandatory)][System.Management.Automation.PSModuleInfo] $Module)
    [ExoConnectRunner.Native.ModuleFacts]::RegisterCommands($Module, $script:ExchangeCommandNames, $script:SafeCommands)
}

function Get-SafeCommand {
    param([Parameter(Mandatory)][string] $Name)
    $command = $script:SafeCommands[$Name]
    if ($null -eq $command) { throw "$Name is not available: the module that should provide it was not imported or does not export it." }
    $command
}

function Use-TestDouble {
    # The action's own tests only: the sandbox module's New-PSSession & co. stand in for the
    # remoting cmdlets, which need a real Exchange server. Each command the module exports replaces
    # the runner's command of the same name.
    param([Parameter(Mandatory)][System.Management.Automation.PSModuleInfo] $Module)
    foreach ($name in @($script:SafeCommands.Keys)) {
        if ($Module.ExportedCommands.ContainsKey($name)) { $script:SafeCommands[$name] = $Module.ExportedCommands[$name] }
    }
}
