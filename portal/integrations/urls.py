"""Integrations pages (Admin role)."""
app_name = "integrations"
urlpatterns: list = []
