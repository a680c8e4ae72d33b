"""CareerBuilder Candidate Status: push candidate and application statuses, pull them back by email or requisition."""
