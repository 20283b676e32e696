# Another PowerShell step of the same job, run just before each side in one bench scenario: it
# lists files and formats a table, work unlike the report's.
Get-ChildItem -LiteralPath $PSHOME -Filter *.json | Select-Object Name, Length | Format-Table | Out-String | Out-Null
