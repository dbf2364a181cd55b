"""The command line: `chargedesk serve`, `simulate`, `db`, `stations`, `tags`, … ."""
