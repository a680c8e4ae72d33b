"""REST API of the shifts app, mounted under /api/v1/ by portal/api_urls.py."""
