# JSON text to PowerShell values, the same on PowerShell 7 and Windows PowerShell 5.1: the
# configuration and the script's parameters. ConvertFrom-Json is not: on PowerShell 7 it turns
# ISO 8601 strings into dates unless told otherwise (a password or a parameter that looks like one
# arrives changed), integers beyond Int64 become BigInteger there and fail on 5.1. Here strings stay
# strings, and numbers keep every digit, typed as PowerShell types the same literal in a script:
# https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_numeric_literals
# A date becomes a date only where a [datetime] parameter converts the string.

function ConvertFrom-RunnerJson {
    # Compiled (Native/JsonText.cs): as script, the reader's first run cost every run milliseconds,
    # and ConvertFrom-Json's first call more. Objects become PSCustomObject (properties in their
    # order), arrays object[], and the text's one value is returned as is (an array is not
    # unrolled). Deep nesting cannot exhaust the call stack; past MaxDepth it stops with a message.
    param([Parameter(Mandatory)][AllowEmptyString()][string] $Text, [int] $MaxDepth = 100)
    try {
        , [ExoConnectRunner.Native.JsonText]::Read($Text, $MaxDepth)
    } catch [System.Management.Automation.MethodInvocationException] {
        # Its own message, without PowerShell's "Exception calling ..." around it.
        throw $_.Exception.InnerException
    }
}
