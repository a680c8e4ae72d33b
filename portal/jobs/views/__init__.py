"""Pages of the jobs app, one module per page family: `requisitions`, `clients` (with contacts inline),
`facilities`; `lists` (the client and facility lists' search and paging) and `deliveries` (the panel of what was
sent) are shared by clients and facilities."""
