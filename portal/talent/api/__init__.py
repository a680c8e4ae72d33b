"""REST API of the talent app, mounted under /api/v1/ by portal/api_urls.py."""
