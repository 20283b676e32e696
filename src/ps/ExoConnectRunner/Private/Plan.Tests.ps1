BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot '../ExoConnectRunner.psd1') -Force
}
AfterAll { Remove-Module -Name ExoConnectRunner -ErrorAction SilentlyContinue }

Describe 'Start-PlanCapture and Stop-PlanCapture' {
    It 'keep the "What if:" lines the host showed, in order, and nothing else; the transcript goes' {
        $transcript = Join-Path $TestDrive 'plan.txt.transcript'
        $plan = Join-Path $TestDrive 'plan.txt'
        $count = InModuleScope ExoConnectRunner -Parameters @{ Transcript = $transcript; Plan = $plan } {
            param($Transcript, $Plan)
            function Set-Thing {
                [CmdletBinding(SupportsShouldProcess)]
                param([string] $Name)
                if ($PSCmdlet.ShouldProcess($Name, 'Set thing')) { 'changed' }
            }
            Start-PlanCapture -TranscriptPath $Transcript
            Write-Host 'a line of the log, not of the plan'
            Set-Thing -Name 'first' -WhatIf
            Set-Thing -Name 'second' -WhatIf
            Stop-PlanCapture -TranscriptPath $Transcript -PlanPath $Plan
        }
        $count | Should -Be 2
        [System.IO.File]::ReadAllLines($plan) | Should -Be @(
            'What if: Performing the operation "Set thing" on target "first".'
            'What if: Performing the operation "Set thing" on target "second".'
        )
        Test-Path -LiteralPath $transcript | Should -BeFalse
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
        $count | Should -Be 0
        [System.IO.File]::ReadAllText($plan) | Should -Be ''
    }
}
