# Text the runner prints that it did not write: server errors, retry causes, names from a server.
# The Actions runner reads each log line for workflow commands: a line that starts with `::`
# (after leading spaces), and `##[` anywhere in a line (its older syntax). Such text goes to the
# log on one line with neither, so it can neither issue a command nor split a secret across lines
# (the log is masked line by line). The same rules as the action's Node side (src/log-text.ts).

function ConvertTo-LogLine {
    param([AllowNull()][AllowEmptyString()][string] $Text)
    if ($null -eq $Text) { return '' }
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

function Limit-Text {
    # Cuts text longer than $Length at the last space before it, so that a secret (tokens have no
    # spaces) is either whole or gone, never half there for the masking to miss; says how much went.
    param([AllowNull()][AllowEmptyString()][string] $Text, [Parameter(Mandatory)][int] $Length)
    if ($null -eq $Text -or $Text.Length -le $Length) { return $Text }
    $at = $Text.LastIndexOf(' ', $Length)
    if ($at -le 0) { $at = $Length }
    $Text.Substring(0, $at) + " [cut: $($Text.Length - $at) more characters]"
}
