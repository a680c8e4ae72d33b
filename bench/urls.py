"""The portal's URLs plus `/bench/bare/`: a view that reads the body and answers JSON, nothing else."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from portal.urls import handler403  # noqa: F401
from portal.urls import urlpatterns as portal_urlpatterns


@login_not_required
@csrf_exempt
def bare(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"received": len(request.body)}, status=202)


urlpatterns = [path("bench/bare/", bare), *portal_urlpatterns]
