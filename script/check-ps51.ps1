<#
.SYNOPSIS
    Fails on PowerShell code that Windows PowerShell 5.1 cannot parse or run.

.DESCRIPTION
    The action runs its PowerShell under Windows PowerShell 5.1 (shell: powershell) as well as
    PowerShell 7, and no machine that runs script/test has 5.1. This check stands in for that run:
    it parses each file with PowerShell's own parser and walks the syntax tree for what 5.1 lacks,
    as listed with a source for each entry in script/ps51-rules.psd1, and reads each file's bytes
    for text that 5.1 would decode as ANSI.

    Checked by default: every .ps1, .psm1 and .psd1 under src/ps and sandbox (the runner and the
    sandbox module the Windows end-to-end job loads into 5.1), except Pester tests (*.Tests.ps1),
    which run on the pinned PowerShell 7 only.

    Prints one line per finding, "path:line: rule: message (source)", and exits 1 when there is any.

.EXAMPLE
    pwsh -NoProfile -File script/check-ps51.ps1
    pwsh -NoProfile -File script/check-ps51.ps1 -Path src/ps/runner.ps1
#>
[CmdletBinding()]
param(
    # Files or directories (searched recursively); by default src/ps and sandbox.
    [string[]] $Path,
    # Return the findings as objects instead of printing them and setting the exit code.
    [switch] $PassThru
)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$root = Split-Path -Parent $PSScriptRoot
$table = Import-PowerShellDataFile -LiteralPath (Join-Path $PSScriptRoot 'ps51-rules.psd1')
$syntax = @{}
foreach ($rule in $table.Syntax) { $syntax[$rule.Rule] = $rule }

# A variable PowerShell 6+ defines is safe behind a test that 5.1 answers first.
$guardPattern = '\$PSVersionTable\.PS(Edition|Version)|variable:\\?Is(Windows|Linux|MacOS|CoreCLR)|PSStyle|Get-Variable|\.Parameters\.ContainsKey\('

function Get-TargetFile([string[]] $Paths) {
    foreach ($item in $Paths) {
        $full = [System.IO.Path]::GetFullPath($item, (Get-Location).ProviderPath)
        if (Test-Path -LiteralPath $full -PathType Leaf) { $full; continue }
        if (-not (Test-Path -LiteralPath $full -PathType Container)) { throw "check-ps51: no such file or directory: $item" }
        Get-ChildItem -LiteralPath $full -Recurse -File |
            Where-Object { $_.Extension -in '.ps1', '.psm1', '.psd1' -and $_.Name -notlike '*.Tests.ps1' } |
            Sort-Object FullName | ForEach-Object FullName
    }
}

$commandCache = @{}
function Get-CommandInfo([string] $Name) {
    if (-not $commandCache.ContainsKey($Name)) {
        $info = Get-Command -Name $Name -ErrorAction Ignore | Select-Object -First 1
        while ($info -is [System.Management.Automation.AliasInfo]) { $info = $info.ResolvedCommand }
        $commandCache[$Name] = $info
    }
    $commandCache[$Name]
}

# The name of the command a call runs: as written (Get-Item, 'Get-Item', Module\Get-Item), or
# through a table of commands resolved in advance (the SafeCommands pattern):
# & $SafeCommands['Get-Item'] and & (Get-SafeCommand -Name 'Get-Item').
function Get-InvokedName([System.Management.Automation.Language.CommandAst] $Command) {
    $name = $Command.GetCommandName()
    if ($name -or $Command.InvocationOperator -notin 'Ampersand', 'Dot') { return $name }
    $first = $Command.CommandElements[0]
    if ($first -is [System.Management.Automation.Language.IndexExpressionAst] -and
        $first.Index -is [System.Management.Automation.Language.StringConstantExpressionAst]) {
        return $first.Index.Value
    }
    if ($first -is [System.Management.Automation.Language.ParenExpressionAst] -and
        $first.Pipeline -is [System.Management.Automation.Language.PipelineAst] -and $first.Pipeline.PipelineElements.Count -eq 1) {
        $inner = $first.Pipeline.PipelineElements[0]
        if ($inner -is [System.Management.Automation.Language.CommandAst]) {
            $constant = @($inner.CommandElements | Select-Object -Skip 1 | Where-Object {
                    $_ -is [System.Management.Automation.Language.StringConstantExpressionAst] })
            if ($constant.Count -eq 1) { return $constant[0].Value }
        }
    }
    $null
}

# The command a call names, with aliases (%, foreach, gc) and module qualifiers resolved.
function Resolve-CommandName([string] $Name) {
    $bare = $Name -replace '^[\w.]+\\', ''
    $info = Get-CommandInfo $bare
    if ($null -ne $info) { return $info.Name }
    $bare
}

# The parameter a name binds to, as PowerShell 7 binds it: exact name, alias, or unique prefix.
function Resolve-ParameterName([string] $Command, [string] $Given) {
    $info = Get-CommandInfo $Command
    if ($null -eq $info) { return $Given }
    $candidates = @($info.Parameters.Values | Where-Object {
            $_.Name -eq $Given -or $_.Aliases -contains $Given
        })
    if ($candidates.Count -eq 0) {
        $candidates = @($info.Parameters.Values | Where-Object {
                $_.Name -like "$Given*" -or @($_.Aliases | Where-Object { $_ -like "$Given*" }).Count -gt 0
            })
    }
    if ($candidates.Count -eq 1) { return $candidates[0].Name }
    $Given
}

function Test-SwitchParameter([string] $Command, [string] $Parameter) {
    $info = Get-CommandInfo $Command
    $null -ne $info -and $info.Parameters.ContainsKey($Parameter) -and $info.Parameters[$Parameter].SwitchParameter
}

# Keys given to a hashtable variable anywhere in the file: @{ Key = ... }, $h['Key'] = ..., $h.Key = ..., $h.Add('Key', ...).
function Get-SplatKey([System.Management.Automation.Language.Ast] $Ast) {
    $keys = @{}
    $add = {
        param([string] $Variable, [string] $Key, $Extent, $Node)
        # A key given only where the code checked for the feature (version, or the command's own parameters) is fine.
        if ($null -ne $Node -and (Test-Guarded $Node)) { return }
        if (-not $keys.ContainsKey($Variable)) { $keys[$Variable] = [System.Collections.Generic.List[object]]::new() }
        $keys[$Variable].Add([pscustomobject]@{ Name = $Key; Extent = $Extent })
    }
    $nodes = $Ast.FindAll({ $true }, $true)
    foreach ($node in $nodes) {
        if ($node -is [System.Management.Automation.Language.AssignmentStatementAst]) {
            $left = $node.Left
            if ($left -is [System.Management.Automation.Language.ConvertExpressionAst]) { $left = $left.Child }
            if ($left -is [System.Management.Automation.Language.VariableExpressionAst]) {
                $value = $node.Right
                if ($value -is [System.Management.Automation.Language.CommandExpressionAst]) { $value = $value.Expression }
                if ($value -is [System.Management.Automation.Language.ConvertExpressionAst]) { $value = $value.Child }
                if ($value -is [System.Management.Automation.Language.HashtableAst]) {
                    foreach ($pair in $value.KeyValuePairs) {
                        if ($pair.Item1 -is [System.Management.Automation.Language.StringConstantExpressionAst]) {
                            & $add $left.VariablePath.UserPath $pair.Item1.Value $pair.Item1.Extent
                        }
                    }
                }
            } elseif ($left -is [System.Management.Automation.Language.IndexExpressionAst] -and
                $left.Target -is [System.Management.Automation.Language.VariableExpressionAst] -and
                $left.Index -is [System.Management.Automation.Language.StringConstantExpressionAst]) {
                & $add $left.Target.VariablePath.UserPath $left.Index.Value $left.Extent $node
            } elseif ($left -is [System.Management.Automation.Language.MemberExpressionAst] -and
                $left.Expression -is [System.Management.Automation.Language.VariableExpressionAst] -and
                $left.Member -is [System.Management.Automation.Language.StringConstantExpressionAst]) {
                & $add $left.Expression.VariablePath.UserPath $left.Member.Value $left.Extent
            }
        } elseif ($node -is [System.Management.Automation.Language.InvokeMemberExpressionAst] -and
            $node.Expression -is [System.Management.Automation.Language.VariableExpressionAst] -and
            $node.Member -is [System.Management.Automation.Language.StringConstantExpressionAst] -and
            $node.Member.Value -eq 'Add' -and @($node.Arguments).Count -eq 2 -and
            $node.Arguments[0] -is [System.Management.Automation.Language.StringConstantExpressionAst]) {
            & $add $node.Expression.VariablePath.UserPath $node.Arguments[0].Value $node.Extent
        }
    }
    $keys
}

function Test-Guarded([System.Management.Automation.Language.Ast] $Node) {
    $child = $Node
    for ($parent = $Node.Parent; $null -ne $parent; $parent = $parent.Parent) {
        if ($parent -is [System.Management.Automation.Language.BinaryExpressionAst] -and
            $parent.Operator -in 'And', 'Or' -and [object]::ReferenceEquals($parent.Right, $child) -and
            $parent.Left.Extent.Text -match $guardPattern) { return $true }
        if ($parent -is [System.Management.Automation.Language.IfStatementAst]) {
            $conditions = @($parent.Clauses | ForEach-Object { $_.Item1.Extent.Text }) -join "`n"
            $inBody = @($parent.Clauses | Where-Object { [object]::ReferenceEquals($_.Item2, $child) }).Count -gt 0 -or
                [object]::ReferenceEquals($parent.ElseClause, $child)
            if ($inBody -and $conditions -match $guardPattern) { return $true }
        }
        $child = $parent
    }
    $false
}

function Find-Ps51Problem([string] $File) {
    $tokens = $null
    $errors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseFile($File, [ref] $tokens, [ref] $errors)
    $findings = [System.Collections.Generic.List[object]]::new()
    $report = {
        param([string] $Rule, $Extent, [string] $Message, [string] $Source)
        if (-not $Message) { $Message = $syntax[$Rule].Message }
        if (-not $Source) { $Source = $syntax[$Rule].Source }
        $findings.Add([pscustomobject]@{ Path = $File; Line = $Extent.StartLineNumber; Rule = $Rule; Message = $Message; Source = $Source })
    }
    foreach ($e in $errors) { & $report 'parse-error' $e.Extent "does not parse: $($e.Message)" }
    if ($errors) { return $findings }

    $bytes = [System.IO.File]::ReadAllBytes($File)
    $bom = ($bytes.Length -ge 3 -and $bytes[0] -eq 0xEF -and $bytes[1] -eq 0xBB -and $bytes[2] -eq 0xBF) -or
        ($bytes.Length -ge 2 -and (($bytes[0] -eq 0xFF -and $bytes[1] -eq 0xFE) -or ($bytes[0] -eq 0xFE -and $bytes[1] -eq 0xFF)))
    $firstNonAscii = [Array]::FindIndex($bytes, [Predicate[byte]] { param($b) $b -ge 0x80 })
    if (-not $bom -and $firstNonAscii -ge 0) {
        $line = 1 + @($bytes[0..$firstNonAscii] | Where-Object { $_ -eq 10 }).Count
        & $report 'source-encoding' ([pscustomobject]@{ StartLineNumber = $line })
    }

    foreach ($token in $tokens) {
        if ($token.Kind -ne 'Number') { continue }
        $text = $token.Text -replace '(kb|mb|gb|tb|pb)$', ''
        if ($text -match '^0b' -or $text -match '^0x[0-9a-f]+(y|uy|s|us|u|ul|n)$' -or $text -match '^[\d.]+(e[+-]?\d+)?(y|uy|s|us|u|ul|n)$') {
            & $report 'number-literal' $token.Extent
        }
    }

    $namespaces = @($ast.UsingStatements | Where-Object { $_.UsingStatementKind -eq 'Namespace' } | ForEach-Object { $_.Name.Value })
    $splatKeys = $null
    foreach ($node in $ast.FindAll({ $true }, $true)) {
        switch ($node) {
            { $_ -is [System.Management.Automation.Language.TernaryExpressionAst] } { & $report 'ternary' $node.Extent }
            { $_ -is [System.Management.Automation.Language.PipelineChainAst] } { & $report 'pipeline-chain' $node.Extent }
            { $_ -is [System.Management.Automation.Language.BinaryExpressionAst] } {
                if ($node.Operator -eq 'QuestionQuestion') { & $report 'null-coalescing' $node.Extent }
                if ($node.Operator -in 'Ireplace', 'Creplace' -and $node.Right -is [System.Management.Automation.Language.ArrayLiteralAst] -and
                    @($node.Right.Elements)[-1] -is [System.Management.Automation.Language.ScriptBlockExpressionAst]) {
                    & $report 'replace-scriptblock' $node.Extent
                }
            }
            { $_ -is [System.Management.Automation.Language.AssignmentStatementAst] -and $_.Operator -eq 'QuestionQuestionEquals' } {
                & $report 'null-coalescing-assignment' $node.Extent
            }
            { $_ -is [System.Management.Automation.Language.MemberExpressionAst] -and $_.NullConditional } { & $report 'null-conditional-member' $node.Extent }
            { $_ -is [System.Management.Automation.Language.IndexExpressionAst] -and $_.NullConditional } { & $report 'null-conditional-index' $node.Extent }
            { $_ -is [System.Management.Automation.Language.PipelineBaseAst] -and $_.PSObject.Properties['Background'] -and $_.Background } {
                & $report 'background-operator' $node.Extent
            }
            { $_ -is [System.Management.Automation.Language.ScriptBlockAst] -and $null -ne $_.CleanBlock } { & $report 'clean-block' $node.CleanBlock.Extent }
            { $_ -is [System.Management.Automation.Language.StringConstantExpressionAst] -or $_ -is [System.Management.Automation.Language.ExpandableStringExpressionAst] } {
                if ($node.StringConstantType -in 'DoubleQuoted', 'DoubleQuotedHereString' -and $node.Extent.Text -cmatch '(?<!`)(``)*`(u\{|e)') {
                    & $report 'escape-sequence' $node.Extent
                }
            }
            { $_ -is [System.Management.Automation.Language.VariableExpressionAst] } {
                $name = $node.VariablePath.UserPath
                $assigned = $node.Parent -is [System.Management.Automation.Language.AssignmentStatementAst] -and [object]::ReferenceEquals($node.Parent.Left, $node)
                if ($node.VariablePath.IsVariable -and $name -in $table.Variables -and -not $assigned -and -not (Test-Guarded $node)) {
                    & $report 'unguarded-variable' $node.Extent "`$$name $($syntax['unguarded-variable'].Message)"
                }
            }
            { $_ -is [System.Management.Automation.Language.TypeExpressionAst] -or $_ -is [System.Management.Automation.Language.TypeConstraintAst] } {
                $written = $node.TypeName.FullName
                $forms = @($written) + @($namespaces | ForEach-Object { "$_.$written" })
                foreach ($type in $table.Types) {
                    if (@($forms | Where-Object { $type.Names -contains $_ }).Count -gt 0) { & $report 'type' $node.Extent "[$written]: $($type.Message)" $type.Source }
                }
            }
            { $_ -is [System.Management.Automation.Language.CommandAst] } {
                $written = Get-InvokedName $node
                if (-not $written) { break }
                $command = Resolve-CommandName $written
                foreach ($entry in $table.Commands) {
                    if ($entry.Name -eq $command) { & $report 'command' $node.Extent "$command is not in Windows PowerShell 5.1" $entry.Source }
                }

                # Parameters as written (-Name, -Name:value) and as splatted (@params), each with its argument.
                $given = [System.Collections.Generic.List[object]]::new()
                $positional = 0
                $elements = $node.CommandElements
                for ($i = 1; $i -lt $elements.Count; $i++) {
                    $element = $elements[$i]
                    if ($element -is [System.Management.Automation.Language.CommandParameterAst]) {
                        $resolved = Resolve-ParameterName $command $element.ParameterName
                        $argument = $element.Argument
                        if ($null -eq $argument -and -not (Test-SwitchParameter $command $resolved) -and $i + 1 -lt $elements.Count -and
                            $elements[$i + 1] -isnot [System.Management.Automation.Language.CommandParameterAst]) {
                            $i++
                            $argument = $elements[$i]
                        }
                        $given.Add([pscustomobject]@{ Written = $element.ParameterName; Name = $resolved; Argument = $argument; Via = '' })
                    } elseif ($element -is [System.Management.Automation.Language.VariableExpressionAst] -and $element.Splatted) {
                        if ($null -eq $splatKeys) { $splatKeys = Get-SplatKey $ast }
                        foreach ($key in @($splatKeys[$element.VariablePath.UserPath] | Where-Object { $_ })) {
                            $given.Add([pscustomobject]@{ Written = $key.Name; Name = (Resolve-ParameterName $command $key.Name); Argument = $null; Via = " (splatted from @$($element.VariablePath.UserPath))" })
                        }
                    } else {
                        $positional++
                    }
                }

                foreach ($entry in @($table.Parameters | Where-Object { $_.Command -eq $command })) {
                    foreach ($parameter in $given) {
                        if ($entry.Parameters -contains $parameter.Name) {
                            & $report 'parameter' $node.Extent "$command -$($parameter.Name)$($parameter.Via) is not in Windows PowerShell 5.1" $entry.Source
                        }
                    }
                }
                foreach ($alias in $table.ParameterAliases) {
                    foreach ($parameter in $given) {
                        if ($parameter.Written -eq $alias.Alias -and $parameter.Name -eq $alias.Parameter) {
                            & $report 'parameter-alias' $node.Extent "-$($alias.Alias) for -$($alias.Parameter) is not in Windows PowerShell 5.1" $alias.Source
                        }
                    }
                }
                foreach ($entry in @($table.Positional | Where-Object { $_.Command -eq $command })) {
                    $bound = $positional + @($given | Where-Object { $entry.Parameters -contains $_.Name }).Count
                    if ($bound -gt $entry.Parameters.Count) {
                        & $report 'positional' $node.Extent "$command takes $($entry.Parameters.Count) paths in Windows PowerShell 5.1 ($($entry.Parameters -join ', ')); this call gives $bound" $entry.Source
                    }
                }
                if ($table.Encoding.Commands -contains $command) {
                    foreach ($parameter in @($given | Where-Object { $_.Name -eq 'Encoding' })) {
                        $value = $parameter.Argument
                        if ($value -is [System.Management.Automation.Language.ConstantExpressionAst] -and [string]$value.Value -notin $table.Encoding.Accepted) {
                            & $report 'encoding' $node.Extent "$command -Encoding $($value.Value) is not accepted by Windows PowerShell 5.1 (accepted: $($table.Encoding.Accepted -join ', '))" $table.Encoding.Source
                        }
                    }
                }
            }
        }
    }
    $findings
}

if (-not $Path) { $Path = @('src/ps', 'sandbox') | ForEach-Object { Join-Path $root $_ } }
$found = foreach ($file in @(Get-TargetFile $Path)) { Find-Ps51Problem $file }
# One finding per rule and line: a construct nested in another is reported once.
$found = @($found | Sort-Object Path, Line, Rule, Message -Unique)
if ($PassThru) { return $found }

foreach ($f in $found) {
    $shown = [System.IO.Path]::GetRelativePath((Get-Location).ProviderPath, $f.Path)
    if ($shown.StartsWith('..')) { $shown = $f.Path }
    "${shown}:$($f.Line): $($f.Rule): $($f.Message) (see $($f.Source))"
}
if ($found.Count -gt 0) {
    "check-ps51: $($found.Count) problem(s) for Windows PowerShell 5.1"
    exit 1
}
exit 0
