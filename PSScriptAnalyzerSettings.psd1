<#
  PSScriptAnalyzer settings for src/ps, run by the powershell-lint job in .github/workflows/ci.yml
  (PSScriptAnalyzer pinned there). Zero findings are required. All default rules stay on; a finding
  that is wrong for this code is suppressed where it occurs, with its reason:
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSAvoidUsingWriteHost', '', Justification = 'why')]
  (test/ps/Suppressions.Tests.ps1 fails on a suppression without a Justification.)
  https://learn.microsoft.com/powershell/utility-modules/psscriptanalyzer/using-scriptanalyzer

  The runner runs on Windows PowerShell 5.1 (shell: powershell) and on PowerShell 7 on Windows,
  Linux and macOS runners, so both compatibility rules target all of them.
#>
@{
    # No Severity key: every severity counts, parse errors included.
    Rules = @{
        # https://learn.microsoft.com/powershell/utility-modules/psscriptanalyzer/rules/usecompatiblesyntax
        PSUseCompatibleSyntax   = @{
            Enable         = $true
            TargetVersions = @('5.1', '7.0')
        }

        # https://learn.microsoft.com/powershell/utility-modules/psscriptanalyzer/rules/usecompatiblecommands
        # Profiles bundled with PSScriptAnalyzer. It bundles none for macOS: the Linux profile stands
        # for PowerShell 7 on Unix, whose built-in commands macOS shares.
        PSUseCompatibleCommands = @{
            Enable         = $true
            TargetProfiles = @(
                'win-8_x64_10.0.17763.0_5.1.17763.316_x64_4.0.30319.42000_framework' # Windows PowerShell 5.1, Windows Server 2019
                'win-48_x64_10.0.17763.0_5.1.17763.316_x64_4.0.30319.42000_framework' # Windows PowerShell 5.1, Windows 10
                'win-8_x64_10.0.17763.0_7.0.0_x64_3.1.2_core' # PowerShell 7, Windows Server 2019
                'ubuntu_x64_18.04_7.0.0_x64_3.1.2_core' # PowerShell 7, Linux (and macOS)
            )
        }
    }
}
