"""Routes of the jobs API."""

from rest_framework.routers import SimpleRouter

from portal.jobs.api import views

router = SimpleRouter()
router.register("provinces", views.ProvinceViewSet)
router.register("professions", views.ProfessionViewSet)
router.register("specialties", views.SpecialtyViewSet)
router.register("clients", views.ClientViewSet)
router.register("client-contacts", views.ClientContactViewSet)
router.register("facilities", views.FacilityViewSet)
router.register("patients", views.PatientViewSet)
router.register("job-requisitions", views.JobRequisitionViewSet)
urlpatterns = router.urls
