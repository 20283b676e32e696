# script/check-ps51.ps1: each rule fires on a bad sample, valid Windows PowerShell 5.1 code passes,
# and the files the action ships pass.
BeforeDiscovery {
    $table = Import-PowerShellDataFile -LiteralPath "$PSScriptRoot/../../script/ps51-rules.psd1"

    # One bad sample per rule; the finding must name the rule at the line given.
    $badSamples = @(
        @{ Rule = 'ternary'; Line = 1; Code = '$a = $b ? 1 : 2' }
        @{ Rule = 'null-coalescing'; Line = 2; Code = "`$x = 1`n`$y = `$x ?? 'none'" }
        @{ Rule = 'null-coalescing-assignment'; Line = 1; Code = '$x ??= 5' }
        @{ Rule = 'null-conditional-member'; Line = 1; Code = '${config}?.Name' }
        @{ Rule = 'null-conditional-member'; Line = 1; Code = '${config}?.ToString()' }
        @{ Rule = 'null-conditional-index'; Line = 1; Code = '${items}?[0]' }
        @{ Rule = 'pipeline-chain'; Line = 1; Code = 'Get-Item . && Write-Output ok' }
        @{ Rule = 'pipeline-chain'; Line = 1; Code = 'Get-Item . || Write-Output failed' }
        @{ Rule = 'background-operator'; Line = 1; Code = 'Start-Sleep 1 &' }
        @{ Rule = 'clean-block'; Line = 3; Code = "function F {`n    process { `$_ }`n    clean { 'bye' }`n}" }
        @{ Rule = 'escape-sequence'; Line = 1; Code = '"`u{2713} done"' }
        @{ Rule = 'escape-sequence'; Line = 1; Code = '"`e[31mred"' }
        @{ Rule = 'number-literal'; Line = 1; Code = '$mask = 0b1010' }
        @{ Rule = 'number-literal'; Line = 1; Code = '$n = 10u' }
        @{ Rule = 'number-literal'; Line = 1; Code = '$big = 12n' }
        @{ Rule = 'number-literal'; Line = 1; Code = '$b = 0xFFuy' }
        @{ Rule = 'replace-scriptblock'; Line = 1; Code = '"abc" -replace "b", { $_.Value.ToUpper() }' }
        @{ Rule = 'unguarded-variable'; Line = 1; Code = 'if ($IsMacOS) { "mac" }' }
        @{ Rule = 'unguarded-variable'; Line = 1; Code = '$onLinux = $IsLinux' }
        @{ Rule = 'unguarded-variable'; Line = 1; Code = 'if ($IsWindows -or $PSVersionTable.PSEdition -eq "Desktop") { "windows" }' }
        @{ Rule = 'unguarded-variable'; Line = 1; Code = '"$($PSStyle.Foreground.Red)red"' }
        @{ Rule = 'source-encoding'; Line = 2; Code = "'plain'`n# Zürich" }
        @{ Rule = 'parse-error'; Line = 1; Code = 'function Broken { param($a) if ($a) { "x" ' }
        @{ Rule = 'type'; Line = 1; Code = '[System.Management.Automation.SemanticVersion] $v = "1.2.3"' }
        @{ Rule = 'type'; Line = 1; Code = '[semver]::new(1, 2, 3)' }
        @{ Rule = 'type'; Line = 2; Code = "using namespace System.Management.Automation`n[SemanticVersion]'1.0.0'" }
        @{ Rule = 'type'; Line = 1; Code = '[uint] $count = 3' }
        @{ Rule = 'command'; Line = 1; Code = '$json | Test-Json' }
        @{ Rule = 'command'; Line = 1; Code = 'Get-Error -Newest 1' }
        @{ Rule = 'parameter'; Line = 1; Code = '$json | ConvertFrom-Json -AsHashtable' }
        @{ Rule = 'parameter'; Line = 1; Code = '$json | ConvertFrom-Json -Depth 5' }
        @{ Rule = 'parameter'; Line = 1; Code = '$json | ConvertFrom-Json -AsHash' }
        @{ Rule = 'parameter'; Line = 1; Code = '$o | ConvertTo-Json -EscapeHandling EscapeNonAscii' }
        @{ Rule = 'parameter'; Line = 1; Code = '$o | ConvertTo-Json -AsArray' }
        @{ Rule = 'parameter'; Line = 1; Code = 'Get-Content -Path x.bin -AsByteStream' }
        @{ Rule = 'parameter'; Line = 1; Code = 'Join-Path -Path a -ChildPath b -AdditionalChildPath c' }
        @{ Rule = 'parameter'; Line = 1; Code = '1..3 | ForEach-Object -Parallel { $_ }' }
        @{ Rule = 'parameter'; Line = 1; Code = '1..3 | % -Parallel { $_ } -ThrottleLimit 2' }
        @{ Rule = 'parameter'; Line = 1; Code = 'Microsoft.PowerShell.Utility\ConvertFrom-Json -InputObject $j -NoEnumerate' }
        @{ Rule = 'parameter'; Line = 3; Code = "`$p = @{ InputObject = `$json }`n`$p['AsHashtable'] = `$true`nConvertFrom-Json @p" }
        @{ Rule = 'parameter'; Line = 3; Code = "`$q = @{}`n`$q['WhatIf'] = `$false`nStop-Transcript @q" }
        @{ Rule = 'parameter'; Line = 2; Code = "`$p = [ordered]@{ Uri = 'https://contoso.example'; SkipCertificateCheck = `$true }`nInvoke-RestMethod @p" }
        @{ Rule = 'parameter'; Line = 1; Code = '$line | & $SafeCommands[''ConvertFrom-Json''] -AsHashtable' }
        @{ Rule = 'parameter'; Line = 1; Code = '& (Get-SafeCommand -Name ''ConvertTo-Json'') -InputObject $o -EscapeHandling Default' }
        @{ Rule = 'parameter'; Line = 1; Code = '& ''Get-Content'' -LiteralPath x.bin -AsByteStream' }
        @{ Rule = 'command'; Line = 1; Code = '& $SafeCommands[''Test-Json''] -Json $text' }
        @{ Rule = 'parameter-alias'; Line = 1; Code = 'Get-Item -lp "a[1].txt"' }
        @{ Rule = 'positional'; Line = 1; Code = 'Join-Path $root "a" "b.txt"' }
        @{ Rule = 'positional'; Line = 1; Code = 'Join-Path -Path $root "a" "b.txt"' }
        @{ Rule = 'encoding'; Line = 1; Code = '"x" | Out-File -FilePath out.txt -Encoding utf8NoBOM' }
        @{ Rule = 'encoding'; Line = 1; Code = 'Set-Content -Path out.txt -Value x -Encoding:utf8BOM' }
        @{ Rule = 'encoding'; Line = 1; Code = 'Get-Content -Path in.txt -Encoding 1251' }
        @{ Rule = 'encoding'; Line = 1; Code = 'Add-Content -Path out.txt -Value x -Encoding "ansi"' }
    )
    $tableRules = 'type', 'command', 'parameter', 'parameter-alias', 'positional', 'encoding'
    $allRules = @($table.Syntax | ForEach-Object { $_.Rule }) + $tableRules
}

BeforeAll {
    $checker = "$PSScriptRoot/../../script/check-ps51.ps1"
    $table = Import-PowerShellDataFile -LiteralPath "$PSScriptRoot/../../script/ps51-rules.psd1"
    function Find-InCode([string] $Code) {
        $file = Join-Path $TestDrive ("sample-{0}.ps1" -f [guid]::NewGuid().ToString('N'))
        # UTF-8 without a BOM, as editors save it, so that a non-ASCII sample is read as it would be on 5.1.
        [System.IO.File]::WriteAllText($file, $Code, [System.Text.UTF8Encoding]::new($false))
        @(& $checker -Path $file -PassThru)
    }
}

Describe 'check-ps51 rules' {
    It '<Rule> fires on: <Code>' -ForEach $badSamples {
        $found = Find-InCode $Code
        @($found | ForEach-Object { "$($_.Rule)@$($_.Line)" }) | Should -Contain "$Rule@$Line"
        @($found | Where-Object Rule -EQ $Rule | ForEach-Object Source) | Should -Match '^https://learn\.microsoft\.com/'
    }

    It 'every rule has a bad sample that proves it fires' -ForEach @(@{ Proved = @($badSamples.Rule); Rules = $allRules }) {
        @($Rules | Where-Object { $_ -notin $Proved }) | Should -BeNullOrEmpty
    }

    It 'every table entry cites a Microsoft Learn page' {
        $sources = @($table.Syntax.Source) + @($table.Types.Source) + @($table.Commands.Source) + @($table.Parameters.Source) +
            @($table.ParameterAliases.Source) + @($table.Positional.Source) + @($table.Encoding.Source)
        @($sources | Where-Object { $_ -notmatch '^https://learn\.microsoft\.com/' }) | Should -BeNullOrEmpty
    }

    It 'every command and parameter in the table is found when called the plain way' {
        $calls = @($table.Commands | ForEach-Object { $_.Name }) +
            @(foreach ($entry in $table.Parameters) { foreach ($parameter in $entry.Parameters) { "$($entry.Command) -$parameter" } })
        $found = Find-InCode ($calls -join "`n")
        $missed = for ($i = 0; $i -lt $calls.Count; $i++) {
            $line = $i + 1
            $hit = @($found | Where-Object { $_.Line -eq $line -and $_.Rule -in 'command', 'parameter' -and $_.Message -eq "$($calls[$i]) is not in Windows PowerShell 5.1" })
            if ($hit.Count -eq 0) { $calls[$i] }
        }
        $missed | Should -BeNullOrEmpty
    }
}

Describe 'check-ps51 on valid Windows PowerShell 5.1 code' {
    It 'finds nothing in code that only looks like PowerShell 7' {
        $code = @'
using namespace System.Text
# $a ? 1 : 2, $x ?? 'y', a && b, [semver] and Test-Json in a comment are not code.
class Counter { [int] $Count; [void] Add() { $this.Count++ } }
enum Shape { Round; Square }
$builder = [StringBuilder]::new()
$text = 'x ?? y; a && b; `e and `u{1F600} in single quotes'
$escaped = "a literal ``e and ``u{41} with the backtick escaped"
$question = $a -and $b -or -not $c
Get-Item . ; if ($?) { 'ok' }
$n = 10; $big = 5kb; $hex = 0x1F; $long = 12l; $dec = 3.5d; $neg = -1
$v = [version]'1.2.3'
[int16] $small = 3
1..3 | ForEach-Object -Process { $_ } | Select-Object -First 1
$path = Join-Path $PSScriptRoot 'child'
$path = Join-Path -Path $PSScriptRoot -ChildPath 'child'
'x' | Out-File -FilePath out.txt -Encoding utf8
Set-Content -Path out.txt -Value 'x' -Encoding UTF8
'{"a":1}' | ConvertFrom-Json
@{ a = 1 } | ConvertTo-Json -Depth 5 -Compress
Get-Content -LiteralPath in.txt -Raw
Get-ChildItem -Path . -Recurse -File
$splat = @{ InputObject = '{}' }
ConvertFrom-Json @splat
$onMac = $PSVersionTable.PSEdition -eq 'Core' -and $IsMacOS
if ($PSVersionTable.PSVersion.Major -ge 6) { $IsLinux } else { $false }
if ((Test-Path variable:IsWindows) -and $IsWindows) { 'windows' }
$IsCoreCLR = $false
$quiet = @{}
if ($SafeCommands['Stop-Transcript'].Parameters.ContainsKey('WhatIf')) { $quiet['WhatIf'] = $false }
Stop-Transcript @quiet
'abc' -replace 'b', 'B'
function F { begin { } process { $_ } end { } }
'@
        Find-InCode $code | Should -BeNullOrEmpty
    }

    It 'accepts non-ASCII text in a file saved with a byte order mark' {
        $file = Join-Path $TestDrive 'bom.ps1'
        [System.IO.File]::WriteAllText($file, "'Zürich'", [System.Text.UTF8Encoding]::new($true))
        @(& $checker -Path $file -PassThru) | Should -BeNullOrEmpty
    }
}

Describe 'check-ps51 on the files the action ships' {
    It 'finds nothing in src/ps and sandbox (the runner and the sandbox module)' {
        $found = @(& $checker -PassThru)
        @($found | ForEach-Object { "$($_.Path):$($_.Line): $($_.Rule): $($_.Message)" }) | Should -BeNullOrEmpty
    }

    It 'as a command: prints path:line: rule: message and exits 1 on a finding, 0 without' {
        $bad = Join-Path $TestDrive 'bad.ps1'
        Set-Content -LiteralPath $bad -Value "'ok'`n`$x = `$y ?? 1" -Encoding utf8
        $good = Join-Path $TestDrive 'good.ps1'
        Set-Content -LiteralPath $good -Value "'ok'" -Encoding utf8
        . (Join-Path $PSScriptRoot 'TestPwsh.ps1')
        $pwsh = Get-TestPwsh
        $out = & $pwsh -NoLogo -NoProfile -NonInteractive -File $checker -Path $bad 2>&1
        $LASTEXITCODE | Should -Be 1
        $out[0] | Should -Match '^.*bad\.ps1:2: null-coalescing: the \?\? operator needs PowerShell 7\.0.* \(see https://learn\.microsoft\.com/.*\)$'
        $out[-1] | Should -Be 'check-ps51: 1 problem(s) for Windows PowerShell 5.1'
        $null = & $pwsh -NoLogo -NoProfile -NonInteractive -File $checker -Path $good
        $LASTEXITCODE | Should -Be 0
    }
}
