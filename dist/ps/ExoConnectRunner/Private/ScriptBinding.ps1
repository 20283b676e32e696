# PowerShell's own binder on the values of the `parameters` input, before anything connects:
# they are bound to a copy of the script's param() block that runs nothing of the script. Loaded
# only for a script that takes parameters or has mandatory ones (RunnerFiles.ps1).

# Attributes that only describe or validate a value from constants, and that the binder applies: a
# copy of the param() block keeps these. Any other (ValidateScript runs the script's code; a
# transformation such as [Credential()] changes the value; a type not loaded yet) is left out, and
# with it the parameter's types: what the copy cannot bind as the script would, it does not judge.
$script:BindingAttributes = @(
    'Parameter', 'Alias', 'CmdletBinding', 'AllowNull', 'AllowEmptyString', 'AllowEmptyCollection',
    'ValidateNotNull', 'ValidateNotNullOrEmpty', 'ValidateNotNullOrWhiteSpace', 'ValidateSet',
    'ValidateRange', 'ValidateLength', 'ValidateCount', 'ValidatePattern', 'SupportsWildcards'
)

# What a parameter keeps when it loses another attribute: how it is named and set, and that it takes any value.
$script:NameAttributes = @('Parameter', 'Alias')
$script:AnyValueAttributes = @([System.Management.Automation.AllowNullAttribute], [System.Management.Automation.AllowEmptyStringAttribute], [System.Management.Automation.AllowEmptyCollectionAttribute])

function script:Assert-ScriptBinding {
    # Binds the values to a copy of the script's param() block without its default values (which
    # may call cmdlets not connected yet) and without the script's body, with PowerShell's own
    # binder, so that what it would refuse once connected is refused now, in its own words.
    # https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_functions_advanced_parameters
    param([Parameter(Mandatory)][System.Management.Automation.Language.ParamBlockAst] $ParamBlock, [Parameter(Mandatory)][AllowEmptyCollection()][hashtable] $Parameters)
    # Without all of the block's own attributes ([CmdletBinding()]: its default set, its common
    # parameters), or of a parameter's name and set, the copy would bind otherwise: it judges nothing.
    $blockAttributes = @(Copy-BindingAttribute -Attribute $ParamBlock.Attributes)
    if ($blockAttributes.Count -ne $ParamBlock.Attributes.Count) { return }
    $naming = { param($List) @($List | & $SafeCommands['Where-Object'] { $_ -is [System.Management.Automation.Language.AttributeAst] -and $script:NameAttributes -contains (Get-AttributeName $_) }) }
    $copies = foreach ($parameter in $ParamBlock.Parameters) {
        $kept = @(Copy-BindingAttribute -Attribute $parameter.Attributes)
        $names = @(& $naming $kept)
        if ($names.Count -ne @(& $naming $parameter.Attributes).Count) { return }
        if ($kept.Count -ne $parameter.Attributes.Count) {
            # An attribute left out may change the value before the others see it: the binder then
            # judges only the name, the set and whether it is given, as for an untyped parameter
            # that takes any value.
            $kept = @($names + @(foreach ($allow in $script:AnyValueAttributes) { [System.Management.Automation.Language.AttributeAst]::new($parameter.Extent, [System.Management.Automation.Language.ReflectionTypeName]::new($allow), $null, $null) }))
        }
        [System.Management.Automation.Language.ParameterAst]::new($parameter.Extent, $parameter.Name.Copy(), [System.Management.Automation.Language.AttributeBaseAst[]]$kept, $null)
    }
    $block = [System.Management.Automation.Language.ParamBlockAst]::new($ParamBlock.Extent, [System.Management.Automation.Language.AttributeAst[]]$blockAttributes, [System.Management.Automation.Language.ParameterAst[]]@($copies))
    $body = [System.Management.Automation.Language.StatementBlockAst]::new($ParamBlock.Extent, [System.Management.Automation.Language.StatementAst[]]@(), $null)
    try {
        $binding = [System.Management.Automation.Language.ScriptBlockAst]::new($ParamBlock.Extent, $block, $body, $false).GetScriptBlock()
        & $binding @Parameters
    } catch [System.Management.Automation.ParameterBindingException] {
        $reason = Limit-Text -Text ([string]$_.Exception.Message) -Length 300
        throw "Input 'parameters': PowerShell would not bind them to the script's param() block, so nothing was connected: $reason Accepted: values that the param() block takes, as PowerShell binds them when the script starts."
    } catch {
        # Not a binding: something the copy could not make or run. The script's own call decides.
        $null = $_
    }
}

function script:Copy-BindingAttribute {
    # The attributes of a parameter (or of the param() block) that Assert-ScriptBinding keeps: its
    # types that resolve now, as those types (a `using namespace` of the script is not in the copy),
    # and BindingAttributes whose arguments are all constants. Fewer than it was given: some left out.
    param([AllowNull()][AllowEmptyCollection()][System.Management.Automation.Language.AttributeBaseAst[]] $Attribute)
    foreach ($each in @($Attribute)) {
        if ($null -eq $each) { continue }
        if ($each -is [System.Management.Automation.Language.TypeConstraintAst]) {
            $type = $each.TypeName.GetReflectionType()
            if ($null -ne $type) { [System.Management.Automation.Language.TypeConstraintAst]::new($each.Extent, [System.Management.Automation.Language.ReflectionTypeName]::new($type)) }
            continue
        }
        if ($script:BindingAttributes -notcontains (Get-AttributeName $each) -or $null -eq $each.TypeName.GetReflectionAttributeType()) { continue }
        $arguments = @($each.PositionalArguments) + @(foreach ($named in $each.NamedArguments) { if (-not $named.ExpressionOmitted) { $named.Argument } })
        $constant = $true
        foreach ($argument in $arguments) {
            $other = $argument.Find({
                    param($node)
                    # A member of a type, such as [System.Management.Automation.ConfirmImpact]::High, is a constant too.
                    -not ($node -is [System.Management.Automation.Language.ConstantExpressionAst] -or $node -is [System.Management.Automation.Language.ArrayLiteralAst] -or
                        $node -is [System.Management.Automation.Language.UnaryExpressionAst] -or
                        ($node -is [System.Management.Automation.Language.MemberExpressionAst] -and $node.Static -and $node.Expression -is [System.Management.Automation.Language.TypeExpressionAst] -and $node.Member -is [System.Management.Automation.Language.StringConstantExpressionAst]) -or
                        ($node -is [System.Management.Automation.Language.TypeExpressionAst] -and $node.Parent -is [System.Management.Automation.Language.MemberExpressionAst]) -or
                        ($node -is [System.Management.Automation.Language.VariableExpressionAst] -and @('true', 'false', 'null') -contains $node.VariablePath.UserPath))
                }, $true)
            if ($null -ne $other) { $constant = $false }
        }
        if ($constant) { $each.Copy() }
    }
}
