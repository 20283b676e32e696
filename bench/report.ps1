# The script both sides run: a small mailbox report.
Get-EXOMailbox -ResultSize 5 | Select-Object DisplayName, PrimarySmtpAddress
