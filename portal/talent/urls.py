"""Pages of the talent app (HTMX, Coordinator role)."""

from django.urls import path

from portal.talent import views

app_name = "talent"
urlpatterns = [
    path("", views.PeopleView.as_view(), name="people"),
    path("<int:pk>/timeline/", views.TimelineView.as_view(), name="timeline"),
]
