"""Pages of the jobs app, one module per page family: `requisitions`, `clients` (with contacts inline),
`facilities`, and `deliveries` (the panel of what was sent, shared by clients and facilities)."""
