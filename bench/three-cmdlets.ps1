# Uses three remote cmdlets, for the cmdlet-subset figure.
Get-Mailbox -ResultSize 2 | Select-Object DisplayName
Get-DistributionGroup -ResultSize 1 | Select-Object DisplayName
Set-Mailbox -Identity adele -Department Retail -WhatIf
