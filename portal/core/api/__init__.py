"""Shared pieces of the portal's REST API; each domain app's `api/` builds on them."""
