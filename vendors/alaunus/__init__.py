"""Alaunus (home care): typed payloads, endpoint paths and, later, client, mapping, sync and sandbox."""
