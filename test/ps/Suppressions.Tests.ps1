# PSScriptAnalyzer findings in src/ps are fixed, or suppressed where they occur with a written
# reason (PSScriptAnalyzerSettings.psd1): every SuppressMessageAttribute carries a Justification.
BeforeAll {
    $root = Resolve-Path "$PSScriptRoot/../.."

    # Each suppression without a non-empty Justification, as "path:line: attribute".
    function Find-UnexplainedSuppression([string[]] $File) {
        foreach ($path in $File) {
            $ast = [System.Management.Automation.Language.Parser]::ParseFile($path, [ref] $null, [ref] $null)
            $attributes = $ast.FindAll({
                    param($node)
                    $node -is [System.Management.Automation.Language.AttributeAst] -and
                    $node.TypeName.FullName -match '(^|\.)SuppressMessage(Attribute)?$'
                }, $true)
            foreach ($attribute in $attributes) {
                $reason = @($attribute.NamedArguments | Where-Object { $_.ArgumentName -eq 'Justification' })
                $explained = $reason.Count -eq 1 -and
                    $reason[0].Argument -is [System.Management.Automation.Language.StringConstantExpressionAst] -and
                    $reason[0].Argument.Value.Trim().Length -gt 0
                if (-not $explained) { "${path}:$($attribute.Extent.StartLineNumber): $($attribute.Extent.Text)" }
            }
        }
    }
}

Describe 'PSScriptAnalyzer suppressions' {
    It 'every suppression in src/ps gives its reason' {
        $files = Get-ChildItem -LiteralPath (Join-Path $root 'src/ps') -Recurse -File -Include '*.ps1', '*.psm1'
        Find-UnexplainedSuppression $files.FullName | Should -BeNullOrEmpty
    }

    It 'finds a suppression without a reason, and one with an empty reason' {
        $sample = Join-Path $TestDrive 'suppressed.ps1'
        Set-Content -LiteralPath $sample -Encoding utf8 -Value @'
function A {
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSAvoidUsingWriteHost', '')]
    param()
}
function B {
    [System.Diagnostics.CodeAnalysis.SuppressMessage('PSAvoidUsingWriteHost', '', Justification = ' ')]
    param()
}
function C {
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSAvoidUsingWriteHost', '', Justification = 'the log is the product')]
    param()
}
'@
        @(Find-UnexplainedSuppression $sample | ForEach-Object { ($_ -replace '^.*:(\d+): .*$', '$1') }) | Should -Be @('2', '6')
    }
}
