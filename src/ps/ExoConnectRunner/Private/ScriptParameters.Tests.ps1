BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot '../ExoConnectRunner.psd1') -Force
    function Read-Parameter {
        # Read-ScriptParameter for a script of these lines and parameters of this JSON text.
        param([string[]] $Lines, [string] $Json, [string] $From = 'script-file')
        $path = Join-Path $TestDrive ('script-' + [guid]::NewGuid().ToString('N') + '.ps1')
        Set-Content -LiteralPath $path -Value $Lines
        InModuleScope ExoConnectRunner -Parameters @{ Script = [pscustomobject]@{ path = $path; input = $From; parameters = $Json } } {
            param($Script)
            Read-ScriptParameter -Script $Script -Source (Read-ScriptSource -Path $Script.path)
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

    It 'takes no parameters for a script without mandatory ones' {
        (Read-Parameter -Lines @('Get-EXOMailbox') -Json '{}').Count | Should -Be 0
        (Read-Parameter -Lines @('param([int] $Days = 7)', '$Days') -Json '{}').Count | Should -Be 0
    }

    It 'refuses a script that does not parse, naming the input it came from and where the parser stopped' {
        { Read-Parameter -Lines @('"start"', 'if ($true {') -Json '{}' -From 'script' } |
            Should -Throw "Input 'script': the script does not parse, so nothing was connected: line 2, column *"
        { Read-Parameter -Lines @('param([int] $Days', 'oops {') -Json '{"Other": 1}' } |
            Should -Throw "Input 'script-file': the script does not parse*"
    }

    It 'refuses a #Requires -Version or -PSEdition this PowerShell does not meet, naming the input it came from; takes one it meets' {
        $other = if ($PSEdition -eq 'Core') { 'Desktop' } else { 'Core' }
        { Read-Parameter -Lines @("#Requires -PSEdition $other", '"ran"') -Json '{}' -From 'script' } |
            Should -Throw "Input 'script': the script has #Requires -PSEdition $other, and this PowerShell is the $PSEdition edition, so nothing was connected.*"
        { Read-Parameter -Lines @('#Requires -Version 99.1', '"ran"') -Json '{}' } |
            Should -Throw "Input 'script-file': the script has #Requires -Version 99.1, and this is PowerShell $($PSVersionTable.PSVersion), so nothing was connected.*"
        $major = $PSVersionTable.PSVersion.Major
        { Read-Parameter -Lines @("#Requires -Version $major.$($PSVersionTable.PSVersion.Minor + 1)", '"ran"') -Json '{}' } | Should -Throw '*#Requires -Version*'
        (Read-Parameter -Lines @("#Requires -Version $major.0", "#Requires -PSEdition $PSEdition", '"ran"') -Json '{}').Count | Should -Be 0
        (Read-Parameter -Lines @('#Requires -Version 5.1', '"ran"') -Json '{}').Count | Should -Be 0
    }

    It 'leaves to the run what only the run loads: the Exchange module, a class based on a type not loaded yet' {
        (Read-Parameter -Lines @('using module ExchangeOnlineManagement', '"ok"') -Json '{}').Count | Should -Be 0
        (Read-Parameter -Lines @('#Requires -Modules ExchangeOnlineManagement', '"ok"') -Json '{}').Count | Should -Be 0
        (Read-Parameter -Lines @('class Report : Not.Loaded.Yet.BaseType { }', '"ok"') -Json '{}').Count | Should -Be 0
    }

    It 'refuses a module the script requires that this PowerShell cannot find, at its line, before anything connects: <Case>' -TestCases @(
        @{ Case = '#Requires -Modules'; Lines = @('"first"', '#Requires -Modules NotInstalledAnywhere'); Message = "Input 'script-file': line 2 requires the module NotInstalledAnywhere (#Requires -Modules), which is not installed on this runner*so nothing was connected. Accepted: install it in an earlier step (Install-PSResource -Name NotInstalledAnywhere*" }
        @{ Case = 'a module specification'; Lines = @("#Requires -Modules @{ ModuleName = 'NotInstalledAnywhere'; ModuleVersion = '1.0' }", '"ok"'); Message = "Input 'script-file': line 1 requires the module NotInstalledAnywhere (#Requires -Modules)*" }
        @{ Case = 'using module'; Lines = @('using module NotInstalledAnywhere', '"ok"'); Message = "Input 'script-file': line 1 requires the module NotInstalledAnywhere (using module)*" }
    ) {
        $refusal = $null
        try { Read-Parameter -Lines $Lines -Json '{}' } catch { $refusal = $_ }
        $refusal.Exception.Message | Should -BeLike $Message
        $refusal.Exception.Data['scriptLine'] | Should -Be ([int]($Message -replace '^.*: line (\d+) .*$', '$1'))
    }

    It 'takes a required module this PowerShell has, loaded or on PSModulePath, and leaves one named by its path to PowerShell' {
        (Read-Parameter -Lines @('#Requires -Modules Microsoft.PowerShell.Utility', '#Requires -Modules Microsoft.PowerShell.Archive', '"ok"') -Json '{}').Count | Should -Be 0
        (Read-Parameter -Lines @('using module ./Helpers/Report.psm1', '"ok"') -Json '{}').Count | Should -Be 0
    }

    It 'refuses a mandatory parameter left unset, as a workflow cannot answer the prompt for it' {
        { Read-Parameter -Lines @('param([Parameter(Mandatory)][string] $Identity, [Parameter(Mandatory = $true)][int] $Days, [int] $Weeks)') -Json '{"Weeks": 1}' } |
            Should -Throw "Input 'parameters': the script's mandatory parameters Identity, Days are not set, so nothing was connected. Accepted: a JSON object that sets each mandatory parameter, such as {`"Identity`": ...}."
        { Read-Parameter -Lines @('param([Parameter(Mandatory)][string] $Identity)') -Json '{}' } |
            Should -Throw "Input 'parameters': the script's mandatory parameter Identity is not set*"
    }

    It 'takes a mandatory parameter set by name in any case or by alias, and leaves parameter sets and Mandatory = $false alone' {
        (Read-Parameter -Lines @('param([Parameter(Mandatory)][Alias(''Who'')][string] $Identity)') -Json '{"who": "alex"}')['who'] | Should -Be 'alex'
        (Read-Parameter -Lines @('param([Parameter(Mandatory)][string] $Identity)') -Json '{"IDENTITY": "alex"}')['IDENTITY'] | Should -Be 'alex'
        (Read-Parameter -Lines @('param([Parameter(Mandatory = $false)][string] $Identity)') -Json '{}').Count | Should -Be 0
        $sets = @('param([Parameter(Mandatory, ParameterSetName = ''One'')][string] $Identity, [Parameter(Mandatory, ParameterSetName = ''All'')][switch] $All)')
        (Read-Parameter -Lines $sets -Json '{"All": true}')['All'] | Should -BeTrue
    }

    It 'cannot know the names a dynamicparam block adds, and leaves them to PowerShell' {
        (Read-Parameter -Lines @('[CmdletBinding()]', 'param()', 'dynamicparam { }', 'end { }') -Json '{"Extra": 1}')['Extra'] | Should -Be 1
    }
}

Describe 'Read-ScriptParameter: values and the declared types' {
    BeforeAll {
        function Get-Refusal {
            # The message Read-ScriptParameter refuses with; $null when it does not.
            param([string[]] $Lines, [string] $Json)
            try { $null = Read-Parameter -Lines $Lines -Json $Json } catch { return $_.Exception.Message }
            $null
        }
    }

    It 'refuses a value its parameter''s type cannot take, naming the input, the key, the value and the declaration' {
        Get-Refusal -Lines @('param([int] $Days)', '$Days') -Json '{"Days": "thirty"}' |
            Should -BeLike 'Input ''parameters'': "Days" is "thirty", which PowerShell cannot convert to `[int`], the type the script declares for $Days (*thirty*), so nothing was connected. Accepted: a value that converts to `[int`].'
        Get-Refusal -Lines @('param([Alias(''Count'')][int] $Days)') -Json '{"count": 99999999999}' |
            Should -BeLike 'Input ''parameters'': "count" is 99999999999, which PowerShell cannot convert to `[int`], the type the script declares for $Days (*too large or too small*'
        Get-Refusal -Lines @('param([int[]] $Days)') -Json '{"Days": [1, "two"]}' |
            Should -BeLike 'Input ''parameters'': "Days" is an array of 2 values, which PowerShell cannot convert to `[int`[`]`]*'
        Get-Refusal -Lines @('param([guid] $Id, [switch] $All)') -Json '{"Id": "not-a-guid", "All": true}' |
            Should -BeLike 'Input ''parameters'': "Id" is "not-a-guid", which PowerShell cannot convert to `[guid`]*'
        Get-Refusal -Lines @('param([hashtable] $Map)') -Json '{"Map": "a=1"}' |
            Should -BeLike 'Input ''parameters'': "Map" is "a=1", which PowerShell cannot convert to `[hashtable`]*'
        Get-Refusal -Lines @('param([datetime] $Since)') -Json '{"Since": true}' |
            Should -BeLike 'Input ''parameters'': "Since" is true, which PowerShell cannot convert to `[datetime`]*'
    }

    It 'takes for a [bool] only what PowerShell binds to one: true or false, or a number; a string such as "false" is refused' {
        # As PowerShell's binder decides, for the same script and values (a splat of the parsed JSON).
        $binds = {
            param([string] $Json, [string] $Type)
            $path = Join-Path $TestDrive ('bool-' + [guid]::NewGuid().ToString('N') + '.ps1')
            Set-Content -LiteralPath $path -Value "param($Type `$Flag) 'bound'"
            $splat = @{}
            foreach ($p in ($Json | ConvertFrom-Json).PSObject.Properties) { $splat[$p.Name] = $p.Value }
            try { $null = & $path @splat; $true } catch { $false }
        }
        foreach ($case in @(
                @{ Json = '{"Flag": true}'; Type = '[bool]' }, @{ Json = '{"Flag": false}'; Type = '[bool]' }, @{ Json = '{"Flag": 0}'; Type = '[bool]' },
                @{ Json = '{"Flag": 1.5}'; Type = '[bool]' }, @{ Json = '{"Flag": "false"}'; Type = '[bool]' }, @{ Json = '{"Flag": "true"}'; Type = '[bool]' },
                @{ Json = '{"Flag": ""}'; Type = '[bool]' }, @{ Json = '{"Flag": null}'; Type = '[bool]' }, @{ Json = '{"Flag": [true]}'; Type = '[bool]' },
                @{ Json = '{"Flag": null}'; Type = '[Nullable[bool]]' }, @{ Json = '{"Flag": "no"}'; Type = '[Nullable[bool]]' })) {
            $refusal = Get-Refusal -Lines @("param($($case.Type) `$Flag)") -Json $case.Json
            # Refused before connecting exactly where the call would fail after.
            "$($case.Type) $($case.Json) refused: $($null -ne $refusal)" | Should -BeExactly "$($case.Type) $($case.Json) refused: $(-not (& $binds $case.Json $case.Type))"
        }
        Get-Refusal -Lines @('param([bool] $Flag)') -Json '{"Flag": "false"}' |
            Should -BeExactly 'Input ''parameters'': "Flag" is "false", and $Flag is [bool], which PowerShell binds from true or false (or a number) only, so nothing was connected. Accepted: true or false, without quotes. A workflow_dispatch boolean input is one in toJSON(inputs.name); github.event.inputs holds it as a string.'
    }

    It 'counts Mandatory = 1 as mandatory, as PowerShell does' {
        { Read-Parameter -Lines @('param([Parameter(Mandatory = 1)][string] $Identity)') -Json '{}' } |
            Should -Throw "Input 'parameters': the script's mandatory parameter Identity is not set*"
    }

    It 'cuts a long value at a space, as a secret in it must be whole or gone' {
        $long = ('word ' * 40) + 'tail'
        $message = Get-Refusal -Lines @('param([int] $Days)') -Json "{`"Days`": `"$long`"}"
        $message | Should -BeLike 'Input ''parameters'': "Days" is "word word * `[cut: * more characters`]", which PowerShell cannot convert to `[int`]*'
        $message | Should -Not -BeLike '*tail*'
    }

    It 'passes the value as written, whatever the check converted: the script binds it' {
        $parameters = Read-Parameter -Lines @('param([int] $Days, [string] $When, [datetime] $At, [string[]] $Names, [switch] $All, [decimal] $Big)') `
            -Json '{"Days": "30", "When": "2026-01-02T03:04:05Z", "At": "2026-01-02T03:04:05Z", "Names": "alex", "All": true, "Big": 12345678901234567890}'
        $parameters['Days'] | Should -BeOfType [string]
        $parameters['Days'] | Should -Be '30'
        $parameters['When'] | Should -BeOfType [string]
        $parameters['At'] | Should -BeOfType [string]
        $parameters['Names'] | Should -BeOfType [string]
        $parameters['All'] | Should -BeTrue
        $parameters['Big'] | Should -BeOfType [decimal]
        $parameters['Big'].ToString() | Should -Be '12345678901234567890'
    }

    It 'leaves to PowerShell what resolves only once the module is imported, a [Credential()] conversion, and untyped parameters' {
        (Read-Parameter -Lines @('param([Microsoft.Exchange.Data.Not.Loaded.Yet] $Identity)') -Json '{"Identity": "alex"}')['Identity'] | Should -Be 'alex'
        (Read-Parameter -Lines @('param([System.Management.Automation.Credential()][pscredential] $Account)') -Json '{"Account": "svc"}')['Account'] | Should -Be 'svc'
        (Read-Parameter -Lines @('param([NotLoaded.Transform()][int] $Days)') -Json '{"Days": "thirty"}')['Days'] | Should -Be 'thirty'
        (Read-Parameter -Lines @('param($Days, [object] $Any)') -Json '{"Days": "thirty", "Any": {"a": 1}}')['Days'] | Should -Be 'thirty'
        $big = '1' + ('0' * 400)
        (Read-Parameter -Lines @('param($Big)') -Json "{`"Big`": $big}")['Big'].GetType().Name | Should -Be 'BigInteger'
    }

    It 'checks what the param() block declares beside a dynamicparam block too' {
        Get-Refusal -Lines @('[CmdletBinding()]', 'param([int] $Days)', 'dynamicparam { }', 'end { }') -Json '{"Days": "x", "Extra": 1}' |
            Should -BeLike 'Input ''parameters'': "Days" is "x", which PowerShell cannot convert to `[int`]*'
    }
}

Describe 'Read-ScriptParameter: what PowerShell''s binder decides' {
    BeforeAll {
        # The script's own call, as the run makes it, in a runspace of its own without a host, where
        # a missing mandatory parameter fails instead of prompting: refused or not by the binder.
        $script:Binder = [powershell]::Create()
        function Test-RealBinding {
            param([string] $Path, [string] $Json)
            $script:Binder.Commands.Clear()
            $bound = @{}
            $parsed = ConvertFrom-Json -InputObject $Json -AsHashtable
            foreach ($key in $parsed.Keys) { $bound[$key] = $parsed[$key] }
            try {
                $null = $script:Binder.AddCommand($Path).AddParameters($bound).Invoke()
                return $false
            } catch {
                for ($e = $_.Exception; $null -ne $e; $e = $e.InnerException) { if ($e -is [System.Management.Automation.ParameterBindingException]) { return $true } }
                throw
            }
        }
    }
    AfterAll { $script:Binder.Dispose() }

    It 'refuses what the script''s own call would refuse, and only that: <Case>' -TestCases @(
        @{ Case = 'mandatory [string] given ""'; Block = '[Parameter(Mandatory)][string] $Identity'; Json = '{"Identity": ""}' }
        @{ Case = 'mandatory [string] given null'; Block = '[Parameter(Mandatory)][string] $Identity'; Json = '{"Identity": null}' }
        @{ Case = 'mandatory untyped given ""'; Block = '[Parameter(Mandatory)] $Identity'; Json = '{"Identity": ""}' }
        @{ Case = 'mandatory untyped given null'; Block = '[Parameter(Mandatory)] $Identity'; Json = '{"Identity": null}' }
        @{ Case = 'mandatory [AllowEmptyString()] given ""'; Block = '[Parameter(Mandatory)][AllowEmptyString()][string] $Identity'; Json = '{"Identity": ""}' }
        @{ Case = 'mandatory [AllowNull()][string] given null'; Block = '[Parameter(Mandatory)][AllowNull()][string] $Identity'; Json = '{"Identity": null}' }
        @{ Case = 'mandatory [string[]] given []'; Block = '[Parameter(Mandatory)][string[]] $Ids'; Json = '{"Ids": []}' }
        @{ Case = 'mandatory [AllowEmptyCollection()] given []'; Block = '[Parameter(Mandatory)][AllowEmptyCollection()][string[]] $Ids'; Json = '{"Ids": []}' }
        @{ Case = 'two parameter sets given both'; Block = '[Parameter(Mandatory, ParameterSetName = ''One'')][string] $Identity, [Parameter(Mandatory, ParameterSetName = ''All'')][switch] $All'; Json = '{"Identity": "x", "All": true}' }
        @{ Case = 'two parameter sets given neither'; Block = '[Parameter(Mandatory, ParameterSetName = ''One'')][string] $Identity, [Parameter(Mandatory, ParameterSetName = ''All'')][switch] $All'; Json = '{}' }
        @{ Case = 'two parameter sets given one'; Block = '[Parameter(Mandatory, ParameterSetName = ''One'')][string] $Identity, [Parameter(Mandatory, ParameterSetName = ''All'')][switch] $All'; Json = '{"All": true}' }
        @{ Case = 'a default set whose mandatory parameter is unset'; Attributes = '[CmdletBinding(DefaultParameterSetName = ''One'')]'; Block = '[Parameter(Mandatory, ParameterSetName = ''One'')][string] $Identity, [Parameter(ParameterSetName = ''All'')][switch] $All'; Json = '{}' }
        @{ Case = 'a name and its alias both given'; Block = '[Alias(''Org'')][string] $Organization'; Json = '{"Org": "a", "Organization": "b"}' }
        @{ Case = 'ValidateSet, outside the set'; Block = '[ValidateSet(''User'', ''Shared'')][string] $Type'; Json = '{"Type": "Shard"}' }
        @{ Case = 'ValidateSet, in the set in another case'; Block = '[ValidateSet(''User'', ''Shared'')][string] $Type'; Json = '{"Type": "shared"}' }
        @{ Case = 'ValidateRange, above it'; Block = '[ValidateRange(1, 30)][int] $Days'; Json = '{"Days": 99}' }
        @{ Case = 'ValidateRange with a negative bound, within it'; Block = '[ValidateRange(-5, 30)][int] $Days'; Json = '{"Days": -1}' }
        @{ Case = 'ValidateLength, too long'; Block = '[ValidateLength(1, 3)][string] $Code'; Json = '{"Code": "abcd"}' }
        @{ Case = 'ValidatePattern, not matched'; Block = '[ValidatePattern(''^[a-z]+$'')][string] $Alias'; Json = '{"Alias": "A1!"}' }
        @{ Case = 'ValidateCount, too many'; Block = '[ValidateCount(1, 2)][string[]] $Ids'; Json = '{"Ids": ["a", "b", "c"]}' }
        @{ Case = 'ValidateNotNullOrEmpty given ""'; Block = '[ValidateNotNullOrEmpty()][string] $Name'; Json = '{"Name": ""}' }
        @{ Case = 'two type constraints that refuse the value'; Block = '[int][string] $Days'; Json = '{"Days": "thirty"}' }
    ) {
        param($Case, $Block, $Json, $Attributes)
        $path = Join-Path $TestDrive ('bind-' + [guid]::NewGuid().ToString('N') + '.ps1')
        Set-Content -LiteralPath $path -Value @($Attributes, "param($Block)", '''ran''')
        $refused = Test-RealBinding -Path $path -Json $Json
        $message = $null
        try {
            $null = InModuleScope ExoConnectRunner -Parameters @{ Script = [pscustomobject]@{ path = $path; input = 'script-file'; parameters = $Json } } {
                param($Script)
                Read-ScriptParameter -Script $Script -Source (Read-ScriptSource -Path $Script.path)
            }
        } catch {
            $message = $_.Exception.Message
        }
        ($null -ne $message) | Should -Be $refused -Because "PowerShell's own binding of the script $(if ($refused) { 'refuses' } else { 'takes' }) $Json"
        if ($null -ne $message) { $message | Should -Match '^Input ''parameters'': ' }
    }

    It 'binds as the script does when [CmdletBinding()] names a member of a type (ConfirmImpact), and judges nothing when it cannot copy the block''s or a parameter''s naming attributes' {
        $lines = @(
            '[CmdletBinding(DefaultParameterSetName = ''One'', SupportsShouldProcess, ConfirmImpact = [System.Management.Automation.ConfirmImpact]::High)]'
            'param([Parameter(ParameterSetName = ''One'')][string] $Identity, [Parameter(ParameterSetName = ''All'')][switch] $All, [string] $Note)'
            '$PSCmdlet.ParameterSetName'
        )
        (Read-Parameter -Lines $lines -Json '{"Note": "x"}')['Note'] | Should -Be 'x'
        { Read-Parameter -Lines $lines -Json '{"Identity": "a", "All": true}' } | Should -Throw '*Parameter set cannot be resolved*'
        # A block attribute or a [Parameter()] with a script block for an argument: nothing judged here.
        $unknown = @('[CmdletBinding(DefaultParameterSetName = { ''One'' })]', 'param([Parameter(ParameterSetName = ''One'')][string] $Identity, [Parameter(ParameterSetName = ''All'')][switch] $All)', '"ran"')
        (Read-Parameter -Lines $unknown -Json '{"Identity": "a", "All": true}')['All'] | Should -BeTrue
        $parameter = @('param([Parameter(Mandatory = { $true })][ValidateSet(''a'')][string] $Kind)', '"ran"')
        (Read-Parameter -Lines $parameter -Json '{"Kind": "z"}')['Kind'] | Should -Be 'z'
    }

    It 'names PowerShell''s reason, and that nothing was connected' {
        $path = Join-Path $TestDrive 'set.ps1'
        Set-Content -LiteralPath $path -Value @('param([ValidateSet(''User'', ''Shared'')][string] $Type)', '$Type')
        { InModuleScope ExoConnectRunner -Parameters @{ Script = [pscustomobject]@{ path = $path; input = 'script-file'; parameters = '{"Type": "Shard"}' } } {
                param($Script)
                Read-ScriptParameter -Script $Script -Source (Read-ScriptSource -Path $Script.path)
            } } | Should -Throw 'Input ''parameters'': PowerShell would not bind them to the script''s param() block, so nothing was connected: Cannot validate argument on parameter ''Type''. The argument "Shard" does not belong to the set "User,Shared"*'
    }

    It 'runs none of the script''s code: no default value, no ValidateScript, and leaves what these decide to the script''s own call' {
        $global:ExoDefaultRan = $false
        $global:ExoValidateRan = $false
        $lines = @(
            '[CmdletBinding()]'
            'param([Parameter(Mandatory)][ValidateSet(''a'', ''b'')][string] $Mode, [string] $Org = $(($global:ExoDefaultRan = $true)), [ValidateScript({ $global:ExoValidateRan = $true; $_ -gt 5 })][int] $Count)'
            '$Mode'
        )
        $parameters = Read-Parameter -Lines $lines -Json '{"Mode": "a", "Count": 1}'
        $parameters['Count'] | Should -Be 1
        $global:ExoDefaultRan | Should -BeFalse
        $global:ExoValidateRan | Should -BeFalse
        Remove-Variable -Name 'ExoDefaultRan' -Scope 'Global'
        Remove-Variable -Name 'ExoValidateRan' -Scope 'Global'
    }

    It 'leaves to the script''s own call a parameter with an attribute it cannot apply now, types and all' {
        (Read-Parameter -Lines @('param([NotLoaded.Transform()][ValidateRange(1, 2)][int] $Days)') -Json '{"Days": "thirty"}')['Days'] | Should -Be 'thirty'
        (Read-Parameter -Lines @('param([Parameter(Mandatory)][System.Management.Automation.Credential()][ValidateNotNullOrEmpty()][pscredential] $Account)') -Json '{"Account": ""}')['Account'] | Should -Be ''
        # Its name, set and presence are still judged.
        { Read-Parameter -Lines @('param([System.Management.Automation.ParameterAttribute(Mandatory, ParameterSetName = ''A'')][NotLoaded.Transform()][string] $One, [Parameter(Mandatory, ParameterSetName = ''B'')][string] $Two)') -Json '{"One": "x", "Two": "y"}' } |
            Should -Throw "Input 'parameters': PowerShell would not bind them*Parameter set cannot be resolved*"
        (Read-Parameter -Lines @('param([ValidateScript({ $true })][ValidateCount(1, 2)][string[]] $Ids)') -Json '{"Ids": []}')['Ids'].Count | Should -Be 0
        # A bound given as a member of a type is a constant, and applied.
        { Read-Parameter -Lines @('param([ValidateCount(1, [int]::MaxValue)][string[]] $Ids)') -Json '{"Ids": []}' } | Should -Throw '*at least 1 value*'
    }
}

Describe 'Assert-ModuleImportVersion' {
    BeforeAll {
        # A module named as the Exchange module, version 3.9.0, as the import leaves it.
        $folder = Join-Path $TestDrive 'ExchangeOnlineManagement'
        $null = New-Item -ItemType Directory -Path $folder
        New-ModuleManifest -Path (Join-Path $folder 'ExchangeOnlineManagement.psd1') -ModuleVersion '3.9.0'
        $script:Imported = Import-Module (Join-Path $folder 'ExchangeOnlineManagement.psd1') -PassThru -Force
        function Test-Import {
            # The refusal's message for a script of these lines, or $null when it runs.
            param([string[]] $Lines)
            $path = Join-Path $TestDrive ('imports-' + [guid]::NewGuid().ToString('N') + '.ps1')
            Set-Content -LiteralPath $path -Value $Lines
            InModuleScope ExoConnectRunner -Parameters @{ Path = $path; Module = $script:Imported } {
                param($Path, $Module)
                try { Assert-ModuleRequirement -Source (Read-ScriptSource -Path $Path) -Module $Module -From 'script-file'; $null } catch { $_.Exception.Message }
            }
        }
    }
    AfterAll { Remove-Module -ModuleInfo $script:Imported -ErrorAction SilentlyContinue }

    It 'refuses a version the imported copy is not, at the line of the import: <Line>' -TestCases @(
        @{ Line = 'Import-Module ExchangeOnlineManagement -RequiredVersion 3.4.0'; Unmet = '-RequiredVersion 3.4.0' }
        @{ Line = 'ipmo -MinimumVersion "4.0" -Name ExchangeOnlineManagement'; Unmet = '-MinimumVersion 4.0' }
        @{ Line = "Import-Module 'exchangeonlinemanagement' -MaximumVersion 3.5.*"; Unmet = '-MaximumVersion 3.5.*' }
    ) {
        param($Line, $Unmet)
        Test-Import -Lines @('"start"', $Line) | Should -BeLike "Input 'script-file': line 2 imports ExchangeOnlineManagement with $Unmet, and module-version gave 3.9.0,*"
    }

    It 'leaves alone what it cannot read as a constant, another module, a version met, and an import without one' {
        foreach ($line in @(
                'Import-Module ExchangeOnlineManagement -RequiredVersion $wanted',
                'Import-Module ExchangeOnlineManagement -RequiredVersion 3.4',
                'Import-Module Microsoft.Graph.Users -RequiredVersion 1.0.0',
                'Import-Module ./ExchangeOnlineManagement.psd1 -RequiredVersion 1.0.0',
                'Import-Module ExchangeOnlineManagement -RequiredVersion 3.9.0 -MinimumVersion 3.0.0',
                'Import-Module ExchangeOnlineManagement -MaximumVersion 3.*',
                'Import-Module ExchangeOnlineManagement',
                '# Import-Module ExchangeOnlineManagement -RequiredVersion 3.4.0')) {
            Test-Import -Lines @($line) | Should -BeNullOrEmpty -Because $line
        }
    }
}
