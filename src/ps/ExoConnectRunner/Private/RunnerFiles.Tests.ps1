BeforeAll { Import-Module -Name (Join-Path $PSScriptRoot '../ExoConnectRunner.psd1') -Force }
AfterAll { Remove-Module -Name ExoConnectRunner -ErrorAction SilentlyContinue }

Describe 'the files loaded when needed' {
    It 'are loaded from the source files, and each sets only script: functions and variables, as a load from a function needs' {
        $moduleRoot = Split-Path -Parent $PSScriptRoot
        $listed = @(Select-String -LiteralPath (Join-Path $moduleRoot 'ExoConnectRunner.psm1') -Pattern "^Import-RunnerFile -Path '([^']+)'$" | ForEach-Object { $_.Matches[0].Groups[1].Value })
        $listed.Count | Should -BeGreaterThan 5
        $loaded = @(InModuleScope ExoConnectRunner { @($script:LoadedFiles) })
        $loaded | Should -Be $listed
        foreach ($file in $listed) {
            $ast = [System.Management.Automation.Language.Parser]::ParseFile((Join-Path $moduleRoot $file), [ref]$null, [ref]$null)
            foreach ($function in $ast.EndBlock.Statements | Where-Object { $_ -is [System.Management.Automation.Language.FunctionDefinitionAst] }) {
                $function.Name | Should -BeLike 'script:*' -Because "$file defines it"
            }
            # Assignments outside the functions: the file's own variables.
            $outside = $ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.AssignmentStatementAst] }, $true) | Where-Object {
                for ($parent = $_.Parent; $null -ne $parent; $parent = $parent.Parent) { if ($parent -is [System.Management.Automation.Language.FunctionDefinitionAst]) { return $false } }
                $true
            }
            foreach ($assignment in $outside) { $assignment.Left.VariablePath.UserPath | Should -BeLike 'script:*' -Because "$file sets it" }
        }
    }
}

Describe 'Import-RunnerFile' {
    BeforeEach {
        # A module folder of the test's own, with one file to load; the module's own is put back after.
        $root = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        [void](New-Item -ItemType Directory -Path (Join-Path $root 'Private'))
        InModuleScope ExoConnectRunner -Parameters @{ Root = $root } { param($Root) $script:SavedRoot = $script:ModuleRoot; $script:ModuleRoot = $Root }
    }
    AfterEach {
        InModuleScope ExoConnectRunner { $script:ModuleRoot = $script:SavedRoot; $script:ScriptStarted = $false }
    }

    It 'loads a file once, into the module: its functions are the module''s, in $Own, under strict mode' {
        Set-Content -LiteralPath (Join-Path $root 'Private/Sample.ps1') -Value @'
$script:SampleLoads = 1 + $(if (Test-Path variable:script:SampleLoads) { $script:SampleLoads } else { 0 })
$path = 'a variable of the file'
function script:Get-SampleThing { $undefinedInSample }
filter script:Write-SampleThing { "sample $_" }
'@
        InModuleScope ExoConnectRunner {
            $path = 'the caller''s'
            Import-RunnerFile -Path 'Private/Sample.ps1'
            Import-RunnerFile -Path 'Private/Sample.ps1'
            $script:SampleLoads | Should -Be 1
            $path | Should -Be 'the caller''s'
            $Own['Get-SampleThing'].Module.Name | Should -Be 'ExoConnectRunner'
            { & $Own['Get-SampleThing'] } | Should -Throw '*undefinedInSample*'
            @(1, 2 | & $Own['Write-SampleThing']) | Should -Be @('sample 1', 'sample 2')
        }
        Get-Command -Name Get-SampleThing -ErrorAction Ignore | Should -BeNullOrEmpty
    }

    It 'refuses once the user''s script has started, which can write to the files' {
        Set-Content -LiteralPath (Join-Path $root 'Private/Late.ps1') -Value 'function script:Get-LateThing { }'
        InModuleScope ExoConnectRunner {
            $script:ScriptStarted = $true
            { Import-RunnerFile -Path 'Private/Late.ps1' } | Should -Throw "*would load Private/Late.ps1 after the user's script started*"
            $Own.ContainsKey('Get-LateThing') | Should -BeFalse
        }
    }

    It 'refuses a file that does not parse, naming it' {
        Set-Content -LiteralPath (Join-Path $root 'Private/Broken.ps1') -Value 'function script:Get-Broken {'
        InModuleScope ExoConnectRunner -Parameters @{ Root = $root } {
            param($Root)
            { Import-RunnerFile -Path 'Private/Broken.ps1' } | Should -Throw "*$([System.IO.Path]::Combine($Root, 'Private/Broken.ps1')) does not parse: line 1*"
        }
    }

}
