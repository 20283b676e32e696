# The `parameters` input: JSON text, exactly as the workflow wrote it, becomes the hashtable the
# user's script is called with. Every key must be a parameter the script's param() block declares,
# read with PowerShell's own parser before anything connects:
# https://learn.microsoft.com/powershell/scripting/developer/prog-guide/windows-powershell-api-parser

function Get-ScriptParameterName {
    # The names the script's param() block declares, aliases included. Dynamic is set when a
    # dynamicparam block may add more than the file shows. Dictionaries: the names and aliases of
    # parameters typed as a dictionary ([hashtable], [System.Collections.IDictionary], or arrays of them).
    param([Parameter(Mandatory)][string] $ScriptPath)
    $tokens = $null
    $errors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseFile($ScriptPath, [ref]$tokens, [ref]$errors)
    $names = [System.Collections.Generic.List[string]]::new()
    $aliases = [System.Collections.Generic.List[string]]::new()
    $dictionaries = [System.Collections.Generic.List[string]]::new()
    if ($null -ne $ast.ParamBlock) {
        foreach ($parameter in $ast.ParamBlock.Parameters) {
            $name = $parameter.Name.VariablePath.UserPath
            $names.Add($name)
            $own = [System.Collections.Generic.List[string]]::new()
            $own.Add($name)
            foreach ($attribute in $parameter.Attributes) {
                if ($attribute -isnot [System.Management.Automation.Language.AttributeAst] -or $attribute.TypeName.FullName -notmatch '^(System\.Management\.Automation\.)?Alias(Attribute)?$') { continue }
                foreach ($argument in $attribute.PositionalArguments) {
                    foreach ($value in $argument.FindAll({ param($node) $node -is [System.Management.Automation.Language.StringConstantExpressionAst] }, $true)) {
                        $aliases.Add($value.Value)
                        $own.Add($value.Value)
                    }
                }
            }
            $type = $parameter.StaticType
            if ($type.IsArray) { $type = $type.GetElementType() }
            if ([System.Collections.IDictionary].IsAssignableFrom($type)) { $dictionaries.AddRange($own) }
        }
    }
    [pscustomobject]@{
        Names        = $names.ToArray()
        Aliases      = $aliases.ToArray()
        Dictionaries = $dictionaries.ToArray()
        HasBlock     = $null -ne $ast.ParamBlock
        Dynamic      = $null -ne $ast.DynamicParamBlock
        Parseable    = @($errors).Count -eq 0
    }
}

function Read-ScriptParameter {
    # The hashtable to splat. Throws, naming the input, for keys the script does not declare.
    param([Parameter(Mandatory)] $Script)
    # What the action sends when the input is empty: nothing to read or check.
    if ($Script.parameters -eq '{}') { return @{} }
    $parameters = ConvertTo-Hashtable (ConvertFrom-RunnerJson -Text $Script.parameters)
    if ($parameters.Count -eq 0) { return $parameters }
    $declared = Get-ScriptParameterName -ScriptPath $Script.path
    foreach ($key in @($parameters.Keys)) {
        if ($declared.Dictionaries -contains $key) { $parameters[$key] = ConvertTo-DictionaryValue $parameters[$key] }
    }
    # A script that does not parse fails when it runs, with PowerShell's own message.
    if (-not $declared.Parseable -or $declared.Dynamic) { return $parameters }
    $known = @($declared.Names) + @($declared.Aliases)
    $unknown = @($parameters.Keys | & $SafeCommands['Where-Object'] { $known -notcontains $_ } | & $SafeCommands['Sort-Object'])
    if ($unknown.Count -eq 0) { return $parameters }
    $keys = ($unknown | & $SafeCommands['ForEach-Object'] { "'$_'" }) -join ', '
    if (-not $declared.HasBlock) {
        throw "Input 'parameters': the script has no param() block, so it takes no parameters, and parameters sets $keys. Accepted: no parameters, or a param() block in the script that declares them."
    }
    $list = '(none)'
    if (@($declared.Names).Count -gt 0) { $list = @($declared.Names) -join ', ' }
    $verb = 'is not a parameter'
    if ($unknown.Count -gt 1) { $verb = 'are not parameters' }
    throw "Input 'parameters': $keys $verb of the script. Accepted: the parameters its param() block declares: $list."
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
