# JSON text to PowerShell values, the same on PowerShell 7 and Windows PowerShell 5.1.
# ConvertFrom-Json is not: on PowerShell 7 it turns ISO 8601 strings into dates (a password or a
# parameter that looks like one arrives changed), integers beyond Int64 become BigInteger there
# and fail on 5.1. Here strings stay strings, and numbers keep every digit, typed as PowerShell
# types the same literal in a script:
# https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_numeric_literals
# A date becomes a date only where a [datetime] parameter converts the string.

# One token at a time, each starting where the last ended (\G): the whole text must be tokens.
# Strings: no raw control characters, only JSON's escapes (RFC 8259, section 7). Made on first use:
# most runs read no JSON with this reader.
$script:JsonTokenPattern = '\G[ \t\r\n]*(?:(?<string>"(?>[^"\\\x00-\x1f]+|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*")|(?<number>-?(?:0|[1-9][0-9]*)(?<fraction>(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?))|(?<literal>true|false|null)|(?<punctuation>[{}\[\]:,]))'
$script:JsonToken = $null
$script:JsonTrailingSpace = $null
$script:Invariant = [System.Globalization.CultureInfo]::InvariantCulture

function ConvertFrom-RunnerJson {
    # Objects become PSCustomObject (properties in their order), arrays object[], and the text's
    # one value is returned as is (an array is not unrolled). Iterative: deep nesting cannot
    # exhaust the call stack; past MaxDepth it stops with a message.
    param([Parameter(Mandatory)][AllowEmptyString()][string] $Text, [int] $MaxDepth = 100)
    if ($null -eq $script:JsonToken) {
        $script:JsonToken = [System.Text.RegularExpressions.Regex]::new($script:JsonTokenPattern, [System.Text.RegularExpressions.RegexOptions]::CultureInvariant)
        $script:JsonTrailingSpace = [System.Text.RegularExpressions.Regex]::new('\G[ \t\r\n]*\z')
    }
    $tokens = $script:JsonToken.Matches($Text)
    $end = 0
    if ($tokens.Count -gt 0) { $end = $tokens[$tokens.Count - 1].Index + $tokens[$tokens.Count - 1].Length }
    if (-not $script:JsonTrailingSpace.IsMatch($Text, $end)) { throw "The JSON text is not valid at character $($end + 1)." }

    $open = [System.Collections.Generic.Stack[object]]::new()
    $root = $null
    $done = $false
    # What may come next: value, key, colon, next (a comma or the container's end), or nothing.
    $expect = 'value'
    foreach ($token in $tokens) {
        $groups = $token.Groups
        $mark = $groups['punctuation'].Value
        $at = $token.Index + 1
        $top = $null
        if ($open.Count -gt 0) { $top = $open.Peek() }
        # A closing mark is allowed after a value, or right after its opening mark.
        $closes = ($mark -eq '}' -or $mark -eq ']') -and $null -ne $top -and $top.IsObject -eq ($mark -eq '}')
        if ($expect -eq 'key') {
            if ($groups['string'].Success) {
                $top.Key = ConvertFrom-JsonString -Token $groups['string'].Value
                $expect = 'colon'
                continue
            }
            if (-not ($closes -and $top.Filled -eq 0)) { throw "The JSON text is not valid at character ${at}: a property name was expected." }
        } elseif ($expect -eq 'colon') {
            if ($mark -ne ':') { throw "The JSON text is not valid at character ${at}: ':' was expected." }
            $expect = 'value'
            continue
        } elseif ($expect -eq 'next') {
            if ($mark -eq ',') {
                if ($top.IsObject) { $expect = 'key' } else { $expect = 'value' }
                continue
            }
            if (-not $closes) { throw "The JSON text is not valid at character ${at}: ',' or the end of the object or array was expected." }
        } elseif ($expect -eq 'nothing') {
            throw "The JSON text is not valid at character ${at}: it holds more than one value."
        } elseif ($mark -and $mark -ne '{' -and $mark -ne '[' -and -not ($closes -and -not $top.IsObject -and $top.Filled -eq 0)) {
            throw "The JSON text is not valid at character ${at}: a value was expected."
        }

        if ($mark -eq '{' -or $mark -eq '[') {
            if ($open.Count -ge $MaxDepth) { throw "The JSON text nests deeper than $MaxDepth levels." }
            $container = [pscustomobject]@{ IsObject = ($mark -eq '{'); Items = [System.Collections.Generic.List[object]]::new(); Object = [psobject]::new(); Key = $null; Filled = 0 }
            $open.Push($container)
            if ($container.IsObject) { $expect = 'key' } else { $expect = 'value' }
            continue
        }
        if ($mark -eq '}') {
            $value = $open.Pop().Object
        } elseif ($mark -eq ']') {
            $value = $open.Pop().Items.ToArray()
        } elseif ($groups['string'].Success) {
            $value = ConvertFrom-JsonString -Token $groups['string'].Value
        } elseif ($groups['number'].Success) {
            $value = ConvertFrom-JsonNumber -Token $groups['number'].Value -IsInteger (-not $groups['fraction'].Value)
        } else {
            $value = $null
            if ($groups['literal'].Value -eq 'true') { $value = $true } elseif ($groups['literal'].Value -eq 'false') { $value = $false }
        }

        if ($open.Count -eq 0) {
            $root = $value
            $done = $true
            $expect = 'nothing'
            continue
        }
        $parent = $open.Peek()
        $parent.Filled++
        if ($parent.IsObject) {
            # PowerShell's property names are case-insensitive: a second spelling would replace the first.
            $existing = $parent.Object.PSObject.Properties[$parent.Key]
            if ($null -ne $existing) { throw "The JSON text names the property '$($existing.Name)' twice, as '$($existing.Name)' and '$($parent.Key)' (PowerShell's property names are case-insensitive)." }
            $parent.Object.PSObject.Properties.Add([System.Management.Automation.PSNoteProperty]::new($parent.Key, $value))
        } else {
            $parent.Items.Add($value)
        }
        $expect = 'next'
    }
    if (-not $done) { throw 'The JSON text ends before its value does.' }
    , $root
}

function ConvertFrom-JsonString {
    # The token was checked to hold only JSON's escapes, which Regex.Unescape reads the same way.
    param([Parameter(Mandatory)][string] $Token)
    $inner = $Token.Substring(1, $Token.Length - 2)
    if ($inner.IndexOf([char]'\') -lt 0) { return $inner }
    [System.Text.RegularExpressions.Regex]::Unescape($inner)
}

function ConvertFrom-JsonNumber {
    # Integers as PowerShell types their literals: int, long, then decimal; beyond decimal's range
    # BigInteger, where PowerShell would fall back to double and lose digits. Other numbers are
    # doubles, unless a double would lose digits that decimal keeps.
    param([Parameter(Mandatory)][string] $Token, [bool] $IsInteger)
    $styles = [System.Globalization.NumberStyles]
    if ($IsInteger) {
        $int = 0
        if ([int]::TryParse($Token, $styles::AllowLeadingSign, $script:Invariant, [ref]$int)) { return $int }
        $long = [long]0
        if ([long]::TryParse($Token, $styles::AllowLeadingSign, $script:Invariant, [ref]$long)) { return $long }
        $decimal = [decimal]0
        if ([decimal]::TryParse($Token, $styles::AllowLeadingSign, $script:Invariant, [ref]$decimal)) { return $decimal }
        return [System.Numerics.BigInteger]::Parse($Token, $styles::AllowLeadingSign, $script:Invariant)
    }
    $double = [double]0
    if (-not [double]::TryParse($Token, $styles::Float, $script:Invariant, [ref]$double) -or [double]::IsInfinity($double)) {
        throw "The number $Token is beyond the range of a double."
    }
    $decimal = [decimal]0
    if ([decimal]::TryParse($Token, $styles::Float, $script:Invariant, [ref]$decimal) -and $decimal -ne [decimal]$double) { return $decimal }
    $double
}
