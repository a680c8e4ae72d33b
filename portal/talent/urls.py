"""Pages of the talent app (HTMX, Coordinator role)."""

from django.urls import path

from portal.talent import account_views, relationship_views, views

app_name = "talent"
# One relationship of the person `pk`: the views answer 404 when it is someone else's.
RELATIONSHIP = "<int:pk>/relationships/<int:relationship_pk>/"
urlpatterns = [
    path("", views.PeopleView.as_view(), name="people"),
    path("<int:pk>/timeline/", views.TimelineView.as_view(), name="timeline"),
    path("<int:pk>/add-to-account/", account_views.AddToAccountView.as_view(), name="add-to-account"),
    path(RELATIONSHIP, relationship_views.RelationshipRowView.as_view(), name="relationship"),
    path(f"{RELATIONSHIP}status/", relationship_views.RelationshipStatusView.as_view(), name="relationship-status"),
    path(f"{RELATIONSHIP}do-not-hire/", relationship_views.DoNotHireView.as_view(), name="relationship-do-not-hire"),
    path(
        f"{RELATIONSHIP}retry/<int:request_pk>/",
        relationship_views.RetryRelationshipPushView.as_view(),
        name="relationship-retry",
    ),
]
