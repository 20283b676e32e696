# The what-if plan: every "What if: ..." line that ShouldProcess writes while the script runs, in
# order. PowerShell writes them to the host, not to a stream a redirection can catch, for the
# module's proxies and for the user's own advanced functions alike; a transcript records what the
# host shows, so the lines stay in the log and are read back from the transcript afterwards.

# Only what-if runs load the module of these (SafeCommands.ps1).
Add-SafeCommand -Name @('Microsoft.PowerShell.Host\Start-Transcript', 'Microsoft.PowerShell.Host\Stop-Transcript')

$script:WhatIfPrefix = 'What if: '
# The transcript, opened to read before the script runs: what the script puts at its path later
# (a named pipe would block the read) is not what is read back.
$script:PlanTranscript = $null

function script:Start-PlanCapture {
    param([Parameter(Mandatory)][string] $TranscriptPath)
    # -WhatIf:$false: the script's what-if preference is already in force, and must not stop the transcript.
    & $SafeCommands['Start-Transcript'] -LiteralPath $TranscriptPath -Force -WhatIf:$false | & $SafeCommands['Out-Null']
    $script:PlanTranscript = [System.IO.FileStream]::new($TranscriptPath, [System.IO.FileMode]::Open, [System.IO.FileAccess]::Read, ([System.IO.FileShare]'ReadWrite, Delete'))
}

function script:Stop-PlanCapture {
    # Writes the plan's lines to PlanPath (an empty file for a plan that changes nothing); returns how many.
    param([Parameter(Mandatory)][string] $TranscriptPath, [Parameter(Mandatory)][string] $PlanPath)
    # Stop-Transcript honours what-if on PowerShell 7; on Windows PowerShell 5.1 it has no -WhatIf.
    $notWhatIf = @{}
    if ($SafeCommands['Stop-Transcript'].Parameters.ContainsKey('WhatIf')) { $notWhatIf['WhatIf'] = $false }
    try { & $SafeCommands['Stop-Transcript'] @notWhatIf | & $SafeCommands['Out-Null'] } catch { & $SafeCommands['Write-Verbose'] 'the transcript had already stopped' }
    $lines = [System.Collections.Generic.List[string]]::new()
    if ($null -ne $script:PlanTranscript) {
        $reader = [System.IO.StreamReader]::new($script:PlanTranscript, $true)
        try {
            for ($line = $reader.ReadLine(); $null -ne $line; $line = $reader.ReadLine()) {
                if ($line.StartsWith($script:WhatIfPrefix, [System.StringComparison]::Ordinal)) { $lines.Add($line) }
            }
        } finally {
            $reader.Dispose()
            $script:PlanTranscript = $null
        }
    }
    [System.IO.File]::Delete($TranscriptPath)
    $text = ''
    if ($lines.Count -gt 0) { $text = ($lines.ToArray() -join "`n") + "`n" }
    & $Own['Write-RunFile'] -Path $PlanPath -Text $text
    $lines.Count
}
