<#
  For the e2e workflow: makes a throwaway self-signed certificate and hands it to the job's later
  steps as TEST_PFX (base64) and TEST_PFX_PASSWORD, both masked first. Written in PowerShell, not
  as OpenSSL in a bash step: on Windows that bash is Git Bash, which rewrites an argument such as
  -subj "/CN=exo-e2e" into a Windows path, and OpenSSL refuses it. Runs on PowerShell 7.
#>
$ErrorActionPreference = 'Stop'
$rsa = [System.Security.Cryptography.RSA]::Create(2048)
$request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new(
    'CN=exo-e2e', $rsa, [System.Security.Cryptography.HashAlgorithmName]::SHA256,
    [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
$now = [DateTimeOffset]::UtcNow
# 60 days: the action warns about a certificate that expires within 30.
$certificate = $request.CreateSelfSigned($now.AddMinutes(-5), $now.AddDays(60))
$password = [Convert]::ToHexString([System.Security.Cryptography.RandomNumberGenerator]::GetBytes(16))
$pfx = [Convert]::ToBase64String($certificate.Export([System.Security.Cryptography.X509Certificates.X509ContentType]::Pfx, $password))
"::add-mask::$password"
"::add-mask::$pfx"
"TEST_PFX=$pfx", "TEST_PFX_PASSWORD=$password" | Out-File -Append -Encoding utf8 -FilePath $env:GITHUB_ENV
