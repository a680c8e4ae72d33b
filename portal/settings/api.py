"""The portal's own REST API (`/api/v1/`)."""

from __future__ import annotations

from datetime import timedelta

from portal.settings.env import env_str

__all__ = ["KNOX_TOKEN_MODEL", "MIGRATION_MODULES", "REST_FRAMEWORK", "REST_KNOX", "SPECTACULAR_SETTINGS"]

# API tokens are knox's: only a SHA-512 digest is stored, each token expires, and none is ever refreshed by use
# (an integration that keeps working must still be given a new token before the old one ends).
KNOX_TOKEN_MODEL = "core.ApiToken"  # noqa: S105 (a model name, not a secret)
# knox's own migrations create its AuthToken table even when the model is swapped out: an unused table whose
# foreign key to users also stops Django's flush (TRUNCATE auth_user). The app keeps no table of its own here.
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=int(env_str("API_TOKEN_TTL_DAYS", "90"))),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "portal.core.api.authentication.RoleTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["portal.core.api.permissions.HasApiRole"],
    "DEFAULT_PAGINATION_CLASS": "portal.core.api.pagination.StableCursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "portal.core.api.errors.json_exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Staffing Portal API",
    "DESCRIPTION": "The portal's local record of staffing work: jobs, talent, shifts, contracts and billing.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Swagger UI served from our own static files (the sidecar package), never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Two apps each have a `status` field with different choices: name their enums explicitly.
    "ENUM_NAME_OVERRIDES": {
        "ShiftRequestStatusEnum": "portal.shifts.models.ShiftRequest.Status",
        "AccountRelationshipStatusEnum": "portal.talent.models.AccountRelationship.Status",
    },
}
