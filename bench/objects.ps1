# The script both sides run for the result-file figures: BENCH_OBJECTS mailbox-like objects of ten
# properties each (text with commas and quotes for CSV, numbers, a date, a GUID), made here so that
# no sandbox cost is measured.
$count = [int]$env:BENCH_OBJECTS
$origin = [datetime]::new(2026, 1, 1, 0, 0, 0, [System.DateTimeKind]::Utc)
$zero = [byte[]]::new(8)
foreach ($i in 1..$count) {
    [pscustomobject]@{
        DisplayName          = "User $i"
        PrimarySmtpAddress   = "user$i@contoso.onmicrosoft.com"
        Alias                = "user$i"
        RecipientTypeDetails = 'UserMailbox'
        ItemCount            = ($i * 7) % 50000
        TotalItemSizeMB      = [math]::Round((($i * 37) % 5000000) / 100.0, 2)
        ProhibitSendQuota    = '99 GB (106,300,440,576 bytes)'
        LastLogonTime        = $origin.AddMinutes($i)
        Notes                = "said ""hi"" on day $($i % 365)"
        ExchangeGuid         = [guid]::new($i, 0, 0, $zero)
    }
}
