"""Pages of the talent app (HTMX, Coordinator role)."""

from django.urls import path

from portal.talent import relationship_views, views

app_name = "talent"
urlpatterns = [
    path("", views.PeopleView.as_view(), name="people"),
    path("<int:pk>/timeline/", views.TimelineView.as_view(), name="timeline"),
    path(
        "<int:pk>/relationships/<int:relationship_pk>/",
        relationship_views.RelationshipRowView.as_view(),
        name="relationship",
    ),
    path(
        "<int:pk>/relationships/<int:relationship_pk>/status/",
        relationship_views.RelationshipStatusView.as_view(),
        name="relationship-status",
    ),
    path(
        "<int:pk>/relationships/<int:relationship_pk>/do-not-hire/",
        relationship_views.DoNotHireView.as_view(),
        name="relationship-do-not-hire",
    ),
    path(
        "<int:pk>/relationships/<int:relationship_pk>/retry/<int:request_pk>/",
        relationship_views.RetryRelationshipPushView.as_view(),
        name="relationship-retry",
    ),
]
