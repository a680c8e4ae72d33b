"""Pages of the jobs app (HTMX, Coordinator role)."""

app_name = "jobs"
urlpatterns: list = []
