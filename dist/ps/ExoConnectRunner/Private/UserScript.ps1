# The user's script: runs in this process with the inputs' preferences; its errors, exit code and
# output are captured, its pipeline output goes to the result file.

# Output is redirected, so PowerShell would format for 80 columns and cut table columns short;
# the Actions log is wider.
$script:LogWidth = 200

function Invoke-UserScript {
    param([Parameter(Mandatory)] $Script, [Parameter(Mandatory)][string] $ResultPath, [int] $ResultLimit)
    $parameters = ConvertTo-Hashtable $Script.parameters
    $collected = New-Object System.Collections.Generic.List[object]
    $state = @{ errors = 0; truncated = $false; exitCode = 0; failed = $false }

    & $SafeCommands['Set-Location'] -LiteralPath $Script.workingDirectory
    # The user's script inherits this function's preferences; functions in script modules (the
    # module's generated proxies among them) read the global ones instead, so set both, and put
    # the global ones back before teardown, which must never run as a what-if.
    $savedGlobal = @{ WhatIf = $global:WhatIfPreference; ErrorAction = $global:ErrorActionPreference }
    # Filters, not ForEach-Object, and lines written straight to stdout: with a million lines of
    # output this runs near the pace of a bare `pwsh -File` (ForEach-Object and Out-Default: half).
    filter Watch-Output {
        if ($_ -is [System.Management.Automation.ErrorRecord]) {
            $state.errors++
            if ($state.errors -le 50) { Write-RunnerEvent ((Get-ErrorFacts $_ -ScriptPath $Script.path) + @{ event = 'error'; phase = 'script'; terminating = $false }) }
        } elseif (-not $state.truncated -and -not ($null -ne $_ -and $_.GetType().FullName -like 'Microsoft.PowerShell.Commands.Internal.Format.*')) {
            # Format-Table output is for the log only; it has no data to return. Past the limit,
            # objects only pass through, at the cost of one test each.
            if ($collected.Count -lt $ResultLimit) { $collected.Add($_) } else { $state.truncated = $true }
        }
        $_
    }
    filter Write-LogLine { $stdout.WriteLine($_) }
    $stdout = [Console]::Out
    $outString = $SafeCommands['Out-String']
    # A plain `pwsh -File` runs a script without strict mode; this module's strict mode stops here.
    $userScript = { Set-StrictMode -Off; & $Script.path @parameters }
    $WhatIfPreference = [bool]$Script.whatIf
    $ErrorActionPreference = $Script.errorActionPreference
    $global:WhatIfPreference = $WhatIfPreference
    $global:ErrorActionPreference = $ErrorActionPreference
    $global:LASTEXITCODE = 0
    try {
        & $userScript 2>&1 | Watch-Output | & $outString -Stream -Width $script:LogWidth | Write-LogLine
        $state.exitCode = [int]$global:LASTEXITCODE
    } catch {
        $state.failed = $true
        $state.exitCode = 1
        Write-RunnerEvent ((Get-ErrorFacts $_ -ScriptPath $Script.path) + @{ event = 'error'; phase = 'script'; terminating = $true })
        [Console]::Error.WriteLine(($_ | & $outString).TrimEnd())
    } finally {
        $global:WhatIfPreference = $savedGlobal.WhatIf
        $global:ErrorActionPreference = $savedGlobal.ErrorAction
    }
    $ErrorActionPreference = 'Stop'
    $WhatIfPreference = $false

    try {
        $json = & $SafeCommands['ConvertTo-Json'] -InputObject $collected.ToArray() -Depth 4 -Compress -WarningAction SilentlyContinue
    } catch {
        & $SafeCommands['Write-Warning'] "The script's output could not be converted to JSON for the result output: $($_.Exception.Message)"
        $json = '[]'
    }
    if ($null -eq $json) { $json = '[]' }
    [System.IO.File]::WriteAllText($ResultPath, $json, $script:Utf8NoBom)
    Write-RunnerEvent @{ event = 'script'; exitCode = $state.exitCode; errors = $state.errors; terminated = $state.failed; objects = $collected.Count; truncated = $state.truncated }
    $state.exitCode
}
