# The configuration contract: one line of JSON on stdin, secrets included, so that no value ever
# appears in argv or in PowerShell source text.

function Read-RunnerConfig {
    # stdin is UTF-8 JSON from Node. [Console]::In would decode it with the console code page
    # (OEM on Windows) and change any non-ASCII value, so read the raw stream as UTF-8.
    param([System.IO.Stream] $Stream = [Console]::OpenStandardInput())
    $reader = New-Object System.IO.StreamReader($Stream, $script:Utf8NoBom)
    $reader.ReadLine() | & $SafeCommands['ConvertFrom-Json']
}

function Get-ConfigValue {
    # Optional fields may be absent from the JSON; strict mode would throw on reading them.
    param([Parameter(Mandatory)][AllowNull()] $Object, [Parameter(Mandatory)][string] $Name)
    if ($null -eq $Object) { return $null }
    $property = $Object.PSObject.Properties[$Name]
    if ($null -eq $property) { return $null }
    $property.Value
}

function ConvertTo-Hashtable {
    # ConvertFrom-Json gives PSCustomObject on 5.1 (no -AsHashtable); splatting needs a hashtable.
    param([AllowNull()] $Object)
    $table = @{}
    if ($null -ne $Object) {
        foreach ($property in $Object.PSObject.Properties) { $table[$property.Name] = $property.Value }
    }
    $table
}
