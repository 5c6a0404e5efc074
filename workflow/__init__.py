"""The licensure road: one state machine, an append-only hash-chained event log, and its projections."""
