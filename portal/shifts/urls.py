"""Pages of the shifts app (HTMX, Coordinator role)."""

from django.urls import path

from portal.shifts import views

app_name = "shifts"
urlpatterns = [
    path("", views.BoardView.as_view(), name="board"),
    path("new/", views.ShiftCreateView.as_view(), name="create"),
    path("<int:pk>/", views.ShiftDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.ShiftEditView.as_view(), name="edit"),
    path("<int:pk>/cancel/", views.CancelShiftView.as_view(), name="cancel"),
    path("<int:pk>/delivery/", views.DeliveryView.as_view(), name="delivery"),
    path("<int:pk>/deliveries/<int:row_pk>/retry/", views.RetryDeliveryView.as_view(), name="retry-delivery"),
    path("<int:pk>/timecard/", views.TimecardView.as_view(), name="timecard"),
]

# Home-care visits week (issue 9); its views live in their own module.
from portal.shifts import visit_views  # noqa: E402

urlpatterns += [path("visits/", visit_views.VisitWeekView.as_view(), name="visits")]
