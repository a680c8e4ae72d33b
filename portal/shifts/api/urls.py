"""Routes of the shifts API."""

from rest_framework.routers import SimpleRouter

from portal.shifts.api import views

router = SimpleRouter()
router.register("shift-requests", views.ShiftRequestViewSet)
router.register("timecards", views.TimecardViewSet)
router.register("visits", views.VisitViewSet)
router.register("recurring-visit-groups", views.RecurringVisitGroupViewSet)
urlpatterns = router.urls
