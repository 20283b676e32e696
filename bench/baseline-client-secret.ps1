# The hand-written step for a client secret: the token requested with Invoke-RestMethod
# (client credentials grant, https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow),
# then the module imported, connected with -AccessToken, the same script, disconnected.
$ErrorActionPreference = 'Stop'
$body = @{
    client_id     = $env:BENCH_APP_ID
    client_secret = $env:BENCH_CLIENT_SECRET
    scope         = 'https://outlook.office365.com/.default'
    grant_type    = 'client_credentials'
}
$token = Invoke-RestMethod -Method Post -Uri "https://$env:BENCH_AUTHORITY/contoso.onmicrosoft.com/oauth2/v2.0/token" -Body $body
Import-Module ExchangeOnlineManagement -RequiredVersion 3.9.0
try {
    Connect-ExchangeOnline -AccessToken $token.access_token -Organization contoso.onmicrosoft.com -ShowBanner:$false
    & $env:BENCH_SCRIPT
} finally {
    Disconnect-ExchangeOnline -Confirm:$false
}
