"""Forms of the jobs pages, one module per page family: `requisitions`, `clients` (with contacts), `facilities`
(with the list search), and `sending` (the "Send to" choice of every create form)."""
