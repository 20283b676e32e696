# Text the runner prints that it did not write: server errors, retry causes, names from a server.
# The Actions runner reads each log line for workflow commands: a line that starts with `::`
# (after leading spaces), and `##[` anywhere in a line (its older syntax). Such text goes to the
# log on one line with neither, so it can neither issue a command nor split a secret across lines
# (the log is masked line by line). The same rules as the action's Node side (src/log-text.ts).

# Compiled (Native/LogText.cs): as script, the first calls of these cost every run milliseconds
# of compiling, and the secrets' redaction runs on text the runner did not write.

function ConvertTo-LogLine {
    # On one line (each run of control characters one space), trimmed, held secrets out, inert.
    param([AllowNull()][AllowEmptyString()][string] $Text)
    [ExoConnectRunner.Native.LogText]::ToLogLine($Text, $script:HeldSecrets)
}

function ConvertTo-InertText {
    # The text with no workflow command in it: `##[` becomes `# #[`, and `::` at the start of a
    # line (after spaces) `: :`.
    param([AllowEmptyString()][string] $Text)
    [ExoConnectRunner.Native.LogText]::Inert($Text)
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
    [ExoConnectRunner.Native.LogText]::Limit($Text, $Length, $script:HeldSecrets)
}

# The secret values of this run's credentials, from before the connect until the script starts
# (Set-HeldSecret, Clear-HeldSecret). The log's masking compares whole values, and a server may
# wrap or space out what it echoes (a PFX at 76 columns, a password split by a line break), which
# the log's one line joins with spaces: text the runner prints is searched for them with gaps
# between their characters (HeldSecrets in Native/LogText.cs).
$script:HeldSecrets = [ExoConnectRunner.Native.HeldSecrets]::new()

function Set-HeldSecret {
    # The pfxBase64, password and token of each credential, longest first.
    param([AllowNull()][AllowEmptyCollection()][object[]] $Credentials)
    $script:HeldSecrets.Set($Credentials)
}

function Clear-HeldSecret {
    $script:HeldSecrets.Clear()
}

function Hide-HeldSecret {
    # The text with each held secret, with any gaps, replaced by ***, in any case where it is Folded.
    param([AllowEmptyString()][string] $Text)
    $script:HeldSecrets.Hide($Text)
}
