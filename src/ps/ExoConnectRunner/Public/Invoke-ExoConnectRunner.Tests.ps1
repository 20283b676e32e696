# A whole run through the module, with the sandbox ExchangeOnlineManagement standing in for Microsoft's.
BeforeAll {
    Import-Module -Name (Join-Path $PSScriptRoot '../ExoConnectRunner.psd1') -Force
    $script:SandboxModules = (Resolve-Path (Join-Path $PSScriptRoot '../../../../sandbox/modules')).Path
    $script:RunnerLauncher = { param() $PSBoundParameters = $args[1]; & $args[0] @PSBoundParameters }
    function Invoke-RunnerQuietly {
        param([string[]] $Lines, [string] $Faults = '', [string] $Parameters = '{}')
        $dir = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory -Path $dir | Out-Null
        $script = Join-Path $dir 'script.ps1'
        Set-Content -LiteralPath $script -Value $Lines
        $config = [pscustomobject]@{
            mode           = 'run'
            paths          = [pscustomobject]@{ events = (Join-Path $dir 'events.jsonl'); result = (Join-Path $dir 'result.json') }
            module         = [pscustomobject]@{ name = 'ExchangeOnlineManagement'; version = '3.9.0'; repository = 'PSGallery'; path = $SandboxModules; testedVersion = '3.9.0'; digest = $false }
            connection     = ('{"target":"exchange-online","authMethod":"access-token","environment":"O365Default","connectionUri":null,"authorizationEndpointUri":null,"organization":"contoso.onmicrosoft.com","delegatedOrganization":null,"prefix":null,"commandNames":"auto"}' | ConvertFrom-Json)
            credentials    = [pscustomobject]@{ kind = 'access-token'; token = 'token' }
            connectRetries = 0
            resultLimit    = 1000
            script         = [pscustomobject]@{ path = $script; input = 'script-file'; workingDirectory = $dir; parameters = $Parameters; errorActionPreference = 'Continue'; whatIf = $false }
        }
        $env:EXO_SANDBOX_STATE = $dir
        $env:EXO_SANDBOX_FAULTS = $Faults
        $console = [Console]::Out
        $errorConsole = [Console]::Error
        $log = New-Object System.IO.StringWriter
        [Console]::SetOut($log)
        [Console]::SetError($log)
        $here = Get-Location
        try {
            $output = @(InModuleScope ExoConnectRunner -Parameters @{ Config = $config; Launcher = $script:RunnerLauncher } { param($Config, $Launcher) Set-EventsPath -Path $Config.paths.events; Invoke-ExoConnectRunner -Config $Config -Launcher $Launcher })
        } finally {
            [Console]::SetOut($console)
            [Console]::SetError($errorConsole)
            Set-Location -LiteralPath $here
            Remove-Item -Path @('env:EXO_SANDBOX_STATE', 'env:EXO_SANDBOX_FAULTS')
        }
        [pscustomobject]@{ Output = $output; Log = $log.ToString(); Config = $config; Events = @(Get-Content -LiteralPath $config.paths.events | ConvertFrom-Json) }
    }
}
AfterAll { Remove-Module -Name @('ExoConnectRunner', 'ExchangeOnlineManagement') -ErrorAction SilentlyContinue }

Describe 'Invoke-ExoConnectRunner' {
    It 'imports, connects, runs the script and disconnects, and returns only the exit code' {
        $run = Invoke-RunnerQuietly -Lines @('Get-Mailbox -ResultSize 1 | Out-Null', 'exit 2')
        $run.Output | Should -Be @(2)
        $sequence = @($run.Events | ForEach-Object { if ($_.event -eq 'phase') { "$($_.name):$($_.status)" } else { $_.event } })
        $sequence | Should -Be @('module:start', 'module', 'module:end', 'commands', 'connect:start', 'connected', 'connect:end', 'script:start', 'script', 'script:end', 'teardown', 'disconnected', 'teardown')
        $run.Config.credentials | Should -BeNullOrEmpty
    }

    It 'records a failed connect in its phase, exits 1 and has nothing to tear down' {
        $run = Invoke-RunnerQuietly -Lines @('Get-Mailbox') -Faults 'connect-auth'
        $run.Output | Should -Be @(1)
        $failure = @($run.Events | Where-Object { $_.event -eq 'error' })
        $failure.Count | Should -Be 1
        $failure[0].phase | Should -Be 'connect'
        $failure[0].message | Should -BeLike '*AADSTS700027*'
        $run.Log | Should -Match 'Nothing was connected\.'
        @($run.Events | Where-Object { $_.event -eq 'disconnected' }).Count | Should -Be 0
    }

    It 'refuses parameters the script does not declare before anything loads or connects' {
        $run = Invoke-RunnerQuietly -Lines @('param([int] $Days = 7)', '"days=$Days"') -Parameters '{"Dayz": 30}'
        $run.Output | Should -Be @(1)
        @($run.Events | ForEach-Object { $_.event }) | Should -Be @('error', 'teardown', 'teardown')
        $run.Events[0].phase | Should -Be 'parameters'
        $run.Events[0].message | Should -BeLike "Input 'parameters': 'Dayz' is not a parameter of the script.*Days."
        $run.Log | Should -Match 'Nothing was connected\.'
    }

    It 'disconnects when something fails between the connect and its "connected" event' {
        Mock -ModuleName ExoConnectRunner Get-NewConnection { throw 'Reading the new connection failed (injected).' }
        $run = Invoke-RunnerQuietly -Lines @('"never runs"')
        $run.Output | Should -Be @(1)
        $failure = @($run.Events | Where-Object { $_.event -eq 'error' })
        $failure[0].phase | Should -Be 'connect'
        $failure[0].message | Should -Be 'Reading the new connection failed (injected).'
        @($run.Events | Where-Object { $_.event -eq 'connected' }).Count | Should -Be 0
        @($run.Events | Where-Object { $_.event -eq 'disconnected' }).Count | Should -Be 1
        $run.Log | Should -Not -Match 'Nothing was connected'
    }

    It 'runs the script and then disconnects when Get-ConnectionInformation keeps failing after the connect' {
        $run = Invoke-RunnerQuietly -Lines @('"ran"') -Faults 'connection-info-fail:3'
        $run.Output | Should -Be @(0)
        @($run.Events | Where-Object { $_.event -eq 'error' }).Count | Should -Be 0
        @($run.Events | Where-Object { $_.event -eq 'connected' }).Count | Should -Be 1
        @($run.Events | Where-Object { $_.event -eq 'disconnected' }).Count | Should -Be 1
        $run.Log | Should -Match '::warning::Connect-ExchangeOnline connected, but Get-ConnectionInformation then failed three times'
    }
}

Describe 'Invoke-ExoConnectRunner: a teardown whose check fails' {
    It 'says the disconnect returned and only the check after it failed' {
        # Three failures at the connect (its read and two retries), then the teardown's check.
        $run = Invoke-RunnerQuietly -Lines @('"ran"') -Faults 'connection-info-fail:4'
        $failed = @($run.Events | Where-Object { $_.event -eq 'error' -and $_.phase -eq 'teardown' })
        $failed.Count | Should -Be 1
        $failed[0].message | Should -BeLike 'Disconnect-ExchangeOnline returned, but the check after it failed (Get-ConnectionInformation: Get-ConnectionInformation failed (injected).), so no connection is known to be left or gone.'
        @($run.Events | Where-Object { $_.event -eq 'disconnected' }).Count | Should -Be 0
    }
}

Describe 'runner.ps1' {
    It 'ends with exit code 1, and the error, when its module fails to load' {
        # A copy of the runner whose module throws as it loads (a cmdlet missing, say).
        $copy = Join-Path $TestDrive 'ps'
        Copy-Item -LiteralPath (Join-Path $PSScriptRoot '../..') -Destination $copy -Recurse
        $module = Join-Path $copy 'ExoConnectRunner/ExoConnectRunner.psm1'
        Set-Content -LiteralPath $module -Value (@("throw 'the module failed to load (test)'") + @(Get-Content -LiteralPath $module))
        . (Join-Path $PSScriptRoot '../../../../test/ps/TestPwsh.ps1')
        $pwsh = Get-TestPwsh
        $output = '' | & $pwsh -NoProfile -NonInteractive -File (Join-Path $copy 'runner.ps1') 2>&1
        $LASTEXITCODE | Should -Be 1
        ($output | Out-String) | Should -Match 'the module failed to load \(test\)'
    }
}

Describe 'runner.ps1 with its library as .NET startup hook' {
    BeforeAll {
        . (Join-Path $PSScriptRoot '../../../../test/ps/TestPwsh.ps1')
        $pwsh = Get-TestPwsh
        # A PowerShell started with the hook, as the action starts the runner's (session.ts).
        function Invoke-HookedPwsh {
            param([string] $Library, [string[]] $Arguments)
            $before = $env:DOTNET_STARTUP_HOOKS
            $env:DOTNET_STARTUP_HOOKS = $Library
            try { '' | & $pwsh -NoProfile -NonInteractive @Arguments 2>&1 } finally { $env:DOTNET_STARTUP_HOOKS = $before }
        }
        function New-RunnerCopy {
            param([string] $Name)
            $copy = Join-Path $TestDrive $Name
            Copy-Item -LiteralPath (Join-Path $PSScriptRoot '../..') -Destination $copy -Recurse
            $copy
        }
        # runner.ps1 from a script of the same PowerShell (its exit ends only runner.ps1), with what
        # the hook left before and after it. The module on disk no longer parses once the hook has
        # parsed it: runner.ps1 loads it only from the hook's syntax tree.
        $probe = Join-Path $TestDrive 'probe.ps1'
        Set-Content -LiteralPath $probe -Value @(
            'param($Runner, $Key)'
            '$before = [AppDomain]::CurrentDomain.GetData($Key)'
            '"before: " + $before.Result.GetType().Name + " of " + $before.Result.Extent.File'
            'Add-Content -LiteralPath $before.Result.Extent.File -Value "function Broken {"'
            '& $Runner'
            '"exit: $LASTEXITCODE"'
            '"after: " + ($null -eq [AppDomain]::CurrentDomain.GetData($Key))'
        )
    }

    It 'takes the module the hook parsed as PowerShell started, and empties its place' {
        $copy = New-RunnerCopy -Name 'hooked'
        $module = [System.IO.Path]::Combine($copy, 'ExoConnectRunner', 'ExoConnectRunner.psm1')
        $output = Invoke-HookedPwsh -Library (Join-Path $copy 'ExoConnectRunner/bin/ExoConnectRunner.Native.dll') -Arguments @(
            '-File', $probe, '-Runner', (Join-Path $copy 'runner.ps1'), '-Key', ('ExoConnectRunner.ModuleParse:' + $module))
        $lines = @($output | ForEach-Object { [string]$_ })
        $lines | Should -Contain "before: ScriptBlockAst of $module"
        # Empty stdin: the module loaded, then the configuration could not be read.
        ($lines -join "`n") | Should -Match 'could not read its configuration'
        ($lines -join "`n") | Should -Not -Match 'Missing closing'
        $lines | Should -Contain 'exit: 1'
        $lines | Should -Contain 'after: True'
    }

    It 'starts PowerShell as usual where no module is beside the library' {
        $lone = Join-Path $TestDrive 'lone/bin'
        New-Item -ItemType Directory -Path $lone | Out-Null
        Copy-Item -LiteralPath (Join-Path $PSScriptRoot '../bin/ExoConnectRunner.Native.dll') -Destination $lone
        $output = Invoke-HookedPwsh -Library (Join-Path $lone 'ExoConnectRunner.Native.dll') -Arguments @('-Command', '"started"')
        $LASTEXITCODE | Should -Be 0
        @($output | ForEach-Object { [string]$_ }) | Should -Be @('started')
    }

    It 'parses the module itself, and fails with its error, where the hook could not parse it' {
        $copy = New-RunnerCopy -Name 'broken'
        $module = Join-Path $copy 'ExoConnectRunner/ExoConnectRunner.psm1'
        Set-Content -LiteralPath $module -Value (@(Get-Content -LiteralPath $module) + @('function Broken {'))
        $output = Invoke-HookedPwsh -Library (Join-Path $copy 'ExoConnectRunner/bin/ExoConnectRunner.Native.dll') -Arguments @('-File', (Join-Path $copy 'runner.ps1'))
        $LASTEXITCODE | Should -Be 1
        ($output | Out-String) | Should -Match 'Missing closing'
    }
}
