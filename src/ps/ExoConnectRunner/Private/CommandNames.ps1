# command-names: auto reads the script's syntax tree with PowerShell's own parser and requests
# only the cmdlets it names. Dynamic invocation cannot be read, so it falls back to all.

# Commands that write an item at a path given to them (New-Item function:Name, Set-Item alias:Name).
# Methods that run or look up a command by a name in a string (besides [scriptblock]::Create).
$script:CommandRunningMethods = @('InvokeScript', 'NewScriptBlock', 'AddCommand', 'AddScript', 'GetCommand', 'GetCmdlet', 'GetCommands', 'GetCommandName')

$script:DriveWriters = @('New-Item', 'ni', 'Set-Item', 'si', 'Copy-Item', 'copy', 'cp', 'cpi', 'Rename-Item', 'ren', 'rni', 'Move-Item', 'move', 'mi', 'mv')

function Find-RemoteCommandName {
    # The commands the script names that neither it defines nor this PowerShell has: the ones the
    # connection must load. Reason is set, and Names empty, when the script's commands cannot be known.
    # -Connected: asked after the connect, whose own modules (the generated one) now have its cmdlets.
    param([Parameter(Mandatory)] $Source, [switch] $Connected)
    $ast = $Source.Ast
    # A module the script imports by statement rather than by command may call any cmdlet: its
    # functions run in the session like the script's own. ExchangeOnlineManagement itself loads
    # none of the connection's cmdlets.
    # https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_using
    foreach ($using in $ast.UsingStatements) {
        if ($using.UsingStatementKind -ne [System.Management.Automation.Language.UsingStatementKind]::Module) { continue }
        $module = if ($null -ne $using.Name) { $using.Name.Value } else { [string]$using.ModuleSpecification }
        # using module @{ ModuleName = 'ExchangeOnlineManagement'; ... } names it too.
        $specified = $null
        if ($null -ne $using.ModuleSpecification) {
            foreach ($pair in $using.ModuleSpecification.KeyValuePairs) { if ([string]$pair.Item1.Extent.Text.Trim('''', '"') -eq 'ModuleName') { $specified = $pair.Item2.Extent.Text.Trim().Trim('''', '"') } }
        }
        if ($module -eq 'ExchangeOnlineManagement' -or $specified -eq 'ExchangeOnlineManagement') { continue }
        return [pscustomobject]@{ Reason = "line $($using.Extent.StartLineNumber) imports the module $module with using module, whose cmdlets are not read"; Names = @(); Local = @() }
    }
    # https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_requires
    if ($null -ne $ast.ScriptRequirements) {
        foreach ($required in $ast.ScriptRequirements.RequiredModules) {
            if ($required.Name -eq 'ExchangeOnlineManagement') { continue }
            $where = Get-RequiresLine -Source $Source -Name $required.Name
            return [pscustomobject]@{ Reason = "$($where.Text) requires the module $($required.Name) (#Requires -Modules), whose cmdlets are not read"; Names = @(); Local = @() }
        }
    }
    # The script's own functions: defined by a statement of the script itself (function
    # script:Name, a scope named or not), or written to the function: drive (${function:Name} = { },
    # New-Item function:Name). One defined only inside a block (if ($Offline) { function Get-Mailbox
    # { } }) may not be there when the script calls the name, and a read of the drive (Test-Path
    # function:\Get-Mailbox) defines nothing: their names are still requested.
    $defined = [System.Collections.Generic.List[string]]::new()
    foreach ($function in $ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.FunctionDefinitionAst] }, $true)) {
        if ($function.Parent -is [System.Management.Automation.Language.NamedBlockAst] -and $function.Parent.Parent -eq $ast) {
            $defined.Add(($function.Name -replace '^(global|script|local|private):', ''))
        }
    }
    foreach ($node in $ast.FindAll({ param($node) ($node -is [System.Management.Automation.Language.VariableExpressionAst] -and @('function', 'alias') -contains $node.VariablePath.DriveName) -or
                    ($node -is [System.Management.Automation.Language.StringConstantExpressionAst] -and $node.Value -match '^(function|alias):.') }, $true)) {
        $written = if ($node -is [System.Management.Automation.Language.VariableExpressionAst]) {
            $node.Parent -is [System.Management.Automation.Language.AssignmentStatementAst] -and $node.Parent.Left -eq $node
        } else {
            $node.Parent -is [System.Management.Automation.Language.CommandAst] -and $script:DriveWriters -contains $node.Parent.GetCommandName()
        }
        if (-not $written) { continue }
        $path = if ($node -is [System.Management.Automation.Language.VariableExpressionAst]) { $node.VariablePath.UserPath } else { $node.Value }
        if ($path -match '^alias:') { return [pscustomobject]@{ Reason = "line $($node.Extent.StartLineNumber) defines an alias through the alias: drive, whose cmdlets are not read"; Names = @(); Local = @() } }
        $defined.Add(($path -replace '^function:[\\/]?', ''))
    }
    # Methods that run a command by a name in a string, or look one up: [scriptblock]::Create,
    # $ExecutionContext.InvokeCommand's InvokeScript and GetCommand, [powershell]'s AddCommand.
    foreach ($call in $ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.InvokeMemberExpressionAst] }, $true)) {
        if ($call.Member -isnot [System.Management.Automation.Language.StringConstantExpressionAst]) { continue }
        $method = $call.Member.Value
        $runsCommands = $script:CommandRunningMethods -contains $method
        if (-not $runsCommands -and $method -eq 'Create' -and $call.Static -and $call.Expression -is [System.Management.Automation.Language.TypeExpressionAst]) {
            $runsCommands = $call.Expression.TypeName.GetReflectionType() -eq [scriptblock]
        }
        if ($runsCommands) {
            $operator = if ($call.Static) { '::' } else { '.' }
            return [pscustomobject]@{ Reason = "line $($call.Extent.StartLineNumber) calls $($call.Expression.Extent.Text)$operator$method(), which runs or looks up commands by a name the script does not write as a command"; Names = @(); Local = @() }
        }
    }
    $names = [System.Collections.Generic.List[string]]::new()
    $local = [System.Collections.Generic.List[string]]::new()
    foreach ($command in $ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.CommandAst] }, $true)) {
        $name = $command.GetCommandName()
        $line = $command.Extent.StartLineNumber
        # & { ... } and . { ... }: the block's own commands are read like the rest.
        if ($command.CommandElements[0] -is [System.Management.Automation.Language.ScriptBlockExpressionAst]) { continue }
        if ($command.InvocationOperator -eq [System.Management.Automation.Language.TokenKind]::Dot) {
            $what = if ($null -eq $name) { $command.CommandElements[0].Extent.Text } else { $name }
            return [pscustomobject]@{ Reason = "line ${line} dot-sources $what"; Names = @(); Local = @() }
        }
        if ($null -eq $name) { return [pscustomobject]@{ Reason = "line ${line} invokes a command whose name is computed"; Names = @(); Local = @() } }
        # Import-Module ExchangeOnlineManagement, as #Requires names it: the module is imported
        # already, and loads none of the connection's cmdlets.
        # One binding serves both checks that read a command's arguments.
        $binding = if (@('Import-Module', 'ipmo', 'Get-Command', 'gcm') -contains $name) { [System.Management.Automation.Language.StaticParameterBinder]::BindCommand($command, $true) }
        if (@('Import-Module', 'ipmo') -contains $name -and (Test-ExchangeModuleImport -Binding $binding)) { continue }
        if (@('Invoke-Expression', 'iex', 'Invoke-Command', 'icm', 'Import-Module', 'ipmo') -contains $name) { return [pscustomobject]@{ Reason = "line ${line} uses $name"; Names = @(); Local = @() } }
        # An alias the script makes names a cmdlet only where it runs: the name the script calls is not the cmdlet's.
        if (@('Set-Alias', 'sal', 'New-Alias', 'nal', 'Import-Alias', 'ipal') -contains $name) { return [pscustomobject]@{ Reason = "line ${line} defines aliases with $name, whose cmdlets are not read"; Names = @(); Local = @() } }
        # Another script's cmdlets are not read: called or dot-sourced, it may use any.
        if ($name -match '\.ps1$') { return [pscustomobject]@{ Reason = "line ${line} runs the script $name, whose cmdlets are not read"; Names = @(); Local = @() } }
        if ($name -match '[\\/]') { return [pscustomobject]@{ Reason = "line ${line} runs $name by its path, which may be a script whose cmdlets are not read"; Names = @(); Local = @() } }
        # Get-Command Set-Mailbox asks whether the session has the cmdlet (a role that grants it):
        # it is requested as if called, so that the answer is the one an interactive session gives.
        # A script or a path looked up is not run.
        $called = @($name)
        if (@('Get-Command', 'gcm') -contains $name) {
            $called = Get-ConstantArgument -Binding $binding -Parameter 'Name'
            if ($null -eq $called -or @($called | & $SafeCommands['Where-Object'] { [System.Management.Automation.WildcardPattern]::ContainsWildcardCharacters($_) }).Count -gt 0) {
                return [pscustomobject]@{ Reason = "line ${line} looks commands up with $name by other than their exact names"; Names = @(); Local = @() }
            }
            $called = @($called | & $SafeCommands['Where-Object'] { $_ -notmatch '\.ps1$|[\\/]' })
        }
        foreach ($name in $called) {
            if ($defined -contains $name -or $names.Contains($name) -or $local.Contains($name)) { continue }
            $present = @(& $SafeCommands['Get-Command'] -Name $name -ErrorAction SilentlyContinue)
            if ($present.Count -eq 0) { $names.Add($name); continue }
            $module = $present[0].Module
            # A native command, a cmdlet of PowerShell's core, or one of the runner's own names.
            if ($null -eq $module -or $module -eq $ExecutionContext.SessionState.Module) { continue }
            if ($module.Name -eq 'ExchangeOnlineManagement') { $local.Add($name); continue }
            # A command of a module from outside PowerShell's own folder (a helper module the runner
            # has, loaded when the script first calls it) may call any cmdlet of the connection.
            if (-not $Connected -and -not $module.ModuleBase.StartsWith($PSHOME, [System.StringComparison]::OrdinalIgnoreCase)) {
                return [pscustomobject]@{ Reason = "line ${line} calls $name of the module $($module.Name), whose cmdlets are not read"; Names = @(); Local = @() }
            }
        }
    }
    # Local: the module's own cmdlets the script names (Get-EXOMailbox and the like), which are
    # there before the connect and need nothing loaded; they explain an empty Names.
    [pscustomobject]@{ Reason = $null; Names = $names.ToArray(); Local = $local.ToArray() }
}

function Test-ExchangeModuleImport {
    # Whether an Import-Module command imports ExchangeOnlineManagement by its name, and nothing else.
    # Binding: StaticParameterBinder's binding of that command.
    param([Parameter(Mandatory)][AllowNull()] $Binding)
    $names = Get-ConstantArgument -Binding $Binding -Parameter 'Name'
    if ($null -eq $names -or @($names).Count -ne 1 -or $names[0] -ne 'ExchangeOnlineManagement') { return $false }
    foreach ($other in @('ModuleInfo', 'Assembly', 'FullyQualifiedName', 'PSSession', 'CimSession')) {
        if ($Binding.BoundParameters.ContainsKey($other)) { return $false }
    }
    $true
}

function Get-ConstantArgument {
    # The strings a parameter of a command is given as constants in the script's text ('Set-Mailbox',
    # or 'Get-Mailbox', 'Set-Mailbox'); $null when it is given anything else, or is not given.
    # https://learn.microsoft.com/dotnet/api/system.management.automation.language.staticparameterbinder
    # Binding: StaticParameterBinder's binding of the command (BindCommand).
    param([Parameter(Mandatory)][AllowNull()] $Binding, [Parameter(Mandatory)][string] $Parameter)
    if ($null -eq $Binding -or $Binding.BindingExceptions.Count -gt 0 -or -not $Binding.BoundParameters.ContainsKey($Parameter)) { return $null }
    $value = $Binding.BoundParameters[$Parameter].Value
    $elements = if ($value -is [System.Management.Automation.Language.ArrayLiteralAst]) { $value.Elements } else { @($value) }
    $strings = [System.Collections.Generic.List[string]]::new()
    foreach ($element in $elements) {
        if ($element -isnot [System.Management.Automation.Language.StringConstantExpressionAst]) { return $null }
        $strings.Add($element.Value)
    }
    , $strings.ToArray()
}

# The command-names list as the user wrote it; empty for all and auto.
$script:ListedCommandNames = @()

function Resolve-CommandName {
    # Sets $Connection.commandNames to the cmdlets to request, or $null for all of them.
    # Source: the script as Read-ScriptSource read it; auto and the prefix check read it.
    # All, the default, leaves it as it is; a list and auto each have a function of their own,
    # compiled only in the runs that ask for them.
    param([Parameter(Mandatory)] $Connection, [Parameter(Mandatory)][AllowNull()] $Source)
    $script:ListedCommandNames = @()
    $prefix = Get-ConfigValue $Connection 'prefix'
    if ($prefix -and $null -ne $Source) { Write-PrefixedModuleCommandWarning -Source $Source -Prefix $prefix }
    if ($Connection.commandNames -is [string] -and $Connection.commandNames -eq 'auto') {
        Resolve-AutoCommandName -Connection $Connection -Source $Source -Prefix $prefix
    } elseif ($Connection.commandNames) {
        Resolve-ListedCommandName -Connection $Connection -Prefix $prefix
    }
}

function Resolve-ListedCommandName {
    # command-names as a list. A listed name may be written as the script calls it, or as the
    # module names it.
    param([Parameter(Mandatory)] $Connection, [AllowNull()][string] $Prefix)
    $script:ListedCommandNames = @($Connection.commandNames)
    $Connection.commandNames = Get-RequestedName -Names $Connection.commandNames -Prefix $Prefix -KeepAsWritten
    $requested = @($Connection.commandNames)
    $added = foreach ($name in $requested) { if ($script:ListedCommandNames -notcontains $name) { $name } }
    if ($null -eq $added) {
        Write-RunnerLog "command-names: $(Format-Count $requested.Count 'cmdlet' 'cmdlets') requested: $($requested -join ', ')."
    } else {
        # Counted as listed: a name that carries the prefix is requested in both forms.
        Write-RunnerLog (ConvertTo-LogLine "command-names: $(Format-Count $script:ListedCommandNames.Count 'cmdlet' 'cmdlets') listed; with prefix $Prefix, a listed name that carries it is requested without it too: $($requested -join ', ').")
    }
}

function Resolve-AutoCommandName {
    # command-names auto: the cmdlets the script names, or all of them with the reason why.
    param([Parameter(Mandatory)] $Connection, [Parameter(Mandatory)][AllowNull()] $Source, [AllowNull()][string] $Prefix)
    $found = Find-RemoteCommandName -Source $Source
    $names = @($found.Names)
    if ($null -ne $found.Reason) {
        Write-RunnerLog (ConvertTo-LogLine "command-names auto: loading all cmdlets, because $($found.Reason).")
        Write-RunnerEvent @{ event = 'commands'; requested = 'all'; reason = $found.Reason }
        $Connection.commandNames = $null
    } elseif (@($found.Local).Count -gt 0 -and $names.Count -eq 0) {
        # Get-EXOMailbox and the module's other own cmdlets need none of the connection's. Requested
        # by name, they leave it nothing to load: -CommandName skips a name the service has not.
        $local = @($found.Local)
        Write-RunnerLog (ConvertTo-LogLine "command-names auto: the script calls only $($local -join ', '), which the ExchangeOnlineManagement module itself provides: the connection loads none of its other cmdlets.")
        Write-RunnerEvent @{ event = 'commands'; requested = $local.Count; names = $local }
        $Connection.commandNames = $local
    } elseif ($names.Count -eq 0) {
        Write-RunnerLog 'command-names auto: loading all cmdlets, because the script names none of the Exchange cmdlets.'
        Write-RunnerEvent @{ event = 'commands'; requested = 'all'; reason = 'no remote cmdlet named' }
        $Connection.commandNames = $null
    } else {
        $names = Get-RequestedName -Names $names -Prefix $Prefix
        Write-RunnerLog (ConvertTo-LogLine "command-names auto: $(Format-Count $names.Count 'cmdlet' 'cmdlets') requested: $($names -join ', ').")
        Write-RunnerEvent @{ event = 'commands'; requested = $names.Count; names = $names }
        $Connection.commandNames = $names
    }
}

function Write-PrefixedModuleCommandWarning {
    # -Prefix renames the cmdlets the connection loads, not the module's own (Get-EXOMailbox,
    # Get-ConnectionInformation and the like), which are there before the connect: the script's
    # Get-ContosoEXOMailbox fails as not recognized. Learn: Connect-ExchangeOnline, -Prefix.
    param([Parameter(Mandatory)] $Source, [Parameter(Mandatory)][string] $Prefix)
    $connect = $script:SafeCommands['Connect-ExchangeOnline']
    if ($null -eq $connect -or $null -eq $connect.Module) { return }
    $moduleCommands = $connect.Module.ExportedCommands
    # A function of the script's own by that name (a wrapper) is what the call reaches.
    $defined = foreach ($function in $Source.Ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.FunctionDefinitionAst] }, $true)) { $function.Name -replace '^\w+:', '' }
    $wrong = [System.Collections.Generic.List[string]]::new()
    foreach ($command in $Source.Ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.CommandAst] }, $true)) {
        $name = $command.GetCommandName()
        if (-not $name) { continue }
        $plain = Get-UnprefixedName -Name $name -Prefix $Prefix
        if ($null -eq $plain) { continue }
        $said = "$name (call $plain)"
        if ($moduleCommands.ContainsKey($plain) -and @($defined) -notcontains $name -and -not $wrong.Contains($said)) { $wrong.Add($said) }
    }
    if ($wrong.Count -eq 0) { return }
    Write-RunnerAnnotation -Kind 'warning' -Message "The script calls $($wrong -join ', '): prefix renames the cmdlets the connection loads, not the ExchangeOnlineManagement module's own (Get-EXOMailbox, Get-ConnectionInformation and the like), which keep their names, so these calls fail as not recognized."
}


function Get-RequestedName {
    # -CommandName takes the cmdlets' own names: with -Prefix Contoso the script calls
    # Get-ContosoMailbox, and Get-Mailbox is the name to request (Connect-ExchangeOnline, -Prefix).
    # -KeepAsWritten also requests each name as given, for a list whose names may be either.
    param([Parameter(Mandatory)][string[]] $Names, [AllowNull()][string] $Prefix, [switch] $KeepAsWritten)
    $requested = [System.Collections.Generic.List[string]]::new()
    # Command names are case-insensitive: each is requested once, as first written.
    $seen = [System.Collections.Generic.HashSet[string]]::new([System.StringComparer]::OrdinalIgnoreCase)
    foreach ($name in $Names) {
        $plain = Get-UnprefixedName -Name $name -Prefix $Prefix
        if ($null -ne $plain -and $seen.Add($plain)) { $requested.Add($plain) }
        if (($null -eq $plain -or $KeepAsWritten) -and $seen.Add($name)) { $requested.Add($name) }
    }
    , $requested.ToArray()
}

function Get-UnprefixedName {
    # Verb-Noun for Verb-<prefix>Noun, the name the connection gives a cmdlet with -Prefix
    # (Connect-ExchangeOnline, -Prefix); $null for a name that does not carry the prefix.
    param([Parameter(Mandatory)][string] $Name, [AllowNull()][string] $Prefix)
    $dash = $Name.IndexOf([char]'-')
    if (-not $Prefix -or $dash -lt 1) { return $null }
    $noun = $Name.Substring($dash + 1)
    if ($noun.Length -le $Prefix.Length -or -not $noun.StartsWith($Prefix, [System.StringComparison]::OrdinalIgnoreCase)) { return $null }
    $Name.Substring(0, $dash + 1) + $noun.Substring($Prefix.Length)
}

function Get-PrefixedName {
    # Verb-<prefix>Noun for Verb-Noun: the name the connection gives that cmdlet with -Prefix; a
    # name without a verb as it is.
    param([Parameter(Mandatory)][string] $Name, [Parameter(Mandatory)][string] $Prefix)
    $dash = $Name.IndexOf([char]'-')
    if ($dash -lt 1) { return $Name }
    $Name.Substring(0, $dash + 1) + $Prefix + $Name.Substring($dash + 1)
}

function Write-UnloadedCommandWarning {
    # Connect-ExchangeOnline -CommandName and Import-PSSession -CommandName skip a name the server
    # has not (a typo, or a cmdlet the role does not grant) without a word. A listed name the script
    # never calls does no harm by itself; what fails is each cmdlet the script calls that the list
    # left out, which the script's text names unless it invokes commands dynamically.
    param([AllowNull()][string] $Prefix, [Parameter(Mandatory)] $Source)
    # all and auto list nothing: auto requests what the script names.
    if (@($script:ListedCommandNames).Count -eq 0) { return }
    $unloaded = [System.Collections.Generic.List[string]]::new()
    foreach ($name in $script:ListedCommandNames) {
        $callable = @($name)
        if ($Prefix -and $name.IndexOf([char]'-') -gt 0) { $callable += Get-PrefixedName -Name $name -Prefix $Prefix }
        if (@(& $SafeCommands['Get-Command'] -Name $callable -ErrorAction SilentlyContinue).Count -gt 0) { continue }
        $unloaded.Add($name)
    }
    # Now that the connection has imported what it will, the script's commands this session lacks
    # are exactly those that fail as not recognized.
    $found = Find-RemoteCommandName -Source $Source -Connected
    $missing = @($found.Names)
    # With a prefix, the connection names a listed cmdlet with it: a call without it is not the list's fault.
    if ($Prefix -and $null -eq $found.Reason) {
        $unprefixed = @($missing | & $SafeCommands['Where-Object'] { $script:ListedCommandNames -contains $_ })
        if ($unprefixed.Count -gt 0) {
            $withPrefix = foreach ($name in $unprefixed) { Get-PrefixedName -Name $name -Prefix $Prefix }
            Write-RunnerAnnotation -Kind 'warning' -Message "The script calls $($unprefixed -join ', ') without the prefix ${Prefix}: with prefix set, the connection names them $($withPrefix -join ', '), so the calls fail as not recognized. Call them by those names, or leave prefix empty."
            $missing = @($missing | & $SafeCommands['Where-Object'] { $unprefixed -notcontains $_ })
        }
    }
    if ($unloaded.Count -eq 0) {
        # Every listed name is there; a cmdlet the script calls that the list left out is not.
        if ($null -ne $found.Reason -or $missing.Count -eq 0) { return }
        $fails = 'they fail'
        if ($missing.Count -eq 1) { $fails = 'it fails' }
        Write-RunnerAnnotation -Kind 'warning' -Message "command-names leaves out $($missing -join ', '), which the script calls and this session does not have: $fails as not recognized, unless the script installs or imports a module that has $(if ($missing.Count -eq 1) { 'it' } else { 'them' }). Add the Exchange cmdlets among them to command-names, or set it to auto, which requests the cmdlets the script names."
        return
    }
    $message = "command-names lists $($unloaded -join ', '), which the connection did not import: "
    if ($unloaded.Count -eq 1) { $message += "it is not a cmdlet of this connection (a typo?), or the Exchange role of the app or account does not grant it." }
    else { $message += "they are not cmdlets of this connection (typos?), or the Exchange role of the app or account does not grant them." }
    if ($null -ne $found.Reason) { $message += ' Cmdlets the script calls that the list leaves out fail as not recognized.' }
    elseif ($missing.Count -gt 0) { $message += " Cmdlets the script calls that the list leaves out fail as not recognized: $($missing -join ', ')." }
    Write-RunnerAnnotation -Kind 'warning' -Message $message
}
