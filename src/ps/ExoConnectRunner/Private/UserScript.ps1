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
