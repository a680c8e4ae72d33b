"""REST API of the contracts app, mounted under /api/v1/ by portal/api_urls.py."""
