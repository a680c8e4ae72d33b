"""Pages of the billing app (HTMX, Coordinator role)."""

app_name = "billing"
urlpatterns: list = []
