# The configuration contract (src/runner-contract.ts): JSON on stdin, secrets included, so that
# no value ever appears in argv or in PowerShell source text. It comes framed: its length in bytes
# on a line of its own, then that many bytes of UTF-8 JSON.

# The version of src/runner-contract.ts this runner reads (RUNNER_CONTRACT_VERSION there).
$script:ContractVersion = 4
# RUNNER_CONFIG_MAX_BYTES there.
$script:ConfigMaxBytes = 64MB

function Read-RunnerConfig {
    # Reads the configuration and nothing after it: what follows on stdin is for the stop watcher.
    param([System.IO.Stream] $Stream = [Console]::OpenStandardInput())
    ConvertFrom-ConfigJson -Text (Read-FramedText -Stream $Stream)
}

function Read-FramedText {
    # Compiled (Native/FramedText.cs): the length line byte by byte (a StreamReader would read ahead
    # into what follows), then the UTF-8 text in as few reads as the pipe allows. [Console]::In
    # would decode with the console code page (OEM on Windows). The byte array is zeroed before it
    # returns: it held secrets. Buffer: one to read into when it is large enough (the tests pass
    # one, to see it zeroed afterwards).
    param([Parameter(Mandatory)][System.IO.Stream] $Stream, [byte[]] $Buffer)
    try {
        [ExoConnectRunner.Native.FramedText]::Read($Stream, $script:ConfigMaxBytes, $Buffer)
    } catch [System.Management.Automation.MethodInvocationException] {
        # Its own message, without PowerShell's "Exception calling ..." around it.
        throw $_.Exception.InnerException
    }
}

function ConvertFrom-ConfigJson {
    # PowerShell 7.5 and later read JSON in compiled code and, with -DateKind String, leave strings
    # that look like dates as they are:
    # https://learn.microsoft.com/powershell/module/microsoft.powershell.utility/convertfrom-json
    # Older versions would turn a password like 2026-01-02T03:04:05Z into a date; there the
    # runner's own reader (Json.ps1) reads the configuration.
    param([Parameter(Mandatory)][AllowEmptyString()][string] $Text)
    $read = @{ InputObject = $Text }
    if ($SafeCommands['ConvertFrom-Json'].Parameters.ContainsKey('DateKind')) {
        $read['DateKind'] = 'String'
        $read['NoEnumerate'] = $true
        return & $SafeCommands['ConvertFrom-Json'] @read
    }
    ConvertFrom-RunnerJson -Text $Text
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
        'module.repository:string', 'module.path:string?', 'module.testedVersion:string', 'module.digest:bool', 'connections:any', 'connectRetries:int',
        'resultLimit:int', 'resultDepth:int', 'resultFile:any', 'unsetVariables:any', 'script.path:string', 'script.input:string', 'script.workingDirectory:string', 'script.parameters:string',
        'script.errorActionPreference:string', 'script.whatIf:bool'
    ) + $script:ConnectionFields
    'remove-session' = @('paths.events:string', 'instanceId:string', 'unsetVariables:any') + $script:ConnectionFields
}

function Assert-RunnerConfig {
    # The configuration is the version this runner reads, and has every field it reads.
    param([Parameter(Mandatory)][AllowNull()] $Config)
    $version = Get-ConfigValue $Config 'version'
    if (-not (Test-ConfigInteger $version) -or $version -ne $script:ContractVersion) {
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
        $nullable = $type.EndsWith('?', [System.StringComparison]::Ordinal)
        $expected = $type.TrimEnd('?')
        $fits = switch ($expected) {
            'string' { $value -is [string] }
            'int' { Test-ConfigInteger $value }
            'bool' { $value -is [bool] }
            default { $true }
        }
        if (-not ($fits -or ($nullable -and $null -eq $value))) { throw "The configuration's field $path is not a $type." }
    }
}

function Clear-StartupVariable {
    # Variables the action set only for this process's start (src/session.ts, STARTUP_VARIABLES):
    # PowerShell and .NET have read them, and the user's script, and whatever it starts, must see
    # the job's environment.
    param([AllowNull()][AllowEmptyCollection()][object[]] $Name)
    foreach ($variable in @($Name)) {
        # [NullString]::Value, not $null, which PowerShell would pass as '' and so leave the variable
        # set, empty, for every process the script starts.
        if ($variable -is [string] -and $variable) { [System.Environment]::SetEnvironmentVariable($variable, [NullString]::Value) }
    }
}

function Test-ConfigInteger {
    # ConvertFrom-Json reads every integer as a long; the runner's own reader as an int.
    param([AllowNull()] $Value)
    ($Value -is [int] -or $Value -is [long]) -and $Value -ge [int]::MinValue -and $Value -le [int]::MaxValue
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
