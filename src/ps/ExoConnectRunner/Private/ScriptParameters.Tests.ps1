BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot '../ExoConnectRunner.psd1') -Force
    function Read-Parameter {
        # Read-ScriptParameter for a script of these lines and parameters of this JSON text.
        param([string[]] $Lines, [string] $Json)
        $path = Join-Path $TestDrive ('script-' + [guid]::NewGuid().ToString('N') + '.ps1')
        Set-Content -LiteralPath $path -Value $Lines
        InModuleScope ExoConnectRunner -Parameters @{ Script = [pscustomobject]@{ path = $path; parameters = $Json } } {
            param($Script)
            Read-ScriptParameter -Script $Script
        }
    }
}
AfterAll { Remove-Module -Name ExoConnectRunner -ErrorAction SilentlyContinue }

Describe 'Read-ScriptParameter' {
    It 'gives the hashtable to splat, for keys the param() block declares in any case, or by alias' {
        $parameters = Read-Parameter -Lines @('param([int] $Days = 7, [Alias(''Who'', ''Mailbox'')][string] $Identity)', '$Days') -Json '{"days": 30, "Mailbox": "alex"}'
        $parameters | Should -BeOfType [hashtable]
        $parameters['Days'] | Should -Be 30
        $parameters['Mailbox'] | Should -Be 'alex'
    }

    It 'makes JSON objects hashtables, nested ones too, for parameters typed as dictionaries; others stay objects' {
        $lines = @('param([hashtable] $Map, [Alias(''Changes'')][System.Collections.IDictionary] $Edit, [hashtable[]] $Rows, $Plain)')
        $json = '{"map": {"a": 1, "nested": {"b": [2, {"c": 3}]}}, "Changes": {"Add": "x@contoso.com"}, "Rows": [{"n": 1}, {"n": 2}], "Plain": {"p": 1}}'
        $parameters = Read-Parameter -Lines $lines -Json $json
        $parameters['map'] | Should -BeOfType [hashtable]
        $parameters['map']['nested'] | Should -BeOfType [hashtable]
        $parameters['map']['nested']['b'][0] | Should -Be 2
        $parameters['map']['nested']['b'][1] | Should -BeOfType [hashtable]
        $parameters['map']['nested']['b'][1]['c'] | Should -Be 3
        $parameters['Changes'] | Should -BeOfType [hashtable]
        $parameters['Changes']['Add'] | Should -Be 'x@contoso.com'
        $parameters['Rows'].Count | Should -Be 2
        $parameters['Rows'][1] | Should -BeOfType [hashtable]
        $parameters['Rows'][1]['n'] | Should -Be 2
        $parameters['Plain'] | Should -BeOfType [System.Management.Automation.PSCustomObject]
    }

    It 'refuses a key the script does not declare, naming it and listing the declared parameters' {
        { Read-Parameter -Lines @('param([int] $Days = 7, [string] $Identity)', '$Days') -Json '{"Dayz": 30}' } |
            Should -Throw "Input 'parameters': 'Dayz' is not a parameter of the script. Accepted: the parameters its param() block declares: Days, Identity."
        { Read-Parameter -Lines @('param([int] $Days)') -Json '{"Weeks": 1, "Dayz": 30}' } |
            Should -Throw "Input 'parameters': 'Dayz', 'Weeks' are not parameters of the script.*"
    }

    It "refuses PowerShell's common parameters, which a [CmdletBinding()] script has without declaring them" {
        { Read-Parameter -Lines @('[CmdletBinding()]', 'param([int] $Days)') -Json '{"ErrorAction": "SilentlyContinue"}' } |
            Should -Throw "*'ErrorAction' is not a parameter of the script*"
    }

    It 'refuses any parameters for a script without a param() block' {
        { Read-Parameter -Lines @('Get-EXOMailbox -ResultSize 3') -Json '{"Days": 30}' } |
            Should -Throw "Input 'parameters': the script has no param() block, so it takes no parameters, and parameters sets 'Days'.*"
    }

    It 'takes no parameters for any script, and leaves a script that does not parse to fail when it runs' {
        (Read-Parameter -Lines @('Get-EXOMailbox') -Json '{}').Count | Should -Be 0
        (Read-Parameter -Lines @('param([int] $Days', 'oops {') -Json '{"Other": 1}')['Other'] | Should -Be 1
    }

    It 'cannot know the names a dynamicparam block adds, and leaves them to PowerShell' {
        (Read-Parameter -Lines @('[CmdletBinding()]', 'param()', 'dynamicparam { }', 'end { }') -Json '{"Extra": 1}')['Extra'] | Should -Be 1
    }
}
