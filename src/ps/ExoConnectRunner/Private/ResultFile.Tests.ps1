BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot '../ExoConnectRunner.psd1') -Force
    function Write-ResultFile {
        # Writes the objects through the result-file writer; gives the file's bytes as text and the facts.
        param([string] $Format, [object[]] $Objects, [int] $Depth = 4)
        $path = Join-Path $TestDrive ('new/folder/out-' + [guid]::NewGuid().ToString('N') + '.' + $Format)
        $facts = InModuleScope ExoConnectRunner -Parameters @{ Path = $path; Format = $Format; Objects = $Objects; Depth = $Depth } {
            param($Path, $Format, $Objects, $Depth)
            $writer = Open-ResultFile -File ([pscustomobject]@{ path = $Path; format = $Format }) -Depth $Depth
            foreach ($o in $Objects) { Add-ResultObject -Writer $writer -Object $o }
            Close-ResultFile -Writer $writer
        }
        [pscustomobject]@{ Text = [System.IO.File]::ReadAllText($path); Bytes = [System.IO.File]::ReadAllBytes($path); Facts = $facts }
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
        # The PowerShell script/bootstrap installed, as test/ps/CheckPs51.Tests.ps1 starts it.
        $pwsh = (Get-Content -LiteralPath "$PSScriptRoot/../../../../.tools/pwsh-path" -Raw).Trim()
        & $pwsh -NoProfile -NonInteractive -File $child -Module (Join-Path $PSScriptRoot '../ExoConnectRunner.psd1') -Path $path
        $LASTEXITCODE | Should -Be 3
        [System.IO.File]::ReadAllText($path) | Should -BeExactly '[{"N":1},{"N":2},{"N":3}'
    }

    It 'the write-out lets no error escape its thread-pool thread, where one would end the process' {
        InModuleScope ExoConnectRunner {
            # Writers whose Flush throws, as one whose file is gone does.
            $broken = foreach ($n in 1..2) {
                $writer = [System.IO.StreamWriter]::new([System.IO.MemoryStream]::new())
                $writer.Write('x')
                $writer.BaseStream.Dispose()
                $writer
            }
            { $broken[0].Flush() } | Should -Throw
            { (New-FlushCallback -Writer $broken[1] -DelegateType ([System.Threading.TimerCallback]) -Parameters ([object])).Invoke($null) } | Should -Not -Throw
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
            try { [void](Invoke-UserScript -Script $script -Parameters @{} -Launcher $Launcher -ResultPath (Join-Path $Dir 'plan-result.json') -ResultLimit 5 -PlanPath $Plan 6>$null) } finally { Set-Location $here }
        }
        [System.IO.File]::ReadAllLines($plan) | Should -Be @(
            'What if: Performing the operation "Set-Thing" on target "one".',
            'What if: Performing the operation "Set-Thing" on target "two".'
        )
        Test-Path -LiteralPath "$plan.transcript" | Should -BeFalse
    }
}
