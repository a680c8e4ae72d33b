"""Pages of the talent app (HTMX, Coordinator role)."""

app_name = "talent"
urlpatterns: list = []
