"""Routes of the contracts API."""

from rest_framework.routers import SimpleRouter

from portal.contracts.api import views

router = SimpleRouter()
router.register("engagements", views.EngagementViewSet)
router.register("engagement-extensions", views.EngagementExtensionViewSet)
router.register("engagement-notes", views.EngagementNoteViewSet)
router.register("credentialing-requirements", views.CredentialingRequirementViewSet)
router.register("contracts", views.ContractViewSet)
router.register("contract-participants", views.ContractParticipantViewSet)
router.register("contract-events", views.ContractEventViewSet)
router.register("time-entries", views.TimeEntryViewSet)
urlpatterns = router.urls
