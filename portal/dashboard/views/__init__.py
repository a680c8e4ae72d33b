"""The dashboard's pages: Today, the calendar and its feeds, the coordinator's preferences, the digest's
unsubscribe link."""
