<#
  What Windows PowerShell 5.1 lacks, for script/check-ps51.ps1: one table, one source per entry.
  The runner and the sandbox module run on Windows PowerShell 5.1 (shell: powershell) as well as on
  PowerShell 7, and this machine can only run PowerShell 7, so the check reads the code instead.

  Commands and Parameters come from Microsoft's cmdlet reference: a parameter is listed when the
  PowerShell 7.6 page for its cmdlet documents it and the Windows PowerShell 5.1 page (the Source)
  does not; a command when the 5.1 reference has no page for it. Modules compared:
  Microsoft.PowerShell.Core, .Management, .Utility, .Security, .Archive and .Host.
#>
@{
    # Syntax Windows PowerShell 5.1 cannot parse or parses differently. Each rule is an AST check in
    # script/check-ps51.ps1, found by its Rule name.
    Syntax = @(
        @{ Rule = 'ternary'; Message = 'the ternary operator (a ? b : c) needs PowerShell 7.0; use if/else'; Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_operators#ternary-operator--if-true--if-false' }
        @{ Rule = 'null-coalescing'; Message = 'the ?? operator needs PowerShell 7.0; use if ($null -eq $a)'; Source = 'https://learn.microsoft.com/powershell/scripting/whats-new/differences-from-windows-powershell#null-coalescing-operator-' }
        @{ Rule = 'null-coalescing-assignment'; Message = 'the ??= operator needs PowerShell 7.0; use if ($null -eq $a) { $a = ... }'; Source = 'https://learn.microsoft.com/powershell/scripting/whats-new/differences-from-windows-powershell#null-coalescing-assignment-operator-' }
        @{ Rule = 'null-conditional-member'; Message = 'the ?. operator needs PowerShell 7.1; test for $null first'; Source = 'https://learn.microsoft.com/powershell/scripting/whats-new/differences-from-windows-powershell#null-conditional-operators' }
        @{ Rule = 'null-conditional-index'; Message = 'the ?[] operator needs PowerShell 7.1; test for $null first'; Source = 'https://learn.microsoft.com/powershell/scripting/whats-new/differences-from-windows-powershell#null-conditional-operators' }
        @{ Rule = 'pipeline-chain'; Message = 'the && and || pipeline chain operators need PowerShell 7.0; use if ($?) or try/catch'; Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_pipeline_chain_operators' }
        @{ Rule = 'background-operator'; Message = 'a pipeline ending in & (a background job) needs PowerShell 6.0; use Start-Job'; Source = 'https://learn.microsoft.com/powershell/scripting/whats-new/differences-from-windows-powershell#added--operator-for-job-control' }
        @{ Rule = 'clean-block'; Message = 'the clean block needs PowerShell 7.3; use try/finally in end'; Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_functions_advanced_methods#clean' }
        @{ Rule = 'escape-sequence'; Message = 'the `u{...} and `e escapes need PowerShell 6.0 (5.1 reads them as plain u and e); use [char] codes'; Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_special_characters' }
        @{ Rule = 'number-literal'; Message = 'binary literals (0b) and the y, uy, s, us, u, ul and n suffixes need PowerShell 6.2 or 7.0; use a cast'; Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_numeric_literals#integer-literals' }
        @{ Rule = 'replace-scriptblock'; Message = 'a scriptblock as the -replace substitution needs PowerShell 6.0 (5.1 inserts its text); use [regex]::Replace with a MatchEvaluator'; Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_comparison_operators#replacement-with-a-scriptblock' }
        @{ Rule = 'unguarded-variable'; Message = 'is not defined in Windows PowerShell 5.1 (an error under Set-StrictMode); guard it, e.g. ($PSVersionTable.PSEdition -eq ''Core'' -and $IsMacOS)'; Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_automatic_variables#iswindows' }
        @{ Rule = 'source-encoding'; Message = 'has non-ASCII text and no byte order mark: Windows PowerShell 5.1 reads such a file as ANSI; save it as UTF-8 with BOM or keep it ASCII'; Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_character_encoding?view=powershell-5.1#character-encoding-in-windows-powershell' }
        @{ Rule = 'parse-error'; Message = 'does not parse'; Source = 'https://learn.microsoft.com/dotnet/api/system.management.automation.language.parser.parsefile' }
    )

    # Automatic variables PowerShell 6.0 (and $PSStyle 7.2) added (rule unguarded-variable).
    Variables = @('IsWindows', 'IsLinux', 'IsMacOS', 'IsCoreCLR', 'PSStyle')

    # Type names Windows PowerShell 5.1 cannot resolve, as they may be written in [brackets].
    Types = @(
        @{ Names = @('System.Management.Automation.SemanticVersion', 'Management.Automation.SemanticVersion', 'semver'); Message = 'SemanticVersion needs PowerShell 6.0 (5.1 has [version]; its type accelerator list has no semver)'; Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_type_accelerators?view=powershell-5.1' }
        @{ Names = @('short', 'ushort', 'uint', 'ulong'); Message = 'the [short], [ushort], [uint] and [ulong] accelerators need PowerShell 6.2; use [int16], [uint16], [uint32], [uint64]'; Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_numeric_literals#numeric-type-accelerators' }
    )

    # Commands that ship with PowerShell 7 and not with Windows PowerShell 5.1.
    Commands = @(
        @{ Name = 'ConvertFrom-CliXml'; Source = 'https://learn.microsoft.com/powershell/scripting/whats-new/cmdlet-versions' }
        @{ Name = 'ConvertTo-CliXml'; Source = 'https://learn.microsoft.com/powershell/scripting/whats-new/cmdlet-versions' }
        @{ Name = 'ConvertFrom-Markdown'; Source = 'https://learn.microsoft.com/powershell/scripting/whats-new/cmdlet-versions' }
        @{ Name = 'Disable-ExperimentalFeature'; Source = 'https://learn.microsoft.com/powershell/scripting/whats-new/cmdlet-versions' }
        @{ Name = 'Enable-ExperimentalFeature'; Source = 'https://learn.microsoft.com/powershell/scripting/whats-new/cmdlet-versions' }
        @{ Name = 'Get-Error'; Source = 'https://learn.microsoft.com/powershell/scripting/whats-new/cmdlet-versions' }
        @{ Name = 'Get-ExperimentalFeature'; Source = 'https://learn.microsoft.com/powershell/scripting/whats-new/cmdlet-versions' }
        @{ Name = 'Get-MarkdownOption'; Source = 'https://learn.microsoft.com/powershell/scripting/whats-new/cmdlet-versions' }
        @{ Name = 'Get-PSSubsystem'; Source = 'https://learn.microsoft.com/powershell/scripting/whats-new/cmdlet-versions' }
        @{ Name = 'Get-SecureRandom'; Source = 'https://learn.microsoft.com/powershell/scripting/whats-new/cmdlet-versions' }
        @{ Name = 'Get-Uptime'; Source = 'https://learn.microsoft.com/powershell/scripting/whats-new/cmdlet-versions' }
        @{ Name = 'Join-String'; Source = 'https://learn.microsoft.com/powershell/scripting/whats-new/cmdlet-versions' }
        @{ Name = 'Remove-Alias'; Source = 'https://learn.microsoft.com/powershell/scripting/whats-new/cmdlet-versions' }
        @{ Name = 'Remove-Service'; Source = 'https://learn.microsoft.com/powershell/scripting/whats-new/cmdlet-versions' }
        @{ Name = 'Set-MarkdownOption'; Source = 'https://learn.microsoft.com/powershell/scripting/whats-new/cmdlet-versions' }
        @{ Name = 'Show-Markdown'; Source = 'https://learn.microsoft.com/powershell/scripting/whats-new/cmdlet-versions' }
        @{ Name = 'Start-ThreadJob'; Source = 'https://learn.microsoft.com/powershell/scripting/whats-new/cmdlet-versions' }
        @{ Name = 'Switch-Process'; Source = 'https://learn.microsoft.com/powershell/scripting/whats-new/cmdlet-versions' }
        @{ Name = 'Test-Json'; Source = 'https://learn.microsoft.com/powershell/scripting/whats-new/cmdlet-versions' }
    )

    # Parameters the 5.1 cmdlet lacks: a call passing one fails there with "A parameter cannot be
    # found". Abbreviations and aliases are resolved the way PowerShell 7 binds them.
    Parameters = @(
        @{ Command = 'Add-Content'; Parameters = @('AsByteStream'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.management/add-content?view=powershell-5.1' }
        @{ Command = 'Add-Type'; Parameters = @('CompilerOptions'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.utility/add-type?view=powershell-5.1' }
        @{ Command = 'Compress-Archive'; Parameters = @('PassThru'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.archive/compress-archive?view=powershell-5.1' }
        @{ Command = 'Convert-Path'; Parameters = @('Force'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.management/convert-path?view=powershell-5.1' }
        @{ Command = 'ConvertFrom-Json'; Parameters = @('AsHashtable', 'DateKind', 'Depth', 'NoEnumerate'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.utility/convertfrom-json?view=powershell-5.1' }
        @{ Command = 'ConvertFrom-SecureString'; Parameters = @('AsPlainText'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.security/convertfrom-securestring?view=powershell-5.1' }
        @{ Command = 'ConvertFrom-StringData'; Parameters = @('Delimiter'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.utility/convertfrom-stringdata?view=powershell-5.1' }
        @{ Command = 'ConvertTo-Csv'; Parameters = @('IncludeTypeInformation', 'NoHeader', 'QuoteFields', 'UseQuotes'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.utility/convertto-csv?view=powershell-5.1' }
        @{ Command = 'ConvertTo-Html'; Parameters = @('Charset', 'Meta', 'Transitional'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.utility/convertto-html?view=powershell-5.1' }
        @{ Command = 'ConvertTo-Json'; Parameters = @('AsArray', 'EnumsAsStrings', 'EscapeHandling'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.utility/convertto-json?view=powershell-5.1' }
        @{ Command = 'Debug-Job'; Parameters = @('BreakAll'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.core/debug-job?view=powershell-5.1' }
        @{ Command = 'Debug-Runspace'; Parameters = @('BreakAll'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.utility/debug-runspace?view=powershell-5.1' }
        @{ Command = 'Disable-PSBreakpoint'; Parameters = @('Runspace'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.utility/disable-psbreakpoint?view=powershell-5.1' }
        @{ Command = 'Enable-PSBreakpoint'; Parameters = @('Runspace'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.utility/enable-psbreakpoint?view=powershell-5.1' }
        @{ Command = 'Enter-PSHostProcess'; Parameters = @('CustomPipeName'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.core/enter-pshostprocess?view=powershell-5.1' }
        @{ Command = 'Enter-PSSession'; Parameters = @('ConnectingTimeout', 'HostName', 'KeyFilePath', 'Options', 'SSHTransport', 'Subsystem', 'UserName'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.core/enter-pssession?view=powershell-5.1' }
        @{ Command = 'Expand-Archive'; Parameters = @('PassThru'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.archive/expand-archive?view=powershell-5.1' }
        @{ Command = 'Export-Csv'; Parameters = @('IncludeTypeInformation', 'NoHeader', 'QuoteFields', 'UseQuotes'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.utility/export-csv?view=powershell-5.1' }
        @{ Command = 'ForEach-Object'; Parameters = @('AsJob', 'Parallel', 'ThrottleLimit', 'TimeoutSeconds', 'UseNewRunspace'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.core/foreach-object?view=powershell-5.1' }
        @{ Command = 'Format-Hex'; Parameters = @('Count', 'Offset'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.utility/format-hex?view=powershell-5.1' }
        @{ Command = 'Get-Clipboard'; Parameters = @('Delimiter'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.management/get-clipboard?view=powershell-5.1' }
        @{ Command = 'Get-Command'; Parameters = @('ExcludeModule', 'FuzzyMinimumDistance', 'UseAbbreviationExpansion', 'UseFuzzyMatching'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.core/get-command?view=powershell-5.1' }
        @{ Command = 'Get-Content'; Parameters = @('AsByteStream'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.management/get-content?view=powershell-5.1' }
        @{ Command = 'Get-Credential'; Parameters = @('Title'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.security/get-credential?view=powershell-5.1' }
        @{ Command = 'Get-Culture'; Parameters = @('ListAvailable', 'Name', 'NoUserOverrides'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.utility/get-culture?view=powershell-5.1' }
        @{ Command = 'Get-Date'; Parameters = @('AsUTC', 'UnixTimeSeconds'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.utility/get-date?view=powershell-5.1' }
        @{ Command = 'Get-Module'; Parameters = @('SkipEditionCheck'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.core/get-module?view=powershell-5.1' }
        @{ Command = 'Get-PSBreakpoint'; Parameters = @('Runspace'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.utility/get-psbreakpoint?view=powershell-5.1' }
        @{ Command = 'Get-PfxCertificate'; Parameters = @('NoPromptForPassword', 'Password'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.security/get-pfxcertificate?view=powershell-5.1' }
        @{ Command = 'Get-Random'; Parameters = @('Shuffle'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.utility/get-random?view=powershell-5.1' }
        @{ Command = 'Get-Unique'; Parameters = @('CaseInsensitive'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.utility/get-unique?view=powershell-5.1' }
        @{ Command = 'Get-Verb'; Parameters = @('Group'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.core/get-verb?view=powershell-5.1' }
        @{ Command = 'Import-Module'; Parameters = @('SkipEditionCheck', 'UseWindowsPowerShell'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.core/import-module?view=powershell-5.1' }
        @{ Command = 'Import-PowerShellDataFile'; Parameters = @('SkipLimitCheck'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.utility/import-powershelldatafile?view=powershell-5.1' }
        @{ Command = 'Invoke-Command'; Parameters = @('ConnectingTimeout', 'HostName', 'KeyFilePath', 'Options', 'RemoteDebug', 'SSHConnection', 'SSHTransport', 'Subsystem', 'UserName'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.core/invoke-command?view=powershell-5.1' }
        @{ Command = 'Invoke-RestMethod'; Parameters = @('AllowInsecureRedirect', 'AllowUnencryptedAuthentication', 'Authentication', 'ConnectionTimeoutSeconds', 'CustomMethod', 'FollowRelLink', 'Form', 'HttpVersion', 'MaximumFollowRelLink', 'MaximumRetryCount', 'NoProxy', 'OperationTimeoutSeconds', 'PreserveAuthorizationOnRedirect', 'PreserveHttpMethodOnRedirect', 'ResponseHeadersVariable', 'Resume', 'RetryIntervalSec', 'SkipCertificateCheck', 'SkipHeaderValidation', 'SkipHttpErrorCheck', 'SslProtocol', 'StatusCodeVariable', 'Token', 'UnixSocket'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.utility/invoke-restmethod?view=powershell-5.1' }
        @{ Command = 'Invoke-WebRequest'; Parameters = @('AllowInsecureRedirect', 'AllowUnencryptedAuthentication', 'Authentication', 'ConnectionTimeoutSeconds', 'CustomMethod', 'Form', 'HttpVersion', 'MaximumRetryCount', 'NoProxy', 'OperationTimeoutSeconds', 'PreserveAuthorizationOnRedirect', 'PreserveHttpMethodOnRedirect', 'Resume', 'RetryIntervalSec', 'SkipCertificateCheck', 'SkipHeaderValidation', 'SkipHttpErrorCheck', 'SslProtocol', 'Token', 'UnixSocket'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.utility/invoke-webrequest?view=powershell-5.1' }
        @{ Command = 'Join-Path'; Parameters = @('AdditionalChildPath'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.management/join-path?view=powershell-5.1' }
        @{ Command = 'Measure-Object'; Parameters = @('AllStats', 'StandardDeviation'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.utility/measure-object?view=powershell-5.1' }
        @{ Command = 'New-Guid'; Parameters = @('Empty', 'InputObject'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.utility/new-guid?view=powershell-5.1' }
        @{ Command = 'New-ModuleManifest'; Parameters = @('ExternalModuleDependencies', 'Prerelease', 'RequireLicenseAcceptance'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.core/new-modulemanifest?view=powershell-5.1' }
        @{ Command = 'New-PSSession'; Parameters = @('ConnectingTimeout', 'HostName', 'KeyFilePath', 'Options', 'SSHConnection', 'SSHTransport', 'Subsystem', 'UseWindowsPowerShell', 'UserName'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.core/new-pssession?view=powershell-5.1' }
        @{ Command = 'New-Service'; Parameters = @('SecurityDescriptorSddl'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.management/new-service?view=powershell-5.1' }
        @{ Command = 'New-TimeSpan'; Parameters = @('Milliseconds'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.utility/new-timespan?view=powershell-5.1' }
        @{ Command = 'Out-String'; Parameters = @('NoNewline'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.utility/out-string?view=powershell-5.1' }
        @{ Command = 'Read-Host'; Parameters = @('MaskInput'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.utility/read-host?view=powershell-5.1' }
        @{ Command = 'Register-ArgumentCompleter'; Parameters = @('NativeFallback'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.core/register-argumentcompleter?view=powershell-5.1' }
        @{ Command = 'Remove-PSBreakpoint'; Parameters = @('Runspace'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.utility/remove-psbreakpoint?view=powershell-5.1' }
        @{ Command = 'Resolve-Path'; Parameters = @('Force', 'RelativeBasePath'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.management/resolve-path?view=powershell-5.1' }
        @{ Command = 'Save-Help'; Parameters = @('Scope'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.core/save-help?view=powershell-5.1' }
        @{ Command = 'Select-Object'; Parameters = @('CaseInsensitive', 'SkipIndex'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.utility/select-object?view=powershell-5.1' }
        @{ Command = 'Select-String'; Parameters = @('Culture', 'NoEmphasis', 'Raw'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.utility/select-string?view=powershell-5.1' }
        @{ Command = 'Send-MailMessage'; Parameters = @('ReplyTo'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.utility/send-mailmessage?view=powershell-5.1' }
        @{ Command = 'Set-Clipboard'; Parameters = @('AsOSC52', 'PassThru'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.management/set-clipboard?view=powershell-5.1' }
        @{ Command = 'Set-Content'; Parameters = @('AsByteStream'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.management/set-content?view=powershell-5.1' }
        @{ Command = 'Set-PSBreakpoint'; Parameters = @('Runspace'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.utility/set-psbreakpoint?view=powershell-5.1' }
        @{ Command = 'Set-Service'; Parameters = @('Credential', 'Force', 'SecurityDescriptorSddl'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.management/set-service?view=powershell-5.1' }
        @{ Command = 'Sort-Object'; Parameters = @('Bottom', 'Stable', 'Top'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.utility/sort-object?view=powershell-5.1' }
        @{ Command = 'Split-Path'; Parameters = @('Extension', 'LeafBase'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.management/split-path?view=powershell-5.1' }
        @{ Command = 'Start-Job'; Parameters = @('WorkingDirectory'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.core/start-job?view=powershell-5.1' }
        @{ Command = 'Start-Process'; Parameters = @('Confirm', 'Environment', 'WhatIf'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.management/start-process?view=powershell-5.1' }
        @{ Command = 'Start-Sleep'; Parameters = @('Duration'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.utility/start-sleep?view=powershell-5.1' }
        @{ Command = 'Start-Transcript'; Parameters = @('UseMinimalHeader'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.host/start-transcript?view=powershell-5.1' }
        @{ Command = 'Stop-Transcript'; Parameters = @('Confirm', 'WhatIf'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.host/stop-transcript?view=powershell-5.1' }
        @{ Command = 'Tee-Object'; Parameters = @('Encoding'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.utility/tee-object?view=powershell-5.1' }
        @{ Command = 'Test-Connection'; Parameters = @('Detailed', 'DontFragment', 'IPv4', 'IPv6', 'MaxHops', 'MtuSize', 'Ping', 'Repeat', 'ResolveDestination', 'TargetName', 'TcpPort', 'TimeoutSeconds', 'Traceroute'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.management/test-connection?view=powershell-5.1' }
        @{ Command = 'Update-Help'; Parameters = @('Scope'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.core/update-help?view=powershell-5.1' }
        @{ Command = 'Wait-Process'; Parameters = @('Any', 'PassThru'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.management/wait-process?view=powershell-5.1' }
        @{ Command = 'Where-Object'; Parameters = @('Not'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.core/where-object?view=powershell-5.1' }
    )

    # Parameter aliases PowerShell 7 added to parameters that 5.1 has under another name.
    ParameterAliases = @(
        @{ Alias = 'lp'; Parameter = 'LiteralPath'; Source = 'https://learn.microsoft.com/powershell/scripting/whats-new/differences-from-windows-powershell#-lp-alias-for-all--literalpath-parameters' }
    )

    # More positional arguments than 5.1 binds: Join-Path a b c binds c to -AdditionalChildPath (6.0).
    Positional = @(
        @{ Command = 'Join-Path'; Parameters = @('Path', 'ChildPath'); Source = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.management/join-path?view=powershell-5.1' }
    )

    # -Encoding values: 5.1 accepts only these names (no utf8NoBOM, utf8BOM, ansi or code pages).
    Encoding = @{
        Commands = @('Add-Content', 'Get-Content', 'Set-Content', 'Export-Clixml', 'Export-Csv', 'Export-PSSession', 'Format-Hex', 'Import-Csv', 'Out-File', 'Select-String')
        Accepted = @('Ascii', 'BigEndianUnicode', 'BigEndianUTF32', 'Byte', 'Default', 'Oem', 'String', 'Unicode', 'Unknown', 'UTF32', 'UTF7', 'UTF8')
        Source   = 'https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_character_encoding?view=powershell-5.1'
    }
}
