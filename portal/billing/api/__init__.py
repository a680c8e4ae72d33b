"""REST API of the billing app, mounted under /api/v1/ by portal/api_urls.py."""
