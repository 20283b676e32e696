# command-names: auto reads the script's syntax tree with PowerShell's own parser and requests
# only the cmdlets it names. Dynamic invocation cannot be read, so it falls back to all.

function Find-RemoteCommandName {
    # The commands the script names that neither it defines nor this PowerShell has: the ones the
    # connection must load. Reason is set, and Names empty, when the script's commands cannot be known.
    param([Parameter(Mandatory)][string] $ScriptPath)
    $tokens = $null
    $errors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseFile($ScriptPath, [ref]$tokens, [ref]$errors)
    $defined = @($ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.FunctionDefinitionAst] }, $true) | & $SafeCommands['ForEach-Object'] { $_.Name })
    $names = New-Object 'System.Collections.Generic.List[string]'
    foreach ($command in $ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.CommandAst] }, $true)) {
        $name = $command.GetCommandName()
        $line = $command.Extent.StartLineNumber
        if ($null -eq $name) { return [pscustomobject]@{ Reason = "line ${line} invokes a command whose name is computed"; Names = @() } }
        if ($command.InvocationOperator -eq [System.Management.Automation.Language.TokenKind]::Dot) { return [pscustomobject]@{ Reason = "line ${line} dot-sources $name"; Names = @() } }
        if (@('Invoke-Expression', 'iex', 'Invoke-Command', 'icm', 'Import-Module', 'ipmo') -contains $name) { return [pscustomobject]@{ Reason = "line ${line} uses $name"; Names = @() } }
        if ($defined -notcontains $name -and -not $names.Contains($name) -and -not (& $SafeCommands['Get-Command'] -Name $name -ErrorAction SilentlyContinue)) { $names.Add($name) }
    }
    [pscustomobject]@{ Reason = $null; Names = $names.ToArray() }
}

function Resolve-CommandNames {
    # Sets $Connection.commandNames to the cmdlets to request, or $null for all of them.
    param([Parameter(Mandatory)] $Connection, [Parameter(Mandatory)][string] $ScriptPath)
    $auto = $Connection.commandNames -is [string] -and $Connection.commandNames -eq 'auto'
    if (-not $auto) {
        if ($Connection.commandNames) { & $SafeCommands['Write-Host'] "command-names: $(@($Connection.commandNames).Count) cmdlets requested." }
        return
    }
    $found = Find-RemoteCommandName -ScriptPath $ScriptPath
    $names = @($found.Names)
    if ($null -ne $found.Reason) {
        & $SafeCommands['Write-Host'] "command-names auto: loading all cmdlets, because $($found.Reason)."
        Write-RunnerEvent @{ event = 'commands'; requested = 'all'; reason = $found.Reason }
        $Connection.commandNames = $null
    } elseif ($names.Count -eq 0) {
        & $SafeCommands['Write-Host'] 'command-names auto: the script names no Exchange cmdlet outside the module; loading all cmdlets.'
        Write-RunnerEvent @{ event = 'commands'; requested = 'all'; reason = 'no remote cmdlet named' }
        $Connection.commandNames = $null
    } else {
        & $SafeCommands['Write-Host'] "command-names auto: $($names.Count) cmdlets requested: $($names -join ', ')."
        Write-RunnerEvent @{ event = 'commands'; requested = $names.Count; names = $names }
        $Connection.commandNames = $names
    }
}
