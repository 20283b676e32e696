BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot '../ExoConnectRunner.psd1') -Force
}
AfterAll { Remove-Module -Name ExoConnectRunner -ErrorAction SilentlyContinue }

Describe 'Start-PlanCapture and Stop-PlanCapture' {
    BeforeAll {
        # A function of the user's that supports -WhatIf, as the module's proxies do.
        function global:Set-PlanTestThing {
            [CmdletBinding(SupportsShouldProcess)]
            param([string] $Name)
            if ($PSCmdlet.ShouldProcess($Name, 'Set thing')) { 'changed' }
        }
    }
    AfterAll { Remove-Item -Path 'function:Set-PlanTestThing' }

    It 'keep the "What if:" lines the host showed, in order, and nothing else; the transcript goes' {
        $transcript = Join-Path $TestDrive 'plan.txt.transcript'
        $plan = Join-Path $TestDrive 'plan.txt'
        $count = InModuleScope ExoConnectRunner -Parameters @{ Transcript = $transcript; Plan = $plan } {
            param($Transcript, $Plan)
            Start-PlanCapture -TranscriptPath $Transcript
            Write-Host 'a line of the log, not of the plan'
            Set-PlanTestThing -Name 'first' -WhatIf
            Set-PlanTestThing -Name 'second' -WhatIf
            Stop-PlanCapture -TranscriptPath $Transcript -PlanPath $Plan
        }
        $count.lines | Should -Be 2
        $count.ContainsKey('captureStopped') | Should -BeFalse
        [System.IO.File]::ReadAllLines($plan) | Should -Be @(
            'What if: Performing the operation "Set thing" on target "first".'
            'What if: Performing the operation "Set thing" on target "second".'
        )
        Test-Path -LiteralPath $transcript | Should -BeFalse
        Test-Path -LiteralPath "$transcript.guard" | Should -BeFalse
    }

    It "keep the plan whole when the script stops a transcript it never started, or leaves its own running" {
        $transcript = Join-Path $TestDrive 'stopped.transcript'
        $plan = Join-Path $TestDrive 'stopped.txt'
        $scriptsOwn = Join-Path $TestDrive 'own.txt'
        $captured = InModuleScope ExoConnectRunner -Parameters @{ Transcript = $transcript; Plan = $plan; ScriptsOwn = $scriptsOwn } {
            param($Transcript, $Plan, $ScriptsOwn)
            Start-PlanCapture -TranscriptPath $Transcript
            # The defensive start of many scripts: stop whatever transcript runs, then start one's own.
            try { Stop-Transcript -WhatIf:$false | Out-Null } catch { }
            Start-Transcript -LiteralPath $ScriptsOwn -WhatIf:$false | Out-Null
            Set-PlanTestThing -Name 'kept' -WhatIf
            Stop-PlanCapture -TranscriptPath $Transcript -PlanPath $Plan
        }
        $captured.lines | Should -Be 1
        $captured.ContainsKey('captureStopped') | Should -BeFalse
        [System.IO.File]::ReadAllLines($plan) | Should -Be @('What if: Performing the operation "Set thing" on target "kept".')
        # The script's own transcript was stopped on the way, as PowerShell's exit would have.
        { Stop-Transcript } | Should -Throw
    }

    It 'say so when the script stopped the plan transcript itself' {
        $transcript = Join-Path $TestDrive 'gone.transcript'
        $plan = Join-Path $TestDrive 'gone.txt'
        $captured = InModuleScope ExoConnectRunner -Parameters @{ Transcript = $transcript; Plan = $plan } {
            param($Transcript, $Plan)
            Start-PlanCapture -TranscriptPath $Transcript
            Set-PlanTestThing -Name 'before' -WhatIf
            Stop-Transcript -WhatIf:$false | Out-Null
            Stop-Transcript -WhatIf:$false | Out-Null
            Set-PlanTestThing -Name 'after' -WhatIf
            Stop-PlanCapture -TranscriptPath $Transcript -PlanPath $Plan
        }
        $captured.lines | Should -Be 1
        $captured.captureStopped | Should -BeTrue
        Test-Path -LiteralPath "$transcript.guard" | Should -BeFalse
    }

    It 'say nothing of the script when the run was stopped before the capture started' {
        $transcript = Join-Path $TestDrive 'never.transcript'
        $plan = Join-Path $TestDrive 'never.txt'
        $captured = InModuleScope ExoConnectRunner -Parameters @{ Transcript = $transcript; Plan = $plan } {
            param($Transcript, $Plan)
            Stop-PlanCapture -TranscriptPath $Transcript -PlanPath $Plan
        }
        $captured.lines | Should -Be 0
        $captured.ContainsKey('captureStopped') | Should -BeFalse
    }

    It 'reach the plan transcript under however many the script left running' {
        $transcript = Join-Path $TestDrive 'many.transcript'
        $plan = Join-Path $TestDrive 'many.txt'
        $captured = InModuleScope ExoConnectRunner -Parameters @{ Transcript = $transcript; Plan = $plan; Folder = "$TestDrive" } {
            param($Transcript, $Plan, $Folder)
            Start-PlanCapture -TranscriptPath $Transcript
            foreach ($n in 1..12) { Start-Transcript -LiteralPath (Join-Path $Folder "left-$n.txt") -WhatIf:$false | Out-Null }
            Set-PlanTestThing -Name 'under many' -WhatIf
            Stop-PlanCapture -TranscriptPath $Transcript -PlanPath $Plan
        }
        $captured.lines | Should -Be 1
        $captured.ContainsKey('captureStopped') | Should -BeFalse
        { Stop-Transcript } | Should -Throw
    }

    It 'leave an empty plan for a run that would change nothing' {
        $transcript = Join-Path $TestDrive 'empty.transcript'
        $plan = Join-Path $TestDrive 'empty.txt'
        $count = InModuleScope ExoConnectRunner -Parameters @{ Transcript = $transcript; Plan = $plan } {
            param($Transcript, $Plan)
            Start-PlanCapture -TranscriptPath $Transcript
            Write-Host 'nothing to change'
            Stop-PlanCapture -TranscriptPath $Transcript -PlanPath $Plan
        }
        $count.lines | Should -Be 0
        [System.IO.File]::ReadAllText($plan) | Should -Be ''
    }
}
