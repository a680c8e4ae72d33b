"""REST API of the jobs app, mounted under /api/v1/ by portal/api_urls.py."""
