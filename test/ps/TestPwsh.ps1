# For the Pester tests that start a PowerShell of their own: the pinned one script/bootstrap
# installed (this process is dotnet running pwsh.dll, so its own path would start dotnet).
function Get-TestPwsh {
    (Get-Content -LiteralPath (Join-Path $PSScriptRoot '../../.tools/pwsh-path') -Raw).Trim()
}
