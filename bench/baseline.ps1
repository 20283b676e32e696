# The hand-written step the action is measured against: what people write in `shell: pwsh`.
# It imports the module, loads the certificate, connects, runs the same script, disconnects.
$ErrorActionPreference = 'Stop'
Import-Module ExchangeOnlineManagement -RequiredVersion 3.9.0
$bytes = [Convert]::FromBase64String($env:BENCH_PFX)
$certificate = New-Object System.Security.Cryptography.X509Certificates.X509Certificate2 -ArgumentList @($bytes, $env:BENCH_PFX_PASSWORD)
try {
    Connect-ExchangeOnline -AppId $env:BENCH_APP_ID -Certificate $certificate -Organization contoso.onmicrosoft.com -ShowBanner:$false
    & $env:BENCH_SCRIPT
} finally {
    Disconnect-ExchangeOnline -Confirm:$false
}
