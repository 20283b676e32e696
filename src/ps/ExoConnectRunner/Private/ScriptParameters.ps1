# The `parameters` input: JSON text, exactly as the workflow wrote it, becomes the hashtable the
# user's script is called with. Before anything connects, the script is read with PowerShell's own
# parser: it must parse, every key must be a parameter its param() block declares, every
# mandatory parameter must be set, since a workflow cannot answer PowerShell's prompt for one, and
# a value must convert to its parameter's declared type:
# https://learn.microsoft.com/powershell/scripting/developer/prog-guide/windows-powershell-api-parser
# What remains (a mandatory parameter given "" or null, parameter sets, a name given twice by
# alias, ValidateSet, ValidateRange and the like) PowerShell's own binder decides, case by case:
# the values are bound to a copy of the param() block that runs nothing (ScriptBinding.ps1).

# Parse errors about what is not loaded yet, rather than about the text.
$script:RunTimeParseErrors = @('TypeNotFound', 'ModuleNotFoundDuringParse')

function Get-ScriptParameterName {
    # The names the script's param() block declares, aliases included. Dynamic is set when a
    # dynamicparam block may add more than the file shows. Dictionaries: the names and aliases of
    # parameters typed as a dictionary ([hashtable], [System.Collections.IDictionary], or arrays of them).
    # Mandatory: for each mandatory parameter, its name and aliases; none when the block declares
    # parameter sets, where another set may leave it out. Typed: for each parameter with one type
    # that resolves now, before the Exchange module is imported, its names, the type and the type as
    # written.
    param([Parameter(Mandatory)] $Source)
    $ast = $Source.Ast
    $names = [System.Collections.Generic.List[string]]::new()
    $aliases = [System.Collections.Generic.List[string]]::new()
    $dictionaries = [System.Collections.Generic.List[string]]::new()
    $mandatory = [System.Collections.Generic.List[object]]::new()
    $typed = [System.Collections.Generic.List[object]]::new()
    $sets = $false
    if ($null -ne $ast.ParamBlock) {
        foreach ($parameter in $ast.ParamBlock.Parameters) {
            $name = $parameter.Name.VariablePath.UserPath
            $names.Add($name)
            $own = [System.Collections.Generic.List[string]]::new()
            $own.Add($name)
            $required = $false
            foreach ($attribute in $parameter.Attributes) {
                if ($attribute -is [System.Management.Automation.Language.AttributeAst] -and (Get-AttributeName $attribute) -eq 'Parameter') {
                    foreach ($argument in $attribute.NamedArguments) {
                        if ($argument.ArgumentName -eq 'ParameterSetName') { $sets = $true }
                        # Mandatory, Mandatory = $true, or a true constant such as Mandatory = 1.
                        if ($argument.ArgumentName -eq 'Mandatory' -and ($argument.ExpressionOmitted -or $argument.Argument.Extent.Text -eq '$true' -or
                                ($argument.Argument -is [System.Management.Automation.Language.ConstantExpressionAst] -and [bool]$argument.Argument.Value))) { $required = $true }
                    }
                }
                if ($attribute -isnot [System.Management.Automation.Language.AttributeAst] -or (Get-AttributeName $attribute) -ne 'Alias') { continue }
                foreach ($argument in $attribute.PositionalArguments) {
                    foreach ($value in $argument.FindAll({ param($node) $node -is [System.Management.Automation.Language.StringConstantExpressionAst] }, $true)) {
                        $aliases.Add($value.Value)
                        $own.Add($value.Value)
                    }
                }
            }
            if ($required) { $mandatory.Add($own.ToArray()) }
            $declaredType = Get-CheckableType -Parameter $parameter
            if ($null -ne $declaredType) { $typed.Add([pscustomobject]@{ Names = $own.ToArray(); Name = $name; Type = $declaredType.Type; Written = $declaredType.Written }) }
            $type = $parameter.StaticType
            if ($type.IsArray) { $type = $type.GetElementType() }
            if ([System.Collections.IDictionary].IsAssignableFrom($type)) { $dictionaries.AddRange($own) }
        }
    }
    $mandatoryNames = $mandatory.ToArray()
    if ($sets) { $mandatoryNames = @() }
    [pscustomobject]@{
        Names        = $names.ToArray()
        Aliases      = $aliases.ToArray()
        Dictionaries = $dictionaries.ToArray()
        HasBlock     = $null -ne $ast.ParamBlock
        Dynamic      = $null -ne $ast.DynamicParamBlock
        Mandatory    = $mandatoryNames
        Typed        = $typed.ToArray()
        ParamBlock   = $ast.ParamBlock
        AnyMandatory = $mandatory.Count -gt 0
    }
}

function Get-AttributeName {
    # An attribute's name as written, without its namespace or the Attribute suffix: Parameter for [System.Management.Automation.ParameterAttribute()].
    param([Parameter(Mandatory)][System.Management.Automation.Language.AttributeAst] $Attribute)
    $Attribute.TypeName.FullName -replace '^System\.Management\.Automation\.', '' -replace 'Attribute$', ''
}

function Get-CheckableType {
    # The type a parameter converts its value to, when it can be checked before the run: exactly one
    # type constraint, resolved now (a type of the Exchange module, or of a `using module`, is not
    # yet), and no attribute that converts the value itself ([Credential()], or one not loaded yet).
    # Anything else is left to PowerShell when the script is called.
    param([Parameter(Mandatory)][System.Management.Automation.Language.ParameterAst] $Parameter)
    # A loop, not Where-Object: a script given no parameters then calls no pipeline cmdlet here.
    $constraints = @(foreach ($attribute in $Parameter.Attributes) { if ($attribute -is [System.Management.Automation.Language.TypeConstraintAst]) { $attribute } })
    if ($constraints.Count -ne 1) { return $null }
    $type = $constraints[0].TypeName.GetReflectionType()
    if ($null -eq $type -or $type -eq [object]) { return $null }
    foreach ($attribute in $Parameter.Attributes) {
        if ($attribute -isnot [System.Management.Automation.Language.AttributeAst]) { continue }
        $attributeType = $attribute.TypeName.GetReflectionAttributeType()
        if ($null -eq $attributeType -or [System.Management.Automation.ArgumentTransformationAttribute].IsAssignableFrom($attributeType)) { return $null }
    }
    [pscustomobject]@{ Type = $type; Written = "[$($constraints[0].TypeName.FullName)]" }
}

function Read-ScriptParameter {
    # The hashtable to splat. Throws, naming the input, for a script that does not parse, that
    # requires what this PowerShell does not have, keys it does not declare, mandatory parameters
    # left unset, and values its types refuse. ExchangeModule: the module the action imports itself.
    # Each check is called only when the script has what it checks: a function's first call compiles
    # all of its text, which costs each run about 2 ms a kilobyte (docs/decisions/0010).
    param([Parameter(Mandatory)] $Script, [Parameter(Mandatory)] $Source, [string] $ExchangeModule = 'ExchangeOnlineManagement')
    if (@($Source.Errors).Count -gt 0) { Assert-ScriptSyntax -Script $Script -Source $Source }
    $requirements = $Source.Ast.ScriptRequirements
    if ($null -ne $requirements) { Assert-ScriptRequirement -Requirements $requirements -From $Script.input }
    if ($null -ne $requirements -or $Source.Ast.UsingStatements.Count -gt 0) { Assert-RequiredModulePresent -Script $Script -Source $Source -ExchangeModule $ExchangeModule }
    # '{}' is what the action sends when the input is empty. Most scripts declare no param() block
    # and are given no parameters: nothing more to check, and no declaration to read (this function
    # in a fresh pwsh took 70 to 122 ms before, 28 to 52 ms with this).
    if ($Script.parameters -eq '{}' -and $null -eq $Source.Ast.ParamBlock -and $null -eq $Source.Ast.DynamicParamBlock) { return @{} }
    Read-DeclaredParameter -Script $Script -Source $Source
}

function Read-DeclaredParameter {
    # Read-ScriptParameter's part for a script that declares parameters or is given some.
    param([Parameter(Mandatory)] $Script, [Parameter(Mandatory)] $Source)
    $declared = Get-ScriptParameterName -Source $Source
    $parameters = @{}
    if ($Script.parameters -ne '{}') { $parameters = ConvertTo-Hashtable (ConvertFrom-RunnerJson -Text $Script.parameters) }
    foreach ($key in @($parameters.Keys)) {
        if ($declared.Dictionaries -contains $key) { $parameters[$key] = ConvertTo-DictionaryValue $parameters[$key] }
    }
    # A dynamicparam block may add names and sets that the file does not show.
    if (-not $declared.Dynamic) {
        Assert-MandatorySet -Declared $declared -Parameters $parameters
        Assert-DeclaredKey -Declared $declared -Parameters $parameters
    }
    Assert-ParameterType -Declared $declared -Parameters $parameters
    if (-not $declared.Dynamic -and $declared.HasBlock -and ($parameters.Count -gt 0 -or $declared.AnyMandatory)) {
        Import-RunnerFile -Path 'Private/ScriptBinding.ps1'
        Assert-ScriptBinding -ParamBlock $declared.ParamBlock -Parameters $parameters
    }
    $parameters
}

function Assert-ScriptSyntax {
    # The parser's first error, as a refusal that names the input. A type or a `using module` that
    # only the run loads (the Exchange module's, say) is not a syntax error: PowerShell resolves it
    # again when the script runs.
    param([Parameter(Mandatory)] $Script, [Parameter(Mandatory)] $Source)
    foreach ($syntaxError in @($Source.Errors)) {
        if ($script:RunTimeParseErrors -contains $syntaxError.ErrorId) { continue }
        $where = $syntaxError.Extent
        throw (New-ScriptRefusal -Message "Input '$($Script.input)': the script does not parse, so nothing was connected: line $($where.StartLineNumber), column $($where.StartColumnNumber): $($syntaxError.Message)" -Path $Script.path -Line $where.StartLineNumber)
    }
}

function New-ScriptRefusal {
    # A refusal of the script's input at a line of it: Get-ErrorFacts reads the file and line for an
    # annotation there, where a pull request shows it. Line: $null when the line is not known.
    param([Parameter(Mandatory)][string] $Message, [Parameter(Mandatory)][string] $Path, [AllowNull()] $Line)
    $refusal = [System.Management.Automation.RuntimeException]::new($Message)
    $refusal.Data['scriptFile'] = $Path
    if ($null -ne $Line) { $refusal.Data['scriptLine'] = [int]$Line }
    $refusal
}

function Assert-ScriptRequirement {
    # The script's #Requires -Version and -PSEdition, which PowerShell checks only as it starts the
    # script, once connected. A version is refused here only when its major or minor part is above
    # this PowerShell's; anything finer is left to PowerShell.
    # https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_requires
    param([AllowNull()] $Requirements, [Parameter(Mandatory)][string] $From)
    if ($null -eq $Requirements) { return }
    $current = $PSVersionTable.PSVersion
    $required = $Requirements.RequiredPSVersion
    if ($null -ne $required -and ($required.Major -gt $current.Major -or ($required.Major -eq $current.Major -and $required.Minor -gt $current.Minor))) {
        throw "Input '$From': the script has #Requires -Version $required, and this is PowerShell $current, so nothing was connected. Accepted: a script that runs on PowerShell $current (input 'shell' picks pwsh or powershell)."
    }
    $editions = @($Requirements.RequiredPSEditions)
    if ($editions.Count -gt 0 -and $editions -notcontains $PSEdition) {
        throw "Input '$From': the script has #Requires -PSEdition $($editions -join ', '), and this PowerShell is the $PSEdition edition, so nothing was connected. Accepted: shell: powershell (Windows PowerShell 5.1, Windows only) for a Desktop script, shell: pwsh for a Core one."
    }
}

function Assert-RequiredModulePresent {
    # A module the script requires besides the Exchange module (#Requires -Modules, using module)
    # that this PowerShell cannot find: PowerShell would refuse the script only once connected (and,
    # for exchange-server, after it took one of the account's sessions). Only its presence is
    # checked; a version it names is left to PowerShell, and so is a module named by its path.
    # https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_requires
    param([Parameter(Mandatory)] $Script, [Parameter(Mandatory)] $Source, [Parameter(Mandatory)][string] $ExchangeModule)
    $wanted = [System.Collections.Generic.List[object]]::new()
    if ($null -ne $Source.Ast.ScriptRequirements) {
        foreach ($required in $Source.Ast.ScriptRequirements.RequiredModules) {
            $wanted.Add(@{ Name = $required.Name; How = '#Requires -Modules'; Where = (Get-RequiresLine -Source $Source -Name $required.Name) })
        }
    }
    foreach ($using in $Source.Ast.UsingStatements) {
        if ($using.UsingStatementKind -ne [System.Management.Automation.Language.UsingStatementKind]::Module -or $null -eq $using.Name) { continue }
        $line = $using.Extent.StartLineNumber
        $wanted.Add(@{ Name = $using.Name.Value; How = 'using module'; Where = [pscustomobject]@{ Number = $line; Text = "line $line" } })
    }
    foreach ($module in $wanted) {
        $name = [string]$module.Name
        if (-not $name -or $name -eq $ExchangeModule -or $name.IndexOfAny([char[]]@('/', '\')) -ge 0 -or $name -match '\.(psd1|psm1|dll)$') { continue }
        if (@(& $SafeCommands['Get-Module'] -Name $name).Count -gt 0 -or @(& $SafeCommands['Get-Module'] -Name $name -ListAvailable).Count -gt 0) { continue }
        throw (New-ScriptRefusal -Message "Input '$($Script.input)': $($module.Where.Text) requires the module $name ($($module.How)), which is not installed on this runner (no folder on PSModulePath holds it), so nothing was connected. Accepted: install it in an earlier step (Install-PSResource -Name $name, or Save-PSResource to a folder on PSModulePath); or a script that does not require it." -Path $Script.path -Line $module.Where.Number)
    }
}

function Assert-ModuleRequirement {
    # A #Requires -Modules ExchangeOnlineManagement, or the script's own Import-Module of it
    # (Assert-ModuleImportVersion), with a version the imported copy does not meet, which
    # PowerShell would refuse only once connected. Checked after the import: module-version latest
    # and installed name no version before it.
    param([Parameter(Mandatory)] $Source, [Parameter(Mandatory)][System.Management.Automation.PSModuleInfo] $Module, [Parameter(Mandatory)][string] $From)
    Assert-ModuleImportVersion -Source $Source -Module $Module -From $From
    if ($null -eq $Source.Ast.ScriptRequirements) { return }
    foreach ($required in $Source.Ast.ScriptRequirements.RequiredModules) {
        if ($required.Name -ne $Module.Name) { continue }
        $unmet = Get-UnmetModuleVersion -Have $Module.Version -Required $required.RequiredVersion -Least $required.Version -Most $required.MaximumVersion
        if ($null -eq $unmet) { continue }
        $demand = @{ Required = "RequiredVersion $($unmet.Value)"; Least = "ModuleVersion $($unmet.Value), the least"; Most = "MaximumVersion $($unmet.Value), the most" }[$unmet.Kind]
        $where = Get-RequiresLine -Source $Source -Name $required.Name
        throw (New-ScriptRefusal -Message "Input '$From': $($where.Text) requires $($required.Name) $demand (#Requires -Modules), and module-version gave $(Get-ModuleVersionText -Module $Module), so nothing was connected. Accepted: module-version $($unmet.Wanted); or a #Requires that this version meets." -Path $Source.Path -Line $where.Number)
    }
}

function Assert-ModuleImportVersion {
    # The script's own Import-Module of the module, by its name, with a version (-RequiredVersion,
    # -MinimumVersion, -MaximumVersion, each a constant) that the imported copy does not meet. Once
    # connected, PowerShell would look for that version: not on the runner, the script fails at
    # that line; there, a second copy loads beside the connected one, and its cmdlets have no
    # connection. https://learn.microsoft.com/powershell/module/microsoft.powershell.core/import-module
    param([Parameter(Mandatory)] $Source, [Parameter(Mandatory)][System.Management.Automation.PSModuleInfo] $Module, [Parameter(Mandatory)][string] $From)
    $imports = $Source.Ast.FindAll({
            param($node)
            $node -is [System.Management.Automation.Language.CommandAst] -and @('Import-Module', 'ipmo', 'Microsoft.PowerShell.Core\Import-Module') -contains $node.GetCommandName()
        }, $true)
    foreach ($import in $imports) {
        $binding = [System.Management.Automation.Language.StaticParameterBinder]::BindCommand($import, $true)
        $names = Get-ConstantArgument -Binding $binding -Parameter 'Name'
        if ($null -eq $names -or $names -notcontains $Module.Name) { continue }
        # Constants only, and only what reads as a version: anything else is PowerShell's to refuse.
        $versions = @{ RequiredVersion = $null; MinimumVersion = $null }
        foreach ($parameter in @($versions.Keys)) {
            $given = Get-ConstantArgument -Binding $binding -Parameter $parameter
            $version = $null
            if ($null -ne $given -and [version]::TryParse($given[0], [ref]$version)) { $versions[$parameter] = $version }
        }
        $most = Get-ConstantArgument -Binding $binding -Parameter 'MaximumVersion'
        if ($null -ne $most) { $most = $most[0] }
        $unmet = Get-UnmetModuleVersion -Have $Module.Version -Required $versions['RequiredVersion'] -Least $versions['MinimumVersion'] -Most $most
        if ($null -eq $unmet) { continue }
        $demand = @{ Required = '-RequiredVersion'; Least = '-MinimumVersion'; Most = '-MaximumVersion' }[$unmet.Kind] + " $($unmet.Value)"
        $line = $import.Extent.StartLineNumber
        throw (New-ScriptRefusal -Message "Input '$From': line $line imports $($Module.Name) with $demand, and module-version gave $(Get-ModuleVersionText -Module $Module), which the action has imported and connected with, so nothing was connected. Accepted: module-version $($unmet.Wanted); or an Import-Module without a version, or none: the module is imported before the script runs." -Path $Source.Path -Line $line)
    }
}

function Get-UnmetModuleVersion {
    # The first of a script's version demands on the module that the imported version does not meet,
    # in this order: an exact version, the least, the most (a version, or N.* for any N.x). $null
    # when each is met or not made. Kind: Required, Least or Most; Value: the demand; Wanted: what
    # module-version would meet it.
    param([Parameter(Mandatory)][version] $Have, [AllowNull()][version] $Required, [AllowNull()][version] $Least, [AllowNull()][string] $Most)
    if ($null -ne $Required -and $Have -ne $Required) { return @{ Kind = 'Required'; Value = "$Required"; Wanted = "$Required" } }
    if ($null -ne $Least -and $Have -lt $Least) { return @{ Kind = 'Least'; Value = "$Least"; Wanted = "$Least or later, or latest" } }
    if ($Most -and (Test-AboveMaximum -Version $Have -Maximum $Most)) { return @{ Kind = 'Most'; Value = $Most; Wanted = "$Most or earlier" } }
    $null
}

function Test-AboveMaximum {
    # Whether a version is above a MaximumVersion: 3.5.0, or 3.* for any 3.x (the parts before the *).
    param([Parameter(Mandatory)][version] $Version, [Parameter(Mandatory)][string] $Maximum)
    if ($Maximum -match '^(\d+(?:\.\d+)*)\.\*$') {
        $prefix = @(foreach ($part in $Matches[1].Split('.')) { [int]$part })
        $parts = @($Version.Major, $Version.Minor, $Version.Build, $Version.Revision)
        for ($i = 0; $i -lt $prefix.Count; $i++) {
            if ($parts[$i] -ne $prefix[$i]) { return $parts[$i] -gt $prefix[$i] }
        }
        return $false
    }
    $limit = $null
    [version]::TryParse($Maximum, [ref]$limit) -and $Version -gt $limit
}

function Get-RequiresLine {
    # The #Requires comment that names a module: its line Number ($null when none is found; the
    # parser keeps no position for #Requires) and the Text that names it in a message ('line N').
    param([Parameter(Mandatory)] $Source, [Parameter(Mandatory)][string] $Name)
    foreach ($token in $Source.Tokens) {
        if ($token.Kind -eq [System.Management.Automation.Language.TokenKind]::Comment -and $token.Text -match '^#requires\s' -and $token.Text.IndexOf($Name, [System.StringComparison]::OrdinalIgnoreCase) -ge 0) {
            $line = $token.Extent.StartLineNumber
            return [pscustomobject]@{ Number = $line; Text = "line $line" }
        }
    }
    [pscustomobject]@{ Number = $null; Text = 'the script' }
}

function Assert-DeclaredKey {
    # A key the param() block does not declare would fail the call once connected.
    param([Parameter(Mandatory)] $Declared, [Parameter(Mandatory)][hashtable] $Parameters)
    if ($Parameters.Count -eq 0) { return }
    $known = @($Declared.Names) + @($Declared.Aliases)
    $unknown = @($Parameters.Keys | & $SafeCommands['Where-Object'] { $known -notcontains $_ } | & $SafeCommands['Sort-Object'])
    if ($unknown.Count -eq 0) { return }
    $keys = ($unknown | & $SafeCommands['ForEach-Object'] { "'$_'" }) -join ', '
    if (-not $Declared.HasBlock) {
        throw "Input 'parameters': the script has no param() block, so it takes no parameters, and parameters sets $keys. Accepted: no parameters, or a param() block in the script that declares them."
    }
    $list = '(none)'
    if (@($Declared.Names).Count -gt 0) { $list = @($Declared.Names) -join ', ' }
    $verb = 'is not a parameter'
    if ($unknown.Count -gt 1) { $verb = 'are not parameters' }
    throw "Input 'parameters': $keys $verb of the script. Accepted: the parameters its param() block declares: $list."
}

function Assert-ParameterType {
    # Converts each value as PowerShell will when it binds it (LanguagePrimitives, which parameter
    # binding uses), only to see that it can: the script still gets the value as written. A value
    # that cannot convert would fail the call once connected, naming no input.
    # https://learn.microsoft.com/dotnet/api/system.management.automation.languageprimitives.convertto
    param([Parameter(Mandatory)] $Declared, [Parameter(Mandatory)][hashtable] $Parameters)
    # No values, nothing to convert; and no Sort-Object, whose first call costs every such run.
    if ($Parameters.Count -eq 0) { return }
    foreach ($key in @($Parameters.Keys | & $SafeCommands['Sort-Object'])) {
        $parameter = @($Declared.Typed | & $SafeCommands['Where-Object'] { $_.Names -contains $key }) | & $SafeCommands['Select-Object'] -First 1
        if ($null -eq $parameter) { continue }
        $value = $Parameters[$key]
        # PowerShell binds a [bool] parameter from a Boolean or a number only, where ConvertTo would
        # take any string (the string "false" as $true): about_Booleans.
        if ($parameter.Type -eq [bool] -or $parameter.Type -eq [System.Nullable[bool]]) {
            $numeric = $value -is [int] -or $value -is [long] -or $value -is [double] -or $value -is [decimal]
            if (-not ($value -is [bool] -or $numeric -or ($null -eq $value -and $parameter.Type -ne [bool]))) {
                throw "Input 'parameters': `"$key`" is $(Format-ParameterValue $value), and `$$($parameter.Name) is $($parameter.Written), which PowerShell binds from true or false (or a number) only, so nothing was connected. Accepted: true or false, without quotes. A workflow_dispatch boolean input is one in toJSON(inputs.name); github.event.inputs holds it as a string."
            }
        }
        try {
            $null = [System.Management.Automation.LanguagePrimitives]::ConvertTo($value, $parameter.Type)
        } catch {
            # .NET's reason (a format, a range) may quote the whole value: cut as the value is.
            $reason = $_.Exception.GetBaseException().Message
            $reason = Limit-Text -Text $reason -Length 200
            throw "Input 'parameters': `"$key`" is $(Format-ParameterValue $value), which PowerShell cannot convert to $($parameter.Written), the type the script declares for `$$($parameter.Name) ($reason), so nothing was connected. Accepted: a value that converts to $($parameter.Written)."
        }
    }
}

function Format-ParameterValue {
    # A value of the parameters input, short, as JSON wrote it: a string in quotes, cut at a space
    # (Limit-Text), so a secret in it is whole, for the masking, or gone.
    param([AllowNull()] $Value)
    if ($null -eq $Value) { return 'null' }
    if ($Value -is [string]) { return "`"$(Limit-Text -Text $Value -Length 100)`"" }
    if ($Value -is [bool]) { return ([string]$Value).ToLowerInvariant() }
    if ($Value -is [System.Collections.IDictionary] -or $Value -is [System.Management.Automation.PSCustomObject]) { return 'an object' }
    if ($Value -is [array]) { return "an array of $($Value.Count) values" }
    [string]::Format([System.Globalization.CultureInfo]::InvariantCulture, '{0}', $Value)
}

function Assert-MandatorySet {
    # A mandatory parameter left unset would make PowerShell prompt for it, which a workflow cannot
    # answer: the script would fail once connected.
    param([Parameter(Mandatory)] $Declared, [Parameter(Mandatory)][hashtable] $Parameters)
    $missing = [System.Collections.Generic.List[string]]::new()
    foreach ($names in $Declared.Mandatory) {
        $set = $false
        foreach ($name in $names) { if ($Parameters.ContainsKey($name)) { $set = $true } }
        if (-not $set) { $missing.Add($names[0]) }
    }
    if ($missing.Count -eq 0) { return }
    $noun = 'parameter'
    if ($missing.Count -gt 1) { $noun = 'parameters' }
    throw "Input 'parameters': the script's mandatory $noun $($missing -join ', ') $(if ($missing.Count -gt 1) { 'are' } else { 'is' }) not set, so nothing was connected. Accepted: a JSON object that sets each mandatory parameter, such as {`"$($missing[0])`": ...}."
}

function ConvertTo-DictionaryValue {
    # A JSON object as an @{} literal makes it, nested objects included: a hashtable, which a
    # parameter typed [hashtable] binds (Exchange cmdlets take @{Add=...; Remove=...} values).
    param([AllowNull()] $Value)
    if ($Value -is [System.Management.Automation.PSCustomObject]) {
        $table = @{}
        foreach ($property in $Value.PSObject.Properties) { $table[$property.Name] = ConvertTo-DictionaryValue $property.Value }
        return $table
    }
    if ($Value -is [object[]]) { return , @(foreach ($item in $Value) { ConvertTo-DictionaryValue $item }) }
    $Value
}
