BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot '../ExoConnectRunner.psd1') -Force
    # Objects as scripts return them: a date from Get-Date (with its extra properties), dates of
    # each kind, enums and flags, nested objects, a .NET object, and an object past the depth.
    $script:Samples = @(
        [pscustomobject]@{
            Name       = 'Müller – EMEA'
            WhenUtc    = [datetime]::SpecifyKind([datetime]'2026-01-02T03:04:05', 'Utc')
            WhenLocal  = Get-Date -Date '2026-01-02T03:04:05Z'
            WhenPlain  = [datetime]'2026-01-02T03:04:05.123'
            Offset     = [datetimeoffset]::new(2026, 1, 2, 3, 4, 5, [timespan]::FromHours(2))
            Day        = [DayOfWeek]::Friday
            Attributes = [System.IO.FileAttributes]'ReadOnly, Hidden'
            Id         = [guid]'6babcaad-604b-40ac-a9d7-9fd97c0b779f'
            Link       = [uri]'https://contoso.example/a b'
            Letter     = [char]'x'
            Numbers    = @(1, 2.5, [long]9007199254740993, [decimal]1.10)
            Flag       = $true
            Nothing    = $null
            Table      = @{ Inner = [DayOfWeek]::Monday }
            Nested     = [pscustomobject]@{ Deeper = [pscustomobject]@{ Deepest = [pscustomobject]@{ Day = [DayOfWeek]::Sunday; When = [datetime]'2026-01-02' } } }
        }
        [version]'1.2.3.4'
        'plain'
        42
    )
}
AfterAll { Remove-Module -Name ExoConnectRunner -ErrorAction SilentlyContinue }

Describe 'ConvertTo-PortableJson' {
    It 'writes dates as ISO 8601 strings and enums by name' {
        $json = InModuleScope ExoConnectRunner -Parameters @{ Samples = $Samples } { param($Samples) ConvertTo-PortableJson -InputObject $Samples -Depth 4 -Compress }
        $first = ($json | ConvertFrom-Json -NoEnumerate)[0]
        $json | Should -Match '"WhenUtc":"2026-01-02T03:04:05Z"'
        $json | Should -Match '"Offset":"2026-01-02T03:04:05\+02:00"'
        $json | Should -Match '"Day":"Friday"'
        $json | Should -Match '"Attributes":"ReadOnly, Hidden"'
        $json | Should -Match '"Inner":"Monday"'
        $first.Name | Should -Be 'Müller – EMEA'
    }

    It 'writes a database or PowerShell null as null through the Windows PowerShell 5.1 path, as PowerShell 7 does' {
        InModuleScope ExoConnectRunner {
            $row = [pscustomobject]@{ Db = [DBNull]::Value; Ps = [NullString]::Value; List = @([DBNull]::Value) }
            ConvertTo-PortableJson -InputObject $row -Depth 2 -Compress -Edition Desktop | Should -BeExactly '{"Db":null,"Ps":null,"List":[null]}'
            ConvertTo-PortableJson -InputObject $row -Depth 2 -Compress -Edition Core | Should -BeExactly '{"Db":null,"Ps":null,"List":[null]}'
        }
    }

    It 'is, through the Windows PowerShell 5.1 path, the same JSON as PowerShell 7 writes' {
        InModuleScope ExoConnectRunner -Parameters @{ Samples = $Samples } {
            param($Samples)
            foreach ($depth in 1, 2, 4) {
                $core = ConvertTo-PortableJson -InputObject $Samples -Depth $depth -Compress -Edition Core
                $desktop = ConvertTo-PortableJson -InputObject $Samples -Depth $depth -Compress -Edition Desktop
                $desktop | Should -Be $core -Because "at depth $depth"
            }
        }
    }

    It 'an empty list is an empty array on both paths' {
        InModuleScope ExoConnectRunner {
            ConvertTo-PortableJson -InputObject @() -Depth 4 -Compress -Edition Desktop | Should -Be '[]'
            ConvertTo-PortableJson -InputObject @() -Depth 4 -Compress -Edition Core | Should -Be '[]'
        }
    }
}

Describe 'ConvertTo-PortableJson through the Windows PowerShell 5.1 path' {
    It 'writes a dictionary with a key named Keys, or named like another member, by its entries' {
        InModuleScope ExoConnectRunner {
            $table = [ordered]@{ Keys = 'k'; Count = 5; Values = 'v' }
            ConvertTo-PortableJson -InputObject $table -Depth 2 -Compress -Edition Desktop | Should -BeExactly '{"Keys":"k","Count":5,"Values":"v"}'
        }
    }
}
