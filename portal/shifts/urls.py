"""Pages of the shifts app (HTMX, Coordinator role)."""

app_name = "shifts"
urlpatterns: list = []
