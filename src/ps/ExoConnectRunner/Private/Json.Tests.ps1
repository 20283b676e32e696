BeforeAll { Import-Module -Name (Join-Path $PSScriptRoot '../ExoConnectRunner.psd1') -Force }
AfterAll { Remove-Module -Name ExoConnectRunner -ErrorAction SilentlyContinue }

Describe 'ConvertFrom-RunnerJson' {
    It 'types <Text> as a PowerShell literal would: <Type>' -TestCases @(
        @{ Text = '30'; Type = [int]; Value = 30 }
        @{ Text = '-2147483648'; Type = [int]; Value = -2147483648 }
        @{ Text = '2147483648'; Type = [long]; Value = 2147483648 }
        @{ Text = '12345678901234567890'; Type = [decimal]; Value = [decimal]::Parse('12345678901234567890') }
        @{ Text = '-79228162514264337593543950335'; Type = [decimal]; Value = [decimal]::MinValue }
        @{ Text = '123456789012345678901234567890123'; Type = [System.Numerics.BigInteger]; Value = [System.Numerics.BigInteger]::Parse('123456789012345678901234567890123') }
        @{ Text = '1.5'; Type = [double]; Value = 1.5 }
        @{ Text = '1e3'; Type = [double]; Value = 1000 }
        @{ Text = '0.1234567890123456789'; Type = [decimal]; Value = [decimal]::Parse('0.1234567890123456789', [cultureinfo]::InvariantCulture) }
        @{ Text = '7.9228162514264337593543950335E+28'; Type = [decimal]; Value = [decimal]::MaxValue }
        @{ Text = '-7.9228162514264337593543950335e28'; Type = [decimal]; Value = [decimal]::MinValue }
        @{ Text = 'true'; Type = [bool]; Value = $true }
        @{ Text = '"2026-01-02T03:04:05Z"'; Type = [string]; Value = '2026-01-02T03:04:05Z' }
        @{ Text = '"\/Date(1767322800000)\/"'; Type = [string]; Value = '/Date(1767322800000)/' }
    ) {
        InModuleScope ExoConnectRunner -Parameters @{ Text = $Text; Type = $Type; Value = $Value } {
            param($Text, $Type, $Value)
            $read = ConvertFrom-RunnerJson -Text $Text
            $read | Should -BeOfType $Type
            $read | Should -Be $Value
            # Every digit: the value prints back as the text it came from.
            if ($Type -ne [string] -and $Type -ne [bool] -and $Text -notmatch 'e') { $read.ToString([cultureinfo]::InvariantCulture) | Should -Be $Text }
        }
    }

    It "reads JSON's escapes, surrogate pairs included, and nothing else as an escape" {
        InModuleScope ExoConnectRunner {
            $text = ConvertFrom-RunnerJson -Text '"q\" b\\ s\/ \b\f\n\r\t \u00e9 \ud83d\ude80 $(x) `n"'
            $text | Should -BeExactly ("q`" b\ s/ " + [char]8 + [char]12 + "`n`r`t é 🚀 `$(x) ``n")
        }
    }

    It 'keeps objects in order, arrays as arrays (one element or none), and null' {
        InModuleScope ExoConnectRunner {
            $read = ConvertFrom-RunnerJson -Text ' { "b" : [1] , "a" : [] , "n" : null , "o" : { "x" : [ [ ] ] } } '
            @($read.PSObject.Properties.Name) | Should -Be @('b', 'a', 'n', 'o')
            , $read.b | Should -BeOfType [object[]]
            $read.b.Count | Should -Be 1
            , $read.a | Should -BeOfType [object[]]
            $read.a.Count | Should -Be 0
            $read.n | Should -BeNullOrEmpty
            , $read.o.x[0] | Should -BeOfType [object[]]
            , (ConvertFrom-RunnerJson -Text '[1,2]') | Should -BeOfType [object[]]
        }
    }

    It 'lets a [datetime] parameter turn a string into a date, and nothing else' {
        InModuleScope ExoConnectRunner {
            $read = ConvertFrom-RunnerJson -Text '{"When":"2026-01-02T03:04:05Z"}'
            $read.When | Should -BeOfType [string]
            & { param([datetime] $When) $When } -When $read.When | Should -BeOfType [datetime]
        }
    }

    It 'refuses <Case>' -TestCases @(
        @{ Case = 'a missing value'; Text = '{"a":}'; Message = '*character 6: a value was expected*' }
        @{ Case = 'a trailing comma in an object'; Text = '{"a":1,}'; Message = '*a property name was expected*' }
        @{ Case = 'a trailing comma in an array'; Text = '[1,]'; Message = '*a value was expected*' }
        @{ Case = 'mismatched brackets'; Text = '[1}'; Message = "*',' or the end*" }
        @{ Case = 'a missing colon'; Text = '{"a" 1}'; Message = "*':' was expected*" }
        @{ Case = 'two values'; Text = '{} {}'; Message = '*more than one value*' }
        @{ Case = 'no value'; Text = ' '; Message = '*ends before its value does*' }
        @{ Case = 'an unfinished array'; Text = '[1'; Message = '*ends before its value does*' }
        @{ Case = 'a leading zero'; Text = '01'; Message = '*more than one value*' }
        @{ Case = 'an unknown escape'; Text = '"\x"'; Message = '*not valid at character 1*' }
        @{ Case = 'a raw tab in a string'; Text = "`"a`tb`""; Message = '*not valid at character 1*' }
        @{ Case = 'a single-quoted string'; Text = "'a'"; Message = '*not valid at character 1*' }
        @{ Case = 'a number beyond double'; Text = '1e400'; Message = '*beyond the range of a double*' }
        @{ Case = 'a key twice in two spellings'; Text = '{"Days":1,"days":2}'; Message = "*'Days' twice, as 'Days' and 'days'*" }
        @{ Case = 'a property with an empty name'; Text = '{"":1}'; Message = '*property with an empty name*' }
        @{ Case = 'a number ending in a point'; Text = '[1.]'; Message = '*not valid at character 3*' }
        @{ Case = 'an exponent without digits'; Text = '1e'; Message = '*not valid at character 2*' }
        @{ Case = 'a lone minus'; Text = '-'; Message = '*not valid at character 1*' }
        @{ Case = 'a cut literal'; Text = '[tru]'; Message = '*not valid at character 2*' }
        @{ Case = 'a short \u escape'; Text = '"\u12"'; Message = '*not valid at character 1*' }
        @{ Case = 'an unfinished string'; Text = '{"a":"b'; Message = '*not valid at character 6*' }
        @{ Case = 'a missing comma'; Text = '{"a":1 "b":2}'; Message = "*character 8: ',' or the end*" }
        @{ Case = 'a key that is not a string'; Text = '{1:2}'; Message = '*character 2: a property name was expected*' }
    ) {
        InModuleScope ExoConnectRunner -Parameters @{ Text = $Text; Message = $Message } {
            param($Text, $Message)
            { ConvertFrom-RunnerJson -Text $Text } | Should -Throw $Message
        }
    }

    It 'stops past the nesting limit with a message, even far past it, instead of exhausting the stack' {
        InModuleScope ExoConnectRunner {
            , (ConvertFrom-RunnerJson -Text (('[' * 100) + (']' * 100))) | Should -BeOfType [object[]]
            { ConvertFrom-RunnerJson -Text (('[' * 101) + (']' * 101)) } | Should -Throw '*deeper than 100 levels*'
            { ConvertFrom-RunnerJson -Text (('[' * 5000) + (']' * 5000)) -MaxDepth 10000 } | Should -Not -Throw
        }
    }
}
