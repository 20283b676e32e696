# Text the runner prints that it did not write: server errors, retry causes, names from a server.
# The Actions runner reads each log line for workflow commands: a line that starts with `::`
# (after leading spaces), and `##[` anywhere in a line (its older syntax). Such text goes to the
# log on one line with neither, so it can neither issue a command nor split a secret across lines
# (the log is masked line by line). The same rules as the action's Node side (src/log-text.ts).

function ConvertTo-LogLine {
    param([AllowNull()][AllowEmptyString()][string] $Text)
    if ($null -eq $Text) { return '' }
    $Text = & $Own['Hide-HeldSecret'] $Text
    # C0 controls, DEL, C1 controls, and the Unicode line and paragraph separators.
    $line = ($Text -replace '[\u0000-\u001f\u007f-\u009f\u2028\u2029]+', ' ').Trim()
    # Through $Own: this also runs once the user's script has run (see ExoConnectRunner.psm1).
    & $Own['ConvertTo-InertText'] $line
}

function ConvertTo-InertText {
    # The text with no workflow command in it: `##[` becomes `# #[`, and `::` at the start of a
    # line (after spaces) `: :`. A line starts after a line feed or a lone carriage return too, as
    # the runner reads the log (StreamReader.ReadLine).
    param([AllowEmptyString()][string] $Text)
    $Text.Replace('##[', '# #[') -replace '(?<![^\r\n])(\s*)::', '$1: :'
}

function Format-Count {
    # A count and its noun, one or many: "1 cmdlet", "3 sessions" (report.ts has counted() for Node's).
    param([int] $Count, [Parameter(Mandatory)][string] $One, [Parameter(Mandatory)][string] $Many)
    if ($Count -eq 1) { return "1 $One" }
    "$Count $Many"
}

function Limit-Text {
    # Cuts text longer than $Length at the last space before it, so that a secret (tokens have no
    # spaces) is either whole or gone, never half there for the masking to miss; says how much went.
    # A secret the runner holds is taken out first: a password may have spaces.
    # Short text too: what this cuts goes to the events file, which is on disk.
    param([AllowNull()][AllowEmptyString()][string] $Text, [Parameter(Mandatory)][int] $Length)
    if ($null -eq $Text) { return $Text }
    $Text = & $Own['Hide-HeldSecret'] $Text
    if ($Text.Length -le $Length) { return $Text }
    $at = $Text.LastIndexOf([char]' ', $Length)
    if ($at -le 0) { $at = $Length }
    $Text.Substring(0, $at) + " [cut: $($Text.Length - $at) more characters]"
}

# The secret values of this run's credentials, each without its gaps, from before the connect
# until the script starts (Set-HeldSecret, Clear-HeldSecret). The log's masking compares whole
# values, and a server may wrap or space out what it echoes (a PFX at 76 columns, a password split
# by a line break), which the log's one line joins with spaces: text the runner prints is searched
# for them with gaps between their characters.
$script:HeldSecrets = @()

# A gap: whitespace, a control character (the log's one line makes spaces of them), an invisible
# format character (a zero-width space, a soft hyphen), which a reader's copy of the text drops,
# or a line break as JSON escapes it (a service's error body).
$script:SecretGap = '(?:[\s\p{Cc}\p{Cf}]|\\[rnt])'

function Set-HeldSecret {
    param([AllowNull()][AllowEmptyCollection()][object[]] $Credentials)
    $held = foreach ($entry in $Credentials) {
        if ($null -eq $entry) { continue }
        foreach ($field in 'pfxBase64', 'password', 'token') {
            $property = $entry.PSObject.Properties[$field]
            if ($null -eq $property -or $property.Value -isnot [string]) { continue }
            $compact = $property.Value -replace "$script:SecretGap+", ''
            # In any case too, but for a short secret of letters only, whose folded forms are words
            # of the log (as the action masks).
            if ($compact.Length -ge 8) { [pscustomobject]@{ Compact = $compact; Folded = $compact.Length -ge 12 -or $compact -match '[^\p{L}]' } }
        }
    }
    # Longest first: a shorter one taken out of the middle of another would hide it. Array.Sort by
    # negated lengths, not Sort-Object, whose first call would cost every run milliseconds.
    $secrets = @($held)
    $keys = [int[]]@(foreach ($secret in $secrets) { - $secret.Compact.Length })
    # As [Array] both: PowerShell would otherwise pick the generic overload, and sort a copy.
    [System.Array]::Sort([System.Array]$keys, [System.Array]$secrets)
    $script:HeldSecrets = $secrets
}

function Clear-HeldSecret {
    $script:HeldSecrets = @()
}

function Hide-HeldSecret {
    # The text with each held secret, with any gaps, replaced by ***, in any case where it is Folded.
    param([AllowEmptyString()][string] $Text)
    if ($script:HeldSecrets.Count -eq 0) { return $Text }
    $compactText = $Text -replace "$script:SecretGap+", ''
    foreach ($secret in $script:HeldSecrets) {
        $comparison = if ($secret.Folded) { [System.StringComparison]::OrdinalIgnoreCase } else { [System.StringComparison]::Ordinal }
        if ($compactText.IndexOf($secret.Compact, $comparison) -lt 0) { continue }
        $characters = foreach ($character in $secret.Compact.ToCharArray()) { [regex]::Escape([string]$character) }
        $options = [System.Text.RegularExpressions.RegexOptions]::CultureInvariant
        if ($secret.Folded) { $options = $options -bor [System.Text.RegularExpressions.RegexOptions]::IgnoreCase }
        # An instance, not [regex]::Replace: the static methods cache their patterns, and this one is the secret.
        $Text = [regex]::new([string]::Join("$script:SecretGap*", [string[]]$characters), $options).Replace($Text, '***')
    }
    $Text
}
