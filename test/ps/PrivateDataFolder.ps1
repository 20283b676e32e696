# For the Pester tests that save a module: they take the account's module-save lock and register
# feeds in its repository stores (PSResourceGet's in .NET's LocalApplicationData, PowerShellGet 2's
# in PowerShell's cache folder). test/pester.ps1 gives the run folders of its own under the temp
# folder; run without them, the tests would write into the home folder, so they stop here instead.
function Assert-PrivateDataFolder {
    $temp = [System.IO.Path]::GetTempPath()
    [System.Environment]::GetFolderPath('LocalApplicationData') | Should -BeLike "$temp*" -Because 'test/pester.ps1 sets XDG_DATA_HOME for the run'
    "$env:XDG_CACHE_HOME" | Should -BeLike "$temp*" -Because 'test/pester.ps1 sets XDG_CACHE_HOME for the run'
}
