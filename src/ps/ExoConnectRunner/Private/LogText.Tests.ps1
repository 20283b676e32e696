BeforeAll { Import-Module -Name (Join-Path $PSScriptRoot '../ExoConnectRunner.psd1') -Force }
AfterAll { Remove-Module -Name ExoConnectRunner -ErrorAction SilentlyContinue }

Describe 'ConvertTo-LogLine' {
    It 'puts text on one line: each run of control characters becomes one space' {
        InModuleScope ExoConnectRunner {
            ConvertTo-LogLine "a`r`n`r`nb`tc$([char]7)$([char]0x1b)[31md$([char]0x2028)e$([char]0x85)f" | Should -Be 'a b c [31md e f'
        }
    }
    It 'neutralises a leading :: and the older ##[ syntax, as the Node side does' {
        InModuleScope ExoConnectRunner {
            ConvertTo-LogLine '::add-mask::x' | Should -Be ': :add-mask::x'
            ConvertTo-LogLine "`n  ::stop-commands::tok" | Should -Be ': :stop-commands::tok'
            ConvertTo-LogLine 'server said ##[set-output name=x]y' | Should -Be 'server said # #[set-output name=x]y'
            ConvertTo-LogLine 'ordinary: a::b' | Should -Be 'ordinary: a::b'
            ConvertTo-LogLine $null | Should -Be ''
        }
    }
}

Describe 'Limit-Text' {
    It 'leaves short text alone and cuts long text at a space, saying how much went' {
        InModuleScope ExoConnectRunner {
            Limit-Text 'short' -Length 10 | Should -Be 'short'
            $token = 'T' * 40
            Limit-Text "error: token $token rejected" -Length 30 | Should -Be 'error: token [cut: 50 more characters]'
            Limit-Text ('x' * 50) -Length 20 | Should -Be (('x' * 20) + ' [cut: 30 more characters]')
        }
    }
}

Describe 'Hide-HeldSecret' {
    It 'takes a held secret out of what the runner prints however a server spread it, until the script starts' {
        InModuleScope ExoConnectRunner {
            $pfx = 'MIIJ/wIBAzCCCbUGCSqGSIb3DQEHAaCCCaYEggmiMIIJnjCCBBIGCSqGSIb3DQEHBqCCBAMwggP/AgEAMIID+AYJKoZIhvcNAQcB'
            $wrapped = ($pfx -split '(.{76})' | Where-Object { $_ }) -join "`r`n"
            Set-HeldSecret -Credentials @([pscustomobject]@{ kind = 'certificate'; clientId = 'id'; pfxBase64 = $pfx; password = 'alpha bravo charlie' }, $null)
            try {
                ConvertTo-LogLine "429. Sent with password alpha br`navo charlie (PKCS#12 follows)`r`n$wrapped`r`n" | Should -Be '429. Sent with password *** (PKCS#12 follows) ***'
                # Taken out before the cut, which may fall at a space inside a passphrase.
                Limit-Text ((' q' * 20) + ' alpha bravo charlie tail') -Length 50 | Should -Be ((' q' * 20) + ' *** tail')
                # Control and invisible characters between its characters, and another case, hide nothing.
                foreach ($gap in @([char]1, [char]0x1b, [char]0x85, [char]0x200b, [char]0xad)) {
                    ConvertTo-LogLine ('pw=' + ('alphabravocharlie'.ToCharArray() -join $gap) + '.') | Should -Be 'pw=***.'
                }
                ConvertTo-LogLine 'ALPHA BRA VO CHARLIE' | Should -Be '***'
                # A service's JSON error body, its line breaks escaped.
                ConvertTo-LogLine ('{"error":"' + ($wrapped -replace "`r`n", '\r\n') + '"}') | Should -Be '{"error":"***"}'
                # Short text too, as the events file gets it, and an error id made of the text.
                Limit-Text "refused alpha`nbravo charlie" -Length 100 | Should -Be 'refused ***'
                $record = $null
                try { throw "refused alpha`nbravo charlie" } catch { $record = $_ }
                (Get-ErrorFacts $record).errorId | Should -Be 'refused ***'
            } finally {
                Clear-HeldSecret
            }
            # Nothing of the secret stays in the process: not in the runner's state, not in .NET's
            # cache of the regular expressions it made.
            $null = [regex]::Replace('probe', 'pr\s*obe', '')
            $flags = [System.Reflection.BindingFlags]'NonPublic, Static, Instance'
            $cache = [regex].Assembly.GetType('System.Text.RegularExpressions.RegexCache').GetField('s_cacheDictionary', $flags).GetValue($null)
            $patterns = @(foreach ($key in $cache.Keys) { [string]$key.GetType().GetField('_pattern', $flags).GetValue($key) })
            $patterns | Should -Contain 'pr\s*obe' -Because 'the static methods cache what they are given'
            ($patterns -join "`n") | Should -Not -Match 'a\(\?:'
            $script:HeldSecrets.Count | Should -Be 0
            ConvertTo-LogLine 'password alpha bravo charlie' | Should -Be 'password alpha bravo charlie'
        }
    }

    It 'takes out a password of six or seven characters however a server spread it; a shorter one only as it is' {
        InModuleScope ExoConnectRunner {
            Set-HeldSecret -Credentials @([pscustomobject]@{ kind = 'credential'; password = 'Pw1!x#Q' }, [pscustomobject]@{ kind = 'credential'; password = 'k9$Zq2' }, [pscustomobject]@{ kind = 'credential'; password = 'n7#Yu' })
            try {
                ConvertTo-LogLine "given 'P w 1 ! x # Q'; split: Pw1`n!x#Q; zw: P$([char]0x200b)w$([char]0x200b)1!x#Q" | Should -Be "given '***'; split: ***; zw: ***"
                ConvertTo-LogLine 'was k9$ Zq2.' | Should -Be 'was ***.'
                ConvertTo-LogLine 'n 7 # Y u' | Should -Be 'n 7 # Y u'
            } finally {
                Clear-HeldSecret
            }
        }
    }

    It 'takes the longest held secret out first, so that a shorter one inside it leaves none of it behind' {
        InModuleScope ExoConnectRunner {
            # Given shortest first, in both fields: replaced first, the inner one would leave "outer-" and "-tail" in the log.
            Set-HeldSecret -Credentials @(
                [pscustomobject]@{ password = 'inner-secret-9' },
                [pscustomobject]@{ token = 'outer-inner-secret-9-tail' },
                [pscustomobject]@{ password = 'mid-length-secret' })
            try {
                # The secrets themselves, found in any case (their base64 forms, held too, are not).
                @($script:HeldSecrets | Where-Object { $_.Folded } | ForEach-Object { $_.Compact }) | Should -Be @('outer-inner-secret-9-tail', 'mid-length-secret', 'inner-secret-9')
                ConvertTo-LogLine 'sent outer-inner-secret-9-tail and inner-secret-9' | Should -Be 'sent *** and ***'
            } finally {
                Clear-HeldSecret
            }
        }
    }
}

Describe 'ConvertTo-InertText' {
    It 'neutralises :: at the start of every line, after a line feed or a lone carriage return, and ##[ anywhere' {
        InModuleScope ExoConnectRunner {
            ConvertTo-InertText "ok`r::warning::a`n  ::error::b ##[group]c" | Should -BeExactly "ok`r: :warning::a`n  : :error::b # #[group]c"
            ConvertTo-InertText '' | Should -BeExactly ''
        }
    }
}

Describe 'Hide-HeldSecret, what it finds' {
    # No test leaves a secret held for the next.
    AfterEach { InModuleScope ExoConnectRunner { Clear-HeldSecret } }

    It 'hides each occurrence, secrets that overlap as one, and a gap outside the BMP' {
        InModuleScope ExoConnectRunner {
            Set-HeldSecret -Credentials @([pscustomobject]@{ password = 'Kx9-pq27-Lm'; token = 'pq27-Lm44-zz' })
            Hide-HeldSecret 'a Kx9-pq27-Lm b kx9-PQ27-lm c' | Should -BeExactly 'a *** b *** c'
            # The two overlap in the text: one span from the first's start to the second's end.
            Hide-HeldSecret 'x Kx9-pq27-Lm44-zz y' | Should -BeExactly 'x *** y'
            # A tag character (U+E0020, a format character outside the BMP) between two of its characters.
            $tag = [char]::ConvertFromUtf32(0xE0020)
            Hide-HeldSecret ('[' + 'Kx9-pq' + $tag + '27-Lm]') | Should -BeExactly '[***]'
            Hide-HeldSecret '' | Should -BeExactly ''
            Hide-HeldSecret 'nothing held here' | Should -BeExactly 'nothing held here'
        }
    }

    It 'hides a secret whose characters follow a backslash, as in a path, and one that ends in a backslash' {
        InModuleScope ExoConnectRunner {
            Set-HeldSecret -Credentials @([pscustomobject]@{ password = 'nightfall-42' }, [pscustomobject]@{ password = 'Passw0rd\' })
            ConvertTo-LogLine "Access denied for C:\nightfall`n-42" | Should -BeExactly 'Access denied for C:\***'
            ConvertTo-LogLine 'user Passw0rd\nretry' | Should -BeExactly 'user ***nretry'
            # A JSON body's escaped line break is still a gap.
            ConvertTo-LogLine '{"m":"night\nfall-42"}' | Should -BeExactly '{"m":"***"}'
        }
    }

    It 'holds a secret that came wrapped in a PSObject, and one with a space in any case, as the action does' {
        InModuleScope ExoConnectRunner {
            $wrapped = 'Kx9-pq27-Lm44' | ForEach-Object { $_ }
            Set-HeldSecret -Credentials @([pscustomobject]@{ password = $wrapped }, [pscustomobject]@{ token = 'Pass Word' })
            ConvertTo-LogLine 'echo Kx9-pq27-Lm 44' | Should -BeExactly 'echo ***'
            ConvertTo-LogLine 'said PASSWORD' | Should -BeExactly 'said ***'
        }
    }

    It 'takes gaps a JSON encoder wrote as \uXXXX escapes for gaps, and no other escape' {
        InModuleScope ExoConnectRunner {
            Set-HeldSecret -Credentials @([pscustomobject]@{ password = 'Tr0ub4dor-3x' })
            ConvertTo-LogLine '{"m":"Tr0ub\u200b4dor\u000A-3x"}' | Should -BeExactly '{"m":"***"}'
            ConvertTo-LogLine '{"m":"Tr0ub\u00414dor-3x"}' | Should -BeExactly '{"m":"Tr0ub\u00414dor-3x"}'
        }
    }

    It 'finds a secret in another case whose letters are outside the BMP, as the action does' {
        InModuleScope ExoConnectRunner {
            # Deseret capital and small long I (U+10400, U+10428).
            $upper = [char]::ConvertFromUtf32(0x10400)
            $lower = [char]::ConvertFromUtf32(0x10428)
            Set-HeldSecret -Credentials @([pscustomobject]@{ password = "x${upper}y-12345" })
            ConvertTo-LogLine "pw x${lower}y-12 345" | Should -BeExactly 'pw ***'
        }
    }

    It 'hides a password inside a Basic header a server dumped wrapped, as the action does' {
        InModuleScope ExoConnectRunner {
            $password = 'Hunter2 secret!'
            Set-HeldSecret -Credentials @([pscustomobject]@{ kind = 'credential'; password = $password })
            foreach ($user in @('admin', 'ad', 'adm')) {
                # Each user name length puts the password at another of base64's three offsets.
                $header = [Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes("${user}:$password"))
                $wrapped = ($header -split '(.{10})' | Where-Object { $_ }) -join "`r`n"
                $line = ConvertTo-LogLine "WinRM said: Authorization: Basic $wrapped (401)"
                $line | Should -Match '\*\*\*'
                $line | Should -Not -Match ([regex]::Escape($header.Substring(12, 6)))
            }
            # Its UTF-16 form, as a Windows API writes it.
            $utf16 = [Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes($password))
            ConvertTo-LogLine "blob $utf16 end" | Should -BeExactly 'blob *** end'
        }
    }
}

Describe 'Format-Count' {
    It 'gives the noun that agrees with the count' {
        InModuleScope ExoConnectRunner {
            Format-Count 1 'cmdlet' 'cmdlets' | Should -BeExactly '1 cmdlet'
            Format-Count 0 'session' 'sessions' | Should -BeExactly '0 sessions'
            Format-Count 2 'cmdlet exists' 'cmdlets exist' | Should -BeExactly '2 cmdlets exist'
        }
    }
}
