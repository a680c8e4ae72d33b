"""Pages of the gate (issue 19): mounted at the site root, so its paths are the issue's (`/findings/`)."""

from django.urls import path

from portal.gate import duplicate_views, views

app_name = "gate"
urlpatterns = [
    path("findings/", views.FindingListView.as_view(), name="findings"),
    path("findings/<int:pk>/decide/", views.DecideFindingView.as_view(), name="decide"),
    path("gate/shifts/<int:pk>/book/", views.BookShiftView.as_view(), name="book-shift"),
    path("talent/duplicates/", duplicate_views.DuplicateListView.as_view(), name="duplicates"),
    path("talent/duplicates/refresh/", duplicate_views.RefreshDuplicatesView.as_view(), name="duplicates-refresh"),
    path("talent/duplicates/<int:pk>/", duplicate_views.DuplicateReviewView.as_view(), name="duplicate"),
    path("talent/duplicates/merges/<int:pk>/undo/", duplicate_views.UnmergeView.as_view(), name="unmerge"),
]
