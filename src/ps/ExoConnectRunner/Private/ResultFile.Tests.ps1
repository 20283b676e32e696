BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot '../ExoConnectRunner.psd1') -Force
    function Write-ResultFile {
        # Writes the objects through the result-file writer; gives the file's bytes as text and the facts.
        # -Pipeline: all of them through one run of the writer's stage, as the script's output passes
        # (lists whole); otherwise one Add-ResultObject each.
        param([string] $Format, [object[]] $Objects, [int] $Depth = 4, [switch] $Pipeline)
        $path = Join-Path $TestDrive ('new/folder/out-' + [guid]::NewGuid().ToString('N') + '.' + $Format)
        $facts = InModuleScope ExoConnectRunner -Parameters @{ Path = $path; Format = $Format; Objects = $Objects; Depth = $Depth; Pipeline = [bool]$Pipeline } {
            param($Path, $Format, $Objects, $Depth, $Pipeline)
            $writer = Open-ResultFile -File ([pscustomobject]@{ path = $Path; format = $Format }) -Depth $Depth
            if ($Pipeline) {
                $null = & { foreach ($o in $Objects) { , $o } } | & $writer.Stage -Writer $writer -Route @{ data = $true; logLimit = 0 }
            } else {
                foreach ($o in $Objects) { Add-ResultObject -Writer $writer -Object $o }
            }
            Close-ResultFile -Writer $writer
        }
        [pscustomobject]@{ Text = [System.IO.File]::ReadAllText($path); Bytes = [System.IO.File]::ReadAllBytes($path); Facts = $facts }
    }
    function Show-Text {
        # Text with its line ends, tabs and backslashes spelled out, one to one: \r \n \t \\.
        param([string] $Text)
        $Text.Replace('\', '\\').Replace("`r", '\r').Replace("`n", '\n').Replace("`t", '\t')
    }
}
AfterAll { Remove-Module -Name ExoConnectRunner -ErrorAction SilentlyContinue }

Describe 'result-file' {
    It 'csv: header from the first object, RFC 4180 quoting, CRLF, nested values as compact JSON, no BOM' {
        $out = Write-ResultFile -Format csv -Objects @(
            [pscustomobject]@{ Name = 'Zoë, "the" admin'; Size = 1.5; When = [datetime]::new(2026, 1, 2, 3, 4, 5, [DateTimeKind]::Utc); Tags = @('a', 'b'); Note = "two`nlines" }
        )
        $out.Text | Should -BeExactly ("Name,Size,When,Tags,Note`r`n" + '"Zoë, ""the"" admin",1.5,2026-01-02T03:04:05.0000000Z,"[""a"",""b""]","two' + "`n" + 'lines"' + "`r`n")
        $out.Bytes[0] | Should -Not -Be 0xEF
        $out.Facts.count | Should -Be 1
    }

    It 'csv: scalars are one Value column; mixed shapes keep the first columns and name what was left out' {
        (Write-ResultFile -Format csv -Objects @('x', 2)).Text | Should -BeExactly "Value`r`nx`r`n2`r`n"
        $mixed = Write-ResultFile -Format csv -Objects @([pscustomobject]@{ A = 1 }, [pscustomobject]@{ A = 2; B = 3 }, @{ C = 4 })
        $mixed.Text | Should -BeExactly "A`r`n1`r`n2`r`n`r`n"
        $mixed.Facts.leftOut | Should -Be @('B', 'C')
        $mixed.Facts.count | Should -Be 3
    }

    It 'csv: a list the script returned whole is one Value cell holding its JSON, not the array''s own properties' {
        $lists = Write-ResultFile -Format csv -Objects (@(, @(4, 5)) + @(, [System.Collections.Generic.List[string]]@('a', 'b')))
        $lists.Text | Should -BeExactly ("Value`r`n" + '"[4,5]"' + "`r`n" + '"[""a"",""b""]"' + "`r`n")
        $lists.Facts.leftOut | Should -HaveCount 0
    }

    It 'csv: later rows by column name whatever their order; a property that cannot be read is an empty cell' {
        $unreadable = [pscustomobject]@{ A = 3 } | Add-Member -MemberType ScriptProperty -Name B -Value { throw 'cannot read' } -PassThru
        $out = Write-ResultFile -Format csv -Objects @(
            [pscustomobject]@{ A = 1; B = [System.IO.FileAttributes]'ReadOnly, Hidden' },
            [pscustomobject]@{ B = 'b'; A = 'a' },
            $unreadable,
            [pscustomobject]@{ a = 4; b = [pscustomobject]@{ c = @(1, 2) } }
        )
        $out.Text | Should -BeExactly ("A,B`r`n" + '1,"ReadOnly, Hidden"' + "`r`na,b`r`n3,`r`n" + '4,"{""c"":[1,2]}"' + "`r`n")
        $out.Facts.leftOut | Should -HaveCount 0
    }

    It 'csv: rows shaped like the first are read by name, without listing their properties; any other object goes the general way' {
        InModuleScope ExoConnectRunner {
            $read = [ExoConnectRunner.Native.CsvRows]::RowReader([pscustomobject]@{ A = 1; B = 2 }, [string[]]@('A', 'B'))
            # This PowerShell has the internal members the reader needs: it is made, and used.
            $read | Should -Not -BeNullOrEmpty
            $values = [object[]]::new(2)
            $read.Invoke([pscustomobject]@{ A = 'x'; B = $null }, $values) | Should -BeTrue
            $values[0] | Should -BeExactly 'x'
            $values[1] | Should -BeNullOrEmpty
            $listed = [pscustomobject]@{ a = 5; B = @(6) }
            $null = @($listed.PSObject.Properties)
            $read.Invoke($listed, $values) | Should -BeTrue
            $values[1] | Should -Be @(6)
            $others = @(
                [pscustomobject]@{ A = 1; B = 2; C = 3 }
                [pscustomobject]@{ B = 2; A = 1 }
                [pscustomobject]@{ A = 1 }
                [pscustomobject]@{ PSTypeName = 'ExoConnectRunner.Tests.Other'; A = 1; B = 2 }
                ([pscustomobject]@{ A = 1 } | Add-Member -MemberType ScriptProperty -Name B -Value { 2 } -PassThru)
                ([pscustomobject]@{ A = 1; B = 2 } | Add-Member -MemberType ScriptMethod -Name M -Value { 2 } -PassThru)
                @{ A = 1; B = 2 }
                'text'
            )
            foreach ($other in $others) { $read.Invoke($other, $values) | Should -BeFalse -Because ($other | Out-String) }
            $read.Invoke($null, $values) | Should -BeFalse

            # Objects of a .NET class are never read so: XmlElement and DataRow have properties per object.
            [ExoConnectRunner.Native.CsvRows]::RowReader([version]'1.2', [string[]]@('Major', 'Minor', 'Build', 'Revision', 'MajorRevision', 'MinorRevision')) | Should -BeNullOrEmpty
        }
    }

    It 'csv: a nested value''s JSON is the same through the serializer and through ConvertTo-PortableJson (Windows PowerShell 5.1''s way)' {
        InModuleScope ExoConnectRunner {
            $context = $script:JsonContextType::new(3, $true, $true)
            $compiled = New-CompactJsonConverter -Depth 2 -Context $context
            $portable = New-CompactJsonConverter -Depth 2 -Context $null
            $values = @(
                [pscustomobject]@{ a = @(1, 'x,"y"'); b = [pscustomobject]@{ c = $null } }
                , @('a', 2, $true)
                @{ k = [DayOfWeek]::Friday }
                $null
            )
            foreach ($value in $values) { $portable.Invoke($value) | Should -BeExactly $compiled.Invoke($value) }
            $compiled.Invoke([pscustomobject]@{ a = @(1, 'x,"y"') }) | Should -BeExactly '{"a":[1,"x,\"y\""]}'
        }
    }

    It 'csv: a value JSON writes as a string is that string, one it writes as null an empty cell, and [switch], the other .NET numbers, a duration and a version their text, as Export-Csv has them' {
        $row = [pscustomobject]@{
            Uri = [uri]'https://outlook.office365.com/powershell-liveid/'; DbNull = [DBNull]::Value; NullString = [NullString]::Value
            Switch = [switch]$true; Int128 = [Int128]::MaxValue; Half = [Half]1.5; Nested = [pscustomobject]@{ u = [uri]'https://x.example/' }
            Span = [timespan]::FromMinutes(90); Version = [version]'3.9.0'
        }
        $out = Write-ResultFile -Format csv -Objects @($row)
        $lines = $out.Text -split "`r`n"
        $lines[1] | Should -BeExactly 'https://outlook.office365.com/powershell-liveid/,,,True,170141183460469231731687303715884105727,1.5,"{""u"":""https://x.example/""}",01:30:00,3.9.0'
        $row | Export-Csv -NoTypeInformation -Path (Join-Path $TestDrive 'span.csv')
        $exportedLines = Get-Content -LiteralPath (Join-Path $TestDrive 'span.csv')
        $exportedLines[1] | Should -BeLike '*,"01:30:00","3.9.0"'
        InModuleScope ExoConnectRunner {
            $compiled = New-CompactJsonConverter -Depth 2 -Context ($script:JsonContextType::new(3, $true, $true))
            $portable = New-CompactJsonConverter -Depth 2 -Context $null
            foreach ($value in @([uri]'https://x.example/a b', [DBNull]::Value, 'say "hi"')) { $portable.Invoke($value) | Should -BeExactly $compiled.Invoke($value) }
            $compiled.Invoke([uri]'https://x.example/a b') | Should -BeExactly 'https://x.example/a b'
        }
    }

    It 'csv: XML elements of one name with different attributes: the later ones'' are named as left out' {
        $xml = [xml]'<r><item a="1"/><item a="2" c="3"/></r>'
        $out = Write-ResultFile -Format csv -Objects @($xml.r.item)
        $out.Facts.leftOut | Should -Be @('c')
        ($out.Text -split "`r`n")[1] | Should -Match '^1,'
        ($out.Text -split "`r`n")[2] | Should -Match '^2,'
    }

    It 'jsonl: the JSON of the result output, with the PowerShell properties a command adds (PSPath)' {
        $file = Get-Item -LiteralPath $PSCommandPath
        $line = (Write-ResultFile -Format jsonl -Objects @($file) -Depth 1).Text
        $expected = InModuleScope ExoConnectRunner -Parameters @{ File = $file } { param($File) ConvertTo-PortableJson -InputObject $File -Depth 1 -Compress -WarningAction SilentlyContinue }
        $line | Should -BeExactly ($expected + "`n")
        $line | Should -Match '"PSPath":'
    }

    It 'jsonl: one compact line each, at the given depth; json: one array, also when empty' {
        $objects = @([pscustomobject]@{ a = @{ b = @{ c = 1 } } }, $null, 'text')
        (Write-ResultFile -Format jsonl -Objects $objects).Text | Should -BeExactly ('{"a":{"b":{"c":1}}}' + "`nnull`n" + '"text"' + "`n")
        (Write-ResultFile -Format jsonl -Objects @([pscustomobject]@{ a = @{ b = @{ c = 1 } } }) -Depth 1).Text | Should -BeExactly ('{"a":{"b":"System.Collections.Hashtable"}}' + "`n")
        (Write-ResultFile -Format json -Objects @(1, [pscustomobject]@{ x = 'y' })).Text | Should -BeExactly '[1,{"x":"y"}]'
        (Write-ResultFile -Format json -Objects @()).Text | Should -BeExactly '[]'
    }

    It 'an object JSON cannot hold (a dictionary whose keys are not strings) is written as its text and counted, and the objects after it are written (<Format>)' -TestCases @(
        @{ Format = 'jsonl'; Expected = '1' + "`n" + '"System.Collections.Hashtable"' + "`n" + '"after"' + "`n" }
        @{ Format = 'json'; Expected = '[1,"System.Collections.Hashtable","after"]' }
    ) {
        # Group-Object -AsHashTable makes such dictionaries: its keys keep their type (here bool).
        $written = Write-ResultFile -Format $Format -Objects @(1, @{ $true = 'yes' }, 'after') -Pipeline
        $written.Text | Should -BeExactly $Expected
        $written.Facts.count | Should -Be 3
        $written.Facts.unwritable | Should -Be 1
        $written.Facts.unwritableReason | Should -Match 'Keys must be strings'
    }

    It 'csv: a cell JSON cannot hold is written as its text, and counted; the row''s other cells keep their form' {
        $when = [datetime]::new(2026, 1, 2, 3, 4, 5, [System.DateTimeKind]::Utc)
        $rows = @(
            [pscustomobject]@{ N = 1; Map = 'a'; When = $when; List = @(1, 2) }
            [pscustomobject]@{ N = 2; Map = @{ 2 = 'x' }; When = $when; List = @(3, 4) }
            [pscustomobject]@{ N = 3; Map = 'c'; When = $when; List = @(5) }
        )
        $written = Write-ResultFile -Format csv -Objects $rows -Pipeline
        $written.Text | Should -BeExactly ("N,Map,When,List`r`n1,a,2026-01-02T03:04:05.0000000Z,`"[1,2]`"`r`n2,System.Collections.Hashtable,2026-01-02T03:04:05.0000000Z,`"[3,4]`"`r`n3,c,2026-01-02T03:04:05.0000000Z,[5]`r`n")
        $written.Facts.unwritable | Should -Be 1
        # A file with none says nothing of it.
        (Write-ResultFile -Format csv -Objects @([pscustomobject]@{ N = 1 })).Facts.ContainsKey('unwritable') | Should -BeFalse
    }

    It 'csv: cells with white space at either end come back from Import-Csv as they were' {
        $values = @(' lead and trail ', "`tTabbed", 'trail ', ' ', 'plain')
        $written = Write-ResultFile -Format csv -Objects @($values | ForEach-Object { [pscustomobject]@{ Name = $_ } }) -Pipeline
        $path = Join-Path $TestDrive 'padded.csv'
        [System.IO.File]::WriteAllText($path, $written.Text)
        @(Import-Csv -LiteralPath $path | ForEach-Object Name) | Should -BeExactly $values
    }

    It 'an object whose text cannot be had either is written as its type''s name, and the file stays whole' {
        # JSON refuses its int key, and its ToString throws.
        $bad = & ([scriptblock]::Create('class UnwritableTable : System.Collections.Hashtable { [string] ToString() { throw "no text" } }; $t = [UnwritableTable]::new(); $t[1] = "x"; $t'))
        $written = Write-ResultFile -Format jsonl -Objects @('before', $bad, 'after') -Pipeline
        $written.Text | Should -BeExactly ('"before"' + "`n" + '"UnwritableTable"' + "`n" + '"after"' + "`n")
        $written.Facts.count | Should -Be 3
        $written.Facts.unwritable | Should -Be 1
    }

    It 'is written out every 200 ms while it is open, so a PowerShell that is killed leaves what came until then' {
        $path = Join-Path $TestDrive 'open.json'
        $seen = InModuleScope ExoConnectRunner -Parameters @{ Path = $path } {
            param($Path)
            $writer = Open-ResultFile -File ([pscustomobject]@{ path = $Path; format = 'json' })
            try {
                foreach ($n in 1..3) { Add-ResultObject -Writer $writer -Object ([pscustomobject]@{ N = $n }) }
                $deadline = [DateTime]::UtcNow.AddSeconds(5)
                while ([System.IO.FileInfo]::new($Path).Length -lt 24 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
                $shared = [System.IO.File]::Open($Path, 'Open', 'Read', 'ReadWrite')
                try { [System.IO.StreamReader]::new($shared).ReadToEnd() } finally { $shared.Dispose() }
            } finally {
                [void](Close-ResultFile -Writer $writer)
            }
        }
        $seen | Should -BeExactly '[{"N":1},{"N":2},{"N":3}'
        [System.IO.File]::ReadAllText($path) | Should -BeExactly '[{"N":1},{"N":2},{"N":3}]'
    }

    It 'is written out when the script ends PowerShell itself, right after its last object' {
        $path = Join-Path $TestDrive 'exit.json'
        $child = Join-Path $TestDrive 'exit.ps1'
        Set-Content -LiteralPath $child -Value @(
            'param($Module, $Path)'
            'Import-Module -Name $Module'
            '& (Get-Module ExoConnectRunner) { param($Path) $w = Open-ResultFile -File ([pscustomobject]@{ path = $Path; format = ''json'' }); foreach ($n in 1..3) { Add-ResultObject -Writer $w -Object ([pscustomobject]@{ N = $n }) }; [Environment]::Exit(3) } $Path'
        )
        . (Join-Path $PSScriptRoot '../../../../test/ps/TestPwsh.ps1')
        $pwsh = Get-TestPwsh
        & $pwsh -NoProfile -NonInteractive -File $child -Module (Join-Path $PSScriptRoot '../ExoConnectRunner.psd1') -Path $path
        $LASTEXITCODE | Should -Be 3
        [System.IO.File]::ReadAllText($path) | Should -BeExactly '[{"N":1},{"N":2},{"N":3}'
    }

    It 'the write-out lets no error escape its thread-pool thread, where one would end the process' {
        InModuleScope ExoConnectRunner {
            # Writers whose Flush throws, as one whose file is gone does.
            $broken = foreach ($n in 1..3) {
                $writer = [System.IO.StreamWriter]::new([System.IO.MemoryStream]::new())
                $writer.Write('x')
                $writer.BaseStream.Dispose()
                $writer
            }
            { $broken[0].Flush() } | Should -Throw
            { ([ExoConnectRunner.Native.FlushCallback]::For($broken[1], [System.Threading.TimerCallback])).Invoke($null) } | Should -Not -Throw
            { ([ExoConnectRunner.Native.FlushCallback]::For($broken[2], [System.EventHandler])).Invoke($null, [System.EventArgs]::Empty) } | Should -Not -Throw
            # A writer that can write is written out, by each kind of callback.
            foreach ($kind in @([System.Threading.TimerCallback], [System.EventHandler])) {
                $memory = [System.IO.MemoryStream]::new()
                $writer = [System.IO.StreamWriter]::new($memory)
                $writer.Write('abc')
                $memory.Length | Should -Be 0
                $callback = [ExoConnectRunner.Native.FlushCallback]::For($writer, $kind)
                if ($kind -eq [System.EventHandler]) { $callback.Invoke($null, [System.EventArgs]::Empty) } else { $callback.Invoke($null) }
                $memory.Length | Should -Be 3 -Because $kind.Name
            }
        }
    }

    It 'replaces an existing file' {
        $path = Join-Path $TestDrive 'existing.jsonl'
        Set-Content -LiteralPath $path -Value 'old'
        InModuleScope ExoConnectRunner -Parameters @{ Path = $path } {
            param($Path)
            $writer = Open-ResultFile -File ([pscustomobject]@{ path = $Path; format = 'jsonl' })
            Add-ResultObject -Writer $writer -Object 1
            [void](Close-ResultFile -Writer $writer)
        }
        [System.IO.File]::ReadAllText($path) | Should -BeExactly "1`n"
    }

    It 'writes only what the script returned; passes on, in order, what the log shows: all else and the first objects (<Format>)' -TestCases @(
        @{ Format = 'csv'; Expected = "A,B`r`n1,b`r`n2,`"c,d`"`r`n3,e`r`n" }
        @{ Format = 'jsonl'; Expected = "{`"A`":1,`"B`":`"b`"}`n{`"A`":2,`"B`":`"c,d`"}`n{`"A`":3,`"B`":`"e`"}`n" }
        @{ Format = 'json'; Expected = "[{`"A`":1,`"B`":`"b`"},{`"A`":2,`"B`":`"c,d`"},{`"A`":3,`"B`":`"e`"}]" }
    ) {
        $path = Join-Path $TestDrive "routed.$Format"
        $passed = InModuleScope ExoConnectRunner -Parameters @{ Path = $path; Format = $Format } {
            param($Path, $Format)
            $writer = Open-ResultFile -File ([pscustomobject]@{ path = $Path; format = $Format })
            $route = @{ data = $false; logLimit = 2 }
            try {
                # As Invoke-UserScript's first stage does: text is the log's, objects the script's.
                & { 'log line'; [pscustomobject]@{ A = 1; B = 'b' }; 'another'; [pscustomobject]@{ A = 2; B = 'c,d' }; [pscustomobject]@{ A = 3; B = 'e' }; 'last line' } |
                    ForEach-Object { $route.data = $_ -isnot [string]; $_ } | & $writer.Stage -Writer $writer -Route $route
            } finally {
                [void](Close-ResultFile -Writer $writer)
            }
        }
        [System.IO.File]::ReadAllText($path) | Should -BeExactly $Expected
        $passed.Count | Should -Be 5
        $passed[0] | Should -BeExactly 'log line'
        $passed[3].B | Should -BeExactly 'c,d'
        $passed[4] | Should -BeExactly 'last line'
    }
}

Describe 'result-file csv: the exact bytes' {
    # Every kind of value and shape the writer promises to handle, pinned byte for byte (Rows: the
    # file's records, spelled out as Show-Text does, each followed by CRLF), so that a change made
    # for speed provably changes no output.
    BeforeDiscovery {
        $csvCases = @(
            @{
                Name = 'scalars of every kind, one Value column'; Depth = 4
                Rows = @(
                    'Value'
                    'text'
                    ''
                    '" padded "'
                    'tab\there'
                    '"comma,"'
                    '"quote"""'
                    '"cr\rx"'
                    '"lf\nx"'
                    '"crlf\r\nx"'
                    'Zoë ✓ 日本'
                    '""""'
                    '","'
                    '0'
                    '-1'
                    '2147483647'
                    '-9223372036854775808'
                    '18446744073709551615'
                    '255'
                    '-8'
                    '-3'
                    '7'
                    '9'
                    '5'
                    '1.5'
                    '0.30000000000000004'
                    '1E+20'
                    '1.5E-07'
                    '123456789.125'
                    '-0'
                    'NaN'
                    'Infinity'
                    '-Infinity'
                    '1.1'
                    '3E+38'
                    '1.1'
                    '-0.0001'
                    '79228162514264337593543950335'
                    'True'
                    'False'
                    'x'
                    '","'
                    '""""'
                    '"\n"'
                    '0f8fad5b-d9cb-469f-a165-70867728950e'
                    'Monday'
                    '"ReadOnly, Hidden"'
                    'None'
                    '2026-01-02T03:04:05.1234567Z'
                    '2026-03-04T05:06:07.0000000'
                    '0001-01-01T00:00:00.0000000'
                    '2026-05-06T07:08:09.0000000+02:00'
                    '2026-05-06T07:08:09.0000000-05:30'
                    ''
                    'wrapped'
                    '42'
                )
                LeftOut = @()
                Objects = {
                    'text', '', ' padded ', "tab`there", 'comma,', 'quote"', "cr`rx", "lf`nx", "crlf`r`nx", 'Zoë ✓ 日本', '"', ',',
                    0, -1, [int]::MaxValue, [long]::MinValue, [uint64]::MaxValue, [byte]255, [sbyte]-8, [int16]-3, [uint16]7, [uint32]9, [IntPtr]5,
                    1.5, (0.1 + 0.2), 1e20, 1.5e-7, 123456789.125, (-0.0), [double]::NaN, [double]::PositiveInfinity, [double]::NegativeInfinity, [float]1.1, [float]3e38,
                    [decimal]'1.10', [decimal]'-0.0001', [decimal]::MaxValue, $true, $false, [char]'x', [char]',', [char]'"', [char]"`n",
                    [guid]'0f8fad5b-d9cb-469f-a165-70867728950e', [DayOfWeek]::Monday, [System.IO.FileAttributes]'ReadOnly, Hidden', [System.IO.FileAttributes]0,
                    $origin, [datetime]::new(2026, 3, 4, 5, 6, 7, [DateTimeKind]::Unspecified), [datetime]::MinValue,
                    [datetimeoffset]::new(2026, 5, 6, 7, 8, 9, [timespan]::FromHours(2)), [datetimeoffset]::new(2026, 5, 6, 7, 8, 9, [timespan]::FromMinutes(-330)),
                    $null, [psobject]'wrapped', [psobject]42
                }
            }
            @{
                Name = 'objects of one shape, every kind of cell, a column changing its type'; Depth = 4
                Rows = @(
                    'Text,Int,Double,Decimal,Bool,Date,Offset,Guid,Enum,Flags,Char,Null,Empty,List,Nested,Dict,Wrapped,Big,Uri'
                    'plain,7,0.25,1.1,False,2026-01-02T03:04:05.1234567Z,2026-01-02T04:04:05.1234567+01:00,00000001-0000-0000-0000-000000000000,Monday,"ReadOnly, Hidden",A,,,"[""a"",1,null,""2026-01-02T03:04:05.1234567Z"",""Friday""]","{""c"":[1,1],""d"":""x,\\""y\\""""}","{""k"":1,""l"":null,""m"":{""deep"":""v""}}",11,1,"https://contoso.com/1?a=1,2"'
                    '"a, ""b""",seven,0.5,2.2,True,2026-01-04T03:04:05.1234567Z,2026-01-02T05:04:05.1234567+02:00,00000002-0000-0000-0000-000000000000,Tuesday,"Hidden, System",B,,,[],"{""c"":[1,2],""d"":""x,\\""y\\""""}","{""k"":2,""l"":null,""m"":{""deep"":""v""}}",22,2,"https://contoso.com/2?a=1,2"'
                    '"multi\r\nline",,0.75,3.3,False,not a date,2026-01-02T06:04:05.1234567+03:00,00000003-0000-0000-0000-000000000000,Wednesday,"Hidden, Archive",C,,,[5],"{""c"":[1,3],""d"":""x,\\""y\\""""}","{""k"":3,""l"":null,""m"":{""deep"":""v""}}",33,3,"https://contoso.com/3?a=1,2"'
                )
                LeftOut = @()
                Objects = {
                    foreach ($n in 1..3) {
                        [pscustomobject]@{
                            Text    = @('plain', 'a, "b"', "multi`r`nline")[$n - 1]
                            Int     = @(7, 'seven', $null)[$n - 1]
                            Double  = $n / 4
                            Decimal = [decimal]$n * [decimal]'1.10'
                            Bool    = ($n % 2 -eq 0)
                            Date    = @($origin, $origin.AddDays($n), 'not a date')[$n - 1]
                            Offset  = [datetimeoffset]::new($origin.AddHours($n).Ticks, [timespan]::FromHours($n))
                            Guid    = [guid]::new($n, 0, 0, [byte[]]::new(8))
                            Enum    = [DayOfWeek]$n
                            Flags   = [System.IO.FileAttributes]@(3, 6, 34)[$n - 1]
                            Char    = [char](64 + $n)
                            Null    = $null
                            Empty   = ''
                            List    = @(@('a', 1, $null, $origin, [DayOfWeek]::Friday), @(), @(5))[$n - 1]
                            Nested  = [pscustomobject]@{ c = @(1, $n); d = 'x,"y"' }
                            Dict    = [ordered]@{ k = $n; l = $null; m = @{ deep = 'v' } }
                            Wrapped = [psobject]($n * 11)
                            Big     = [System.Numerics.BigInteger]$n
                            Uri     = [uri]"https://contoso.com/${n}?a=1,2"
                        }
                }
                }
            }
            @{
                Name = 'header names that need quotes'; Depth = 4
                Rows = @(
                    'plain,"with,comma","with""quote","with\nline","with\rcr"," spaced ",Zoë'
                    'plain1,"with,comma1","with""quote1","with\nline1","with\rcr1"," spaced 1",Zoë1'
                    'plain2,"with,comma2","with""quote2","with\nline2","with\rcr2"," spaced 2",Zoë2'
                )
                LeftOut = @()
                Objects = {
                    $names = 'plain', 'with,comma', 'with"quote', "with`nline", "with`rcr", ' spaced ', 'Zoë', ''
                    foreach ($n in 1..2) {
                        $o = [pscustomobject]@{}
                        foreach ($name in $names) { if ($name) { $o | Add-Member -NotePropertyName $name -NotePropertyValue "$name$n" } }
                        $o
                }
                }
            }
            @{
                Name = 'dictionaries: keys as columns, later rows by key, keys that are not text'; Depth = 4
                Rows = @(
                    'B,A'
                    '1,"x,y"'
                    '2,y'
                    '3,'
                    ',z'
                    '2026-01-02T03:04:05.1234567Z,[1]'
                    ','
                    ','
                )
                LeftOut = @('C', '1')
                Objects = {
                    [ordered]@{ B = 1; A = 'x,y' }
                    [ordered]@{ A = 'y'; B = 2; C = 3 }
                    [pscustomobject]@{ B = 3 }
                    @{ A = 'z' }
                    $generic = [System.Collections.Generic.Dictionary[string, object]]::new(); $generic['b'] = $origin; $generic['A'] = @(1); $generic
                    @{ 1 = 'one' }
                    @{}
                }
            }
            @{
                Name = 'a dictionary with keys that are not text as the first object'; Depth = 4
                Rows = @(
                    '1,2.5,Friday'
                    'one,two and a half,five'
                    'uno,,'
                    ',dos,'
                )
                LeftOut = @()
                Objects = {
                    $first = [System.Collections.Generic.Dictionary[object, object]]::new()
                    $first[1] = 'one'; $first[2.5] = 'two and a half'; $first[[DayOfWeek]::Friday] = 'five'
                    $first
                    @{ 1 = 'uno' }
                    @{ '2.5' = 'dos' }
                }
            }
            @{
                Name = 'mixed shapes: order, case, fewer and more properties, scalars, lists and null after objects'; Depth = 4
                Rows = @(
                    'A,B,C'
                    '1,b,'
                    '2,b2,c'
                    '3,lower,case'
                    '4,,'
                    '5,b5,c5'
                    ',,'
                    ',,'
                    ',,'
                    ',,'
                    '6,b6,c6'
                    '7,,'
                )
                LeftOut = @('D', 'E', 'Value')
                Objects = {
                    [pscustomobject]@{ A = 1; B = 'b'; C = $null }
                    [pscustomobject]@{ C = 'c'; A = 2; B = 'b2' }
                    [pscustomobject]@{ a = 3; b = 'lower'; c = 'case' }
                    [pscustomobject]@{ A = 4 }
                    [pscustomobject]@{ A = 5; B = 'b5'; C = 'c5'; D = 'd5' }
                    [pscustomobject]@{ E = 'e' }
                    'scalar'
                    $null
                    , @(1, 2)
                    [pscustomobject]@{ A = 6; B = 'b6'; C = 'c6' }
                    [pscustomobject]@{ D = 'again'; A = 7 }
                }
            }
            @{
                Name = 'mixed shapes: a scalar first, then objects'; Depth = 4
                Rows = @(
                    'Value'
                    '42'
                    'v'
                    ''
                    '"[""a"",2]"'
                    ''
                )
                LeftOut = @('Other')
                Objects = {
                    42
                    [pscustomobject]@{ Value = 'v'; Other = 'o' }
                    [pscustomobject]@{ Other = 'o2' }
                    , [System.Collections.Generic.List[object]]@('a', 2)
                    $null
                }
            }
            @{
                Name = 'unreadable properties: an empty cell, first row or later, alone or among readable ones'; Depth = 4
                Rows = @(
                    'A,B,C'
                    '1,x,'
                    '2,y,"computed, c"'
                    '3,,c3'
                    '4,z,c4'
                )
                LeftOut = @()
                Objects = {
                    [pscustomobject]@{ A = 1; B = 'x' } | Add-Member -MemberType ScriptProperty -Name C -Value $unreadable -PassThru
                    [pscustomobject]@{ A = 2; B = 'y' } | Add-Member -MemberType ScriptProperty -Name C -Value { 'computed, c' } -PassThru
                    [pscustomobject]@{ A = 3 } | Add-Member -MemberType ScriptProperty -Name B -Value $unreadable -PassThru | Add-Member -NotePropertyName C -NotePropertyValue 'c3' -PassThru
                    [pscustomobject]@{ A = 4; B = 'z'; C = 'c4' }
                }
            }
            @{
                Name = '.NET objects and structs as rows; properties a PowerShell member adds'; Depth = 4
                Rows = @(
                    'Name,Key,Value'
                    'k,k,1'
                    'l,l,"{""x"":1}"'
                    ',,a scalar fills Value'
                    ',,'
                    'm,m,3'
                )
                LeftOut = @('Major', 'Minor', 'Build', 'Revision', 'MajorRevision', 'MinorRevision', 'Extra')
                Objects = {
                    [System.Collections.DictionaryEntry]::new('k', 1)
                    [System.Collections.DictionaryEntry]::new('l', [pscustomobject]@{ x = 1 })
                    'a scalar fills Value'
                    [version]'1.2.3.4'
                    [System.Collections.DictionaryEntry]::new('m', 3) | Add-Member -NotePropertyName Extra -NotePropertyValue 'e' -PassThru
                }
            }
            @{
                Name = '.NET objects of one class'; Depth = 4
                Rows = @(
                    'Major,Minor,Build,Revision,MajorRevision,MinorRevision'
                    '1,2,3,4,0,4'
                    '5,6,-1,-1,-1,-1'
                    '7,8,-1,-1,-1,-1'
                    'M,m,b,r,MR,mr'
                )
                LeftOut = @('Extra')
                Objects = {
                    [version]'1.2.3.4'
                    [version]'5.6'
                    [version]'7.8' | Add-Member -NotePropertyName Extra -NotePropertyValue 'e' -PassThru
                    [pscustomobject]@{ Major = 'M'; Minor = 'm'; Build = 'b'; Revision = 'r'; MajorRevision = 'MR'; MinorRevision = 'mr' }
                }
            }
            @{
                Name = 'an object with no properties first'; Depth = 4
                Rows = @(
                    ''
                    ''
                    ''
                    ''
                )
                LeftOut = @('A')
                Objects = {
                    [pscustomobject]@{}
                    [pscustomobject]@{ A = 1 }
                    [pscustomobject]@{}
                }
            }
            @{
                Name = 'lists returned whole after objects, and a list first'; Depth = 4
                Rows = @(
                    'Value'
                    '"[{""A"":1},""two""]"'
                    'v'
                    '[]'
                    '[3]'
                )
                LeftOut = @()
                Objects = {
                    , @([pscustomobject]@{ A = 1 }, 'two')
                    [pscustomobject]@{ Value = 'v' }
                    , [object[]]@()
                    , [System.Collections.ArrayList]@(3)
                }
            }
            @{
                Name = 'later names equal to the columns as -ne compares names (any case, ignorable characters) fill them in order'; Depth = 4
                Rows = @(
                    'A,B'
                    '1,2'
                    '3,4'
                    '5,6'
                )
                LeftOut = @()
                Objects = {
                    [pscustomobject]@{ A = 1; B = 2 }
                    [pscustomobject]@{ "A`u{00AD}" = 3; B = 4 }
                    [pscustomobject]@{ a = 5; B = 6 }
                }
            }
            @{
                Name = 'nested values cut at result-depth (2)'; Depth = 2
                Rows = @(
                    'A,L'
                    '"{""b"":{""c"":""@{d=1}""}}",[1]'
                    ','
                )
                LeftOut = @('Value')
                Objects = {
                    [pscustomobject]@{ A = [pscustomobject]@{ b = [pscustomobject]@{ c = [pscustomobject]@{ d = 1 } } }; L = @(@(@(1))) }
                    , @([pscustomobject]@{ b = [pscustomobject]@{ c = 1 } })
                }
            }
            @{
                Name = 'nested values cut at result-depth (1)'; Depth = 1
                Rows = @(
                    'A,L,S'
                    '"{""b"":""@{c=1}""}","[1,""2""]",s'
                )
                LeftOut = @()
                Objects = {
                    [pscustomobject]@{ A = [pscustomobject]@{ b = [pscustomobject]@{ c = 1 } }; L = @(1, @(2)); S = 's' }
                }
            }
            @{
                # An ordered dictionary's indexer takes an integer as a position, and member access
                # reads a key named Keys or Count before the property of that name.
                Name = 'dictionaries whose keys are integers or named like a dictionary''s own members'; Depth = 4
                Rows = @(
                    '1,Keys,Count'
                    'x,k,5'
                    'y,l,6'
                )
                LeftOut = @()
                Objects = {
                    [ordered]@{ 1 = 'x'; Keys = 'k'; Count = 5 }
                    [ordered]@{ 1 = 'y'; Keys = 'l'; Count = 6 }
                }
            }
            @{
                # Type data can give objects of one type name properties of their own (Update-TypeData).
                Name = 'objects of the same properties whose type names bring one more'; Depth = 4
                Rows = @(
                    'A,B'
                    '1,2'
                    '3,4'
                    '5,6'
                )
                LeftOut = @('Extra')
                Objects = {
                    Update-TypeData -TypeName 'ExoConnectRunner.Tests.ExtendedRow' -MemberType ScriptProperty -MemberName Extra -Value { 'x' } -Force
                    [pscustomobject]@{ A = 1; B = 2 }
                    [pscustomobject]@{ PSTypeName = 'ExoConnectRunner.Tests.ExtendedRow'; A = 3; B = 4 }
                    [pscustomobject]@{ A = 5; B = 6 }
                }
            }
            @{
                Name = 'objects whose type names bring a property, first'; Depth = 4
                Rows = @(
                    'A,B,Extra'
                    '1,2,x'
                    '3,4,x'
                    '5,6,'
                )
                LeftOut = @()
                Objects = {
                    Update-TypeData -TypeName 'ExoConnectRunner.Tests.ExtendedRow' -MemberType ScriptProperty -MemberName Extra -Value { 'x' } -Force
                    [pscustomobject]@{ PSTypeName = 'ExoConnectRunner.Tests.ExtendedRow'; A = 1; B = 2 }
                    [pscustomobject]@{ PSTypeName = 'ExoConnectRunner.Tests.ExtendedRow'; A = 3; B = 4 }
                    [pscustomobject]@{ A = 5; B = 6 }
                }
            }
            @{
                # Listing an object's members once makes its hidden member sets (psbase, psobject ...).
                Name = 'objects whose members were listed before, and objects made by Select-Object'; Depth = 4
                Rows = @(
                    'Name,Size'
                    'a,1'
                    'b,2'
                    'c,3'
                    'd,4'
                )
                LeftOut = @()
                Objects = {
                    foreach ($n in 1..2) {
                        $listed = [pscustomobject]@{ Name = [string][char](96 + $n); Size = $n }
                        $null = @($listed.PSObject.Properties)
                        $listed
                    }
                    $wide = @(@{ Name = 'c'; Size = 3; Other = 'o' }, @{ Name = 'd'; Size = 4 })
                    foreach ($row in $wide) { [pscustomobject]$row | Select-Object -Property @('Name', 'Size') }
                }
            }
            @{
                # A pipeline that returns nothing gives a property PowerShell's "no value" (AutomationNull).
                Name = 'properties that got nothing from a pipeline'; Depth = 4
                Rows = @(
                    'A,B'
                    '1,'
                    '2,'
                )
                LeftOut = @()
                Objects = {
                    [pscustomobject]@{ A = 1; B = $(if ($false) { 1 }) }
                    [pscustomobject]@{ A = 2; B = $(if ($false) { 1 }) }
                }
            }
            @{
                Name = 'objects with properties named like a dictionary''s own members'; Depth = 4
                Rows = @(
                    'Keys,Values,Count'
                    'k,v,1'
                    'k2,,2'
                )
                LeftOut = @('Extra')
                Objects = {
                    [pscustomobject]@{ Keys = 'k'; Values = 'v'; Count = 1 }
                    [pscustomobject]@{ Keys = 'k2'; Count = 2; Extra = 'e' }
                }
            }
        )

    }

    It '<Name>' -ForEach $csvCases {
        $origin = [datetime]::new(2026, 1, 2, 3, 4, 5, [DateTimeKind]::Utc).AddTicks(1234567)
        $unreadable = { throw 'cannot read' }
        $objects = @(& $Objects)
        $expected = -join @(foreach ($row in $Rows) { $row + '\r\n' })
        # Numbers and dates are written in the invariant culture, whatever the current one is.
        $saved = [cultureinfo]::CurrentCulture
        [cultureinfo]::CurrentCulture = 'de-DE'
        try {
            foreach ($pipeline in $false, $true) {
                $out = Write-ResultFile -Format csv -Objects $objects -Depth $Depth -Pipeline:$pipeline
                # The bytes as UTF-8, without the BOM detection of ReadAllText.
                Show-Text ([System.Text.UTF8Encoding]::new($false, $true).GetString($out.Bytes)) | Should -BeExactly $expected -Because "pipeline: $pipeline"
                @($out.Facts.leftOut) -join '|' | Should -BeExactly ($LeftOut -join '|') -Because "pipeline: $pipeline"
                $out.Facts.count | Should -Be $objects.Count
            }
        } finally {
            [cultureinfo]::CurrentCulture = $saved
        }
    }
}

Describe 'the what-if plan' {
    It 'collects every What if line in order, from the script''s own advanced functions, and leaves them in the log' {
        $plan = Join-Path $TestDrive 'plan.txt'
        $user = Join-Path $TestDrive 'plan-script.ps1'
        Set-Content -LiteralPath $user -Value @(
            'function Set-Thing { [CmdletBinding(SupportsShouldProcess)] param([string] $Name) if ($PSCmdlet.ShouldProcess($Name, "Set-Thing")) { "changed $Name" } }',
            'Set-Thing -Name one', '"between"', 'Set-Thing -Name two'
        )
        # The script starts from outside the module, as runner.ps1's launcher starts it.
        $launcher = { param() $PSBoundParameters = $args[1]; & $args[0] @PSBoundParameters }
        InModuleScope ExoConnectRunner -Parameters @{ Plan = $plan; User = $user; Events = (Join-Path $TestDrive 'plan-events.jsonl'); Dir = "$TestDrive"; Launcher = $launcher } {
            param($Plan, $User, $Events, $Dir, $Launcher)
            Set-EventsPath -Path $Events
            $script = [pscustomobject]@{ path = $User; workingDirectory = $Dir; parameters = $null; errorActionPreference = 'Stop'; whatIf = $true }
            $here = Get-Location
            try { [void](Invoke-UserScript -Script $script -Source (Read-ScriptSource -Path $script.path) -Parameters @{} -Launcher $Launcher -ResultPath (Join-Path $Dir 'plan-result.json') -ResultLimit 5 -PlanPath $Plan 6>$null) } finally { Set-Location $here }
        }
        [System.IO.File]::ReadAllLines($plan) | Should -Be @(
            'What if: Performing the operation "Set-Thing" on target "one".',
            'What if: Performing the operation "Set-Thing" on target "two".'
        )
        Test-Path -LiteralPath "$plan.transcript" | Should -BeFalse
    }
}
