# The configuration contract (src/runner-contract.ts): JSON on stdin, secrets included, so that
# no value ever appears in argv or in PowerShell source text. It comes framed: its length in bytes
# on a line of its own, then that many bytes of UTF-8 JSON.

# The version of src/runner-contract.ts this runner reads (RUNNER_CONTRACT_VERSION there).
$script:ContractVersion = 4
# RUNNER_CONFIG_MAX_BYTES there.
$script:ConfigMaxBytes = 64MB

function Read-RunnerConfig {
    # Reads the configuration and nothing after it: what follows on stdin is for the stop watcher.
    # Compiled (Native/RunnerConfig.cs): Read-FramedText, then ConvertFrom-RunnerJson.
    param([System.IO.Stream] $Stream = [Console]::OpenStandardInput())
    try {
        , [ExoConnectRunner.Native.RunnerConfig]::Read($Stream, $script:ConfigMaxBytes)
    } catch [System.Management.Automation.MethodInvocationException] {
        throw $_.Exception.InnerException
    }
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
    # The configuration is the version this runner reads, and has every field it reads. Compiled
    # (Native/RunnerConfig.cs): as script, its loop's first run cost every run tens of milliseconds.
    param([Parameter(Mandatory)][AllowNull()] $Config)
    try {
        [ExoConnectRunner.Native.RunnerConfig]::Assert($Config, $script:ContractVersion, $script:ConfigFields)
    } catch [System.Management.Automation.MethodInvocationException] {
        throw $_.Exception.InnerException
    }
}

function Clear-StartupVariable {
    # Variables the action set only for this process's start (src/session.ts, STARTUP_VARIABLES):
    # PowerShell and .NET have read them, and the user's script, and whatever it starts, must see
    # the job's environment. Compiled (Native/RunnerConfig.cs); names that are not text are passed over.
    param([AllowNull()][AllowEmptyCollection()][object[]] $Name)
    [ExoConnectRunner.Native.RunnerConfig]::ClearStartupVariables($Name)
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
