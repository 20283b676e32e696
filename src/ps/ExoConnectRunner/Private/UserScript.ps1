# The user's script: runs in this process with the inputs' preferences; its errors, exit code and
# output are captured. Every object it returns is counted and streamed to result-file as it
# arrives; only the first ResultLimit are kept, for the result output and the summary.

# Output is redirected, so PowerShell would format for 80 columns and cut table columns short;
# the Actions log is wider.
$script:LogWidth = 200

function Invoke-UserScript {
    param(
        [Parameter(Mandatory)] $Script,
        [Parameter(Mandatory)][string] $ResultPath,
        [int] $ResultLimit,
        [int] $ResultDepth = 4,
        # { path, format } for result-file, or $null.
        [AllowNull()] $ResultFile,
        # Where a what-if run's plan goes; empty for no plan.
        [string] $PlanPath = ''
    )
    $parameters = ConvertTo-Hashtable $Script.parameters
    $collected = New-ResultCollector -Limit $ResultLimit -Depth $ResultDepth
    $state = @{ errors = 0; objects = 0; exitCode = 0; failed = $false }
    $writer = Open-ResultFile -File $ResultFile -Depth $ResultDepth

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
            $facts = $null
            if ($state.errors -le 50) {
                $facts = Get-ErrorFacts $_ -ScriptPath $Script.path
                Write-RunnerEvent ($facts + @{ event = 'error'; phase = 'script'; terminating = $false })
            }
            # One line, not PowerShell's error view: that view wraps long messages, and a secret a
            # server echoed, split across lines, escapes the log's masking.
            return (Format-ErrorLine -Record $_ -Facts $facts -ScriptPath $Script.path)
        }
        if (-not ($null -ne $_ -and $_.GetType().FullName -like 'Microsoft.PowerShell.Commands.Internal.Format.*')) {
            # Format-Table output is for the log only; it has no data to return.
            $state.objects++
            if (-not $collected.Full) { Add-ResultItem $collected $_ }
            if ($null -ne $writer) { Add-ResultObject -Writer $writer -Object $_ }
        }
        $_
    }
    filter Write-LogLine { $stdout.WriteLine($_) }
    $stdout = [Console]::Out
    $outString = $SafeCommands['Out-String']
    # The script runs in a session state of its own (an empty module's), whose scopes descend from
    # the global scope, as a plain `pwsh -File` script's do: none of this module's variables or
    # functions, nor the locals of the functions that called it, are within its reach. Strict mode
    # is off there, as under a plain `pwsh -File`.
    $isolated = & $SafeCommands['New-Object'] System.Management.Automation.PSModuleInfo -ArgumentList $true
    $scriptPath = $Script.path
    $userScript = { & $isolated { param($UserScriptPath, $UserScriptParameters) Set-StrictMode -Off; & $UserScriptPath @UserScriptParameters } $scriptPath $parameters }
    $WhatIfPreference = [bool]$Script.whatIf
    $ErrorActionPreference = $Script.errorActionPreference
    $global:WhatIfPreference = $WhatIfPreference
    $global:ErrorActionPreference = $ErrorActionPreference
    $global:LASTEXITCODE = 0
    $transcript = ''
    if ($PlanPath -and $Script.whatIf) {
        $transcript = $PlanPath + '.transcript'
        Start-PlanCapture -TranscriptPath $transcript
    }
    try {
        & $userScript 2>&1 | Watch-Output | & $outString -Stream -Width $script:LogWidth | Write-LogLine
        $state.exitCode = [int]$global:LASTEXITCODE
    } catch {
        $state.failed = $true
        $state.exitCode = 1
        # The action prints it from the event: on one line, masked, and annotated at the user's line.
        Write-RunnerEvent ((Get-ErrorFacts $_ -ScriptPath $Script.path) + @{ event = 'error'; phase = 'script'; terminating = $true })
    } finally {
        $global:WhatIfPreference = $savedGlobal.WhatIf
        $global:ErrorActionPreference = $savedGlobal.ErrorAction
        $ErrorActionPreference = 'Stop'
        $WhatIfPreference = $false
        # Closed and planned whatever happened: a script that failed half way still leaves a valid file.
        $written = Close-ResultFile -Writer $writer
        if ($null -ne $written) { Write-RunnerEvent (@{ event = 'result-file' } + $written) }
        if ($transcript) {
            $changes = Stop-PlanCapture -TranscriptPath $transcript -PlanPath $PlanPath
            Write-RunnerEvent @{ event = 'plan'; lines = $changes }
        }
    }

    $resultJson = Get-ResultJson -Collector $collected
    if ($null -ne $collected.Failed) {
        & $SafeCommands['Write-Warning'] (ConvertTo-LogLine "Some of the script's output could not be converted to JSON for the result output: $($collected.Failed)")
    }
    [System.IO.File]::WriteAllText($ResultPath, $resultJson, $script:Utf8NoBom)
    Write-RunnerEvent @{ event = 'script'; exitCode = $state.exitCode; errors = $state.errors; terminated = $state.failed; objects = $state.objects; truncated = $state.objects -gt $collected.Count }
    $state.exitCode
}

function Format-ErrorLine {
    # An error record from the script's stream as one log line: "Command: message (line N)".
    param([Parameter(Mandatory)] $Record, [AllowNull()] $Facts, [string] $ScriptPath)
    # As PowerShell's own view names it: the activity (Write-Error, Get-Mailbox, ...), else the command.
    $name = [string]$Record.CategoryInfo.Activity
    if (-not $name -and $null -ne $Record.InvocationInfo -and $null -ne $Record.InvocationInfo.MyCommand) { $name = [string]$Record.InvocationInfo.MyCommand.Name }
    if (-not $name) { $name = 'Error' }
    $where = ''
    if ($null -ne $Facts -and $Facts.ContainsKey('line') -and $Facts['file'] -eq $ScriptPath) { $where = " (line $($Facts['line']))" }
    ConvertTo-LogLine "$name`: $(([string]$Record.Exception.Message).Trim())$where"
}
