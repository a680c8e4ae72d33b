"""Pages of the contracts app (HTMX, Coordinator role)."""

app_name = "contracts"
urlpatterns: list = []
