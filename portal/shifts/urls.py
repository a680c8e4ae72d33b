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

# Home-care visits: the week (issue 9) and the pages that work one visit (issue 23), in their own modules.
from portal.shifts import visit_actions, visit_views  # noqa: E402

urlpatterns += [
    path("visits/", visit_views.VisitWeekView.as_view(), name="visits"),
    path("visits/new/", visit_actions.VisitCreateView.as_view(), name="visit-create"),
    path("visits/<int:pk>/", visit_actions.VisitDetailView.as_view(), name="visit"),
    path("visits/<int:pk>/change/", visit_actions.VisitChangeView.as_view(), name="visit-change"),
    path("visits/<int:pk>/staff/", visit_actions.StaffVisitView.as_view(), name="visit-staff"),
    path("visits/<int:pk>/cancel/", visit_actions.CancelVisitView.as_view(), name="visit-cancel"),
    path("visits/<int:pk>/punchcard/", visit_actions.PunchcardCorrectionView.as_view(), name="visit-punchcard"),
    path("visits/<int:pk>/delivery/", visit_actions.VisitDeliveryView.as_view(), name="visit-delivery"),
    path(
        "visits/<int:pk>/deliveries/<int:row_pk>/retry/",
        visit_actions.RetryVisitDeliveryView.as_view(),
        name="visit-retry-delivery",
    ),
]

# "Find on <vendor>" for an unfilled shift, visit or open requisition (issue 22); <kind>: shift, visit, requisition.
from portal.shifts import sourcing_views  # noqa: E402

SOURCE = "source/<str:kind>/<int:pk>/"
urlpatterns += [
    path(f"{SOURCE}<int:connection_pk>/", sourcing_views.FindView.as_view(), name="find"),
    path(
        f"{SOURCE}<int:connection_pk>/people/<int:person>/", sourcing_views.ViewPersonView.as_view(), name="find-person"
    ),
    path(f"{SOURCE}<int:connection_pk>/book/", sourcing_views.BookSlotView.as_view(), name="find-book"),
    path(f"{SOURCE}bookings/", sourcing_views.SourcingPanelView.as_view(), name="sourcing-panel"),
]
