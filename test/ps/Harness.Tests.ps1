# The Pester harness itself: it runs on the pinned PowerShell and finds the tests beside the code.
Describe 'the Pester harness' {
    It 'runs on the PowerShell that script/bootstrap pinned' {
        $pinned = (Get-Content -LiteralPath "$PSScriptRoot/../../.config/dotnet-tools.json" -Raw | ConvertFrom-Json).tools.powershell.version
        $PSVersionTable.PSVersion.ToString() | Should -Be $pinned
    }
}
