from django.urls import path

from portal.gate.api.views import AssignmentCheckView

urlpatterns = [path("assignment-checks/", AssignmentCheckView.as_view(), name="assignment-check")]
