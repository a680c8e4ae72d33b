"""Pages of the gate (issue 19): mounted at the site root, so its paths are the issue's (`/findings/`)."""

from django.urls import path

from portal.gate import views

app_name = "gate"
urlpatterns = [
    path("findings/", views.FindingListView.as_view(), name="findings"),
    path("findings/<int:pk>/decide/", views.DecideFindingView.as_view(), name="decide"),
    path("gate/shifts/<int:pk>/book/", views.BookShiftView.as_view(), name="book-shift"),
]
