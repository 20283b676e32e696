<#
  The runner's own code as a script module: one file per concern, dot-sourced here.

  It exports nothing: exported functions would be visible to the user's script. runner.ps1 calls
  Start-ExoConnectRunner inside the module (`& $module { ... }`).

  Strict mode, 'Stop' and the preferences below hold for this module's scopes only, and so does
  the empty $PSDefaultParameterValues: the runner's own calls never take defaults the user's script
  set globally. A module's scopes descend from the global scope, not from the caller's, and the
  user's script runs in the global session state (see Invoke-UserScript), as under a plain
  `pwsh -File`. Runs on PowerShell 7 and Windows PowerShell 5.1: no PS7-only syntax here.
#>
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$WhatIfPreference = $false
$ConfirmPreference = 'High'
$VerbosePreference = 'SilentlyContinue'
$DebugPreference = 'SilentlyContinue'
$WarningPreference = 'Continue'
$InformationPreference = 'SilentlyContinue'
$PSDefaultParameterValues = @{}
# The runner's own functions as command objects: filled at the end (see there) and by Import-RunnerFile.
$script:Own = @{}

# The runner's mechanical parts, compiled from Native/ (reading and checking the configuration,
# signed events and the run's files, the log text and its held secrets, the stop watcher's wait on
# stdin and its nested pipelines, the exit code a script asked for, the teardown's global variables,
# hooks, location and counts):
# as PowerShell script, their first calls cost each run
# tens of milliseconds of compiling. Loaded by path, as Add-Type -Path would, without loading
# Add-Type's module first.
# Once per process: the Pester tests import this module again and again.
if ($null -eq ('ExoConnectRunner.Native.EventWriter' -as [type])) {
    [void][System.Reflection.Assembly]::LoadFrom([System.IO.Path]::Combine($PSScriptRoot, 'bin', 'ExoConnectRunner.Native.dll'))
}

#region Private/SafeCommands.ps1
# The commands the runner itself calls, resolved once when the module loads and called through
# these CommandInfo objects, never by name: a function or alias of the same name, defined later
# by the user's script, cannot stand in for them. This is the SafeCommands pattern that Pester uses.

$script:SafeCommands = @{}

# The modules Add-SafeCommand has seen: each is imported once, from $PSHOME where it is there.
$script:BuiltInModules = [System.Collections.Generic.HashSet[string]]::new([System.StringComparer]::OrdinalIgnoreCase)

function Add-SafeCommand {
    # Module-qualified names, which already rule out a look-alike from elsewhere. A file loaded when
    # needed (RunnerFiles.ps1) adds the cmdlets only it calls as it loads, before the user's script
    # runs: their modules then load only in the runs that call them (each costs milliseconds).
    # Each module named for the first time is imported from PowerShell's own folder, by path, into
    # the global scope where loading it by a command's name would have put it: loaded by name, the
    # first module cost about 60 ms more (PowerShell 7.6.9, measured). Microsoft.PowerShell.Core has
    # no folder: it is built in. A manifest that fails to import fails the run.
    # https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_psmodulepath
    # Compiled (Native/SafeCommands.cs): as script, this loop cost each run tens of milliseconds.
    param([Parameter(Mandatory)][string[]] $Name)
    try {
        [ExoConnectRunner.Native.SafeCommands]::Add($ExecutionContext.SessionState, $script:SafeCommands, $script:BuiltInModules, $Name)
    } catch [System.Management.Automation.MethodInvocationException] {
        # Its own message, without PowerShell's "Exception calling ..." around it.
        throw $_.Exception.InnerException
    }
}

Add-SafeCommand -Name @(
    'Microsoft.PowerShell.Core\ForEach-Object'
    'Microsoft.PowerShell.Core\Get-Command'
    'Microsoft.PowerShell.Core\Get-Module'
    'Microsoft.PowerShell.Core\Get-PSSession'
    'Microsoft.PowerShell.Core\Import-Module'
    'Microsoft.PowerShell.Core\New-PSSession'
    'Microsoft.PowerShell.Core\Out-Default'
    'Microsoft.PowerShell.Core\New-PSSessionOption'
    'Microsoft.PowerShell.Core\Remove-PSSession'
    'Microsoft.PowerShell.Core\Where-Object'
    'Microsoft.PowerShell.Core\Out-Null'
    'Microsoft.PowerShell.Management\New-Item'
    'Microsoft.PowerShell.Management\Set-Location'
    'Microsoft.PowerShell.Utility\ConvertFrom-Json'
    'Microsoft.PowerShell.Utility\ConvertTo-Json'
    'Microsoft.PowerShell.Utility\Get-Random'
    'Microsoft.PowerShell.Utility\Get-Variable'
    'Microsoft.PowerShell.Utility\Import-PSSession'
    'Microsoft.PowerShell.Utility\Out-String'
    'Microsoft.PowerShell.Utility\Remove-Variable'
    'Microsoft.PowerShell.Utility\Select-Object'
    'Microsoft.PowerShell.Utility\Set-Alias'
    'Microsoft.PowerShell.Utility\Set-Variable'
    'Microsoft.PowerShell.Utility\Sort-Object'
    'Microsoft.PowerShell.Utility\Start-Sleep'
    'Microsoft.PowerShell.Utility\Write-Verbose'
    'Microsoft.PowerShell.Utility\Write-Warning'
)

# The Exchange module's own commands, taken from the module that Import-ExchangeModule imported.
$script:ExchangeCommandNames = [string[]]@('Connect-ExchangeOnline', 'Connect-IPPSSession', 'Disconnect-ExchangeOnline', 'Get-ConnectionInformation')

function Register-ExchangeCommand {
    # Right after the import, from the module's own ExportedCommands (not a look-up by name, which
    # a function of the same name elsewhere would win), and kept for the connect and the teardown.
    # A function is kept as its script block: the script can reach the module's scope and replace
    # the function there (Set-Item function:Disconnect-ExchangeOnline), which changes the
    # FunctionInfo in place, not the block it had.
    # Compiled (Native/ModuleFacts.cs).
    param([Parameter(Mandatory)][System.Management.Automation.PSModuleInfo] $Module)
    [ExoConnectRunner.Native.ModuleFacts]::RegisterCommands($Module, $script:ExchangeCommandNames, $script:SafeCommands)
}

function Get-SafeCommand {
    param([Parameter(Mandatory)][string] $Name)
    $command = $script:SafeCommands[$Name]
    if ($null -eq $command) { throw "$Name is not available: the module that should provide it was not imported or does not export it." }
    $command
}

function Use-TestDouble {
    # The action's own tests only: the sandbox module's New-PSSession & co. stand in for the
    # remoting cmdlets, which need a real Exchange server. Each command the module exports replaces
    # the runner's command of the same name.
    param([Parameter(Mandatory)][System.Management.Automation.PSModuleInfo] $Module)
    foreach ($name in @($script:SafeCommands.Keys)) {
        if ($Module.ExportedCommands.ContainsKey($name)) { $script:SafeCommands[$name] = $Module.ExportedCommands[$name] }
    }
}
#endregion

#region Private/RunnerFiles.ps1
# The module's files that a typical run never needs: saving the Exchange module, Exchange Server's
# session, result-file, the what-if plan and the binder check of `parameters`. The shipped module leaves them out of its .psm1, so
# that PowerShell does not parse them at every run (script/build.mjs ships them beside it), and
# Import-RunnerFile loads one the first time a run needs it. The user's script can write to the
# action's files, so whatever it wrote must never become the runner's code: a file is loaded only
# before the script starts (Invoke-UserScript sets ScriptStarted), and a file that the teardown or
# a stop could need is loaded by then.

# Set by ExoConnectRunner.psm1: its folder, whatever the current location.
$script:ModuleRoot = $null
$script:LoadedFiles = [System.Collections.Generic.HashSet[string]]::new([System.StringComparer]::Ordinal)
$script:ScriptStarted = $false

function Import-RunnerFile {
    # Path: relative to the module's folder ('Private/Plan.ps1'). Its functions are script: ones, so
    # that they land in the module's scope although the file is dot-sourced in this function's; its
    # variables are script: ones too.
    param([Parameter(Mandatory)][string] $Path)
    if ($script:LoadedFiles.Contains($Path)) { return }
    if ($script:ScriptStarted) { throw "The runner would load $Path after the user's script started; it loads its files only before." }
    $errors = $null
    $file = [System.IO.Path]::Combine($script:ModuleRoot, $Path)
    $ast = [System.Management.Automation.Language.Parser]::ParseFile($file, [ref]$null, [ref]$errors)
    if ($errors.Count -gt 0) { throw "The runner's file $file does not parse: line $($errors[0].Extent.StartLineNumber): $($errors[0].Message)" }
    # In a scope of its own below this function's: in the module's session state, so strict mode,
    # the preferences and SafeCommands hold, and a variable of the file's cannot overwrite one of these.
    & { . $args[0] } $ast.GetScriptBlock()
    [void]$script:LoadedFiles.Add($Path)
    # Its functions in $script:Own as well, for the calls after the script.
    Register-OwnFunction -Function @(foreach ($statement in $ast.EndBlock.Statements) {
            if ($statement -is [System.Management.Automation.Language.FunctionDefinitionAst]) {
                $ExecutionContext.InvokeCommand.GetCommand(($statement.Name -replace '^script:', ''), [System.Management.Automation.CommandTypes]::Function)
            }
        })
}

function Register-OwnFunction {
    # The runner's own functions, as the module's command objects, into $script:Own by name: the
    # calls made once the user's script has run go through these (see ExoConnectRunner.psm1).
    # Called as the module loads (its functions) and by Import-RunnerFile (a file's).
    param([Parameter(Mandatory)][AllowEmptyCollection()][System.Management.Automation.FunctionInfo[]] $Function)
    foreach ($each in $Function) { $script:Own[$each.Name] = $each }
}
#endregion

#region Private/Json.ps1
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
#endregion

#region Private/Config.ps1
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
#endregion

#region Private/LogText.ps1
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
#endregion

#region Private/Events.ps1
# Facts for the action, appended as JSON lines to the events file, and the facts of an error.
# The user's script runs as the same user and can reach that file, so each line starts with an
# HMAC-SHA256 of its JSON, made with a key that came for this run only, inside the configuration
# on stdin. The action ignores lines without a valid one (src/events.ts).

$script:Utf8NoBom = [System.Text.UTF8Encoding]::new($false)
$script:EventsPath = $null
# Native/EventWriter.cs: the open file and, with a key, the HMAC that signs each line.
$script:EventWriter = $null
# Error texts in the events are cut beyond this; a line stays far below what the action reads.
$script:EventTextLimit = 32000

function Set-EventsPath {
    # The file is opened once, before the script runs, and written through that handle: whatever
    # the script puts at the path later (a named pipe would block every write) is never written
    # through. The key lives on only inside the writer, which gives it back through nothing public.
    param([Parameter(Mandatory)][string] $Path, [AllowNull()][AllowEmptyString()][string] $Key)
    if ($null -ne $script:EventWriter) { $script:EventWriter.Dispose() }
    $script:EventWriter = $null
    $script:EventsPath = $Path
    try {
        $script:EventWriter = [ExoConnectRunner.Native.EventWriter]::new($Path, $Key)
    } catch {
        # A key that is not base64: the events are written unsigned (the action ignores them), so
        # that the error about it still reaches the events file's reader and the log.
        $script:EventWriter = [ExoConnectRunner.Native.EventWriter]::new($Path, $null)
        throw
    }
}

function Write-RunnerEvent {
    # The event's JSON from compiled code when its values are plain (EventWriter.TryWrite: text,
    # numbers, dates, lists and tables of them), as every event the runner writes today is; anything
    # else as ConvertTo-Json writes it. The cmdlet's first call in a run cost 12-25 ms. Static calls:
    # the teardown's events come after the script, whose type data could stand in for the writer's
    # members.
    param([Parameter(Mandatory)][hashtable] $Data)
    if (-not [ExoConnectRunner.Native.EventWriter]::TryAppend($script:EventWriter, $Data)) {
        [ExoConnectRunner.Native.EventWriter]::Append($script:EventWriter, (& $SafeCommands['ConvertTo-Json'] -InputObject $Data -Compress -Depth 5))
    }
}

function Write-RunFile {
    # A file of the run directory that is written after the script ran (result.json, plan.txt):
    # what is at the path is removed, and a new file made, so that nothing the script put there
    # (a named pipe would block the write) is written through. Returns the SHA-256 of what it
    # wrote, which the run's signed events carry: the action reads the file only if it still has
    # it. Compiled (Native/RunFile.cs): as script, its .NET calls' first runs cost every run milliseconds.
    param([Parameter(Mandatory)][string] $Path, [Parameter(Mandatory)][AllowEmptyString()][string] $Text)
    [ExoConnectRunner.Native.RunFile]::Write($Path, $Text)
}

function Get-ErrorFacts {
    # With -ScriptPath, the position is the user's line: an error raised inside a module function
    # (the module's proxies are functions) carries the module's position in InvocationInfo, and
    # the user's line only in the script stack trace.
    param([Parameter(Mandatory)] $Record, [string] $ScriptPath)
    $facts = @{
        message  = & $Own['Limit-Text'] -Text ([string]$Record.Exception.Message) -Length $script:EventTextLimit
        category = [string]$Record.CategoryInfo.Category
        # throw "text" makes the text its id: held secrets hidden, and cut as the message is, or a
        # long text would make the event longer than the action reads (its line would be dropped).
        errorId  = & $Own['Limit-Text'] -Text ([string]$Record.FullyQualifiedErrorId) -Length $script:EventTextLimit
        type     = $Record.Exception.GetType().FullName
    }
    # A command "not recognized" that this session has was called where the connection's cmdlets
    # are not: ForEach-Object -Parallel, Start-ThreadJob and Start-Job run blocks in runspaces (or
    # processes) of their own. A job's record comes back as a RemoteException with the same id.
    # Only what is loaded is looked at: a look-up by name would import a module to find the name.
    $name = [string]$Record.CategoryInfo.TargetName
    if ($facts['errorId'] -like 'CommandNotFoundException*' -and $name -and -not [System.Management.Automation.WildcardPattern]::ContainsWildcardCharacters($name)) {
        $items = $ExecutionContext.SessionState.InvokeProvider.Item
        $found = $items.Exists("function:$name", $false, $true) -or $items.Exists("alias:$name", $false, $true)
        if (-not $found) { foreach ($module in & $SafeCommands['Get-Module']) { if ($module.ExportedCmdlets.ContainsKey($name)) { $found = $true; break } } }
        $facts['commandInSession'] = $found
    }
    $info = $Record.InvocationInfo
    if ($null -ne $info -and $info.ScriptName) {
        $facts['file'] = $info.ScriptName
        $facts['line'] = $info.ScriptLineNumber
    }
    if ($ScriptPath -and $facts['file'] -ne $ScriptPath) {
        foreach ($frame in ([string]$Record.ScriptStackTrace -split "`n")) {
            $at = $frame.LastIndexOf(': line ', [System.StringComparison]::Ordinal)
            if ($at -gt 0 -and $frame.Substring(0, $at).EndsWith($ScriptPath, [System.StringComparison]::Ordinal)) {
                # Where it was raised stays known: another script of the user's, which the action
                # annotates when it is in the workspace, or a module's file, which it does not.
                if ($facts.ContainsKey('file')) {
                    $facts['originFile'] = $facts['file']
                    $facts['originLine'] = $facts['line']
                }
                $facts['file'] = $ScriptPath
                $facts['line'] = [int]$frame.Substring($at + 7).Trim()
                break
            }
        }
    }
    # Write-Error in a script function: InvocationInfo is the function's call, and the line that
    # wrote the error (a helper the script dot-sources, say) is the stack's first frame.
    if ($Record.FullyQualifiedErrorId -like 'Microsoft.PowerShell.Commands.WriteErrorException*' -and -not $facts.ContainsKey('originFile')) {
        $first = ([string]$Record.ScriptStackTrace -split "`n")[0]
        $at = $first.LastIndexOf(': line ', [System.StringComparison]::Ordinal)
        $comma = $first.IndexOf(', ', [System.StringComparison]::Ordinal)
        if ($at -gt 0 -and $comma -gt 0 -and $comma -lt $at) {
            $file = $first.Substring($comma + 2, $at - $comma - 2)
            $line = 0
            # A script block made from text (Invoke-Expression) has no file: "<No file>".
            if ([System.IO.Path]::IsPathRooted($file) -and $file -ne $facts['file'] -and [int]::TryParse($first.Substring($at + 7).Trim(), [ref]$line)) {
                $facts['originFile'] = $file
                $facts['originLine'] = $line
            }
        }
    }
    # A refusal that names a line of the user's script (it does not parse; ScriptParameters.ps1).
    if ($Record.Exception.Data.Contains('scriptLine')) {
        $facts['file'] = [string]$Record.Exception.Data['scriptFile']
        $facts['line'] = [int]$Record.Exception.Data['scriptLine']
    }
    $facts
}
#endregion

#region Private/Phases.ps1
# Each phase is a collapsible group in the log that ends with its duration, and a pair of events.

$script:CurrentPhase = 'module'
# The process's stdout, as the module found it: the script may replace [Console]::Out (SetOut)
# and close what it put there.
$script:StartOut = [Console]::Out

function Write-RunnerLog {
    # A line of the runner's own log, straight to stdout, where the script's output goes too. A
    # line that cannot be written never stops the runner (its teardown least of all).
    param([Parameter(Mandatory)][AllowEmptyString()][string] $Line)
    try {
        [Console]::Out.WriteLine($Line)
    } catch {
        try { $script:StartOut.WriteLine($Line) } catch { $null = $_ }
    }
}

function Write-RunnerAnnotation {
    # A warning or notice the Actions runner shows beside the job, not only inside a collapsed group.
    # The message is one line, and '%' is escaped as the runner reads the command's data.
    # https://docs.github.com/actions/reference/workflows-and-actions/workflow-commands
    param([Parameter(Mandatory)][ValidateSet('warning', 'notice')][string] $Kind, [Parameter(Mandatory)][string] $Message)
    # Through $Own: the teardown warns too, after the user's script ran (see ExoConnectRunner.psm1).
    & $Own['Write-RunnerLog'] ("::${Kind}::" + (& $Own['ConvertTo-LogLine'] $Message).Replace('%', '%25'))
}

function Measure-Phase {
    param([Parameter(Mandatory)][string] $Name, [Parameter(Mandatory)][string] $Title, [Parameter(Mandatory)][scriptblock] $Body)
    $script:CurrentPhase = $Name
    Write-RunnerEvent @{ event = 'phase'; name = $Name; status = 'start' }
    & $Own['Write-RunnerLog'] "::group::$Title"
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    $told = $false
    try {
        . $Body
        # Through $Own: the Script phase ends after the user's script ran (see ExoConnectRunner.psm1).
        & $Own['Write-RunnerEvent'] @{ event = 'phase'; name = $Name; status = 'end'; ms = [ExoConnectRunner.Native.PSValue]::Milliseconds($clock) }
        & $Own['Write-RunnerLog'] "$Name took $([ExoConnectRunner.Native.PSValue]::Milliseconds($clock)) ms"
        $told = $true
    } catch {
        & $Own['Write-RunnerEvent'] @{ event = 'phase'; name = $Name; status = 'failed'; ms = [ExoConnectRunner.Native.PSValue]::Milliseconds($clock) }
        & $Own['Write-RunnerLog'] "$Name failed after $([ExoConnectRunner.Native.PSValue]::Milliseconds($clock)) ms"
        $told = $true
        throw
    } finally {
        # A stop (script-timeout, a cancel) reaches no catch: its phase's time is told here.
        if (-not $told) {
            & $Own['Write-RunnerEvent'] @{ event = 'phase'; name = $Name; status = 'stopped'; ms = [ExoConnectRunner.Native.PSValue]::Milliseconds($clock) }
            & $Own['Write-RunnerLog'] "$Name stopped after $([ExoConnectRunner.Native.PSValue]::Milliseconds($clock)) ms"
        }
        & $Own['Write-RunnerLog'] '::endgroup::'
    }
}

function Get-ConnectTitle {
    param([Parameter(Mandatory)] $Config)
    $c = $Config.connection
    $where = Get-ConfigValue $c 'organization'
    if ($c.target -eq 'exchange-server') { $where = Get-ConfigValue $c 'connectionUri' }
    $version = 'remote session'
    if ($null -ne $script:ExchangeModule) { $version = "$($script:ExchangeModule.Name) $([ExoConnectRunner.Native.ModuleFacts]::VersionText($script:ExchangeModule))" }
    $target = $c.target
    $listed = Get-ConfigValue $Config 'connections'
    if ($null -ne $listed -and @($listed).Count -gt 1) { $target = (@($listed) | & $SafeCommands['ForEach-Object'] { $_.connection.target }) -join ' + ' }
    $delegated = Get-ConfigValue $c 'delegatedOrganization'
    if ($delegated) { $where = "$where for $delegated (delegated-organization)" }
    # A server is not in a Microsoft cloud: environment says nothing about it.
    if ($c.target -eq 'exchange-server') { return "Connect: $target, $where, auth $($c.authMethod), $version" }
    "Connect: $target, $($c.environment), $where, auth $($c.authMethod), $version"
}
#endregion

#region Private/ModuleProvisioning.ps1
# ExchangeOnlineManagement: choose the copy to load, and import exactly that copy; when the pinned
# release is not there yet, ModuleSave.ps1 saves it into the action's private directory.

# How this run got the module it saved, for the log's module line: { installer, ms } when it saved
# it, { installer = $null, ms } when another run saved it while this one waited ms for it; $null
# when it saved none.
$script:ModuleSave = $null

function Get-ModuleCopy {
    # Reads each copy's manifest as data: Get-Module -ListAvailable lists a copy that needs a newer
    # PowerShell as version 0.0, which would hide why it cannot load. A computed entry keeps what
    # Get-Module read. A prerelease keeps its label in the manifest (PrivateData.PSData.Prerelease),
    # not in ModuleVersion or its folder's name:
    # https://learn.microsoft.com/powershell/gallery/concepts/module-prerelease-support
    param([Parameter(Mandatory)][string] $Name)
    foreach ($listed in & $SafeCommands['Get-Module'] -ListAvailable -Name $Name) {
        $copy = [pscustomobject]@{ Version = $listed.Version; Prerelease = (Get-PrereleaseLabel -Module $listed); PowerShellVersion = $listed.PowerShellVersion; Path = $listed.Path }
        if ($listed.Path -like '*.psd1') {
            # A manifest the runner cannot read keeps what Get-Module read.
            try {
                $manifest = Read-ManifestData -Path $listed.Path
                if ($manifest.ModuleVersion) { $copy.Version = [version]$manifest.ModuleVersion }
                if ($manifest.PowerShellVersion) { $copy.PowerShellVersion = [version]$manifest.PowerShellVersion }
                if ($manifest.Prerelease) { $copy.Prerelease = ConvertTo-PrereleaseLabel $manifest.Prerelease }
            } catch {
                & $SafeCommands['Write-Verbose'] "$($listed.Path): $($_.Exception.Message)"
            }
        }
        $copy
    }
}

function Get-ModuleVersionText {
    # The version that runs, with its prerelease label, as Join-VersionLabel writes it. Compiled
    # (Native/ModuleFacts.cs), as are the pinned import's other reads of the module.
    param([Parameter(Mandatory)][System.Management.Automation.PSModuleInfo] $Module)
    [ExoConnectRunner.Native.ModuleFacts]::VersionText($Module)
}

function Join-VersionLabel {
    # A version with its prerelease label, as module-version writes it: 3.10.0-Preview1, or 3.10.0.
    # A manifest that names no version (empty, damaged, or computed) gives ''.
    param([Parameter(Mandatory)][AllowNull()] $Version, [AllowEmptyString()][string] $Label)
    if ($Label) { return "$Version-$Label" }
    [string]$Version
}

function Get-PrereleaseLabel {
    # A loaded or listed module's prerelease label, '' for a release (Native/ModuleFacts.cs).
    param([Parameter(Mandatory)][System.Management.Automation.PSModuleInfo] $Module)
    [ExoConnectRunner.Native.ModuleFacts]::PrereleaseLabel($Module)
}

function ConvertTo-PrereleaseLabel {
    # As PowerShellGet reads a manifest's Prerelease: without spaces or a leading '-'.
    param([AllowNull()] $Value)
    [ExoConnectRunner.Native.ModuleFacts]::Label($Value)
}

function Read-ManifestData {
    # ModuleVersion, PowerShellVersion and PrivateData.PSData.Prerelease of a module manifest, read
    # from its syntax tree. Import-PowerShellDataFile refuses a whole manifest when any of its
    # entries is computed, and ExchangeOnlineManagement's own picks its RootModule with an if
    # statement on $PSEdition. An entry that is missing or not a constant reads as $null.
    param([Parameter(Mandatory)][string] $Path)
    $tokens = $null
    $errors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseFile($Path, [ref]$tokens, [ref]$errors)
    # The manifest's own table: the first in the file, as the search goes outside in.
    $manifest = $ast.Find({ param($node) $node -is [System.Management.Automation.Language.HashtableAst] }, $false)
    $psData = Get-ManifestEntry -Table (Get-ManifestEntry -Table $manifest -Name 'PrivateData') -Name 'PSData'
    @{
        ModuleVersion     = Get-ManifestConstant (Get-ManifestEntry -Table $manifest -Name 'ModuleVersion')
        PowerShellVersion = Get-ManifestConstant (Get-ManifestEntry -Table $manifest -Name 'PowerShellVersion')
        Prerelease        = Get-ManifestConstant (Get-ManifestEntry -Table $psData -Name 'Prerelease')
    }
}

function Get-ManifestEntry {
    # The expression an entry of a manifest's table holds (names compared without case), or $null.
    param([AllowNull()] $Table, [Parameter(Mandatory)][string] $Name)
    if ($Table -isnot [System.Management.Automation.Language.HashtableAst]) { return $null }
    foreach ($pair in $Table.KeyValuePairs) {
        if ($pair.Item1 -is [System.Management.Automation.Language.StringConstantExpressionAst] -and $pair.Item1.Value -eq $Name) {
            if ($pair.Item2 -is [System.Management.Automation.Language.PipelineAst]) { return $pair.Item2.GetPureExpression() }
            return $null
        }
    }
    $null
}

function Get-ManifestConstant {
    param([AllowNull()] $Expression)
    if ($Expression -isnot [System.Management.Automation.Language.ExpressionAst]) { return $null }
    try { $Expression.SafeGetValue() } catch { $null }
}

function Select-ModuleCopy {
    # The copies that satisfy module-version. A pinned version is matched with its prerelease label,
    # or with none: 3.9.0-Preview1 is not 3.9.0. latest means the newest release, so only a copy this
    # action saved (today's cache) counts; installed takes whatever the image has.
    param([Parameter(Mandatory)] $Module, [AllowEmptyCollection()][object[]] $Copies = @())
    $wanted = $Module.version
    $label = ''
    $dash = $wanted.IndexOf([char]'-')
    if ($dash -ge 0) {
        $label = $wanted.Substring($dash + 1)
        $wanted = $wanted.Substring(0, $dash)
    }
    # Inside the save's folder, not only named like it: latest-<day> is a prefix of another feed's latest-<day>-<key>.
    $savedFolder = ''
    if ($Module.version -eq 'latest') { $savedFolder = ([string]$Module.path).TrimEnd([char[]]@('/', '\')) + [System.IO.Path]::DirectorySeparatorChar }
    foreach ($copy in $Copies) {
        if ($Module.version -eq 'installed') { $copy }
        elseif ($Module.version -eq 'latest') { if ($copy.Path.StartsWith($savedFolder, [System.StringComparison]::OrdinalIgnoreCase)) { $copy } }
        elseif ($copy.Version -eq [version]$wanted -and $copy.Prerelease -eq $label) { $copy }
    }
}

# The module Import-ExchangeModule imported; $null for Exchange Server, which needs none.
$script:ExchangeModule = $null

function Import-ExchangeModule {
    param([Parameter(Mandatory)] $Module)
    $script:ModuleSave = $null
    if ($Module.version -ne 'installed') { $env:PSModulePath = $Module.path + [System.IO.Path]::PathSeparator + $env:PSModulePath }
    $imported = Import-PinnedModule -Module $Module
    if ($null -eq $imported) { $imported = Import-ListedModule -Module $Module }
    $script:ExchangeModule = $imported
    # Register-ExchangeCommand and Get-ModuleVersionText, compiled.
    [ExoConnectRunner.Native.ModuleFacts]::RegisterCommands($imported, $script:ExchangeCommandNames, $script:SafeCommands)
    $version = [ExoConnectRunner.Native.ModuleFacts]::VersionText($imported)
    Write-RunnerEvent @{ event = 'module'; name = $Module.name; version = $version; path = $imported.ModuleBase }
    # The action saves the module's folder to the Actions cache after the script: what it held
    # before the script is reported now, for the action to compare (Get-FolderDigest).
    if ((Get-ConfigValue $Module 'digest') -eq $true -and $null -ne $Module.path -and [System.IO.Directory]::Exists($Module.path)) { Write-ModuleDigest -Folder $Module.path }
    # The one line that says which copy runs and where it came from; the action's Node side prints none.
    Write-RunnerLog (ConvertTo-LogLine "$($Module.name) $version from $($imported.ModuleBase) ($(Get-ModuleOrigin -Module $Module -Imported $imported))")
    if ($Module.version -eq 'installed') { Write-InstalledModuleNotice -Module $Module -Imported $imported -Version $version }
}

function Get-ModuleOrigin {
    param([Parameter(Mandatory)] $Module, [Parameter(Mandatory)][System.Management.Automation.PSModuleInfo] $Imported)
    if ($null -ne $script:ModuleSave) {
        if ($script:ModuleSave.installer) { return "saved from $($Module.repository) with $($script:ModuleSave.installer) in $($script:ModuleSave.ms) ms" }
        return "saved by another run on this runner, which this run waited $($script:ModuleSave.ms) ms for"
    }
    if ($Module.version -eq 'installed') { return 'found on PSModulePath, module-version installed' }
    $saved = Get-ConfigValue $Module 'path'
    if ($saved) {
        $saved = $saved.TrimEnd([char[]]@('/', '\')) + [System.IO.Path]::DirectorySeparatorChar
        if (($Imported.ModuleBase + [System.IO.Path]::DirectorySeparatorChar).StartsWith($saved, [System.StringComparison]::OrdinalIgnoreCase)) { return 'already saved, by an earlier run or from the Actions cache' }
    }
    'found on PSModulePath'
}

function Write-InstalledModuleNotice {
    # installed takes the newest copy the runner has, which may be a prerelease or older than the
    # release this action is tested with: either is worth a line beside the job.
    # Version: the imported copy's, with its prerelease label (Get-ModuleVersionText).
    param([Parameter(Mandatory)] $Module, [Parameter(Mandatory)][System.Management.Automation.PSModuleInfo] $Imported, [Parameter(Mandatory)][string] $Version)
    $tested = [string]$Module.testedVersion
    if (Get-PrereleaseLabel -Module $Imported) {
        Write-RunnerAnnotation -Kind 'notice' -Message "module-version installed runs $($Module.name) $Version, a prerelease: the newest copy on PSModulePath. To run a release, pin one, such as module-version $tested."
    }
    $testedNumber = $null
    if ([version]::TryParse($tested.Split('-')[0], [ref]$testedNumber) -and $Imported.Version -lt $testedNumber) {
        Write-RunnerAnnotation -Kind 'notice' -Message "module-version installed runs $($Module.name) $Version, older than $tested, the version this release of the action is tested with. Update the module on the runner, or pin module-version $tested."
    }
}

# Import-Module's error for a pinned copy it cannot load here: one that needs a newer PowerShell.
$script:PinnedModuleMisses = @(
    'Modules_InsufficientPowerShellVersion,Microsoft.PowerShell.Commands.ImportModuleCommand'
)

function Write-ModuleDigest {
    # The module-digest event for the folder the action may save to the Actions cache.
    param([Parameter(Mandatory)][string] $Folder)
    Import-RunnerFile -Path 'Private/ConcurrentSave.ps1'
    # saved: this run downloaded the copy (not another job on the runner, whose script ran meanwhile).
    $saved = $null -ne $script:ModuleSave -and [bool]$script:ModuleSave.installer
    try {
        Write-RunnerEvent @{ event = 'module-digest'; digest = Get-FolderDigest -Folder $Folder; saved = $saved }
    } catch {
        # No digest, no cache save: never a reason to fail the run.
        & $SafeCommands['Write-Verbose'] "module digest: $($_.Exception.Message)"
    }
}

function Import-PinnedModule {
    # A pinned release, as a cache hit leaves it: the copy PowerShell's own look-up would take (the
    # first <folder>/<name>/<version> on PSModulePath, the action's folder first), imported by its
    # path, reading no other copy's manifest. $null when there is none, when that copy is a
    # prerelease of the same version (its label is in the manifest, not the folder's name), or for
    # the miss above: Import-ListedModule then installs the release, or says which to pin.
    # Any other failure (the module's own code throwing, say) is the user's to see, as is. A
    # prerelease pin is left to Import-ListedModule too.
    param([Parameter(Mandatory)] $Module)
    if ($Module.version -eq 'latest' -or $Module.version -eq 'installed' -or $Module.version.Contains('-')) { return $null }
    # The first <folder>/<name>/<version>/<name>.psd1 on PSModulePath, and Test-PrereleaseManifest's
    # first test, compiled (Native/ModuleFacts.cs).
    $path = [ExoConnectRunner.Native.ModuleFacts]::FindPinnedCopy($env:PSModulePath, $Module.name, $Module.version)
    if ($null -eq $path -or ([ExoConnectRunner.Native.ModuleFacts]::MayNamePrerelease($path) -and (Test-PrereleaseManifest -Path $path))) { return $null }
    try {
        $imported = & $SafeCommands['Import-Module'] -Name $path -PassThru -DisableNameChecking -Global
    } catch {
        if ($script:PinnedModuleMisses -notcontains $_.FullyQualifiedErrorId) { throw }
        return $null
    }
    # A label the manifest computes shows only once loaded; the module's code has run by then:
    # say so, rather than run on it.
    $label = [ExoConnectRunner.Native.ModuleFacts]::PrereleaseLabel($imported)
    if ($label) {
        throw "$($Module.name) $($Module.version) at $($imported.ModuleBase) is the prerelease $($Module.version)-$label, not the release that module-version $($Module.version) asks for. Remove that copy from the runner, or pin module-version $($Module.version)-$label."
    }
    $imported
}

function Test-PrereleaseManifest {
    # Whether a manifest gives a prerelease label as a constant. A release's manifest usually has no
    # Prerelease entry at all, and reading its syntax tree costs each run about 20 ms before
    # Import-Module parses it again. So the tree is read only when the text has the word, or a
    # character that could spell the key another way: a backtick escape, or anything outside ASCII
    # (a comparison by culture ignores a soft hyphen). A label computed at import is caught after it
    # (Get-PrereleaseLabel).
    param([Parameter(Mandatory)][string] $Path)
    if (-not [ExoConnectRunner.Native.ModuleFacts]::MayNamePrerelease($Path)) { return $false }
    [bool](ConvertTo-PrereleaseLabel (Read-ManifestData -Path $Path).Prerelease)
}

function Find-RequestedCopy {
    # The copies on PSModulePath that module-version asks for.
    param([Parameter(Mandatory)] $Module)
    Select-ModuleCopy -Module $Module -Copies @(Get-ModuleCopy -Name $Module.name)
}

function Import-ModuleSaveFile {
    # The save's files (Save-ExchangeModule and what it calls), loaded for a save only (RunnerFiles.ps1).
    foreach ($file in @('Private/WindowsPowerShell.ps1', 'Private/ConcurrentSave.ps1', 'Private/FeedRegistration.ps1', 'Private/ModuleSave.ps1')) { Import-RunnerFile -Path $file }
}

function Import-ListedModule {
    # Every copy on PSModulePath, read as data, the one module-version asks for imported; installed
    # first when there is none.
    param([Parameter(Mandatory)] $Module)
    $candidates = @(Find-RequestedCopy -Module $Module)
    if ($candidates.Count -eq 0 -and $Module.version -ne 'installed') {
        Import-ModuleSaveFile
        Save-ExchangeModule -Module $Module
        $candidates = @(Find-RequestedCopy -Module $Module)
    }
    # The newest version; of one version, the release before a prerelease of it (SemVer), wherever
    # each is on PSModulePath.
    $candidates = @($candidates | & $SafeCommands['Sort-Object'] -Property @{ Expression = 'Version'; Descending = $true }, @{ Expression = { [bool]$_.Prerelease }; Descending = $false })
    if ($candidates.Count -eq 0) {
        if ($Module.version -eq 'installed') { throw "$($Module.name) is not installed, and module-version installed installs nothing. Use module-version $($Module.testedVersion) to install it." }
        throw "$($Module.name) $($Module.version) is not in $($Module.path) after the install."
    }
    $chosen = $candidates[0]
    if ($null -ne $chosen.PowerShellVersion -and $PSVersionTable.PSVersion -lt $chosen.PowerShellVersion) {
        throw "$($Module.name) $($chosen.Version) requires a minimum PowerShell version of $($chosen.PowerShellVersion); this runner has $($PSVersionTable.PSVersion). Pin module-version to a release that supports PowerShell $($PSVersionTable.PSVersion), such as $($Module.testedVersion) (tested with this release of the action), or use a newer PowerShell."
    }
    # The exact copy chosen, so that another one on the image's PSModulePath cannot win.
    & $SafeCommands['Import-Module'] -Name $chosen.Path -PassThru -DisableNameChecking -Global
}
#endregion

#region Private/CommandNames.ps1
# command-names: auto reads the script's syntax tree with PowerShell's own parser and requests
# only the cmdlets it names. Dynamic invocation cannot be read, so it falls back to all.

# Commands that write an item at a path given to them (New-Item function:Name, Set-Item alias:Name).
# Methods that run or look up a command by a name in a string (besides [scriptblock]::Create).
$script:CommandRunningMethods = @('InvokeScript', 'NewScriptBlock', 'AddCommand', 'AddScript', 'GetCommand', 'GetCmdlet', 'GetCommands', 'GetCommandName')

$script:DriveWriters = @('New-Item', 'ni', 'Set-Item', 'si', 'Copy-Item', 'copy', 'cp', 'cpi', 'Rename-Item', 'ren', 'rni', 'Move-Item', 'move', 'mi', 'mv')

function Find-RemoteCommandName {
    # The commands the script names that neither it defines nor this PowerShell has: the ones the
    # connection must load. Reason is set, and Names empty, when the script's commands cannot be known.
    # -Connected: asked after the connect, whose own modules (the generated one) now have its cmdlets.
    param([Parameter(Mandatory)] $Source, [switch] $Connected)
    $ast = $Source.Ast
    # A module the script imports by statement rather than by command may call any cmdlet: its
    # functions run in the session like the script's own. ExchangeOnlineManagement itself loads
    # none of the connection's cmdlets.
    # https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_using
    foreach ($using in $ast.UsingStatements) {
        if ($using.UsingStatementKind -ne [System.Management.Automation.Language.UsingStatementKind]::Module) { continue }
        $module = if ($null -ne $using.Name) { $using.Name.Value } else { [string]$using.ModuleSpecification }
        # using module @{ ModuleName = 'ExchangeOnlineManagement'; ... } names it too.
        $specified = $null
        if ($null -ne $using.ModuleSpecification) {
            foreach ($pair in $using.ModuleSpecification.KeyValuePairs) { if ([string]$pair.Item1.Extent.Text.Trim('''', '"') -eq 'ModuleName') { $specified = $pair.Item2.Extent.Text.Trim().Trim('''', '"') } }
        }
        if ($module -eq 'ExchangeOnlineManagement' -or $specified -eq 'ExchangeOnlineManagement') { continue }
        return [pscustomobject]@{ Reason = "line $($using.Extent.StartLineNumber) imports the module $module with using module, whose cmdlets are not read"; Names = @(); Local = @() }
    }
    # https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_requires
    if ($null -ne $ast.ScriptRequirements) {
        foreach ($required in $ast.ScriptRequirements.RequiredModules) {
            if ($required.Name -eq 'ExchangeOnlineManagement') { continue }
            $where = Get-RequiresLine -Source $Source -Name $required.Name
            return [pscustomobject]@{ Reason = "$($where.Text) requires the module $($required.Name) (#Requires -Modules), whose cmdlets are not read"; Names = @(); Local = @() }
        }
    }
    # The script's own functions: defined by a statement of the script itself (function
    # script:Name, a scope named or not), or written to the function: drive (${function:Name} = { },
    # New-Item function:Name). One defined only inside a block (if ($Offline) { function Get-Mailbox
    # { } }) may not be there when the script calls the name, and a read of the drive (Test-Path
    # function:\Get-Mailbox) defines nothing: their names are still requested.
    $defined = [System.Collections.Generic.List[string]]::new()
    foreach ($function in $ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.FunctionDefinitionAst] }, $true)) {
        if ($function.Parent -is [System.Management.Automation.Language.NamedBlockAst] -and $function.Parent.Parent -eq $ast) {
            $defined.Add(($function.Name -replace '^(global|script|local|private):', ''))
        }
    }
    foreach ($node in $ast.FindAll({ param($node) ($node -is [System.Management.Automation.Language.VariableExpressionAst] -and @('function', 'alias') -contains $node.VariablePath.DriveName) -or
                    ($node -is [System.Management.Automation.Language.StringConstantExpressionAst] -and $node.Value -match '^(function|alias):.') }, $true)) {
        $written = if ($node -is [System.Management.Automation.Language.VariableExpressionAst]) {
            $node.Parent -is [System.Management.Automation.Language.AssignmentStatementAst] -and $node.Parent.Left -eq $node
        } else {
            $node.Parent -is [System.Management.Automation.Language.CommandAst] -and $script:DriveWriters -contains $node.Parent.GetCommandName()
        }
        if (-not $written) { continue }
        $path = if ($node -is [System.Management.Automation.Language.VariableExpressionAst]) { $node.VariablePath.UserPath } else { $node.Value }
        if ($path -match '^alias:') { return [pscustomobject]@{ Reason = "line $($node.Extent.StartLineNumber) defines an alias through the alias: drive, whose cmdlets are not read"; Names = @(); Local = @() } }
        $defined.Add(($path -replace '^function:[\\/]?', ''))
    }
    # Methods that run a command by a name in a string, or look one up: [scriptblock]::Create,
    # $ExecutionContext.InvokeCommand's InvokeScript and GetCommand, [powershell]'s AddCommand.
    foreach ($call in $ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.InvokeMemberExpressionAst] }, $true)) {
        if ($call.Member -isnot [System.Management.Automation.Language.StringConstantExpressionAst]) { continue }
        $method = $call.Member.Value
        $runsCommands = $script:CommandRunningMethods -contains $method
        if (-not $runsCommands -and $method -eq 'Create' -and $call.Static -and $call.Expression -is [System.Management.Automation.Language.TypeExpressionAst]) {
            $runsCommands = $call.Expression.TypeName.GetReflectionType() -eq [scriptblock]
        }
        if ($runsCommands) {
            $operator = if ($call.Static) { '::' } else { '.' }
            return [pscustomobject]@{ Reason = "line $($call.Extent.StartLineNumber) calls $($call.Expression.Extent.Text)$operator$method(), which runs or looks up commands by a name the script does not write as a command"; Names = @(); Local = @() }
        }
    }
    $names = [System.Collections.Generic.List[string]]::new()
    $local = [System.Collections.Generic.List[string]]::new()
    foreach ($command in $ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.CommandAst] }, $true)) {
        $name = $command.GetCommandName()
        $line = $command.Extent.StartLineNumber
        # & { ... } and . { ... }: the block's own commands are read like the rest.
        if ($command.CommandElements[0] -is [System.Management.Automation.Language.ScriptBlockExpressionAst]) { continue }
        if ($command.InvocationOperator -eq [System.Management.Automation.Language.TokenKind]::Dot) {
            $what = if ($null -eq $name) { $command.CommandElements[0].Extent.Text } else { $name }
            return [pscustomobject]@{ Reason = "line ${line} dot-sources $what"; Names = @(); Local = @() }
        }
        if ($null -eq $name) { return [pscustomobject]@{ Reason = "line ${line} invokes a command whose name is computed"; Names = @(); Local = @() } }
        # Import-Module ExchangeOnlineManagement, as #Requires names it: the module is imported
        # already, and loads none of the connection's cmdlets.
        # One binding serves both checks that read a command's arguments.
        $binding = if (@('Import-Module', 'ipmo', 'Get-Command', 'gcm') -contains $name) { [System.Management.Automation.Language.StaticParameterBinder]::BindCommand($command, $true) }
        if (@('Import-Module', 'ipmo') -contains $name -and (Test-ExchangeModuleImport -Binding $binding)) { continue }
        if (@('Invoke-Expression', 'iex', 'Invoke-Command', 'icm', 'Import-Module', 'ipmo') -contains $name) { return [pscustomobject]@{ Reason = "line ${line} uses $name"; Names = @(); Local = @() } }
        # An alias the script makes names a cmdlet only where it runs: the name the script calls is not the cmdlet's.
        if (@('Set-Alias', 'sal', 'New-Alias', 'nal', 'Import-Alias', 'ipal') -contains $name) { return [pscustomobject]@{ Reason = "line ${line} defines aliases with $name, whose cmdlets are not read"; Names = @(); Local = @() } }
        # Another script's cmdlets are not read: called or dot-sourced, it may use any.
        if ($name -match '\.ps1$') { return [pscustomobject]@{ Reason = "line ${line} runs the script $name, whose cmdlets are not read"; Names = @(); Local = @() } }
        if ($name -match '[\\/]') { return [pscustomobject]@{ Reason = "line ${line} runs $name by its path, which may be a script whose cmdlets are not read"; Names = @(); Local = @() } }
        # Get-Command Set-Mailbox asks whether the session has the cmdlet (a role that grants it):
        # it is requested as if called, so that the answer is the one an interactive session gives.
        # A script or a path looked up is not run.
        $called = @($name)
        if (@('Get-Command', 'gcm') -contains $name) {
            $called = Get-ConstantArgument -Binding $binding -Parameter 'Name'
            if ($null -eq $called -or @($called | & $SafeCommands['Where-Object'] { [System.Management.Automation.WildcardPattern]::ContainsWildcardCharacters($_) }).Count -gt 0) {
                return [pscustomobject]@{ Reason = "line ${line} looks commands up with $name by other than their exact names"; Names = @(); Local = @() }
            }
            $called = @($called | & $SafeCommands['Where-Object'] { $_ -notmatch '\.ps1$|[\\/]' })
        }
        foreach ($name in $called) {
            if ($defined -contains $name -or $names.Contains($name) -or $local.Contains($name)) { continue }
            $present = @(& $SafeCommands['Get-Command'] -Name $name -ErrorAction SilentlyContinue)
            if ($present.Count -eq 0) { $names.Add($name); continue }
            $module = $present[0].Module
            # A native command, a cmdlet of PowerShell's core, or one of the runner's own names.
            if ($null -eq $module -or $module -eq $ExecutionContext.SessionState.Module) { continue }
            if ($module.Name -eq 'ExchangeOnlineManagement') { $local.Add($name); continue }
            # A command of a module from outside PowerShell's own folder (a helper module the runner
            # has, loaded when the script first calls it) may call any cmdlet of the connection.
            if (-not $Connected -and -not $module.ModuleBase.StartsWith($PSHOME, [System.StringComparison]::OrdinalIgnoreCase)) {
                return [pscustomobject]@{ Reason = "line ${line} calls $name of the module $($module.Name), whose cmdlets are not read"; Names = @(); Local = @() }
            }
        }
    }
    # Local: the module's own cmdlets the script names (Get-EXOMailbox and the like), which are
    # there before the connect and need nothing loaded; they explain an empty Names.
    [pscustomobject]@{ Reason = $null; Names = $names.ToArray(); Local = $local.ToArray() }
}

function Test-ExchangeModuleImport {
    # Whether an Import-Module command imports ExchangeOnlineManagement by its name, and nothing else.
    # Binding: StaticParameterBinder's binding of that command.
    param([Parameter(Mandatory)][AllowNull()] $Binding)
    $names = Get-ConstantArgument -Binding $Binding -Parameter 'Name'
    if ($null -eq $names -or @($names).Count -ne 1 -or $names[0] -ne 'ExchangeOnlineManagement') { return $false }
    foreach ($other in @('ModuleInfo', 'Assembly', 'FullyQualifiedName', 'PSSession', 'CimSession')) {
        if ($Binding.BoundParameters.ContainsKey($other)) { return $false }
    }
    $true
}

function Get-ConstantArgument {
    # The strings a parameter of a command is given as constants in the script's text ('Set-Mailbox',
    # or 'Get-Mailbox', 'Set-Mailbox'); $null when it is given anything else, or is not given.
    # https://learn.microsoft.com/dotnet/api/system.management.automation.language.staticparameterbinder
    # Binding: StaticParameterBinder's binding of the command (BindCommand).
    param([Parameter(Mandatory)][AllowNull()] $Binding, [Parameter(Mandatory)][string] $Parameter)
    if ($null -eq $Binding -or $Binding.BindingExceptions.Count -gt 0 -or -not $Binding.BoundParameters.ContainsKey($Parameter)) { return $null }
    $value = $Binding.BoundParameters[$Parameter].Value
    $elements = if ($value -is [System.Management.Automation.Language.ArrayLiteralAst]) { $value.Elements } else { @($value) }
    $strings = [System.Collections.Generic.List[string]]::new()
    foreach ($element in $elements) {
        if ($element -isnot [System.Management.Automation.Language.StringConstantExpressionAst]) { return $null }
        $strings.Add($element.Value)
    }
    , $strings.ToArray()
}

# The command-names list as the user wrote it; empty for all and auto.
$script:ListedCommandNames = @()

function Resolve-CommandName {
    # Sets $Connection.commandNames to the cmdlets to request, or $null for all of them.
    # Source: the script as Read-ScriptSource read it; auto and the prefix check read it.
    # All, the default, leaves it as it is; a list and auto each have a function of their own,
    # compiled only in the runs that ask for them.
    param([Parameter(Mandatory)] $Connection, [Parameter(Mandatory)][AllowNull()] $Source)
    $script:ListedCommandNames = @()
    $prefix = Get-ConfigValue $Connection 'prefix'
    if ($prefix -and $null -ne $Source) { Write-PrefixedModuleCommandWarning -Source $Source -Prefix $prefix }
    if ($Connection.commandNames -is [string] -and $Connection.commandNames -eq 'auto') {
        Resolve-AutoCommandName -Connection $Connection -Source $Source -Prefix $prefix
    } elseif ($Connection.commandNames) {
        Resolve-ListedCommandName -Connection $Connection -Prefix $prefix
    }
}

function Resolve-ListedCommandName {
    # command-names as a list. A listed name may be written as the script calls it, or as the
    # module names it.
    param([Parameter(Mandatory)] $Connection, [AllowNull()][string] $Prefix)
    $script:ListedCommandNames = @($Connection.commandNames)
    $Connection.commandNames = Get-RequestedName -Names $Connection.commandNames -Prefix $Prefix -KeepAsWritten
    $requested = @($Connection.commandNames)
    $added = foreach ($name in $requested) { if ($script:ListedCommandNames -notcontains $name) { $name } }
    if ($null -eq $added) {
        Write-RunnerLog "command-names: $(Format-Count $requested.Count 'cmdlet' 'cmdlets') requested: $($requested -join ', ')."
    } else {
        # Counted as listed: a name that carries the prefix is requested in both forms.
        Write-RunnerLog (ConvertTo-LogLine "command-names: $(Format-Count $script:ListedCommandNames.Count 'cmdlet' 'cmdlets') listed; with prefix $Prefix, a listed name that carries it is requested without it too: $($requested -join ', ').")
    }
}

function Resolve-AutoCommandName {
    # command-names auto: the cmdlets the script names, or all of them with the reason why.
    param([Parameter(Mandatory)] $Connection, [Parameter(Mandatory)][AllowNull()] $Source, [AllowNull()][string] $Prefix)
    $found = Find-RemoteCommandName -Source $Source
    $names = @($found.Names)
    if ($null -ne $found.Reason) {
        Write-RunnerLog (ConvertTo-LogLine "command-names auto: loading all cmdlets, because $($found.Reason).")
        Write-RunnerEvent @{ event = 'commands'; requested = 'all'; reason = $found.Reason }
        $Connection.commandNames = $null
    } elseif (@($found.Local).Count -gt 0 -and $names.Count -eq 0) {
        # Get-EXOMailbox and the module's other own cmdlets need none of the connection's. Requested
        # by name, they leave it nothing to load: -CommandName skips a name the service has not.
        $local = @($found.Local)
        Write-RunnerLog (ConvertTo-LogLine "command-names auto: the script calls only $($local -join ', '), which the ExchangeOnlineManagement module itself provides: the connection loads none of its other cmdlets.")
        Write-RunnerEvent @{ event = 'commands'; requested = $local.Count; names = $local }
        $Connection.commandNames = $local
    } elseif ($names.Count -eq 0) {
        Write-RunnerLog 'command-names auto: loading all cmdlets, because the script names none of the Exchange cmdlets.'
        Write-RunnerEvent @{ event = 'commands'; requested = 'all'; reason = 'no remote cmdlet named' }
        $Connection.commandNames = $null
    } else {
        $names = Get-RequestedName -Names $names -Prefix $Prefix
        Write-RunnerLog (ConvertTo-LogLine "command-names auto: $(Format-Count $names.Count 'cmdlet' 'cmdlets') requested: $($names -join ', ').")
        Write-RunnerEvent @{ event = 'commands'; requested = $names.Count; names = $names }
        $Connection.commandNames = $names
    }
}

function Write-PrefixedModuleCommandWarning {
    # -Prefix renames the cmdlets the connection loads, not the module's own (Get-EXOMailbox,
    # Get-ConnectionInformation and the like), which are there before the connect: the script's
    # Get-ContosoEXOMailbox fails as not recognized. Learn: Connect-ExchangeOnline, -Prefix.
    param([Parameter(Mandatory)] $Source, [Parameter(Mandatory)][string] $Prefix)
    $connect = $script:SafeCommands['Connect-ExchangeOnline']
    if ($null -eq $connect -or $null -eq $connect.Module) { return }
    $moduleCommands = $connect.Module.ExportedCommands
    # A function of the script's own by that name (a wrapper) is what the call reaches.
    $defined = foreach ($function in $Source.Ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.FunctionDefinitionAst] }, $true)) { $function.Name -replace '^\w+:', '' }
    $wrong = [System.Collections.Generic.List[string]]::new()
    foreach ($command in $Source.Ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.CommandAst] }, $true)) {
        $name = $command.GetCommandName()
        if (-not $name) { continue }
        $plain = Get-UnprefixedName -Name $name -Prefix $Prefix
        if ($null -eq $plain) { continue }
        $said = "$name (call $plain)"
        if ($moduleCommands.ContainsKey($plain) -and @($defined) -notcontains $name -and -not $wrong.Contains($said)) { $wrong.Add($said) }
    }
    if ($wrong.Count -eq 0) { return }
    Write-RunnerAnnotation -Kind 'warning' -Message "The script calls $($wrong -join ', '): prefix renames the cmdlets the connection loads, not the ExchangeOnlineManagement module's own (Get-EXOMailbox, Get-ConnectionInformation and the like), which keep their names, so these calls fail as not recognized."
}


function Get-RequestedName {
    # -CommandName takes the cmdlets' own names: with -Prefix Contoso the script calls
    # Get-ContosoMailbox, and Get-Mailbox is the name to request (Connect-ExchangeOnline, -Prefix).
    # -KeepAsWritten also requests each name as given, for a list whose names may be either.
    param([Parameter(Mandatory)][string[]] $Names, [AllowNull()][string] $Prefix, [switch] $KeepAsWritten)
    $requested = [System.Collections.Generic.List[string]]::new()
    # Command names are case-insensitive: each is requested once, as first written.
    $seen = [System.Collections.Generic.HashSet[string]]::new([System.StringComparer]::OrdinalIgnoreCase)
    foreach ($name in $Names) {
        $plain = Get-UnprefixedName -Name $name -Prefix $Prefix
        if ($null -ne $plain -and $seen.Add($plain)) { $requested.Add($plain) }
        if (($null -eq $plain -or $KeepAsWritten) -and $seen.Add($name)) { $requested.Add($name) }
    }
    , $requested.ToArray()
}

function Get-UnprefixedName {
    # Verb-Noun for Verb-<prefix>Noun, the name the connection gives a cmdlet with -Prefix
    # (Connect-ExchangeOnline, -Prefix); $null for a name that does not carry the prefix.
    param([Parameter(Mandatory)][string] $Name, [AllowNull()][string] $Prefix)
    $dash = $Name.IndexOf([char]'-')
    if (-not $Prefix -or $dash -lt 1) { return $null }
    $noun = $Name.Substring($dash + 1)
    if ($noun.Length -le $Prefix.Length -or -not $noun.StartsWith($Prefix, [System.StringComparison]::OrdinalIgnoreCase)) { return $null }
    $Name.Substring(0, $dash + 1) + $noun.Substring($Prefix.Length)
}

function Get-PrefixedName {
    # Verb-<prefix>Noun for Verb-Noun: the name the connection gives that cmdlet with -Prefix; a
    # name without a verb as it is.
    param([Parameter(Mandatory)][string] $Name, [Parameter(Mandatory)][string] $Prefix)
    $dash = $Name.IndexOf([char]'-')
    if ($dash -lt 1) { return $Name }
    $Name.Substring(0, $dash + 1) + $Prefix + $Name.Substring($dash + 1)
}

function Write-UnloadedCommandWarning {
    # Connect-ExchangeOnline -CommandName and Import-PSSession -CommandName skip a name the server
    # has not (a typo, or a cmdlet the role does not grant) without a word. A listed name the script
    # never calls does no harm by itself; what fails is each cmdlet the script calls that the list
    # left out, which the script's text names unless it invokes commands dynamically.
    param([AllowNull()][string] $Prefix, [Parameter(Mandatory)] $Source)
    # all and auto list nothing: auto requests what the script names.
    if (@($script:ListedCommandNames).Count -eq 0) { return }
    $unloaded = [System.Collections.Generic.List[string]]::new()
    foreach ($name in $script:ListedCommandNames) {
        $callable = @($name)
        if ($Prefix -and $name.IndexOf([char]'-') -gt 0) { $callable += Get-PrefixedName -Name $name -Prefix $Prefix }
        if (@(& $SafeCommands['Get-Command'] -Name $callable -ErrorAction SilentlyContinue).Count -gt 0) { continue }
        $unloaded.Add($name)
    }
    # Now that the connection has imported what it will, the script's commands this session lacks
    # are exactly those that fail as not recognized.
    $found = Find-RemoteCommandName -Source $Source -Connected
    $missing = @($found.Names)
    # With a prefix, the connection names a listed cmdlet with it: a call without it is not the list's fault.
    if ($Prefix -and $null -eq $found.Reason) {
        $unprefixed = @($missing | & $SafeCommands['Where-Object'] { $script:ListedCommandNames -contains $_ })
        if ($unprefixed.Count -gt 0) {
            $withPrefix = foreach ($name in $unprefixed) { Get-PrefixedName -Name $name -Prefix $Prefix }
            Write-RunnerAnnotation -Kind 'warning' -Message "The script calls $($unprefixed -join ', ') without the prefix ${Prefix}: with prefix set, the connection names them $($withPrefix -join ', '), so the calls fail as not recognized. Call them by those names, or leave prefix empty."
            $missing = @($missing | & $SafeCommands['Where-Object'] { $unprefixed -notcontains $_ })
        }
    }
    if ($unloaded.Count -eq 0) {
        # Every listed name is there; a cmdlet the script calls that the list left out is not.
        if ($null -ne $found.Reason -or $missing.Count -eq 0) { return }
        $fails = 'they fail'
        if ($missing.Count -eq 1) { $fails = 'it fails' }
        Write-RunnerAnnotation -Kind 'warning' -Message "command-names leaves out $($missing -join ', '), which the script calls and this session does not have: $fails as not recognized, unless the script installs or imports a module that has $(if ($missing.Count -eq 1) { 'it' } else { 'them' }). Add the Exchange cmdlets among them to command-names, or set it to auto, which requests the cmdlets the script names."
        return
    }
    $message = "command-names lists $($unloaded -join ', '), which the connection did not import: "
    if ($unloaded.Count -eq 1) { $message += "it is not a cmdlet of this connection (a typo?), or the Exchange role of the app or account does not grant it." }
    else { $message += "they are not cmdlets of this connection (typos?), or the Exchange role of the app or account does not grant them." }
    if ($null -ne $found.Reason) { $message += ' Cmdlets the script calls that the list leaves out fail as not recognized.' }
    elseif ($missing.Count -gt 0) { $message += " Cmdlets the script calls that the list leaves out fail as not recognized: $($missing -join ', ')." }
    Write-RunnerAnnotation -Kind 'warning' -Message $message
}
#endregion

#region Private/Connect.ps1
# Exchange Online and Security & Compliance: the connect parameters, retries of transient
# failures, and the connect itself.

function New-ConnectParameter {
    # The parameters to splat for one connection and its credentials. Compiled
    # (Native/ConnectParameters.cs): as script, its lines' first runs cost each run about 15 ms.
    param([Parameter(Mandatory)] $Connection, [Parameter(Mandatory)] $Credentials)
    try {
        [ExoConnectRunner.Native.ConnectParameters]::For($Connection, $Credentials)
    } catch [System.Management.Automation.MethodInvocationException] {
        # Its own message, without PowerShell's "Exception calling ..." around it.
        throw $_.Exception.InnerException
    }
}

function Test-TransientFailure {
    # An exception may carry no message at all: that is not transient.
    param([Parameter(Mandatory)][AllowEmptyString()][string] $Message)
    $Message -match '(?i)\b429\b|too many|throttl|temporarily|timed? ?out|\b50[0234]\b|shell was not found|maximum number of .*(sessions|connections)'
}

function Invoke-WithRetry {
    # Transient failures only (throttling, 5xx, time-outs, the session limit): exponential backoff
    # with jitter. Authentication and authorization failures are never retried. -AnyFailure retries
    # every failure, for a read that signs in to nothing.
    param([Parameter(Mandatory)][string] $What, [Parameter(Mandatory)][scriptblock] $Action, [int] $Retries, [switch] $AnyFailure)
    for ($attempt = 0; ; $attempt++) {
        try {
            return (& $Action)
        } catch {
            # `throw` here, in the catch: the record goes on as it came, its exception's type included.
            if (-not (Wait-BeforeRetry -What $What -Attempt $attempt -Retries $Retries -AnyFailure:$AnyFailure -Message ([string]$_.Exception.Message))) { throw }
        }
    }
}

function Wait-BeforeRetry {
    # Invoke-WithRetry's wait after a failure: $false when the failure is not to be retried. A
    # function of its own, so that a run whose first attempt succeeds never compiles it.
    param([Parameter(Mandatory)][string] $What, [int] $Attempt, [int] $Retries, [switch] $AnyFailure, [Parameter(Mandatory)][AllowEmptyString()][string] $Message)
    if ($Attempt -ge $Retries -or -not ($AnyFailure -or (Test-TransientFailure -Message $Message))) { return $false }
    $delay = [int]([math]::Pow(2, $Attempt) * 1000 + (& $SafeCommands['Get-Random'] -Maximum 500))
    $Message = Limit-Text -Text $Message -Length $script:EventTextLimit
    Write-RunnerEvent @{ event = 'retry'; attempt = $Attempt + 1; delayMs = $delay; cause = $Message }
    # A server's text: on one line, so it can carry no workflow command and split no secret.
    $failed = 'failed with a transient error'
    if ($AnyFailure) { $failed = 'failed' }
    Write-RunnerLog (ConvertTo-LogLine "$What $failed; retry $($Attempt + 1) of $Retries in $delay ms: $Message")
    & $SafeCommands['Start-Sleep'] -Milliseconds $delay
    $true
}

function Connect-Exchange {
    param([Parameter(Mandatory)] $Connection, [Parameter(Mandatory)] $Credentials, [int] $Retries)
    $parameters = New-ConnectParameter -Connection $Connection -Credentials $Credentials
    $name = 'Connect-ExchangeOnline'
    if ($Connection.target -eq 'security-compliance') { $name = 'Connect-IPPSSession' }
    $connect = Get-SafeCommand -Name $name
    Invoke-WithRetry -What $name -Retries $Retries -Action { & $connect @parameters }
    Set-Connected
    $info = Get-NewConnection -Command $name
    $organization = Get-ConfigValue $Connection 'organization'
    $reported = Get-ConfigValue $info 'Organization'
    if ($reported) { $organization = [string]$reported }
    # With delegated-organization (a partner's delegated access), the session works in the
    # customer's tenant: that is the organization it is connected to.
    $delegated = Get-ConfigValue $Connection 'delegatedOrganization'
    $reportedDelegated = Get-ConfigValue $info 'DelegatedOrganization'
    if ($reportedDelegated) { $delegated = [string]$reportedDelegated }
    if ($delegated) { $organization = $delegated }
    $connectionId = $null
    if ($null -ne $info) { $connectionId = [string](Get-ConfigValue $info 'ConnectionId') }
    Write-RunnerEvent @{ event = 'connected'; target = $Connection.target; command = $name; organization = $organization; connectionId = $connectionId }
    # Get-ConnectionInformation may not have answered (Get-NewConnection): then no connection id.
    $which = ''
    if ($connectionId) { $which = " (connection $connectionId)" }
    Write-RunnerLog (ConvertTo-LogLine "Connected to $($Connection.target) with $name`: $organization$which.")
}

function Get-NewConnection {
    # The connection that $Command just made, as Get-ConnectionInformation reports it (the last one
    # listed), for its organization and id. That reads the module's own record of its connections:
    # a failure is retried as a transient one, and one that lasts leaves the connection standing
    # (the teardown disconnects it) without those two facts, and a warning that says so.
    # https://learn.microsoft.com/powershell/module/exchange/get-connectioninformation
    param([Parameter(Mandatory)][string] $Command)
    $read = Get-SafeCommand -Name 'Get-ConnectionInformation'
    try {
        $listed = @(Invoke-WithRetry -What 'Get-ConnectionInformation' -Retries 2 -AnyFailure -Action { & $read -ErrorAction Stop })
        if ($listed.Count -gt 0) { $listed[$listed.Count - 1] }
    } catch {
        Write-RunnerAnnotation -Kind 'warning' -Message "$Command connected, but Get-ConnectionInformation then failed three times: $($_.Exception.Message) The script runs on the connection, and the teardown disconnects it; the log and the organization output name the organization input, and no connection id."
    }
}

function Connect-Workloads {
    # Exchange Online and/or Security & Compliance, in the order given, each with its own credential
    # entry (a token is issued for one workload). Each connect imports that workload's cmdlets; a
    # name both have comes from the one connected last, as in an interactive session with the
    # module, and the log names those cmdlets.
    param([Parameter(Mandatory)][object[]] $Connections, [AllowNull()] $CommandNames, [int] $Retries)
    foreach ($entry in $Connections) {
        if ($null -ne $entry.connection.PSObject.Properties['commandNames']) { $entry.connection.commandNames = $CommandNames }
    }
    # Which module each connect imported matters only when there are two of them: that part is a
    # function of its own, compiled only in the runs that connect both.
    if ($Connections.Count -gt 1) { Connect-BothWorkloads -Connections $Connections -Retries $Retries; return }
    Connect-Exchange -Connection $Connections[0].connection -Credentials $Connections[0].credentials -Retries $Retries
}

function Connect-BothWorkloads {
    # Connect-Workloads for two connections: each connected in turn, and the cmdlets both imported named.
    param([Parameter(Mandatory)][object[]] $Connections, [int] $Retries)
    $imported = @()
    foreach ($entry in $Connections) {
        $before = @(& $SafeCommands['Get-Module'] | & $SafeCommands['ForEach-Object'] { $_.Name })
        Connect-Exchange -Connection $entry.connection -Credentials $entry.credentials -Retries $Retries
        $new = @(& $SafeCommands['Get-Module'] | & $SafeCommands['Where-Object'] { $before -notcontains $_.Name })
        $imported += , @{ target = $entry.connection.target; names = @($new | & $SafeCommands['ForEach-Object'] { @($_.ExportedCommands.Keys) }) }
    }
    if ($imported.Count -lt 2) { return }
    # Ordinal: Sort-Object -Unique compares by culture, and in some (Thai) ignores the '-' of a name.
    $sorted = [System.Collections.Generic.SortedSet[string]]::new([System.StringComparer]::OrdinalIgnoreCase)
    foreach ($name in $imported[0].names) { if ($imported[1].names -contains $name) { [void]$sorted.Add($name) } }
    $shared = @($sorted)
    if ($shared.Count -eq 0) { return }
    Write-RunnerEvent @{ event = 'shared-commands'; from = $imported[1].target; names = $shared }
    Write-RunnerLog "$(Format-Count $shared.Count 'cmdlet exists' 'cmdlets exist') in both $($imported[0].target) and $($imported[1].target); the script gets $($imported[1].target)'s, connected last: $($shared -join ', ')."
}
#endregion

#region Private/ResultOutput.ps1
# The `result` output: the first objects the script returns, as one JSON array that stays within
# GitHub's limit for one output (1 MB). Objects are converted in batches as they arrive, and
# collecting stops at the first object that would pass the limit, so neither this process nor the
# action ever holds much more than that for `result`, however much the script returns. A string
# the script returns that is longer than ResultStringLimit is cut before it is converted (a 600 MB
# string would otherwise be copied twice over), with a marker that says how much went.
# The collector is compiled (Native/ResultCollector.cs), and writes a batch of plain items itself
# (text, numbers, dates, GUIDs, Select-Object's rows, tables and lists of those); ConvertTo-ResultJson
# converts any other batch.
# That runs while the user's script runs and after it, so it calls nothing by name: an alias the
# script defined would take a call by name (see ExoConnectRunner.psm1).

$script:ResultBytesLimit = 1000000
$script:ResultStringLimit = 100000
# One ConvertTo-Json call per batch: a call per object would cost more than the script's output.
$script:ResultBatch = 100

function New-ResultCollector {
    # Compiled (Native/ResultCollector.cs): as script, its small functions' first calls cost each
    # run tens of milliseconds. It calls back ConvertTo-ResultJson for each batch.
    param([int] $Limit, [int] $Depth = 4)
    [ExoConnectRunner.Native.ResultCollector]::new($Limit, $Depth, $script:ResultBytesLimit, $script:ResultStringLimit, $script:ResultBatch,
        ${function:ConvertTo-ResultJson}, ${function:ConvertTo-PortableJson}, $script:HeldSecrets)
}

function Add-ResultItem {
    # An object the script returned that the output stage did not add itself (see the collector's
    # Pending): the last of a batch, long text, or one at the limit.
    param($Collector, $Object)
    $Collector.Add($Object)
}

function ConvertTo-ResultJson {
    # The items' JSON without the array's brackets, as a table: json and depthCut, or failed (the
    # reason) when they cannot be converted. The array takes one level, so the items get
    # result-depth levels, as in result-file. It sets nothing on the collector, which reads the
    # table: ConvertTo-Json runs the objects' property getters, the script's code, which may leave
    # a language mode in which this function could set no property of it (Native/KeptLanguageMode.cs).
    param($Collector, [object[]] $Items)
    try {
        # The cmdlet, not the serializer it calls: a stop (script-timeout, a cancel) interrupts it.
        $json = & $Collector.ToJson -InputObject $Items -Depth ($Collector.Depth + 1) -Compress -WarningAction SilentlyContinue -WarningVariable depthWarnings
    } catch {
        return @{ failed = [string]$_.Exception.Message }
    }
    # Its only warning: the JSON is truncated past -Depth (PowerShell 7; Windows PowerShell 5.1 says nothing).
    @{ json = $json.Substring(1, $json.Length - 2); depthCut = $depthWarnings.Count -gt 0 }
}

function Get-ResultJson {
    param([Parameter(Mandatory)][ExoConnectRunner.Native.ResultCollector] $Collector)
    [ExoConnectRunner.Native.ResultCollector]::Finish($Collector).json
}
#endregion

#region Private/PortableJson.ps1
# `result` and result-file as JSON that reads the same from either shell. PowerShell 7's ConvertTo-Json
# writes dates as ISO 8601 strings; Windows PowerShell 5.1's writes "\/Date(1767323045000)\/" and
# turns a date from Get-Date into an object. Enums are written by name on both, not as numbers.
# Called while the user's script runs: through $Own, never by name (see ExoConnectRunner.psm1).

function ConvertTo-PortableJson {
    # ConvertTo-Json as `result` and result-file use it, the same on both shells.
    [CmdletBinding()]
    param([AllowNull()] $InputObject, [int] $Depth = 2, [switch] $Compress, [string] $Edition = $PSVersionTable.PSEdition)
    $convert = @{ Depth = $Depth; Compress = $Compress; WarningAction = 'SilentlyContinue' }
    if ($Edition -eq 'Core' -and $PSVersionTable.PSEdition -eq 'Core') {
        $convert['EnumsAsStrings'] = $true
        return (& $SafeCommands['ConvertTo-Json'] -InputObject $InputObject @convert)
    }
    & $SafeCommands['ConvertTo-Json'] -InputObject (& $Own['ConvertTo-PortableValue'] -Value $InputObject -Depth $Depth) @convert
}

function ConvertTo-PortableValue {
    # What PowerShell 7's ConvertTo-Json -EnumsAsStrings makes of a value, as plain data (strings,
    # numbers, ordered dictionaries, arrays) that 5.1's ConvertTo-Json writes the same way. Past
    # -Depth an object or a list stays as it is: both shells then write its string.
    param([AllowNull()] $Value, [Parameter(Mandatory)][int] $Depth, [int] $Level = 0)
    if ($null -eq $Value) { return $null }
    $base = $Value.PSObject.BaseObject
    # Database and PowerShell nulls, which PowerShell 7 writes as null.
    if ($base -is [System.DBNull] -or $base -is [System.Management.Automation.Language.NullString]) { return $null }
    # As Newtonsoft.Json, inside PowerShell 7's ConvertTo-Json, writes them (Native/JsonWriter.cs).
    if ($base -is [datetime]) { return $base.ToString([ExoConnectRunner.Native.JsonWriter]::IsoDateTime, [cultureinfo]::InvariantCulture) }
    if ($base -is [datetimeoffset]) { return $base.ToString([ExoConnectRunner.Native.JsonWriter]::IsoDateTimeOffset, [cultureinfo]::InvariantCulture) }
    if ($base -is [enum]) { return $base.ToString() }
    if ($base -is [string] -or $base -is [bool] -or $base -is [decimal] -or $base.GetType().IsPrimitive) {
        if ($base -is [char]) { return [string]$base }
        return $base
    }
    if ($base -is [guid]) { return $base.ToString() }
    if ($base -is [uri]) { return $base.OriginalString }
    if ($Level -gt $Depth) { return , $Value }
    if ($base -is [System.Collections.IDictionary]) {
        $table = [ordered]@{}
        # Entries, not .Keys and an index (see Get-RowProperties).
        foreach ($entry in $base.GetEnumerator()) { $table[[string]$entry.Key] = & $Own['ConvertTo-PortableValue'] -Value $entry.Value -Depth $Depth -Level ($Level + 1) }
        return $table
    }
    if ($base -is [System.Collections.IEnumerable]) {
        $items = [System.Collections.Generic.List[object]]::new()
        foreach ($item in $base) { $items.Add((& $Own['ConvertTo-PortableValue'] -Value $item -Depth $Depth -Level ($Level + 1))) }
        return , $items.ToArray()
    }
    $table = [ordered]@{}
    foreach ($property in $Value.PSObject.Properties) {
        if (-not $property.IsGettable) { continue }
        $item = $null
        try { $item = $property.Value } catch { $item = $null }
        $table[$property.Name] = & $Own['ConvertTo-PortableValue'] -Value $item -Depth $Depth -Level ($Level + 1)
    }
    $table
}
#endregion

#region Private/ScriptParameters.ps1
# The `parameters` input: JSON text, exactly as the workflow wrote it, becomes the hashtable the
# user's script is called with. Before anything connects, the script is read with PowerShell's own
# parser: it must parse, every key must be a parameter its param() block declares, every
# mandatory parameter must be set, since a workflow cannot answer PowerShell's prompt for one, and
# a value must convert to its parameter's declared type:
# https://learn.microsoft.com/powershell/scripting/developer/prog-guide/windows-powershell-api-parser
# What remains (a mandatory parameter given "" or null, parameter sets, a name given twice by
# alias, ValidateSet, ValidateRange and the like) PowerShell's own binder decides, case by case:
# the values are bound to a copy of the param() block that runs nothing (ScriptBinding.ps1).

# Parse errors about what is not loaded yet, rather than about the text.
$script:RunTimeParseErrors = @('TypeNotFound', 'ModuleNotFoundDuringParse')

function Get-ScriptParameterName {
    # The names the script's param() block declares, aliases included. Dynamic is set when a
    # dynamicparam block may add more than the file shows. Dictionaries: the names and aliases of
    # parameters typed as a dictionary ([hashtable], [System.Collections.IDictionary], or arrays of them).
    # Mandatory: for each mandatory parameter, its name and aliases; none when the block declares
    # parameter sets, where another set may leave it out. Typed: for each parameter with one type
    # that resolves now, before the Exchange module is imported, its names, the type and the type as
    # written.
    param([Parameter(Mandatory)] $Source)
    $ast = $Source.Ast
    $names = [System.Collections.Generic.List[string]]::new()
    $aliases = [System.Collections.Generic.List[string]]::new()
    $dictionaries = [System.Collections.Generic.List[string]]::new()
    $mandatory = [System.Collections.Generic.List[object]]::new()
    $typed = [System.Collections.Generic.List[object]]::new()
    $sets = $false
    if ($null -ne $ast.ParamBlock) {
        foreach ($parameter in $ast.ParamBlock.Parameters) {
            $name = $parameter.Name.VariablePath.UserPath
            $names.Add($name)
            $own = [System.Collections.Generic.List[string]]::new()
            $own.Add($name)
            $required = $false
            foreach ($attribute in $parameter.Attributes) {
                if ($attribute -is [System.Management.Automation.Language.AttributeAst] -and (Get-AttributeName $attribute) -eq 'Parameter') {
                    foreach ($argument in $attribute.NamedArguments) {
                        if ($argument.ArgumentName -eq 'ParameterSetName') { $sets = $true }
                        # Mandatory, Mandatory = $true, or a true constant such as Mandatory = 1.
                        if ($argument.ArgumentName -eq 'Mandatory' -and ($argument.ExpressionOmitted -or $argument.Argument.Extent.Text -eq '$true' -or
                                ($argument.Argument -is [System.Management.Automation.Language.ConstantExpressionAst] -and [bool]$argument.Argument.Value))) { $required = $true }
                    }
                }
                if ($attribute -isnot [System.Management.Automation.Language.AttributeAst] -or (Get-AttributeName $attribute) -ne 'Alias') { continue }
                foreach ($argument in $attribute.PositionalArguments) {
                    foreach ($value in $argument.FindAll({ param($node) $node -is [System.Management.Automation.Language.StringConstantExpressionAst] }, $true)) {
                        $aliases.Add($value.Value)
                        $own.Add($value.Value)
                    }
                }
            }
            if ($required) { $mandatory.Add($own.ToArray()) }
            $declaredType = Get-CheckableType -Parameter $parameter
            if ($null -ne $declaredType) { $typed.Add([pscustomobject]@{ Names = $own.ToArray(); Name = $name; Type = $declaredType.Type; Written = $declaredType.Written }) }
            $type = $parameter.StaticType
            if ($type.IsArray) { $type = $type.GetElementType() }
            if ([System.Collections.IDictionary].IsAssignableFrom($type)) { $dictionaries.AddRange($own) }
        }
    }
    $mandatoryNames = $mandatory.ToArray()
    if ($sets) { $mandatoryNames = @() }
    [pscustomobject]@{
        Names        = $names.ToArray()
        Aliases      = $aliases.ToArray()
        Dictionaries = $dictionaries.ToArray()
        HasBlock     = $null -ne $ast.ParamBlock
        Dynamic      = $null -ne $ast.DynamicParamBlock
        Mandatory    = $mandatoryNames
        Typed        = $typed.ToArray()
        ParamBlock   = $ast.ParamBlock
        AnyMandatory = $mandatory.Count -gt 0
    }
}

function Get-AttributeName {
    # An attribute's name as written, without its namespace or the Attribute suffix: Parameter for [System.Management.Automation.ParameterAttribute()].
    param([Parameter(Mandatory)][System.Management.Automation.Language.AttributeAst] $Attribute)
    $Attribute.TypeName.FullName -replace '^System\.Management\.Automation\.', '' -replace 'Attribute$', ''
}

function Get-CheckableType {
    # The type a parameter converts its value to, when it can be checked before the run: exactly one
    # type constraint, resolved now (a type of the Exchange module, or of a `using module`, is not
    # yet), and no attribute that converts the value itself ([Credential()], or one not loaded yet).
    # Anything else is left to PowerShell when the script is called.
    param([Parameter(Mandatory)][System.Management.Automation.Language.ParameterAst] $Parameter)
    # A loop, not Where-Object: a script given no parameters then calls no pipeline cmdlet here.
    $constraints = @(foreach ($attribute in $Parameter.Attributes) { if ($attribute -is [System.Management.Automation.Language.TypeConstraintAst]) { $attribute } })
    if ($constraints.Count -ne 1) { return $null }
    $type = $constraints[0].TypeName.GetReflectionType()
    if ($null -eq $type -or $type -eq [object]) { return $null }
    foreach ($attribute in $Parameter.Attributes) {
        if ($attribute -isnot [System.Management.Automation.Language.AttributeAst]) { continue }
        $attributeType = $attribute.TypeName.GetReflectionAttributeType()
        if ($null -eq $attributeType -or [System.Management.Automation.ArgumentTransformationAttribute].IsAssignableFrom($attributeType)) { return $null }
    }
    [pscustomobject]@{ Type = $type; Written = "[$($constraints[0].TypeName.FullName)]" }
}

function Read-ScriptParameter {
    # The hashtable to splat. Throws, naming the input, for a script that does not parse, that
    # requires what this PowerShell does not have, keys it does not declare, mandatory parameters
    # left unset, and values its types refuse. ExchangeModule: the module the action imports itself.
    # Each check is called only when the script has what it checks: a function's first call compiles
    # all of its text, which costs each run about 2 ms a kilobyte (docs/decisions/0010).
    param([Parameter(Mandatory)] $Script, [Parameter(Mandatory)] $Source, [string] $ExchangeModule = 'ExchangeOnlineManagement')
    if (@($Source.Errors).Count -gt 0) { Assert-ScriptSyntax -Script $Script -Source $Source }
    $requirements = $Source.Ast.ScriptRequirements
    if ($null -ne $requirements) { Assert-ScriptRequirement -Requirements $requirements -From $Script.input }
    if ($null -ne $requirements -or $Source.Ast.UsingStatements.Count -gt 0) { Assert-RequiredModulePresent -Script $Script -Source $Source -ExchangeModule $ExchangeModule }
    # '{}' is what the action sends when the input is empty. Most scripts declare no param() block
    # and are given no parameters: nothing more to check, and no declaration to read (this function
    # in a fresh pwsh took 70 to 122 ms before, 28 to 52 ms with this).
    if ($Script.parameters -eq '{}' -and $null -eq $Source.Ast.ParamBlock -and $null -eq $Source.Ast.DynamicParamBlock) { return @{} }
    Read-DeclaredParameter -Script $Script -Source $Source
}

function Read-DeclaredParameter {
    # Read-ScriptParameter's part for a script that declares parameters or is given some.
    param([Parameter(Mandatory)] $Script, [Parameter(Mandatory)] $Source)
    $declared = Get-ScriptParameterName -Source $Source
    $parameters = @{}
    if ($Script.parameters -ne '{}') { $parameters = ConvertTo-Hashtable (ConvertFrom-RunnerJson -Text $Script.parameters) }
    foreach ($key in @($parameters.Keys)) {
        if ($declared.Dictionaries -contains $key) { $parameters[$key] = ConvertTo-DictionaryValue $parameters[$key] }
    }
    # A dynamicparam block may add names and sets that the file does not show.
    if (-not $declared.Dynamic) {
        Assert-MandatorySet -Declared $declared -Parameters $parameters
        Assert-DeclaredKey -Declared $declared -Parameters $parameters
    }
    Assert-ParameterType -Declared $declared -Parameters $parameters
    if (-not $declared.Dynamic -and $declared.HasBlock -and ($parameters.Count -gt 0 -or $declared.AnyMandatory)) {
        Import-RunnerFile -Path 'Private/ScriptBinding.ps1'
        Assert-ScriptBinding -ParamBlock $declared.ParamBlock -Parameters $parameters
    }
    $parameters
}

function Assert-ScriptSyntax {
    # The parser's first error, as a refusal that names the input. A type or a `using module` that
    # only the run loads (the Exchange module's, say) is not a syntax error: PowerShell resolves it
    # again when the script runs.
    param([Parameter(Mandatory)] $Script, [Parameter(Mandatory)] $Source)
    foreach ($syntaxError in @($Source.Errors)) {
        if ($script:RunTimeParseErrors -contains $syntaxError.ErrorId) { continue }
        $where = $syntaxError.Extent
        throw (New-ScriptRefusal -Message "Input '$($Script.input)': the script does not parse, so nothing was connected: line $($where.StartLineNumber), column $($where.StartColumnNumber): $($syntaxError.Message)" -Path $Script.path -Line $where.StartLineNumber)
    }
}

function New-ScriptRefusal {
    # A refusal of the script's input at a line of it: Get-ErrorFacts reads the file and line for an
    # annotation there, where a pull request shows it. Line: $null when the line is not known.
    param([Parameter(Mandatory)][string] $Message, [Parameter(Mandatory)][string] $Path, [AllowNull()] $Line)
    $refusal = [System.Management.Automation.RuntimeException]::new($Message)
    $refusal.Data['scriptFile'] = $Path
    if ($null -ne $Line) { $refusal.Data['scriptLine'] = [int]$Line }
    $refusal
}

function Assert-ScriptRequirement {
    # The script's #Requires -Version and -PSEdition, which PowerShell checks only as it starts the
    # script, once connected. A version is refused here only when its major or minor part is above
    # this PowerShell's; anything finer is left to PowerShell.
    # https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_requires
    param([AllowNull()] $Requirements, [Parameter(Mandatory)][string] $From)
    if ($null -eq $Requirements) { return }
    $current = $PSVersionTable.PSVersion
    $required = $Requirements.RequiredPSVersion
    if ($null -ne $required -and ($required.Major -gt $current.Major -or ($required.Major -eq $current.Major -and $required.Minor -gt $current.Minor))) {
        throw "Input '$From': the script has #Requires -Version $required, and this is PowerShell $current, so nothing was connected. Accepted: a script that runs on PowerShell $current (input 'shell' picks pwsh or powershell)."
    }
    $editions = @($Requirements.RequiredPSEditions)
    if ($editions.Count -gt 0 -and $editions -notcontains $PSEdition) {
        throw "Input '$From': the script has #Requires -PSEdition $($editions -join ', '), and this PowerShell is the $PSEdition edition, so nothing was connected. Accepted: shell: powershell (Windows PowerShell 5.1, Windows only) for a Desktop script, shell: pwsh for a Core one."
    }
}

function Assert-RequiredModulePresent {
    # A module the script requires besides the Exchange module (#Requires -Modules, using module)
    # that this PowerShell cannot find: PowerShell would refuse the script only once connected (and,
    # for exchange-server, after it took one of the account's sessions). Only its presence is
    # checked; a version it names is left to PowerShell, and so is a module named by its path.
    # https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_requires
    param([Parameter(Mandatory)] $Script, [Parameter(Mandatory)] $Source, [Parameter(Mandatory)][string] $ExchangeModule)
    $wanted = [System.Collections.Generic.List[object]]::new()
    if ($null -ne $Source.Ast.ScriptRequirements) {
        foreach ($required in $Source.Ast.ScriptRequirements.RequiredModules) {
            $wanted.Add(@{ Name = $required.Name; How = '#Requires -Modules'; Where = (Get-RequiresLine -Source $Source -Name $required.Name) })
        }
    }
    foreach ($using in $Source.Ast.UsingStatements) {
        if ($using.UsingStatementKind -ne [System.Management.Automation.Language.UsingStatementKind]::Module -or $null -eq $using.Name) { continue }
        $line = $using.Extent.StartLineNumber
        $wanted.Add(@{ Name = $using.Name.Value; How = 'using module'; Where = [pscustomobject]@{ Number = $line; Text = "line $line" } })
    }
    foreach ($module in $wanted) {
        $name = [string]$module.Name
        if (-not $name -or $name -eq $ExchangeModule -or $name.IndexOfAny([char[]]@('/', '\')) -ge 0 -or $name -match '\.(psd1|psm1|dll)$') { continue }
        if (@(& $SafeCommands['Get-Module'] -Name $name).Count -gt 0 -or @(& $SafeCommands['Get-Module'] -Name $name -ListAvailable).Count -gt 0) { continue }
        throw (New-ScriptRefusal -Message "Input '$($Script.input)': $($module.Where.Text) requires the module $name ($($module.How)), which is not installed on this runner (no folder on PSModulePath holds it), so nothing was connected. Accepted: install it in an earlier step (Install-PSResource -Name $name, or Save-PSResource to a folder on PSModulePath); or a script that does not require it." -Path $Script.path -Line $module.Where.Number)
    }
}

function Assert-ModuleRequirement {
    # A #Requires -Modules ExchangeOnlineManagement, or the script's own Import-Module of it
    # (Assert-ModuleImportVersion), with a version the imported copy does not meet, which
    # PowerShell would refuse only once connected. Checked after the import: module-version latest
    # and installed name no version before it.
    param([Parameter(Mandatory)] $Source, [Parameter(Mandatory)][System.Management.Automation.PSModuleInfo] $Module, [Parameter(Mandatory)][string] $From)
    Assert-ModuleImportVersion -Source $Source -Module $Module -From $From
    if ($null -eq $Source.Ast.ScriptRequirements) { return }
    foreach ($required in $Source.Ast.ScriptRequirements.RequiredModules) {
        if ($required.Name -ne $Module.Name) { continue }
        $unmet = Get-UnmetModuleVersion -Have $Module.Version -Required $required.RequiredVersion -Least $required.Version -Most $required.MaximumVersion
        if ($null -eq $unmet) { continue }
        $demand = @{ Required = "RequiredVersion $($unmet.Value)"; Least = "ModuleVersion $($unmet.Value), the least"; Most = "MaximumVersion $($unmet.Value), the most" }[$unmet.Kind]
        $where = Get-RequiresLine -Source $Source -Name $required.Name
        throw (New-ScriptRefusal -Message "Input '$From': $($where.Text) requires $($required.Name) $demand (#Requires -Modules), and module-version gave $(Get-ModuleVersionText -Module $Module), so nothing was connected. Accepted: module-version $($unmet.Wanted); or a #Requires that this version meets." -Path $Source.Path -Line $where.Number)
    }
}

function Assert-ModuleImportVersion {
    # The script's own Import-Module of the module, by its name, with a version (-RequiredVersion,
    # -MinimumVersion, -MaximumVersion, each a constant) that the imported copy does not meet. Once
    # connected, PowerShell would look for that version: not on the runner, the script fails at
    # that line; there, a second copy loads beside the connected one, and its cmdlets have no
    # connection. https://learn.microsoft.com/powershell/module/microsoft.powershell.core/import-module
    param([Parameter(Mandatory)] $Source, [Parameter(Mandatory)][System.Management.Automation.PSModuleInfo] $Module, [Parameter(Mandatory)][string] $From)
    $imports = $Source.Ast.FindAll({
            param($node)
            $node -is [System.Management.Automation.Language.CommandAst] -and @('Import-Module', 'ipmo', 'Microsoft.PowerShell.Core\Import-Module') -contains $node.GetCommandName()
        }, $true)
    foreach ($import in $imports) {
        $binding = [System.Management.Automation.Language.StaticParameterBinder]::BindCommand($import, $true)
        $names = Get-ConstantArgument -Binding $binding -Parameter 'Name'
        if ($null -eq $names -or $names -notcontains $Module.Name) { continue }
        # Constants only, and only what reads as a version: anything else is PowerShell's to refuse.
        $versions = @{ RequiredVersion = $null; MinimumVersion = $null }
        foreach ($parameter in @($versions.Keys)) {
            $given = Get-ConstantArgument -Binding $binding -Parameter $parameter
            $version = $null
            if ($null -ne $given -and [version]::TryParse($given[0], [ref]$version)) { $versions[$parameter] = $version }
        }
        $most = Get-ConstantArgument -Binding $binding -Parameter 'MaximumVersion'
        if ($null -ne $most) { $most = $most[0] }
        $unmet = Get-UnmetModuleVersion -Have $Module.Version -Required $versions['RequiredVersion'] -Least $versions['MinimumVersion'] -Most $most
        if ($null -eq $unmet) { continue }
        $demand = @{ Required = '-RequiredVersion'; Least = '-MinimumVersion'; Most = '-MaximumVersion' }[$unmet.Kind] + " $($unmet.Value)"
        $line = $import.Extent.StartLineNumber
        throw (New-ScriptRefusal -Message "Input '$From': line $line imports $($Module.Name) with $demand, and module-version gave $(Get-ModuleVersionText -Module $Module), which the action has imported and connected with, so nothing was connected. Accepted: module-version $($unmet.Wanted); or an Import-Module without a version, or none: the module is imported before the script runs." -Path $Source.Path -Line $line)
    }
}

function Get-UnmetModuleVersion {
    # The first of a script's version demands on the module that the imported version does not meet,
    # in this order: an exact version, the least, the most (a version, or N.* for any N.x). $null
    # when each is met or not made. Kind: Required, Least or Most; Value: the demand; Wanted: what
    # module-version would meet it.
    param([Parameter(Mandatory)][version] $Have, [AllowNull()][version] $Required, [AllowNull()][version] $Least, [AllowNull()][string] $Most)
    if ($null -ne $Required -and $Have -ne $Required) { return @{ Kind = 'Required'; Value = "$Required"; Wanted = "$Required" } }
    if ($null -ne $Least -and $Have -lt $Least) { return @{ Kind = 'Least'; Value = "$Least"; Wanted = "$Least or later, or latest" } }
    if ($Most -and (Test-AboveMaximum -Version $Have -Maximum $Most)) { return @{ Kind = 'Most'; Value = $Most; Wanted = "$Most or earlier" } }
    $null
}

function Test-AboveMaximum {
    # Whether a version is above a MaximumVersion: 3.5.0, or 3.* for any 3.x (the parts before the *).
    param([Parameter(Mandatory)][version] $Version, [Parameter(Mandatory)][string] $Maximum)
    if ($Maximum -match '^(\d+(?:\.\d+)*)\.\*$') {
        $prefix = @(foreach ($part in $Matches[1].Split('.')) { [int]$part })
        $parts = @($Version.Major, $Version.Minor, $Version.Build, $Version.Revision)
        for ($i = 0; $i -lt $prefix.Count; $i++) {
            if ($parts[$i] -ne $prefix[$i]) { return $parts[$i] -gt $prefix[$i] }
        }
        return $false
    }
    $limit = $null
    [version]::TryParse($Maximum, [ref]$limit) -and $Version -gt $limit
}

function Get-RequiresLine {
    # The #Requires comment that names a module: its line Number ($null when none is found; the
    # parser keeps no position for #Requires) and the Text that names it in a message ('line N').
    param([Parameter(Mandatory)] $Source, [Parameter(Mandatory)][string] $Name)
    foreach ($token in $Source.Tokens) {
        if ($token.Kind -eq [System.Management.Automation.Language.TokenKind]::Comment -and $token.Text -match '^#requires\s' -and $token.Text.IndexOf($Name, [System.StringComparison]::OrdinalIgnoreCase) -ge 0) {
            $line = $token.Extent.StartLineNumber
            return [pscustomobject]@{ Number = $line; Text = "line $line" }
        }
    }
    [pscustomobject]@{ Number = $null; Text = 'the script' }
}

function Assert-DeclaredKey {
    # A key the param() block does not declare would fail the call once connected.
    param([Parameter(Mandatory)] $Declared, [Parameter(Mandatory)][hashtable] $Parameters)
    if ($Parameters.Count -eq 0) { return }
    $known = @($Declared.Names) + @($Declared.Aliases)
    $unknown = @($Parameters.Keys | & $SafeCommands['Where-Object'] { $known -notcontains $_ } | & $SafeCommands['Sort-Object'])
    if ($unknown.Count -eq 0) { return }
    $keys = ($unknown | & $SafeCommands['ForEach-Object'] { "'$_'" }) -join ', '
    if (-not $Declared.HasBlock) {
        throw "Input 'parameters': the script has no param() block, so it takes no parameters, and parameters sets $keys. Accepted: no parameters, or a param() block in the script that declares them."
    }
    $list = '(none)'
    if (@($Declared.Names).Count -gt 0) { $list = @($Declared.Names) -join ', ' }
    $verb = 'is not a parameter'
    if ($unknown.Count -gt 1) { $verb = 'are not parameters' }
    throw "Input 'parameters': $keys $verb of the script. Accepted: the parameters its param() block declares: $list."
}

function Assert-ParameterType {
    # Converts each value as PowerShell will when it binds it (LanguagePrimitives, which parameter
    # binding uses), only to see that it can: the script still gets the value as written. A value
    # that cannot convert would fail the call once connected, naming no input.
    # https://learn.microsoft.com/dotnet/api/system.management.automation.languageprimitives.convertto
    param([Parameter(Mandatory)] $Declared, [Parameter(Mandatory)][hashtable] $Parameters)
    # No values, nothing to convert; and no Sort-Object, whose first call costs every such run.
    if ($Parameters.Count -eq 0) { return }
    foreach ($key in @($Parameters.Keys | & $SafeCommands['Sort-Object'])) {
        $parameter = @($Declared.Typed | & $SafeCommands['Where-Object'] { $_.Names -contains $key }) | & $SafeCommands['Select-Object'] -First 1
        if ($null -eq $parameter) { continue }
        $value = $Parameters[$key]
        # PowerShell binds a [bool] parameter from a Boolean or a number only, where ConvertTo would
        # take any string (the string "false" as $true): about_Booleans.
        if ($parameter.Type -eq [bool] -or $parameter.Type -eq [System.Nullable[bool]]) {
            $numeric = $value -is [int] -or $value -is [long] -or $value -is [double] -or $value -is [decimal]
            if (-not ($value -is [bool] -or $numeric -or ($null -eq $value -and $parameter.Type -ne [bool]))) {
                throw "Input 'parameters': `"$key`" is $(Format-ParameterValue $value), and `$$($parameter.Name) is $($parameter.Written), which PowerShell binds from true or false (or a number) only, so nothing was connected. Accepted: true or false, without quotes. A workflow_dispatch boolean input is one in toJSON(inputs.name); github.event.inputs holds it as a string."
            }
        }
        try {
            $null = [System.Management.Automation.LanguagePrimitives]::ConvertTo($value, $parameter.Type)
        } catch {
            # .NET's reason (a format, a range) may quote the whole value: cut as the value is.
            $reason = $_.Exception.GetBaseException().Message
            $reason = Limit-Text -Text $reason -Length 200
            throw "Input 'parameters': `"$key`" is $(Format-ParameterValue $value), which PowerShell cannot convert to $($parameter.Written), the type the script declares for `$$($parameter.Name) ($reason), so nothing was connected. Accepted: a value that converts to $($parameter.Written)."
        }
    }
}

function Format-ParameterValue {
    # A value of the parameters input, short, as JSON wrote it: a string in quotes, cut at a space
    # (Limit-Text), so a secret in it is whole, for the masking, or gone.
    param([AllowNull()] $Value)
    if ($null -eq $Value) { return 'null' }
    if ($Value -is [string]) { return "`"$(Limit-Text -Text $Value -Length 100)`"" }
    if ($Value -is [bool]) { return ([string]$Value).ToLowerInvariant() }
    if ($Value -is [System.Collections.IDictionary] -or $Value -is [System.Management.Automation.PSCustomObject]) { return 'an object' }
    if ($Value -is [array]) { return "an array of $($Value.Count) values" }
    [string]::Format([System.Globalization.CultureInfo]::InvariantCulture, '{0}', $Value)
}

function Assert-MandatorySet {
    # A mandatory parameter left unset would make PowerShell prompt for it, which a workflow cannot
    # answer: the script would fail once connected.
    param([Parameter(Mandatory)] $Declared, [Parameter(Mandatory)][hashtable] $Parameters)
    $missing = [System.Collections.Generic.List[string]]::new()
    foreach ($names in $Declared.Mandatory) {
        $set = $false
        foreach ($name in $names) { if ($Parameters.ContainsKey($name)) { $set = $true } }
        if (-not $set) { $missing.Add($names[0]) }
    }
    if ($missing.Count -eq 0) { return }
    $noun = 'parameter'
    if ($missing.Count -gt 1) { $noun = 'parameters' }
    throw "Input 'parameters': the script's mandatory $noun $($missing -join ', ') $(if ($missing.Count -gt 1) { 'are' } else { 'is' }) not set, so nothing was connected. Accepted: a JSON object that sets each mandatory parameter, such as {`"$($missing[0])`": ...}."
}

function ConvertTo-DictionaryValue {
    # A JSON object as an @{} literal makes it, nested objects included: a hashtable, which a
    # parameter typed [hashtable] binds (Exchange cmdlets take @{Add=...; Remove=...} values).
    param([AllowNull()] $Value)
    if ($Value -is [System.Management.Automation.PSCustomObject]) {
        $table = @{}
        foreach ($property in $Value.PSObject.Properties) { $table[$property.Name] = ConvertTo-DictionaryValue $property.Value }
        return $table
    }
    if ($Value -is [object[]]) { return , @(foreach ($item in $Value) { ConvertTo-DictionaryValue $item }) }
    $Value
}
#endregion

#region Private/UserScript.ps1
# The user's script: runs in this process with the inputs' preferences; its errors, exit code and
# output are captured. Every object it returns is counted and streamed to result-file as it
# arrives; only the first ResultLimit are kept, for the result output and the summary.

# Output is redirected, so PowerShell would format for 80 columns, cutting table cells and wrapping
# list values. The runner masks secrets line by line: a secret cut short or wrapped onto two lines
# would show. So the width is one that no value reaches (Int32.MaxValue is read as no width: 80).
$script:LogWidth = 100000
# With result-file set, the file holds every object the script returns; the log shows the first
# ones and a line with the count of the rest. Formatting a tenant's worth of rows for a log that
# nobody reads costs more than writing them to the file.
$script:LogObjectLimit = 20
# What Format-Table, Format-List, Format-Wide and Format-Custom write (FormatStartData,
# FormatEntryData, ...) derives from this class, internal to PowerShell: output for the log, not
# data. A test of the type's name for every object cost a third of the output stage's time
# (100,000 objects); a PowerShell without the class is tested by name ($script:FormatDataByName).
$script:FormatData = [psobject].Assembly.GetType('Microsoft.PowerShell.Commands.Internal.Format.FormatInfoData')
$script:FormatDataByName = $null -eq $script:FormatData
if ($script:FormatDataByName) { $script:FormatData = [void] }

function Read-ScriptSource {
    # The user's script, read and parsed once before anything connects: its parameters and
    # #Requires, the cmdlets it names and its text are read from this. PowerShell reads the file
    # again to run it, as pwsh -File does.
    param([Parameter(Mandatory)][string] $Path)
    $tokens = $null
    $errors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseFile($Path, [ref]$tokens, [ref]$errors)
    [pscustomobject]@{ Path = $Path; Ast = $ast; Tokens = $tokens; Errors = $errors; Text = $ast.Extent.Text }
}

function Invoke-UserScript {
    # Launcher: a script block made outside this module (runner.ps1), so that it belongs to the
    # global session state. A script started from inside a module runs in the module's session
    # state and sees its functions and variables; started through the launcher, it sees what a
    # plain `pwsh -File` would: the global scope, the imported cmdlets, its own parameters.
    param(
        [Parameter(Mandatory)] $Script,
        # The script as Read-ScriptSource read it.
        [Parameter(Mandatory)] $Source,
        [Parameter(Mandatory)][hashtable] $Parameters,
        [Parameter(Mandatory)][scriptblock] $Launcher,
        [Parameter(Mandatory)][string] $ResultPath,
        [int] $ResultLimit,
        [int] $ResultDepth = 4,
        # { path, format } for result-file, or $null.
        [AllowNull()] $ResultFile,
        # Where a what-if run's plan goes; empty for no plan.
        [string] $PlanPath = ''
    )
    $collected = New-ResultCollector -Limit $ResultLimit -Depth $ResultDepth
    # data and logLimit route each object past the result-file stage (ResultFile.ps1).
    # Its entries read and written by index ($state['errors']), as are the run's other tables here:
    # PowerShell compiles a rule for each distinct member name the first time it is used on a
    # table (about 0.6 ms each), and one rule serves an index for every key.
    $state = @{ errors = 0; returnedErrors = 0; objects = 0; exitCode = 0; failed = $false; data = $false; requested = $false; logLimit = $script:LogObjectLimit }
    # What the launcher saw of the script's end: Failed is its $? after the script.
    $launch = @{ Failed = $false }
    # result-file's and the plan's code, loaded now if this run needs it: never once the script has
    # started (RunnerFiles.ps1).
    $writer = $null
    if ($null -ne $ResultFile) {
        Import-RunnerFile -Path 'Private/ResultFile.ps1'
        $writer = Open-ResultFile -File $ResultFile -Depth $ResultDepth
    }
    if ($PlanPath -and $Script.whatIf) { Import-RunnerFile -Path 'Private/Plan.ps1' }
    # Before this function defines its own stages below: the teardown, which compares with it,
    # does not see them.
    $script:CommandsBeforeScript = Get-ScopeCommand

    # PowerShell started there (session.ts): moved only if it is elsewhere.
    if (-not [ExoConnectRunner.Native.GlobalState]::IsLocation($script:RunnerState, $Script.workingDirectory)) { & $SafeCommands['Set-Location'] -LiteralPath $Script.workingDirectory }
    # Functions in script modules (the module's generated proxies among them) read the global
    # preferences, and so does the script: set those, and put them back afterwards.
    $savedGlobal = @{ WhatIf = $global:WhatIfPreference; ErrorAction = $global:ErrorActionPreference }
    # Pipeline functions, not ForEach-Object, and lines written straight to stdout: with a million
    # lines of output this runs near the pace of a bare `pwsh -File` (ForEach-Object and Out-Default:
    # half). Each copies what it reads for every object into variables of its own in `begin`: a
    # variable of this function, read from theirs, is looked up by name at every read, which cost
    # about 0.6 microseconds an object for the first stage (a million lines, measured).
    # The first stage is named Out-Default on purpose. PowerShell runs a native command without
    # capturing its output when what follows is a command of that name, as when a plain
    # `pwsh -File` prints to the console. So a native command's stderr goes straight to the log on
    # both shells, and is never an error record: Windows PowerShell 5.1 would otherwise stop the
    # script at its first stderr line under error-action-preference Stop, where PowerShell 7 does
    # not (about_Redirection).
    # From the script's start on, the runner's own functions are called through $Own, not by name
    # (see ExoConnectRunner.psm1): an alias the script defines would otherwise take them over.
    # Only with result-file does a later stage ask whether an object is the script's data: without
    # it, this stage does no more per object than it must (a million lines pass through it).
    $routed = $null -ne $writer
    function Out-Default {
        begin {
            $routed = $routed
            $state = $state
            $collected = $collected
            $formatData = $script:FormatData
            $byName = $script:FormatDataByName
            $stringLimit = $script:ResultStringLimit
        }
        process {
            # $state['data']: whether what passes on is an object the script returned, for the stages after.
            if ($routed) { $state['data'] = $false }
            # Text, most of what a long run prints, is neither an error record nor formatting: asked once.
            if ($_ -isnot [string]) {
                if ($_ -is [System.Management.Automation.ErrorRecord]) {
                    if (@('NativeCommandError', 'NativeCommandErrorMessage') -contains $_.FullyQualifiedErrorId) {
                        # The script itself redirected a native command's stderr (2>&1): the line, as it was.
                        return [string]$_.Exception.Message
                    }
                    # A record the script returned (`catch { $_ }`, `$Error[0]`) is not an error, as under
                    # a plain `pwsh -File`, and not data either: in a .csv result-file it would take the
                    # columns of the rows after it. One line of the log, and a count for the action.
                    if (-not (& $Own['Test-ErrorStreamRecord'] $_)) {
                        $state['returnedErrors']++
                        return (& $Own['Format-ErrorLine'] -Record $_ -Facts $null)
                    }
                    $state['errors']++
                    $facts = $null
                    if ($state['errors'] -le 50) {
                        $facts = & $Own['Get-ErrorFacts'] $_ -ScriptPath $Script.path
                        & $Own['Write-RunnerEvent'] ($facts + @{ event = 'error'; phase = 'script'; terminating = $false })
                    }
                    # One line, not PowerShell's error view: that view wraps long messages, and a secret a
                    # server echoed, split across lines, escapes the log's masking.
                    return (& $Own['Format-ErrorLine'] -Record $_ -Facts $facts -ScriptPath $Script.path)
                }
                # Format-Table output is for the log only; it has no data to return.
                if ($_ -is $formatData -or ($byName -and $null -ne $_ -and $_.GetType().FullName -like 'Microsoft.PowerShell.Commands.Internal.Format.*')) { return $_ }
            }
            $state['objects']++
            # Until the collector is full, 99 objects in 100 only join its pending batch (see its Room).
            if (-not $collected.Full) {
                if ($collected.Pending.Count -lt $collected.Room -and ($_ -isnot [string] -or $_.Length -le $stringLimit)) { $collected.Pending.Add($_) } else { $collected.Add($_) }
            }
            # A list the script returned whole stays one object for the result-file stage, which
            # passes its items on to the log as they came before.
            if ($routed) {
                $state['data'] = $true
                return , $_
            }
            $_
        }
    }
    # What the script returns is data, and the log shows it as data: a line of it that the Actions
    # runner would take for a workflow command (`::` at its start, after spaces, or `##[` anywhere)
    # gets the same harmless form as text the runner prints and did not write (ConvertTo-InertText);
    # a string of several lines reaches this stage whole, and every line of it is looked at.
    # A mailbox's display name or a message's subject comes from outside the organization. What the
    # script writes to the host (Write-Host, warnings) and what native commands print reach the log
    # as written: that is how a script sends a workflow command.
    # https://docs.github.com/actions/reference/workflows-and-actions/workflow-commands
    # Windows PowerShell 5.1 pads a table's last column out to the full width; PowerShell 7 does not.
    # Chosen once, not asked again for each of a million lines.
    # A transcript records what PowerShell's own Out-Default writes, and these lines do not go
    # through it: a script that starts one of its own (named anywhere in its text, comments too) has
    # them written by Out-Default, at its cost, so that its transcript holds what it returned, as
    # under pwsh -File. Not in a what-if run: the plan is read from a transcript too, and a string
    # the script returned that starts with "What if:" is not a change.
    if (-not $Script.whatIf -and $Source.Text.IndexOf('Start-Transcript', [System.StringComparison]::OrdinalIgnoreCase) -ge 0) {
        function Write-LogLine {
            begin {
                $inert = $inert
                $desktop = $PSVersionTable.PSEdition -eq 'Desktop'
                $outDefault = $SafeCommands['Out-Default']
                $toHost = { & $outDefault }.GetSteppablePipeline()
                $toHost.Begin($true)
            }
            process {
                $line = $_
                if ($desktop) { $line = $line.TrimEnd() }
                if ($line.Contains('::') -or $line.Contains('##[')) { $line = & $inert $line }
                $toHost.Process($line)
            }
            end { $toHost.End() }
        }
    } elseif ($PSVersionTable.PSEdition -eq 'Desktop') {
        function Write-LogLine {
            begin { $stdout = $stdout; $inert = $inert }
            process {
                $line = $_.TrimEnd()
                if ($line.Contains('::') -or $line.Contains('##[')) { $line = & $inert $line }
                $stdout.WriteLine($line)
            }
        }
    } else {
        function Write-LogLine {
            begin { $stdout = $stdout; $inert = $inert }
            process {
                if ($_.Contains('::') -or $_.Contains('##[')) { $stdout.WriteLine((& $inert $_)) } else { $stdout.WriteLine($_) }
            }
        }
    }
    $stdout = [Console]::Out
    # Most scripts never name the preference: the warning's search, and its compile, are skipped.
    if ($Source.Text.IndexOf('ErrorActionPreference', [System.StringComparison]::OrdinalIgnoreCase) -ge 0) { Write-PreferenceWarning -Source $Source -Preference $Script.errorActionPreference }
    $outString = $SafeCommands['Out-String']
    $inert = $Own['ConvertTo-InertText']
    $global:WhatIfPreference = [bool]$Script.whatIf
    $global:ErrorActionPreference = $Script.errorActionPreference
    $transcript = ''
    if ($PlanPath -and $Script.whatIf) { $transcript = $PlanPath + '.transcript' }
    # As in a new PowerShell: no earlier error (the connect's records name its parameters) and no
    # exit code yet.
    $global:Error.Clear()
    [ExoConnectRunner.Native.GlobalState]::Remove($script:RunnerState, 'LASTEXITCODE', $SafeCommands['Remove-Variable'])
    # Set when the script ended or failed; a stop (PipelineStoppedException) reaches neither.
    $ended = $false
    $subscriptions = [ExoConnectRunner.Native.EventSubscriptions]::Ids($script:RunnerEvents)
    # From here on the script may have written to the runner's files: Import-RunnerFile refuses.
    $script:ScriptStarted = $true
    try {
        # In a nested pipeline of its own, outside this function's try (see Invoke-Isolated). The
        # loop only catches a `break` or `continue` outside any loop in the script, which would
        # otherwise unwind through this module; a plain `pwsh -File` just ends the script.
        Invoke-Isolated -Body {
            # The runner's own stages stop at an error, whatever preference the script was given
            # (global, which this module's scopes do not see, nor the script this one).
            $ErrorActionPreference = 'Stop'
            # Started here, in the script's own pipeline: a transcript records the host output of
            # the pipeline that started it, not that of a nested one.
            if ($transcript) { Start-PlanCapture -TranscriptPath $transcript }
            do {
                if ($null -eq $writer) {
                    & $Launcher $Script.path $Parameters $launch 2>&1 | Out-Default | & $outString -Stream -Width $script:LogWidth | Write-LogLine
                } else {
                    & $Launcher $Script.path $Parameters $launch 2>&1 | Out-Default | & $writer.Stage -Writer $writer -Route $state |
                        & $outString -Stream -Width $script:LogWidth | Write-LogLine
                }
            } while ($false)
        }
        # A parameter that does not bind, or an unmet #Requires, ends a plain pwsh -File before the
        # script starts, whatever the preference; here the launcher's call gives it as the error of
        # one statement, which Continue and SilentlyContinue would pass over.
        # Most scripts leave no error record, and a refused one never ran to change how $Error counts.
        if ($global:Error.Count -gt 0) {
            $refused = & $Own['Find-ScriptRefusal'] -ScriptPath $Script.path -CallSite ([string]$Launcher.File)
            if ($null -ne $refused) { throw $refused }
        }
        # Static calls after the script, which may have added type data (Native/GlobalState.cs).
        $lastExitCode = [ExoConnectRunner.Native.GlobalState]::Value($script:RunnerState, 'LASTEXITCODE')
        if ($null -ne $lastExitCode) { $state['exitCode'] = [int]$lastExitCode }
        # $host.SetShouldExit(N) sets the exit code of a plain `pwsh -File` whose script ends without
        # an exit of its own; the runner's own exit would replace it. An exit N after it (N not 0)
        # leaves the launcher's $? false; an exit 0 leaves no trace apart from $LASTEXITCODE, which a
        # native command sets too, so N is taken then.
        $asked = & $Own['Get-RequestedExitCode']
        if ($null -ne $asked -and -not ($launch['Failed'] -and $state['exitCode'] -ne 0)) {
            $state['exitCode'] = $asked
            $state['requested'] = $true
        }
        $ended = $true
    } catch {
        $ended = $true
        $state['failed'] = $true
        $state['exitCode'] = 1
        # The action prints it from the event: on one line, masked, and annotated at the user's line.
        & $Own['Write-RunnerEvent'] ((& $Own['Get-ErrorFacts'] $_ -ScriptPath $Script.path) + @{ event = 'error'; phase = 'script'; terminating = $true })
    } finally {
        # The script may have replaced the console's writer ([Console]::SetOut, or an OutputEncoding,
        # which makes a new one): the runner's own lines after it go where they went before it.
        try { [Console]::SetOut($stdout) } catch { $null = $_ }
        & $Own['Remove-ScriptEventSubscription'] -Before $subscriptions
        if (-not $ended) {
            # Stopped: the script did not finish, whoever stopped it.
            $state['failed'] = $true
            $state['exitCode'] = 1
            if ($null -eq $script:Stop['Reason']) {
                # Not the action's stop (script-timeout, a cancel): a remote session's pipeline, or the script itself.
                & $Own['Write-RunnerEvent'] @{ event = 'error'; phase = 'script'; terminating = $true; message = 'The script was stopped before it finished (PipelineStoppedException), though the action did not ask it to stop. PowerShell stops a script so at a Ctrl+C (SIGINT, which kill -INT $PID sends too) and when a command throws PipelineStoppedException, as a remote command whose server stopped it does. To end the script early, use exit N.'; category = 'OperationStopped'; errorId = 'PipelineStopped'; type = 'System.Management.Automation.PipelineStoppedException' }
            }
        }
        # The script is over: the hooks it set on every command look-up are not the runner's.
        [void](& $Own['Clear-EngineHook'])
        # A what-if run whose script turned the preference off (or removed it) made real changes
        # with the module's cmdlets from then on, which read the global one.
        $whatIfOff = $false
        if ($Script.whatIf) {
            try { $whatIfOff = -not [bool]$global:WhatIfPreference } catch { $whatIfOff = $true }
        }
        # Not by assignment, which a variable the script made read-only refuses.
        & $Own['Set-GlobalVariable'] -Name WhatIfPreference -Value $savedGlobal['WhatIf']
        & $Own['Set-GlobalVariable'] -Name ErrorActionPreference -Value $savedGlobal['ErrorAction']
        # Closed and planned whatever happened: a script that failed half way still leaves a valid file.
        $written = $null
        if ($null -ne $writer) { $written = & $Own['Close-ResultFile'] -Writer $writer }
        if ($null -ne $written) {
            & $Own['Write-RunnerEvent'] (@{ event = 'result-file' } + $written)
            if ($written.count -gt $script:LogObjectLimit) { $stdout.WriteLine((& $Own['Format-MoreObjectsLine'] -Count ($written.count - $script:LogObjectLimit) -Path $written.path)) }
        }
        if ($transcript) {
            $captured = & $Own['Stop-PlanCapture'] -TranscriptPath $transcript -PlanPath $PlanPath
            & $Own['Write-RunnerEvent'] (@{ event = 'plan' } + $captured)
        }
        # Here too when the run is stopped (script-timeout, a cancel): what the script returned
        # until then is the result, and its count.
        # As a table, by a static call: type data the script added (Update-TypeData) can stand in
        # for the collector's members, not for these.
        $result = [ExoConnectRunner.Native.ResultCollector]::Finish($collected)
        $resultSha256 = & $Own['Write-RunFile'] -Path $ResultPath -Text $result.json
        $scriptEvent = @{ event = 'script'; exitCode = $state['exitCode']; errors = $state['errors']; terminated = $state['failed']; objects = $state['objects']; truncated = $state['objects'] -gt $result.count; resultSha256 = $resultSha256 }
        if ($state['requested']) { $scriptEvent['setShouldExit'] = $true }
        # The launcher's $? is false after exit N (N not 0), and true after a native command that
        # exited N as the script's last word on $LASTEXITCODE.
        elseif ($launch['Failed'] -and -not $state['failed'] -and $state['exitCode'] -ne 0) { $scriptEvent['exited'] = $true }
        if ($result.depthCut) { $scriptEvent['depthCut'] = $true }
        if ($whatIfOff) { $scriptEvent['whatIfOff'] = $true }
        if ($state['returnedErrors'] -gt 0) { $scriptEvent['returnedErrors'] = $state['returnedErrors'] }
        if ($result.unconvertible -gt 0) {
            $scriptEvent['unconvertible'] = $result.unconvertible
            $scriptEvent['unconvertibleReason'] = & $Own['Limit-Text'] -Text $result.failed -Length $script:EventTextLimit
        }
        if ($result.cut -gt 0) {
            $scriptEvent['cutStrings'] = $result.cut
            $scriptEvent['stringLimit'] = $script:ResultStringLimit
        }
        & $Own['Write-RunnerEvent'] $scriptEvent
    }
    $state['exitCode']
}

function Write-PreferenceWarning {
    # A script that sets $ErrorActionPreference in its own scope changes it for the commands it calls
    # itself, but not for functions of script modules, which read the global one that
    # error-action-preference sets: the Exchange module's generated cmdlets (Get-Mailbox,
    # Set-Mailbox) are such functions. https://github.com/PowerShell/PowerShell/issues/4568
    param([Parameter(Mandatory)] $Source, [Parameter(Mandatory)][string] $Preference)
    $ast = $Source.Ast
    $set = $null
    $isLocalPreference = {
        param($expression)
        $variable = $expression -as [System.Management.Automation.Language.VariableExpressionAst]
        $null -ne $variable -and -not $variable.VariablePath.IsGlobal -and ($variable.VariablePath.UserPath -replace '^(script|local|private):', '') -eq 'ErrorActionPreference'
    }
    # Advice only: nothing here may keep the script from running.
    try {
        # A variable that saved the preference ($saved = $ErrorActionPreference) puts it back when
        # assigned to it again: a restore changes nothing.
        $saved = foreach ($save in $ast.FindAll({
                    param($node)
                    $node -is [System.Management.Automation.Language.AssignmentStatementAst] -and $node.Left -is [System.Management.Automation.Language.VariableExpressionAst] -and
                    $node.Right -is [System.Management.Automation.Language.CommandExpressionAst] -and (& $isLocalPreference $node.Right.Expression)
                }, $true)) { $save.Left.VariablePath.UserPath }
        $set = $ast.Find({
            param($node)
            if ($node -isnot [System.Management.Automation.Language.AssignmentStatementAst] -or -not (& $isLocalPreference $node.Left)) { return $false }
            # The same preference as the input's changes nothing: 'Stop', or [ActionPreference]::Stop.
            $value = $node.Right -as [System.Management.Automation.Language.CommandExpressionAst]
            if ($null -eq $value) { return $true }
            $restored = $value.Expression -as [System.Management.Automation.Language.VariableExpressionAst]
            if ($null -ne $restored -and $saved -contains $restored.VariablePath.UserPath) { return $false }
            $same = $value.Expression -is [System.Management.Automation.Language.StringConstantExpressionAst] -and $value.Expression.Value -eq $Preference
            $member = $value.Expression -as [System.Management.Automation.Language.MemberExpressionAst]
            if ($null -ne $member -and $member.Static -and $member.Member -is [System.Management.Automation.Language.StringConstantExpressionAst]) { $same = $member.Member.Value -eq $Preference }
            -not $same
        }, $true) } catch { $null = $_ }
    if ($null -eq $set) { return }
    Write-RunnerAnnotation -Kind 'warning' -Message "The script sets `$ErrorActionPreference at line $($set.Extent.StartLineNumber), in its own scope: the commands it calls itself follow it, but functions of script modules read the global preference, which error-action-preference sets to $Preference. The Exchange module's generated cmdlets (Get-Mailbox, Set-Mailbox, ...) are such functions. Set error-action-preference instead, or `$global:ErrorActionPreference, or pass -ErrorAction to the cmdlet."
}

# Built at the first error record of a run (Test-ErrorStreamRecord); most runs see none.
$script:ReadsErrorStream = $null

function Test-ErrorStreamRecord {
    # Whether an error record came through the error stream (Write-Error, a cmdlet's error, merged
    # by 2>&1), not returned as an object. PowerShell 7 marks such a record's PSObject wrapper in an
    # internal WriteStream property, which PowerShell's own method binder cannot be handed (it
    # unwraps the PSObject): a compiled accessor reads it. Where there is none (Windows PowerShell
    # 5.1), every error record counts as an error.
    param([psobject] $Record)
    if ($null -eq $script:ReadsErrorStream) {
        $property = [psobject].GetProperty('WriteStream', [System.Reflection.BindingFlags]'NonPublic, Instance')
        if ($null -eq $property -or -not $property.PropertyType.IsEnum -or -not [System.Enum]::IsDefined($property.PropertyType, 'Error')) {
            $script:ReadsErrorStream = [System.Func[psobject, bool]] { $true }
        } else {
            $E = [System.Linq.Expressions.Expression]
            $wrapper = $E::Parameter([psobject], 'wrapper')
            $isError = $E::Equal($E::Property($wrapper, $property), $E::Constant([System.Enum]::Parse($property.PropertyType, 'Error'), $property.PropertyType))
            $script:ReadsErrorStream = $E::Lambda([System.Func[psobject, bool]], $isError, $wrapper).Compile()
        }
    }
    $script:ReadsErrorStream.Invoke($Record)
}

function Get-RequestedExitCode {
    # The exit code $host.SetShouldExit asked for, or $null when nothing asked: read by reflection
    # from the console host's private fields, in compiled code (Native/RequestedExitCode.cs), where
    # the same reflection as script cost each run about 20 ms of first calls.
    [ExoConnectRunner.Native.RequestedExitCode]::Read($Host)
}

function Find-ScriptRefusal {
    # The error of the launcher's own call of the script (its file is the call site) when PowerShell
    # refused to start it, or $null. $Error was cleared before the script: a refused script never
    # ran, so the record is there; one that ran may have cleared it, but was not refused.
    param([Parameter(Mandatory)][string] $ScriptPath, [AllowEmptyString()][string] $CallSite)
    foreach ($record in @($global:Error)) {
        if ($record -isnot [System.Management.Automation.ErrorRecord]) { continue }
        $exception = $record.Exception
        # An unmet #Requires -PSEdition is a RuntimeException of its own id, not a ScriptRequiresException.
        $requires = $exception -is [System.Management.Automation.ScriptRequiresException] -or [string]$record.FullyQualifiedErrorId -like 'ScriptRequires*'
        if (-not ($exception -is [System.Management.Automation.ParameterBindingException] -or $requires)) { continue }
        $info = $record.InvocationInfo
        if ($null -eq $info -or [string]$info.ScriptName -ne $CallSite) { continue }
        if ($info.MyCommand -is [System.Management.Automation.ExternalScriptInfo] -and $info.MyCommand.Path -eq $ScriptPath) { return $record }
        # An unmet #Requires names the script only by its file name.
        if ($exception -is [System.Management.Automation.ScriptRequiresException] -and $exception.CommandName -eq [System.IO.Path]::GetFileName($ScriptPath)) { return $record }
        if ($requires -and [string]$record.TargetObject -eq [System.IO.Path]::GetFileName($ScriptPath)) { return $record }
    }
    $null
}

function Format-MoreObjectsLine {
    # The log's line for the objects it did not show: "... and 99,980 more objects, written to <path> (result-file)", with an ellipsis character.
    param([Parameter(Mandatory)][int] $Count, [Parameter(Mandatory)][string] $Path)
    $noun = 'objects'
    if ($Count -eq 1) { $noun = 'object' }
    & $Own['ConvertTo-LogLine'] ("$([char]0x2026) and {0} more $noun, written to {1} (result-file)" -f $Count.ToString('N0', [cultureinfo]::InvariantCulture), $Path)
}

function Format-ErrorLine {
    # An error record from the script's stream as one log line: "Command: message (line N)".
    param([Parameter(Mandatory)] $Record, [AllowNull()] $Facts, [string] $ScriptPath)
    # As PowerShell's own view names it: the activity (Write-Error, Get-Mailbox, ...), else the command.
    $name = [string]$Record.CategoryInfo.Activity
    if (-not $name -and $null -ne $Record.InvocationInfo -and $null -ne $Record.InvocationInfo.MyCommand) { $name = [string]$Record.InvocationInfo.MyCommand.Name }
    if (-not $name) { $name = 'Error' }
    $where = ''
    if ($null -ne $Facts -and $Facts.ContainsKey('line') -and $Facts['file'] -eq $ScriptPath) { $where = " (line $($Facts['line']))" }
    & $Own['ConvertTo-LogLine'] "$name`: $(([string]$Record.Exception.Message).Trim())$where"
}
#endregion

#region Private/Teardown.ps1
# Teardown, in the runner's `finally`: remove the server session or disconnect, whatever happened,
# and whatever the user's script left behind: its preferences, $PSDefaultParameterValues and
# location never reach the teardown's commands, which are the module's own command objects
# (see SafeCommands.ps1). "disconnected" is recorded only once it is checked.

$script:Connected = $false
# Set while a connect runs. A stop (timeout, cancel) skips catch blocks, so it stays set when a
# connect was interrupted half way, and teardown disconnects in case a connection was left.
$script:ConnectPending = $false
$script:RemoteSession = $null

# PowerShell's defaults, for the teardown's commands, whatever the script set globally (progress
# silenced: the log shows no progress bar):
# https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_preference_variables
$script:DefaultPreferences = [ordered]@{
    ConfirmPreference     = [System.Management.Automation.ConfirmImpact]::High
    DebugPreference       = [System.Management.Automation.ActionPreference]::SilentlyContinue
    ErrorActionPreference = [System.Management.Automation.ActionPreference]::Continue
    InformationPreference = [System.Management.Automation.ActionPreference]::SilentlyContinue
    ProgressPreference    = [System.Management.Automation.ActionPreference]::SilentlyContinue
    VerbosePreference     = [System.Management.Automation.ActionPreference]::SilentlyContinue
    WarningPreference     = [System.Management.Automation.ActionPreference]::Continue
    WhatIfPreference      = $false
    # Module functions load the modules of the commands they call; 'None' would break them.
    PSModuleAutoLoadingPreference = [System.Management.Automation.PSModuleAutoLoadingPreference]::All
}

# The same defaults again, as common parameters of each call of the module's functions in the
# teardown: a function reads a preference from its own scope first, and a common parameter sets it
# there (about_CommonParameters), whatever the script made of the global variable meanwhile: a
# constant, a variable breakpoint or an event action that sets it again. -ErrorAction, -WhatIf and
# -Confirm are at each call; -ProgressAction exists from PowerShell 7.4 on.
# https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_commonparameters
$script:TeardownPreferences = @{ Verbose = $false; Debug = $false; WarningAction = 'Continue'; InformationAction = 'SilentlyContinue' }
if ($PSVersionTable.PSVersion -ge [version]'7.4') { $script:TeardownPreferences['ProgressAction'] = 'SilentlyContinue' }

# The engine's objects the teardown works with, taken as the module loads: after the user's script,
# reading them as members ($ExecutionContext.SessionState) would go through any type data the script
# added (Update-TypeData), which can stand in for the members of .NET objects.
$script:RunnerState = $ExecutionContext.SessionState
$script:RunnerEvents = $ExecutionContext.Events

# The functions and aliases the command look-up saw as the script started (Get-ScopeCommand), or
# $null before it did.
$script:CommandsBeforeScript = $null

function Invoke-WithDefaultGlobalState {
    # Runs Body with the global preferences at their defaults, an empty $PSDefaultParameterValues,
    # no engine hooks (about_Automatic_Variables, $ExecutionContext), the location at Location (or
    # the temp directory, if the script removed it) and the global functions and aliases as they
    # were before the script; then puts the script's back. Module functions, such as
    # Disconnect-ExchangeOnline, read these from the global scope. The variables, hooks and
    # location in compiled code (Native/GlobalState.cs): as script, about twenty Set-Variable calls.
    # Body runs whatever happens while these are set aside: it is the disconnect.
    param([Parameter(Mandatory)][scriptblock] $Body, [string] $Location)
    $saved = $null
    $setAside = @()
    try {
        try {
            $saved = [ExoConnectRunner.Native.GlobalState]::Save($script:RunnerState, $script:DefaultPreferences)
            if ($null -ne $script:CommandsBeforeScript) {
                # Most scripts define no global command: one comparison then.
                $now = & $Own['Get-ScopeCommand']
                if (-not [ExoConnectRunner.Native.GlobalState]::SameCommands($now, $script:CommandsBeforeScript)) { $setAside = @(& $Own['Hide-ScriptCommand'] -Before $script:CommandsBeforeScript -Now $now) }
            }
            [ExoConnectRunner.Native.GlobalState]::ApplyDefaults($saved, $SafeCommands['Set-Variable'], $Location)
        } catch {
            & $Own['Write-TeardownStateWarning'] -Step 'set aside' -ErrorRecord $_
        }
        . $Body
    } finally {
        try {
            if ($null -ne $saved) { [ExoConnectRunner.Native.GlobalState]::RestoreValues($saved, $SafeCommands['Set-Variable']) }
            if ($setAside) { & $Own['Restore-ScriptCommand'] -Commands $setAside }
            # Last: the location is back before the script's location hook is.
            if ($null -ne $saved) { [ExoConnectRunner.Native.GlobalState]::RestoreHooks($saved) }
        } catch {
            & $Own['Write-TeardownStateWarning'] -Step 'put back' -ErrorRecord $_
        }
    }
}

function Write-TeardownStateWarning {
    # Never a stop: the teardown goes on, and its disconnect runs.
    # The record's members too may be the script's (type data): nothing here throws.
    param([Parameter(Mandatory)][string] $Step, [Parameter(Mandatory)] $ErrorRecord)
    try {
        $message = "The teardown could not $Step all of the script's global state (preferences, parameter defaults, engine hooks, location, global commands): $($ErrorRecord.Exception.Message) The disconnect runs all the same, with PowerShell's default preferences as its own parameters."
        & $Own['Write-RunnerAnnotation'] -Kind 'warning' -Message $message
    } catch { $null = $_ }
}

function Set-GlobalVariable {
    # Sets a global variable whatever the script made of it (Native/GlobalState.cs): one it made
    # read-only is set with Set-Variable -Force; one it made Constant (removed, then created anew)
    # cannot change, and stays as it is; the teardown's calls take the defaults as common
    # parameters all the same ($script:TeardownPreferences).
    param([Parameter(Mandatory)][string] $Name, [AllowNull()] $Value)
    $unchanged = [ExoConnectRunner.Native.GlobalState]::Set($script:RunnerState, $Name, $Value, $SafeCommands['Set-Variable'])
    if ($null -ne $unchanged) { & $SafeCommands['Write-Verbose'] $unchanged }
}

function Clear-EngineHook {
    # Removes the engine's look-up and location hooks; returns those that were set, by name.
    [ExoConnectRunner.Native.GlobalState]::ClearHooks($script:RunnerState)
}

function Get-ScopeCommand {
    # The functions and aliases a look-up from here sees, the global scope's and the runner's own,
    # as a set (Native/GlobalState.cs says what it does not see).
    , [ExoConnectRunner.Native.GlobalState]::ScopeCommands($script:RunnerState)
}

function Hide-ScriptCommand {
    # Sets aside, for the teardown, the global functions and aliases the script defined, and those
    # a module it imported exports under a cmdlet's name: the
    # Exchange module's own functions look commands up by name, and an alias or a function named
    # like a cmdlet comes before it (about_Command_Precedence), so `function global:Where-Object {}`
    # would otherwise run inside Disconnect-ExchangeOnline. An alias the script put in place of
    # one there before (Set-Alias sleep ...) gives way to that one. Returns what it set aside, for
    # Restore-ScriptCommand.
    # https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_command_precedence
    # Before and Now: Get-ScopeCommand's sets as the script started and now. Untyped: a typed
    # parameter would copy them.
    param($Before, $Now)
    $added = [System.Collections.Generic.HashSet[object]]::new($Now)
    $added.ExceptWith($Before)
    # The script's own definitions, and what a module it imported exports under a cmdlet's name.
    # Other exports stay: a connect's proxies, or a module's own commands, name no cmdlet, and
    # setting aside thousands of them would cost seconds.
    $defined = [System.Collections.Generic.List[object]]::new()
    $exported = [System.Collections.Generic.List[object]]::new()
    foreach ($command in $added) {
        if ($null -eq $command.Module) { $defined.Add($command) } else { $exported.Add($command) }
    }
    if ([ExoConnectRunner.Native.PSValue]::Count($exported) -gt 0) {
        # The cmdlets loaded now: a wildcard look-up loads no module, so an export named like a
        # cmdlet of a module not loaded yet stays.
        $cmdlets = [System.Collections.Generic.HashSet[string]]::new([System.StringComparer]::OrdinalIgnoreCase)
        foreach ($cmdlet in $ExecutionContext.InvokeCommand.GetCommands('*', [System.Management.Automation.CommandTypes]::Cmdlet, $true)) { [void]$cmdlets.Add($cmdlet.Name) }
        foreach ($command in $exported) { if ($cmdlets.Contains($command.Name)) { $defined.Add($command) } }
    }
    if ([ExoConnectRunner.Native.PSValue]::Count($defined) -eq 0) { return }
    $earlier = @{}
    foreach ($command in $Before) {
        if ($command -is [System.Management.Automation.AliasInfo] -and $null -eq $command.Module) { $earlier[$command.Name] = $command }
    }
    $items = $ExecutionContext.SessionState.InvokeProvider.Item
    $kept = [System.Collections.Generic.List[string]]::new()
    $setAside = foreach ($command in $defined) {
        # Provider-qualified paths, which need no drive: the script may have removed the Function:
        # and Alias: drives (about_Providers).
        $path = "Microsoft.PowerShell.Core\Function::$($command.Name)"
        if ($command -is [System.Management.Automation.AliasInfo]) { $path = "Microsoft.PowerShell.Core\Alias::$($command.Name)" }
        try {
            # Removed where the look-up finds it first: an AllScope one has a copy in each scope made
            # since, this function's own among them.
            for ($try = 0; $try -lt 4 -and (& $Own['Test-CommandAt'] -Path $path -Command $command); $try++) {
                $items.Remove([string[]]@($path), $false, $true, $true)
            }
        } catch {
            & $SafeCommands['Write-Verbose'] "$path not removed: $($_.Exception.Message)"
        }
        if (& $Own['Test-CommandAt'] -Path $path -Command $command) {
            $kept.Add($command.Name)
            continue
        }
        if ($command -is [System.Management.Automation.AliasInfo] -and $earlier.ContainsKey($command.Name)) {
            try { & $Own['Set-GlobalAlias'] -Alias $earlier[$command.Name] } catch { & $SafeCommands['Write-Verbose'] "$path not put back: $($_.Exception.Message)" }
        }
        $command
    }
    $setAside = @($setAside)
    if ([ExoConnectRunner.Native.PSValue]::Count($setAside) -gt 0) {
        $count = & $Own['Format-Count'] -Count ([ExoConnectRunner.Native.PSValue]::Count($setAside)) -One 'global function or alias' -Many 'global functions and aliases'
        & $Own['Write-RunnerLog'] (& $Own['ConvertTo-LogLine'] "Set aside the script's $count ($(@(foreach ($command in $setAside) { $command.Name }) -join ', ')) while the teardown runs, so that the Exchange module's own calls reach the commands they name.")
    }
    if ([ExoConnectRunner.Native.PSValue]::Count($kept) -gt 0) {
        $message = "The teardown could not set aside these global functions or aliases the script defined, which the Exchange module's own calls may reach: $($kept -join ', '). A constant one (-Option Constant) stays until PowerShell exits; give the script's own commands names of their own."
        try { & $Own['Write-RunnerAnnotation'] -Kind 'warning' -Message $message } catch { $null = $_ }
    }
    $setAside
}

function Test-CommandAt {
    # Whether the function or alias found at Path (a provider-qualified path of the Function or
    # Alias provider) from here is Command itself. The provider's own look-up: a command look-up by
    # name would search PSModulePath for a module to load when there is none. Only "not found" is
    # an answer of no: after any other failure the command may still be there.
    param([Parameter(Mandatory)][string] $Path, [Parameter(Mandatory)] $Command)
    try {
        $found = $ExecutionContext.SessionState.InvokeProvider.Item.Get([string[]]@($Path), $true, $true)
    } catch {
        return -not ($_.Exception.InnerException -is [System.Management.Automation.ItemNotFoundException])
    }
    [ExoConnectRunner.Native.PSValue]::Count($found) -gt 0 -and [object]::ReferenceEquals($found[0].psobject.BaseObject, $Command)
}

function Set-GlobalAlias {
    # Defines an alias in the global scope as it was, options and all. The alias drive takes no
    # scope in its paths, so Set-Alias.
    param([Parameter(Mandatory)][System.Management.Automation.AliasInfo] $Alias)
    & $SafeCommands['Set-Alias'] -Name $Alias.Name -Value $Alias.Definition -Description $Alias.Description -Option $Alias.Options -Scope Global -Force -WhatIf:$false
}

function Restore-ScriptCommand {
    # Puts back what Hide-ScriptCommand set aside, with its options, once the teardown is over:
    # PowerShell.Exiting actions run after it, with the script's functions, as at the end of a
    # plain pwsh -File. An alias replaces the earlier one Hide-ScriptCommand put back for the teardown.
    param([Parameter(Mandatory)][object[]] $Commands)
    $items = $ExecutionContext.SessionState.InvokeProvider.Item
    $loaded = $null
    foreach ($command in $Commands) {
        # A module's export comes back only while its module is loaded: the teardown may have
        # removed it (a connect the script made).
        if ($null -ne $command.Module) {
            if ($null -eq $loaded) { $loaded = @(& $SafeCommands['Get-Module'] -All) }
            if ($loaded -notcontains $command.Module) { continue }
        }
        try {
            if ($command -is [System.Management.Automation.AliasInfo]) {
                & $Own['Set-GlobalAlias'] -Alias $command
            } else {
                # The function provider takes a scope in its paths; no drive (Hide-ScriptCommand).
                [void]$items.Set([string[]]@("Microsoft.PowerShell.Core\Function::global:$($command.Name)"), $command, $true, $true)
            }
        } catch {
            & $SafeCommands['Write-Verbose'] "$($command.Name) not put back: $($_.Exception.Message)"
        }
    }
}

function Remove-ScriptEventSubscription {
    # Unregisters the event subscriptions the script made (Register-ObjectEvent on a timer,
    # Register-EngineEvent, ...), as the script ends: PowerShell runs their actions between the
    # statements of whatever runs next, the runner's report and teardown, where an action can
    # hold the teardown or open a connection after the disconnect. PowerShell.Exiting's stay: they
    # run after the teardown, as at the end of a plain pwsh -File, and the action ends a
    # PowerShell they hold. Compiled (Native/EventSubscriptions.cs).
    # Before: the subscription ids there were when the script started (a module's own stay).
    param([int[]] $Before = @())
    $removed = [ExoConnectRunner.Native.EventSubscriptions]::RemoveAdded($script:RunnerEvents, $Before)
    if ($null -ne $removed) {
        $count = & $Own['Format-Count'] -Count ([ExoConnectRunner.Native.PSValue]::Count($removed)) -One 'event subscription' -Many 'event subscriptions'
        & $Own['Write-RunnerLog'] (& $Own['ConvertTo-LogLine'] "Unregistered the script's $count ($($removed -join ', ')) as it ended, so that no action of theirs runs during the teardown.")
    }
}

function Set-Connected {
    # Called the moment a connect returns, before anything else can fail: from here on, teardown
    # disconnects.
    $script:Connected = $true
    $script:ConnectPending = $false
}

function Invoke-Teardown {
    param([switch] $IsServer, [string] $Location)
    # Every call through $Own: this runs after the user's script (see ExoConnectRunner.psm1).
    & $Own['Invoke-WithDefaultGlobalState'] -Location $Location -Body {
        # An event that cannot be written (the script may have broken the events file) does not
        # stop the disconnect; the action then reports no teardown, and post checks.
        try { & $Own['Write-RunnerEvent'] @{ event = 'teardown'; status = 'start' } } catch { $null = $_ }
        & $Own['Write-RunnerLog'] '::group::Teardown'
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        if ($null -ne $script:RemoteSession) {
            & $Own['Remove-ServerSession'] -Session $script:RemoteSession -Clock $clock
        } elseif ($script:ConnectPending -and $IsServer) {
            # New-PSSession was stopped: remove whatever session this PowerShell process holds.
            $left = @(& $SafeCommands['Get-PSSession'] -ErrorAction SilentlyContinue)
            & $Own['Write-RunnerLog'] "The connect was stopped before it finished; removing the $([ExoConnectRunner.Native.PSValue]::Count($left)) sessions this PowerShell holds."
            if ([ExoConnectRunner.Native.PSValue]::Count($left) -gt 0) { & $SafeCommands['Remove-PSSession'] -Session $left -WhatIf:$false -ErrorAction Continue }
        } elseif ($script:Connected -or $script:ConnectPending) {
            if ($script:ConnectPending) { & $Own['Write-RunnerLog'] 'The connect was stopped before it finished; disconnecting in case it left a connection.' }
            & $Own['Disconnect-Exchange'] -Clock $clock
        } else {
            & $Own['Write-RunnerLog'] 'Nothing was connected.'
        }
        & $Own['Remove-LeftPSSession']
        & $Own['Write-RunnerLog'] "teardown took $([ExoConnectRunner.Native.PSValue]::Milliseconds($clock)) ms"
        & $Own['Write-RunnerLog'] '::endgroup::'
        try { & $Own['Write-RunnerEvent'] @{ event = 'teardown'; status = 'end' } } catch { $null = $_ }
    }
}

function Remove-LeftPSSession {
    # Every PSSession this PowerShell still holds besides the action's own: those the script opened
    # (New-PSSession to a second server, say). Each counts against its server's session limit until
    # the server ends it, and a PowerShell that exits does not close it there.
    # https://learn.microsoft.com/powershell/module/microsoft.powershell.core/remove-pssession
    $actionSession = ''
    if ($null -ne $script:RemoteSession) { $actionSession = [string]$script:RemoteSession.InstanceId }
    try {
        $listed = @(& $SafeCommands['Get-PSSession'] -ErrorAction Stop)
    } catch {
        & $SafeCommands['Write-Verbose'] "PSSessions not listed: $($_.Exception.Message)"
        return
    }
    # Most scripts open none: the removal is a function of its own, compiled only when one is listed.
    if ([ExoConnectRunner.Native.PSValue]::Count($listed) -gt 0) { & $Own['Remove-ScriptPSSession'] -Listed $listed -ActionSession $actionSession }
}

function Remove-ScriptPSSession {
    # Remove-LeftPSSession's removal: Listed is what Get-PSSession listed, ActionSession the
    # instance id of the action's own session (Exchange Server), or empty.
    # Not Mandatory: a mandatory list refuses a null item, and no binding error may end the teardown here.
    param([object[]] $Listed = @(), [string] $ActionSession = '')
    try {
        # A loop, not Where-Object: a cmdlet's first call costs milliseconds.
        $left = @(foreach ($session in $Listed) { if ($null -ne $session -and [string]$session.State -ne 'Closed' -and [string]$session.InstanceId -ne $ActionSession) { $session } })
        if ([ExoConnectRunner.Native.PSValue]::Count($left) -eq 0) { return }
        $names = @(foreach ($session in $left) { "$(& $Own['Get-ConfigValue'] $session 'ComputerName') ($(& $Own['Get-ConfigValue'] $session 'ConfigurationName'))" }) -join ', '
        $what = "$([ExoConnectRunner.Native.PSValue]::Count($left)) PSSessions were"
        $them = 'them'
        if ([ExoConnectRunner.Native.PSValue]::Count($left) -eq 1) { $what = '1 PSSession was'; $them = 'it' }
        & $Own['Write-RunnerLog'] (& $Own['ConvertTo-LogLine'] "$what still open after the action's own connection was closed, as a script's New-PSSession leaves them: $names; removing $them.")
        & $SafeCommands['Remove-PSSession'] -Session $left -WhatIf:$false -ErrorAction Stop
    } catch {
        # A warning, never a stop: the teardown goes on and reports its end.
        $message = "The PSSessions the script left open could not all be removed: $($_.Exception.Message) Each holds a session on its server until the server ends it at its idle timeout; end the script's sessions with Remove-PSSession in its own finally block."
        try { & $Own['Write-RunnerAnnotation'] -Kind 'warning' -Message $message } catch { $null = $_ }
    }
}

# What the teardown prints when the disconnect fails: not the error's text, which the server wrote.
# The runner no longer holds the run's secrets once the script has started (Clear-HeldSecret), so
# it could not take out one the server echoed split or spaced out; the action prints the error from
# the event after the run, with the gaps taken into account (src/secrets.ts).
$script:TeardownFailedLine = "{0} failed; the action's warning after the run says why."

function Disconnect-Exchange {
    # Disconnect-ExchangeOnline ends every connection of this process (Connect-IPPSSession's too);
    # Get-ConnectionInformation then lists none:
    # https://learn.microsoft.com/powershell/module/exchange/disconnect-exchangeonline
    param([Parameter(Mandatory)][System.Diagnostics.Stopwatch] $Clock)
    try {
        $preferences = $script:TeardownPreferences
        & (& $Own['Get-SafeCommand'] -Name 'Disconnect-ExchangeOnline') @preferences -Confirm:$false -WhatIf:$false -ErrorAction Stop
        try {
            $left = @(& (& $Own['Get-SafeCommand'] -Name 'Get-ConnectionInformation') @preferences -ErrorAction Stop)
        } catch {
            # Said as what it is: the disconnect returned, and only the check after it failed.
            throw "Disconnect-ExchangeOnline returned, but the check after it failed (Get-ConnectionInformation: $($_.Exception.Message)), so no connection is known to be left or gone."
        }
        if ([ExoConnectRunner.Native.PSValue]::Count($left) -gt 0) {
            $ids = ($left | & $SafeCommands['ForEach-Object'] { [string](& $Own['Get-ConfigValue'] $_ 'ConnectionId') }) -join ', '
            throw "Disconnect-ExchangeOnline returned, yet Get-ConnectionInformation still lists these connections: $ids."
        }
        & $Own['Write-RunnerEvent'] @{ event = 'disconnected'; ms = [ExoConnectRunner.Native.PSValue]::Milliseconds($Clock) }
    } catch {
        & $Own['Write-RunnerEvent'] ((& $Own['Get-ErrorFacts'] $_) + @{ event = 'error'; phase = 'teardown'; terminating = $false })
        & $SafeCommands['Write-Warning'] ($script:TeardownFailedLine -f 'Disconnect')
    }
}

function Remove-ServerSession {
    # Removed means closed: Get-PSSession no longer lists it, or lists it as Closed.
    param([Parameter(Mandatory)] $Session, [Parameter(Mandatory)][System.Diagnostics.Stopwatch] $Clock)
    $id = [string]$Session.InstanceId
    try {
        & $SafeCommands['Remove-PSSession'] -Session $Session -WhatIf:$false -ErrorAction Stop
        $open = @(& $SafeCommands['Get-PSSession'] -ErrorAction Stop | & $SafeCommands['Where-Object'] { [string]$_.InstanceId -eq $id -and [string]$_.State -ne 'Closed' })
        if ([ExoConnectRunner.Native.PSValue]::Count($open) -gt 0) { throw "Remove-PSSession returned, yet Get-PSSession still lists the session $id as $($open[0].State)." }
        & $Own['Write-RunnerEvent'] @{ event = 'disconnected'; ms = [ExoConnectRunner.Native.PSValue]::Milliseconds($Clock); instanceId = $id }
    } catch {
        & $Own['Write-RunnerEvent'] ((& $Own['Get-ErrorFacts'] $_) + @{ event = 'error'; phase = 'teardown'; terminating = $false })
        & $SafeCommands['Write-Warning'] ($script:TeardownFailedLine -f 'Remove-PSSession')
    }
}
#endregion

#region Private/ChildProcesses.ps1
# The processes this PowerShell started, for a stop that a native command holds up. PowerShell runs
# a native command whose output goes to the console on its own, and the script's output stage is
# named Out-Default so that it does (UserScript.ps1). Stopping the pipeline then leaves the command
# running: at a console, Ctrl+C reaches the command itself, and PowerShell only ends a command whose
# output it reads. On Windows nothing else can (Node's process.kill is TerminateProcess), so the
# stop watcher (Stop.ps1) ends the command and what it started, and the script's `finally` blocks
# and the teardown follow.
# Only what was running when the stop came is ended: a native command that the script's `finally`
# starts afterwards (a logout, an upload) runs on, as after one Ctrl+C at a console.
# These functions run in the runspace the stop watcher opens once a stop comes, which has no
# commands (Start-StopWatcher hands it their syntax trees): only the language and .NET.

function Get-ProcessTable {
    # Every process as { Id, ParentId, Started, Name }. Started (UTC) is there only where the OS keeps
    # the id of a parent that has exited (Windows), so that a process whose recorded parent id was
    # reused is not taken for a child.
    param([Parameter(Mandatory)][ValidateSet('cim', 'proc', 'ps')][string] $Source)
    $table = [System.Collections.Generic.List[object]]::new()
    if ($Source -eq 'cim') {
        # Win32_Process, through the CIM client PowerShell 7 and Windows PowerShell 5.1 both ship:
        # https://learn.microsoft.com/windows/win32/cimwin32prov/win32-process
        [void][System.Reflection.Assembly]::Load('Microsoft.Management.Infrastructure, Version=1.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35')
        $session = ('Microsoft.Management.Infrastructure.CimSession' -as [type])::Create($null)
        try {
            foreach ($instance in $session.QueryInstances('root/cimv2', 'WQL', 'SELECT ProcessId, ParentProcessId, CreationDate, Name FROM Win32_Process')) {
                $properties = $instance.CimInstanceProperties
                $started = $properties['CreationDate'].Value
                if ($null -ne $started) { $started = ([datetime]$started).ToUniversalTime() }
                $table.Add(@{ Id = [int]$properties['ProcessId'].Value; ParentId = [int]$properties['ParentProcessId'].Value; Started = $started; Name = [string]$properties['Name'].Value })
            }
        } finally {
            $session.Dispose()
        }
    } elseif ($Source -eq 'proc') {
        # Linux: /proc/<pid>/stat, whose fourth field is the parent's id; the name (second field)
        # is in parentheses and may hold spaces and parentheses itself.
        # https://man7.org/linux/man-pages/man5/proc_pid_stat.5.html
        foreach ($folder in [System.IO.Directory]::GetDirectories('/proc')) {
            $id = 0
            if (-not [int]::TryParse([System.IO.Path]::GetFileName($folder), [ref]$id)) { continue }
            try { $stat = [System.IO.File]::ReadAllText($folder + '/stat') } catch { continue }
            $open = $stat.IndexOf([char]'(')
            $close = $stat.LastIndexOf([char]')')
            if ($open -lt 0 -or $close -lt $open) { continue }
            $fields = $stat.Substring($close + 2).Split(' ')
            $table.Add(@{ Id = $id; ParentId = [int]$fields[1]; Started = $null; Name = $stat.Substring($open + 1, $close - $open - 1) })
        }
    } else {
        # macOS and other systems without /proc: ps, as POSIX specifies its -A and -o options.
        # https://pubs.opengroup.org/onlinepubs/9799919799/utilities/ps.html
        # By its path: a name is looked up on this process's PATH, which the script may have changed,
        # and another program's lines would name the processes to end.
        $program = '/bin/ps'
        if (-not [System.IO.File]::Exists($program)) { $program = '/usr/bin/ps' }
        $start = [System.Diagnostics.ProcessStartInfo]::new($program, '-A -o pid= -o ppid= -o comm=')
        $start.UseShellExecute = $false
        $start.RedirectStandardOutput = $true
        $ps = [System.Diagnostics.Process]::Start($start)
        $lines = $ps.StandardOutput.ReadToEnd().Split([char[]]@("`n"), [System.StringSplitOptions]::RemoveEmptyEntries)
        $ps.WaitForExit()
        foreach ($line in $lines) {
            $fields = $line.Trim().Split([char[]]@(' '), 3, [System.StringSplitOptions]::RemoveEmptyEntries)
            $id = 0
            $parent = 0
            if ($fields.Length -lt 2 -or -not [int]::TryParse($fields[0], [ref]$id) -or -not [int]::TryParse($fields[1], [ref]$parent)) { continue }
            # Not ps itself, which this process started just now.
            if ($id -eq $ps.Id) { continue }
            $name = ''
            if ($fields.Length -gt 2) { $name = [System.IO.Path]::GetFileName($fields[2].Trim()) }
            $table.Add(@{ Id = $id; ParentId = $parent; Started = $null; Name = $name })
        }
    }
    , $table.ToArray()
}

function Get-ChildProcess {
    # The processes $RootId (this process) started that run now and started before $StartedBefore
    # (UTC), where the OS tells (Windows; elsewhere the moment this reads the table is close enough).
    param([Parameter(Mandatory)][string] $Source, [Parameter(Mandatory)][datetime] $StartedBefore, [int] $RootId = [System.Diagnostics.Process]::GetCurrentProcess().Id)
    $children = [System.Collections.Generic.List[object]]::new()
    foreach ($entry in (Get-ProcessTable -Source $Source)) {
        if ($entry.ParentId -ne $RootId -or $entry.Id -eq $RootId) { continue }
        if ($null -ne $entry.Started -and $entry.Started -ge $StartedBefore) { continue }
        $children.Add($entry)
    }
    , $children.ToArray()
}

function Select-ProcessTree {
    # The processes descended from $RootId in $Table, each parent before its children, without the
    # root, and without those named in $Keep and what they started. With $Only (from
    # Get-ChildProcess), only those of the root's children and what they started. A process is a
    # child only if it started after its parent (when both start times are known): Windows keeps a
    # parent's id after the parent exits, and may give that id to a new process.
    param([Parameter(Mandatory)][AllowEmptyCollection()][object[]] $Table, [Parameter(Mandatory)][int] $RootId, [string[]] $Keep = @(), [AllowNull()][object[]] $Only = $null)
    $children = @{}
    $root = $null
    foreach ($entry in $Table) {
        if ($entry.Id -eq $RootId) { $root = $entry }
        if ($entry.Id -eq $entry.ParentId) { continue }
        if (-not $children.ContainsKey($entry.ParentId)) { $children[$entry.ParentId] = [System.Collections.Generic.List[object]]::new() }
        $children[$entry.ParentId].Add($entry)
    }
    if ($null -eq $root) { $root = @{ Id = $RootId; Started = $null } }
    $found = [System.Collections.Generic.List[object]]::new()
    $seen = @{ $RootId = $true }
    $queue = [System.Collections.Generic.Queue[object]]::new()
    $queue.Enqueue($root)
    while ($queue.Count -gt 0) {
        $parent = $queue.Dequeue()
        if (-not $children.ContainsKey($parent.Id)) { continue }
        foreach ($child in $children[$parent.Id]) {
            if ($seen.ContainsKey($child.Id) -or $Keep -contains $child.Name) { continue }
            if ($null -ne $parent.Started -and $null -ne $child.Started -and $child.Started -lt $parent.Started) { continue }
            if ($parent.Id -eq $RootId -and $null -ne $Only -and -not (Test-SameProcess -Entry $child -Among $Only)) { continue }
            $seen[$child.Id] = $true
            $found.Add($child)
            $queue.Enqueue($child)
        }
    }
    , $found.ToArray()
}

function Test-SameProcess {
    # Whether $Entry is one of $Among: the same id and, where known, the same start (not a reused id).
    param([Parameter(Mandatory)] $Entry, [Parameter(Mandatory)][AllowEmptyCollection()][object[]] $Among)
    foreach ($other in $Among) {
        if ($other.Id -eq $Entry.Id -and ($null -eq $other.Started -or $null -eq $Entry.Started -or $other.Started -eq $Entry.Started)) { return $true }
    }
    $false
}

function Stop-ProcessTree {
    # Ends the processes that $RootId (this process) started and theirs, each parent first (an ended
    # parent starts no more): with $Only, only those of its children (from Get-ChildProcess); on
    # Windows not conhost.exe, the console host of a process that has a console of its own. Hands
    # $Report the "name (process id)" of each before it is ended, so that whoever the end lets go on
    # finds them listed; returns the failures' messages.
    param([Parameter(Mandatory)][string] $Source, [Parameter(Mandatory)][System.Collections.IList] $Report, [AllowNull()][object[]] $Only = $null, [int] $RootId = [System.Diagnostics.Process]::GetCurrentProcess().Id)
    $tree = Select-ProcessTree -Table (Get-ProcessTable -Source $Source) -RootId $RootId -Keep @('conhost.exe') -Only $Only
    foreach ($entry in $tree) { [void]$Report.Add("$($entry.Name) (process $($entry.Id))") }
    $failures = [System.Collections.Generic.List[string]]::new()
    foreach ($entry in $tree) {
        try {
            $process = [System.Diagnostics.Process]::GetProcessById($entry.Id)
            try { $process.Kill() } finally { $process.Dispose() }
        } catch [System.ArgumentException], [System.InvalidOperationException] {
            # It has exited already.
            $null = $_
        } catch {
            $failures.Add("$($entry.Name) (process $($entry.Id)): $($_.Exception.Message)")
        }
    }
    , $failures.ToArray()
}
#endregion

#region Private/Stop.ps1
# How the action stops a run, the same way on every OS. After the configuration Node keeps
# stdin open; one more line, {"type":"stop","reason":"timeout"} or {"type":"stop","reason":"cancel"},
# asks to stop, and the end of stdin means the action is gone ("parent-gone"). A thread reads stdin
# (Native/StopWatcher.cs) and, once a stop is asked for, opens a runspace that stops the stoppable
# work (module, connect, the user's script) as Ctrl+C does: a PipelineStoppedException, so the
# script's own `finally` blocks run. The teardown runs after that work, where no stop reaches it.
# Signals cannot do this on Windows, where Node's process.kill is TerminateProcess: no `finally`,
# no disconnect. Until a stop comes, the run pays for a thread, not for a runspace.
# A stop does not end a native command the script waits on (ChildProcesses.ps1): when the work has
# not stopped $script:ChildGraceMs after it was asked to, the watcher ends the processes this
# PowerShell started.

# Long enough for work that stops when asked (a cmdlet, Start-Sleep) to stop by itself; short enough
# to leave the script's `finally` and the teardown most of the 5 s that Node waits (session.ts).
$script:ChildGraceMs = 2000

function New-StopState {
    # The run's own functions read and write it by index ($script:Stop['Reason']), not by member
    # name: see $state in Invoke-UserScript. StopRunningWork, which runs only at a stop, reads it
    # by name.
    [hashtable]::Synchronized(@{
            # Why the run was asked to stop: timeout, cancel or parent-gone; $null while it runs on.
            Reason     = $null
            # The nested pipeline running the stoppable work, for the watcher to stop.
            Current    = $null
            # Set when the teardown starts: nothing is stopped after that.
            Done       = $false
            # Cancelled at the same time, so that the stop's runspace, if a stop opened one, ends at
            # once and does not hold up the exit.
            Finished   = [System.Threading.CancellationTokenSource]::new()
            # Set (by the watcher) once native commands started from here get an empty stdin
            # instead of this one.
            Ready      = $null
            InputError = $null
            StopError  = $null
            # Why the runspace that stops the work could not run (Native/StopWatcher.cs).
            WatchError = $null
            # What the watcher ended, "name (process id)" each, and what it could not; how long it
            # lets the work stop by itself first, and the syntax trees of the functions of
            # ChildProcesses.ps1 that it defines if a stop needs them.
            Ended      = $null
            EndError   = $null
            GraceMs    = $script:ChildGraceMs
            Functions  = $null
            # Kept alive for as long as the process runs: the handle behind the children's stdin.
            Keep       = $null
            Watcher    = $null
        })
}

# Without a watcher (the post step's removal, the tests) nothing ever asks to stop.
$script:Stop = New-StopState

# Runs once a stop was asked for ($Stop.Reason is set), in a runspace of its own that the watcher
# opens then, with no commands: only the language and .NET.
$script:StopRunningWork = {
    param($Stop, [bool] $OnWindows)
    # Keep stopping whatever stoppable work runs, until the teardown starts: a stop that came just
    # before a nested pipeline started is caught on the next round. BeginStop, not Stop, which
    # waits for the work to stop, and a native command it does not end would hold it for good.
    $asked = $null
    $askedClock = [System.Diagnostics.Stopwatch]::new()
    # The processes this one had started when the stop came (ChildProcesses.ps1), once per run: what
    # still holds the work up ChildGraceMs later is ended, as one Ctrl+C at a console would.
    $children = $null
    $listError = $null
    $ended = $false
    $source = 'ps'
    if ($OnWindows) { $source = 'cim' } elseif ([System.IO.Directory]::Exists('/proc/self')) { $source = 'proc' }
    $noteChildren = {
        try {
            # Defined here, by one script block bound to no runspace, made of copies of their syntax
            # trees (a tree has one parent): a function of the module's would run in the module's runspace.
            # https://learn.microsoft.com/dotnet/api/system.management.automation.language.scriptblockast.-ctor
            $copies = [System.Collections.Generic.List[System.Management.Automation.Language.StatementAst]]::new()
            foreach ($definition in $Stop.Functions) { $copies.Add($definition.Copy()) }
            $body = [System.Management.Automation.Language.StatementBlockAst]::new($copies[0].Extent, $copies, $null)
            . ([System.Management.Automation.Language.ScriptBlockAst]::new($copies[0].Extent, $null, $body, $false).GetScriptBlock())
            $children = Get-ChildProcess -Source $source -StartedBefore $requested
        } catch {
            # Told only if the work then does not stop by itself.
            $listError = $_.Exception.Message
            $children = @()
        }
    }
    while (-not $Stop.Done) {
        $current = $Stop.Current
        $state = $null
        if ($null -ne $current) {
            try { $state = $current.InvocationStateInfo.State } catch { $state = $null }
        }
        if ($state -eq [System.Management.Automation.PSInvocationState]::Running) {
            $requested = [DateTime]::UtcNow
            # Before the stop where only the list tells what ran before it (a command the script's
            # `finally` starts is there a few milliseconds later); on Windows after it, as CIM takes
            # longer and gives each process's start.
            if ($null -eq $children -and -not $OnWindows) { . $noteChildren }
            try { [void]$current.BeginStop($null, $null) } catch { $Stop.StopError = $_.Exception.Message }
            if (-not [object]::ReferenceEquals($current, $asked)) {
                $asked = $current
                $askedClock.Restart()
            }
            if ($null -eq $children) { . $noteChildren }
        } elseif ($state -eq [System.Management.Automation.PSInvocationState]::Stopping -and -not $ended -and ($children.Count -gt 0 -or $null -ne $listError) -and
            [object]::ReferenceEquals($current, $asked) -and $askedClock.ElapsedMilliseconds -ge $Stop.GraceMs) {
            $ended = $true
            try {
                if ($null -ne $listError) { throw "listing them failed: $listError" }
                $Stop.Ended = [System.Collections.ArrayList]::Synchronized([System.Collections.ArrayList]::new())
                # Not once the teardown started: the work stopped meanwhile.
                if (-not $Stop.Done) {
                    $failures = Stop-ProcessTree -Source $source -Report $Stop.Ended -Only $children
                    if ($failures.Count -gt 0) { $Stop.EndError = $failures -join '; ' }
                }
            } catch {
                $Stop.EndError = $_.Exception.Message
            }
        }
        [void]$Stop.Finished.Token.WaitHandle.WaitOne(50)
    }
}

function Start-StopWatcher {
    # Started right after the configuration is read, before the module and the connect.
    # -KeepChildInput leaves this process's stdin as it is (the tests' own process).
    param([Parameter(Mandatory)][System.IO.Stream] $Stream, [switch] $KeepChildInput)
    $script:Stop = New-StopState
    # The syntax trees of the functions the watcher needs if a stop comes (ChildProcesses.ps1). It makes
    # its script block of them then, off this thread: made here, that block cost every run about 8 ms.
    # The trees, and whether this is Windows, in compiled code: as script, about 10 ms more.
    $script:Stop['Functions'] = [ExoConnectRunner.Native.StopWatcher]::SyntaxTrees($Own, [string[]]@('Get-ProcessTable', 'Get-ChildProcess', 'Select-ProcessTree', 'Test-SameProcess', 'Stop-ProcessTree'))
    $script:Stop['Watcher'] = [ExoConnectRunner.Native.StopWatcher]::new($script:Stop, $script:StopRunningWork.ToString())
    $script:Stop['Watcher'].Start($Stream, [ExoConnectRunner.Native.StopWatcher]::OnWindows, [bool]$KeepChildInput)
}

function Test-Windows {
    # $IsWindows does not exist on Windows PowerShell 5.1, which runs only on Windows. The watcher's
    # own test (Native/StopWatcher.cs), so that the two never disagree.
    [ExoConnectRunner.Native.StopWatcher]::OnWindows
}

function Wait-ChildInput {
    # Before the user's script: its native commands must not inherit the action's stdin.
    if ($null -eq $script:Stop['Ready']) { return }
    if (-not $script:Stop['Ready'].WaitOne(10000)) { $script:Stop['InputError'] = 'it did not finish in 10 s' }
    if ($null -ne $script:Stop['InputError']) {
        & $SafeCommands['Write-Warning'] "Native commands started by the script read the action's own stdin (giving them an empty one failed: $($script:Stop['InputError'])). A command that waits for input there holds the run until it is stopped."
        $script:Stop['InputError'] = $null
    }
}

function Invoke-Stoppable {
    # Runs $Body as a nested pipeline in this runspace, which the watcher can stop. Its terminating
    # error, if any, is thrown here as it was thrown there.
    param([Parameter(Mandatory)][scriptblock] $Body)
    if ($null -ne $script:Stop['Reason']) { return }
    $box = @{ Error = $null }
    # Made ready in compiled code (Native/NestedPipelines.cs): 'param($Body, $Box) try { & $Body } catch { $Box.Error = $_ }'.
    $nested = [ExoConnectRunner.Native.NestedPipelines]::Stoppable($Body, $box)
    $script:Stop['Current'] = $nested
    try {
        [ExoConnectRunner.Native.NestedPipelines]::Invoke($nested) | & $SafeCommands['Out-Default']
    } finally {
        $script:Stop['Current'] = $null
        $nested.Dispose()
    }
    if ($null -ne $box['Error']) { throw $box['Error'] }
}

function Invoke-Isolated {
    # Runs $Body as a nested pipeline of its own, which the watcher stops instead of the one around
    # it. PowerShell hands a terminating error to the nearest try statement in any calling scope
    # (https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_try_catch_finally):
    # inside one of the runner's, the user's script would end at a statement-terminating error even
    # under Continue, and SilentlyContinue would not pass over a throw, unlike under a plain
    # `pwsh -File`. A nested pipeline starts outside every try. Its terminating error is thrown on
    # with the script's own error record, and a stop as a stop.
    # It is the run's last stoppable work: once it ends, the watcher stops nothing more, so that a
    # stop does not cut the results' writing short (the caller's `finally`).
    param([Parameter(Mandatory)][scriptblock] $Body)
    # Made ready in compiled code (Native/NestedPipelines.cs): 'param($Body) & $Body'.
    $nested = [ExoConnectRunner.Native.NestedPipelines]::Isolated($Body)
    # Handed to the watcher first, then the reason checked: a stop that came before either is seen
    # here, one after both stops this pipeline.
    $script:Stop['Current'] = $nested
    if ($null -ne $script:Stop['Reason']) {
        $script:Stop['Current'] = $null
        $nested.Dispose()
        throw [System.Management.Automation.PipelineStoppedException]::new()
    }
    $failure = $null
    try {
        # With the language mode it had before the script, which may set another.
        try { [void][ExoConnectRunner.Native.NestedPipelines]::Invoke($nested) } catch { $failure = $_ }
        $outcome = $nested.InvocationStateInfo
    } finally {
        # The script's breakpoints (Set-PSBreakpoint) end with it: their actions would otherwise run
        # in the runner's code from here on, and in the Exchange module's during the teardown. A
        # static property and a method: no command or variable, which a breakpoint could catch.
        # https://learn.microsoft.com/powershell/module/microsoft.powershell.utility/set-psbreakpoint
        try { [System.Management.Automation.Runspaces.Runspace]::DefaultRunspace.Debugger.SetDebugMode([System.Management.Automation.DebugModes]::None) } catch { $null = $_ }
        $script:Stop['Current'] = $null
        $nested.Dispose()
    }
    if ($outcome.State -eq [System.Management.Automation.PSInvocationState]::Stopped) { throw [System.Management.Automation.PipelineStoppedException]::new() }
    if ($null -ne $failure) {
        if ($outcome.Reason -is [System.Management.Automation.IContainsErrorRecord]) { throw $outcome.Reason.ErrorRecord }
        throw $failure
    }
}

function Complete-Stop {
    # The teardown starts: nothing is stopped from here on. Returns the reason the run was asked
    # to stop, or $null.
    $script:Stop['Done'] = $true
    $script:Stop['Finished'].Cancel()
    $script:Stop['Reason']
}

function Write-StopEvent {
    param([Parameter(Mandatory)][string] $Reason)
    $why = @{ timeout = 'script-timeout expired'; cancel = 'the run was cancelled'; 'parent-gone' = 'the action ended' }[$Reason]
    & $Own['Write-RunnerLog'] "Stopped: $why; the teardown follows."
    $ended = $script:Stop['Ended']
    # Counted by a static call: the script's type data may stand in for the list's Count (Native/PSValue.cs).
    $endedCount = [ExoConnectRunner.Native.PSValue]::Count($ended)
    if ($endedCount -gt 0) {
        $processes = & $Own['Format-Count'] $endedCount 'process' 'processes'
        & $Own['Write-RunnerLog'] (& $Own['ConvertTo-LogLine'] "The work had not stopped $($script:ChildGraceMs / 1000) s after it was asked to, so the stop ended the $processes this PowerShell had started: $(@($ended) -join ', '). PowerShell does not end a native command whose output goes to the log when it stops the script.")
    }
    if ($null -ne $script:Stop['WatchError']) {
        & $Own['Write-RunnerAnnotation'] -Kind 'warning' -Message "The stop's runspace failed, so the running work was not asked to stop: $($script:Stop['WatchError'])"
    }
    if ($null -ne $script:Stop['EndError']) {
        & $Own['Write-RunnerAnnotation'] -Kind 'warning' -Message "Ending the processes this PowerShell started, which held up the stop, failed: $($script:Stop['EndError'])"
    }
    & $Own['Write-RunnerEvent'] @{ event = 'stopped'; reason = $Reason }
}
#endregion

#region Public/Invoke-ExoConnectRunner.ps1
# The run itself: module, connect, script, and teardown in `finally`; or, for the post step,
# removing a server session that a stopped main left open. Returns the process's exit code, and
# nothing else: whatever a phase outputs goes to the log, as it would from a script.

$script:ExitCode = 0

function Start-ExoConnectRunner {
    # runner.ps1's one call: read the configuration from stdin, check it, run. Launcher: see
    # Invoke-UserScript.
    param([Parameter(Mandatory)][scriptblock] $Launcher)
    # The runner reads the log as UTF-8; a console without a code page of its own may refuse the change.
    try { [Console]::OutputEncoding = $script:Utf8NoBom } catch { & $SafeCommands['Write-Verbose'] 'console output encoding unchanged' }
    $stdin = [Console]::OpenStandardInput()
    # Read, the events file opened, checked, the start-up variables cleared (Read-RunnerConfig,
    # Set-EventsPath, Assert-RunnerConfig, Clear-StartupVariable), in one compiled call
    # (Native/RunStart.cs): as script, their first calls cost every run about 20 ms.
    $start = [ExoConnectRunner.Native.RunStart]::Begin($stdin, $script:ConfigMaxBytes, $script:ContractVersion, $script:ConfigFields)
    $script:EventsPath = $start.EventsPath
    $script:EventWriter = $start.Events
    if ($null -ne $start.Failure) { return (Write-ConfigFailure -Start $start) }
    $config = $start.Config
    # A run keeps reading stdin, for a request to stop (Stop.ps1); the post step's removal has
    # nothing to stop, and its stdin ends after the configuration.
    if ($config.mode -eq 'run') { Start-StopWatcher -Stream $stdin }
    # The action's own tests load the sandbox here, so that its New-PSSession & co. stand in for the cmdlets.
    if ($env:EXO_CONNECT_ACTION_TEST_PRELOAD) {
        Use-TestDouble -Module (& $SafeCommands['Import-Module'] -Name $env:EXO_CONNECT_ACTION_TEST_PRELOAD -Global -DisableNameChecking -PassThru)
    }
    Invoke-ExoConnectRunner -Config $config -Launcher $Launcher
}

function Write-ConfigFailure {
    # Start-ExoConnectRunner's end when the configuration could not be read or was refused: the
    # reason on stderr, and as an event when the events file is open. Returns the exit code, 1.
    param([Parameter(Mandatory)] $Start)
    if ($Start.Unread) {
        [Console]::Error.WriteLine((ConvertTo-LogLine "The runner could not read its configuration from stdin: $($Start.Failure.Message)"))
        return 1
    }
    try {
        throw $Start.Failure
    } catch {
        if ($null -ne $script:EventWriter) { Write-RunnerEvent ((Get-ErrorFacts $_) + @{ event = 'error'; phase = 'config'; terminating = $true }) }
        [Console]::Error.WriteLine((ConvertTo-LogLine $_.Exception.Message))
    }
    1
}

function Invoke-ExoConnectRunner {
    # The events file is open before this runs: Start-ExoConnectRunner (or a test) opens it.
    param([Parameter(Mandatory)] $Config, [scriptblock] $Launcher)
    $script:CurrentPhase = 'module'
    $script:ExitCode = 0
    $script:Connected = $false
    $script:ConnectPending = $false
    $script:RemoteSession = $null
    $toLog = $SafeCommands['Out-Default']

    if ($Config.mode -eq 'remove-session') { return (Invoke-SessionRemoval -Config $Config) }

    $isServer = $Config.connection.target -eq 'exchange-server'
    # One entry per workload, each { connection, credentials }: two for exchange-online,
    # security-compliance. Those and the held secrets in compiled code (Native/RunStart.cs): as
    # script, these lines' first runs cost every run about 20 ms.
    $connections = [ExoConnectRunner.Native.RunStart]::Connections($Config)
    $script:HeldSecrets.Set([ExoConnectRunner.Native.RunStart]::Credentials($Config, $connections))
    try {
        # A stop from the action (Stop.ps1) ends this block as Ctrl+C would, and the teardown follows.
        Invoke-Stoppable -Body {
            # Before anything connects: keys the script does not declare are refused here.
            $script:CurrentPhase = 'parameters'
            $source = Read-ScriptSource -Path $Config.script.path
            $parameters = Read-ScriptParameter -Script $Config.script -Source $source -ExchangeModule $Config.module.name
            $script:CurrentPhase = 'module'
            if (-not $isServer) {
                Measure-Phase -Name 'module' -Title 'Module' -Body { Import-ExchangeModule -Module $Config.module } | & $toLog
                # A #Requires, or an Import-Module of the module by its name (looked for only in a script that names it).
                if ($null -ne $source.Ast.ScriptRequirements -or $source.Text.IndexOf($script:ExchangeModule.Name, [System.StringComparison]::OrdinalIgnoreCase) -ge 0) {
                    # A refusal of the script's input, as those before the module.
                    $script:CurrentPhase = 'parameters'
                    Assert-ModuleRequirement -Source $source -Module $script:ExchangeModule -From $Config.script.input
                    $script:CurrentPhase = 'module'
                }
            }
            Resolve-CommandName -Connection $Config.connection -Source $source
            Measure-Phase -Name 'connect' -Title (Get-ConnectTitle -Config $Config) -Body {
                $script:ConnectPending = $true
                try {
                    if ($isServer) {
                        Import-RunnerFile -Path 'Private/ServerSession.ps1'
                        Connect-ExchangeServer -Connection $Config.connection -Credentials $Config.credentials -Retries ([int]$Config.connectRetries) -ForwardWhatIf ([bool]$Config.script.whatIf)
                    } else {
                        # In order; once one is connected, teardown disconnects, also when the next connect fails.
                        Connect-Workloads -Connections $connections -CommandNames (Get-ConfigValue $Config.connection 'commandNames') -Retries ([int]$Config.connectRetries)
                    }
                    # Only a command-names list can name a cmdlet the connection did not import.
                    if ($script:ListedCommandNames.Count -gt 0) { Write-UnloadedCommandWarning -Prefix (Get-ConfigValue $Config.connection 'prefix') -Source $source }
                } finally {
                    # Nothing the user's script can reach should still hold a secret.
                    $Config.credentials = $null
                    foreach ($entry in $connections) { $entry.credentials = $null }
                }
            } | & $toLog
            $scriptTitle = 'Script'
            if ($Config.script.whatIf) { $scriptTitle = 'Script (what-if)' }
            Wait-ChildInput
            # The script can reach what this module holds: the last copies of the secrets go now.
            Clear-HeldSecret
            Measure-Phase -Name 'script' -Title $scriptTitle -Body {
                $resultDepth = Get-ConfigValue $Config 'resultDepth'
                if ($null -eq $resultDepth) { $resultDepth = 4 }
                $script:ExitCode = Invoke-UserScript -Script $Config.script -Source $source -Parameters $parameters -Launcher $Launcher -ResultPath $Config.paths.result -ResultLimit ([int]$Config.resultLimit) `
                    -ResultDepth ([int]$resultDepth) -ResultFile (Get-ConfigValue $Config 'resultFile') -PlanPath ([string](Get-ConfigValue $Config.paths 'plan'))
            }
        }
    } catch {
        $script:ExitCode = 1
        # A connect that failed with an error cleans up after itself; one that returned has set
        # Connected already (Set-Connected), so teardown still disconnects.
        $script:ConnectPending = $false
        # The action prints it from the event, on one line and masked: PowerShell's own error view
        # wraps long messages, and a secret split across lines escapes the log's masking.
        & $Own['Write-RunnerEvent'] ((& $Own['Get-ErrorFacts'] $_) + @{ event = 'error'; phase = $script:CurrentPhase; terminating = $true })
    } finally {
        # From here on through $Own, not by name: the user's script has run (see ExoConnectRunner.psm1).
        $stopped = $null
        try {
            & $Own['Clear-HeldSecret']
            $Config.credentials = $null
            $stopped = & $Own['Complete-Stop']
            if ($null -ne $stopped) { & $Own['Write-StopEvent'] -Reason $stopped }
        } finally {
            # Whatever the script made of what the steps above use (type data over their objects'
            # members, say), the teardown runs; their error, if any, comes after it.
            & $Own['Invoke-Teardown'] -IsServer:$isServer -Location $Config.script.workingDirectory
        }
        # On Windows the runner's CTRL_C reaches PowerShell too, and may have stopped it first.
        if ($null -eq $stopped) {
            $stopped = $script:Stop['Reason']
            if ($null -ne $stopped) { & $Own['Write-StopEvent'] -Reason $stopped }
        }
        if ($null -ne $stopped) { $script:ExitCode = 1 }
    }
    $script:ExitCode
}

function Invoke-SessionRemoval {
    # The post step's run: removes the server session a stopped main left open. Returns the exit code.
    param([Parameter(Mandatory)] $Config)
    Set-HeldSecret -Credentials @($Config.credentials)
    try {
        Import-RunnerFile -Path 'Private/ServerSession.ps1'
        Remove-LeftServerSession -Connection $Config.connection -Credentials $Config.credentials -InstanceId $Config.instanceId | & $SafeCommands['Out-Default']
        return 0
    } catch {
        # The action prints it from the event, on one line (PowerShell's own view wraps it).
        Write-RunnerEvent ((Get-ErrorFacts $_) + @{ event = 'error'; phase = 'teardown'; terminating = $true })
        return 1
    } finally {
        Clear-HeldSecret
        $Config.credentials = $null
    }
}
#endregion
$script:ModuleRoot = $PSScriptRoot


# The runner's own functions as command objects, for the calls made once the user's script has
# run (the teardown above all): an alias takes precedence over a function in PowerShell's command
# lookup, so an alias the script defined globally, even a constant one, would otherwise take a
# call by name over. https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_command_precedence
# Compiled (Native/OwnFunctions.cs): as script, the loop over every function cost each run milliseconds.
[ExoConnectRunner.Native.OwnFunctions]::Register($ExecutionContext.SessionState, $script:Own)

# The functions a typical run calls, in the order it first calls them, from what Start-ExoConnectRunner
# calls on (Start-ExoConnectRunner compiles at once, on this thread). Compiled ahead on another
# thread while the run goes on (Native/CompileAhead.cs): compiled at their first calls, they cost each
# run over 100 ms. Speed only: a function missing here compiles at its first call, as always.
# Compiled with no runspace on that thread, these resolve type names against System alone: none may
# rely on `using`, a class, or a script block in an attribute's arguments.
$script:CompileAheadNames = [string[]]@(
    'Start-StopWatcher', 'Invoke-ExoConnectRunner', 'Invoke-Stoppable', 'Read-ScriptSource',
    'Read-ScriptParameter', 'Measure-Phase', 'Write-RunnerEvent', 'Write-RunnerLog',
    'Import-ExchangeModule', 'Import-PinnedModule', 'Get-ConfigValue', 'Get-ModuleOrigin',
    'ConvertTo-LogLine', 'Resolve-CommandName', 'Get-ConnectTitle', 'Connect-Workloads',
    'Connect-Exchange', 'New-ConnectParameter', 'Get-SafeCommand', 'Invoke-WithRetry',
    'Set-Connected', 'Get-NewConnection', 'Wait-ChildInput', 'Clear-HeldSecret',
    'Invoke-UserScript', 'New-ResultCollector', 'Get-ScopeCommand', 'Invoke-Isolated',
    'Join-VersionLabel', 'Remove-ScriptEventSubscription',
    'Clear-EngineHook', 'Set-GlobalVariable', 'Write-RunFile', 'Complete-Stop', 'Invoke-Teardown',
    'Invoke-WithDefaultGlobalState', 'Disconnect-Exchange', 'Remove-LeftPSSession'
)
$script:CompileAhead = [ExoConnectRunner.Native.CompileAhead]::Start($script:Own, $script:CompileAheadNames)

Export-ModuleMember -Function @()
