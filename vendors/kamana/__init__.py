"""Kamana V2 (talent CRM/ATS): JSON:API payloads, outgoing body checks and endpoint paths; see README.md."""
