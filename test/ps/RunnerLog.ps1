# For the runner's Pester tests: what a body wrote to stdout, where the runner writes its log
# ([Console]::Out, not the pipeline). Global, so that InModuleScope blocks can call it too.
function global:Get-RunnerLog {
    param([Parameter(Mandatory)][scriptblock] $Body)
    $console = [Console]::Out
    $log = New-Object System.IO.StringWriter
    [Console]::SetOut($log)
    try { [void](& $Body) } finally { [Console]::SetOut($console) }
    $log.ToString().TrimEnd()
}
