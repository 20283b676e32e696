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
    # Transcripts nest, and Stop-Transcript stops the latest: a script that stops "its" transcript
    # before starting one (try { Stop-Transcript } catch { }) stops this second one, and the plan's
    # goes on. https://learn.microsoft.com/powershell/module/microsoft.powershell.host/start-transcript
    & $SafeCommands['Start-Transcript'] -LiteralPath ($TranscriptPath + '.guard') -Force -WhatIf:$false | & $SafeCommands['Out-Null']
}

function script:Stop-PlanCapture {
    # Writes the plan's lines to PlanPath (an empty file for a plan that changes nothing). Returns
    # lines, how many, and captureStopped when the script stopped the plan's transcript itself: the
    # lines after that never reached it.
    param([Parameter(Mandatory)][string] $TranscriptPath, [Parameter(Mandatory)][string] $PlanPath)
    # Stop-Transcript honours what-if on PowerShell 7; on Windows PowerShell 5.1 it has no -WhatIf.
    $notWhatIf = @{}
    if ($SafeCommands['Stop-Transcript'].Parameters.ContainsKey('WhatIf')) { $notWhatIf['WhatIf'] = $false }
    # Stopped one by one down to the plan's (the guard, and any the script left running): its
    # message names the file it stopped, by the file's name here, whatever form of its folder the
    # message gives. None left to stop before it: the script stopped it. A run stopped before the
    # capture started (script-timeout, a cancel) has none of its own to stop.
    $started = $null -ne $script:PlanTranscript
    $name = [System.IO.Path]::GetFileName($TranscriptPath)
    $stopped = -not $started
    # Bounded only against a Stop-Transcript that never fails: each call ends one transcript.
    for ($i = 0; $i -lt 1000 -and -not $stopped; $i++) {
        try {
            $message = [string](& $SafeCommands['Stop-Transcript'] @notWhatIf)
        } catch {
            break
        }
        $stopped = $message.IndexOf($name, [System.StringComparison]::OrdinalIgnoreCase) -ge 0 -and
            $message.IndexOf($name + '.guard', [System.StringComparison]::OrdinalIgnoreCase) -lt 0
    }
    # A transcript still open holds its file on Windows: what is left goes with the run directory.
    try { [System.IO.File]::Delete($TranscriptPath + '.guard') } catch { $null = $_ }
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
    try { [System.IO.File]::Delete($TranscriptPath) } catch { $null = $_ }
    $text = ''
    if ($lines.Count -gt 0) { $text = ($lines.ToArray() -join "`n") + "`n" }
    $captured = @{ lines = $lines.Count; sha256 = (& $Own['Write-RunFile'] -Path $PlanPath -Text $text) }
    if (-not $stopped) { $captured['captureStopped'] = $true }
    $captured
}
