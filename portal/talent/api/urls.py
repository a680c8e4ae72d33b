"""Routes of the talent API."""

from rest_framework.routers import SimpleRouter

from portal.talent.api import views

router = SimpleRouter()
router.register("skills", views.SkillViewSet)
router.register("talent-profiles", views.TalentProfileViewSet)
router.register("talent-references", views.TalentReferenceViewSet)
router.register("account-relationships", views.AccountRelationshipViewSet)
router.register("candidate-statuses", views.CandidateStatusViewSet)
urlpatterns = router.urls
