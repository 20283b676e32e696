# The configuration contract (src/runner-contract.ts): one line of JSON on stdin, secrets included,
# so that no value ever appears in argv or in PowerShell source text.

# The version of src/runner-contract.ts this runner reads (RUNNER_CONTRACT_VERSION there).
$script:ContractVersion = 2

function Read-RunnerConfig {
    # Reads the first line of stdin and nothing after it: later lines are for others to read.
    param([System.IO.Stream] $Stream = [Console]::OpenStandardInput(), [byte[]] $Buffer = (New-Object byte[] 16384))
    ConvertFrom-RunnerJson -Text (Read-StreamLine -Stream $Stream -Buffer $Buffer)
}

function Read-StreamLine {
    # One UTF-8 line, byte by byte up to the first LF, so that the stream is left right after it
    # (a StreamReader reads ahead, and would keep the end of the line, secrets included, in its
    # buffer). [Console]::In would decode with the console code page (OEM on Windows). Every byte
    # array the line passed through is zeroed before returning.
    param([Parameter(Mandatory)][System.IO.Stream] $Stream, [Parameter(Mandatory)][byte[]] $Buffer)
    $count = 0
    try {
        while ($true) {
            $byte = $Stream.ReadByte()
            if ($byte -lt 0 -or $byte -eq 10) { break }
            if ($count -eq $Buffer.Length) {
                $larger = New-Object byte[] ($Buffer.Length * 2)
                [Array]::Copy($Buffer, $larger, $count)
                [Array]::Clear($Buffer, 0, $count)
                $Buffer = $larger
            }
            $Buffer[$count] = $byte
            $count++
        }
        if ($count -gt 0 -and $Buffer[$count - 1] -eq 13) { $count-- }
        $script:Utf8NoBom.GetString($Buffer, 0, $count)
    } finally {
        [Array]::Clear($Buffer, 0, $Buffer.Length)
    }
}

# Every field the runner reads, per mode, as path:type (string, int, bool, any; ? allows null).
$script:ConnectionFields = @(
    'connection.target:string', 'connection.authMethod:string', 'connection.environment:string',
    'connection.connectionUri:string?', 'connection.authorizationEndpointUri:string?', 'connection.organization:string?',
    'connection.delegatedOrganization:string?', 'connection.prefix:string?', 'connection.commandNames:any',
    'connection.server.authentication:string', 'connection.server.allowRedirection:bool',
    'connection.server.proxyAccessType:string', 'connection.server.skipCertificateChecks:bool', 'credentials.kind:string'
)
$script:ConfigFields = @{
    'run'            = @(
        'paths.events:string', 'paths.result:string', 'paths.plan:string', 'module.name:string', 'module.version:string',
        'module.repository:string', 'module.path:string?', 'module.testedVersion:string', 'connections:any', 'connectRetries:int',
        'resultLimit:int', 'resultDepth:int', 'resultFile:any', 'script.path:string', 'script.workingDirectory:string', 'script.parameters:string',
        'script.errorActionPreference:string', 'script.whatIf:bool'
    ) + $script:ConnectionFields
    'remove-session' = @('paths.events:string', 'instanceId:string') + $script:ConnectionFields
}

function Assert-RunnerConfig {
    # The configuration is the version this runner reads, and has every field it reads.
    param([Parameter(Mandatory)][AllowNull()] $Config)
    $version = Get-ConfigValue $Config 'version'
    if ($version -isnot [int] -or $version -ne $script:ContractVersion) {
        $given = 'no version'
        if ($null -ne $version) { $given = "version $version" }
        throw "This runner reads configuration version $($script:ContractVersion) and was given ${given}: the action's JavaScript (dist/) and its PowerShell (dist/ps) come from different builds. Use one release of the action, or rebuild both with npm run build."
    }
    $mode = Get-ConfigValue $Config 'mode'
    if (-not ($mode -is [string] -and $script:ConfigFields.ContainsKey($mode))) { throw "The configuration's mode '$mode' is not one this runner knows (run, remove-session)." }
    foreach ($field in $script:ConfigFields[$mode]) {
        $path, $type = $field.Split(':')
        $value = $Config
        foreach ($name in $path.Split('.')) {
            $property = $null
            if ($value -is [System.Management.Automation.PSCustomObject]) { $property = $value.PSObject.Properties[$name] }
            if ($null -eq $property) { throw "The configuration has no field $path, which this runner reads." }
            $value = $property.Value
        }
        $nullable = $type.EndsWith('?')
        $expected = $type.TrimEnd('?')
        $fits = switch ($expected) {
            'string' { $value -is [string] }
            'int' { $value -is [int] }
            'bool' { $value -is [bool] }
            default { $true }
        }
        if (-not ($fits -or ($nullable -and $null -eq $value))) { throw "The configuration's field $path is not a $type." }
    }
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
    # Splatting needs a hashtable; JSON objects arrive as PSCustomObject. Keys keep their case,
    # and, as in any @{} literal, are looked up without it.
    param([AllowNull()] $Object)
    $table = @{}
    if ($null -ne $Object) {
        foreach ($property in $Object.PSObject.Properties) { $table[$property.Name] = $property.Value }
    }
    $table
}
