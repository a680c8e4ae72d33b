"""One view serves the full page and its HTMX partial (NetBox `utilities/htmx.py`)."""

from __future__ import annotations

from django.http import HttpResponse

__all__ = ["HTMX_STOP_POLLING", "HtmxTemplateMixin", "stop_polling"]

# htmx stops an `every Ns` poll when the server answers 286.
HTMX_STOP_POLLING = 286


class HtmxTemplateMixin:
    """Set `htmx_template_name`; an HTMX request (not a boosted navigation) gets only that partial."""

    htmx_template_name: str | None = None

    def get_template_names(self) -> list[str]:
        request = self.request
        if self.htmx_template_name and request.htmx and not request.htmx.boosted:
            return [self.htmx_template_name]
        return super().get_template_names()


def stop_polling(response: HttpResponse) -> HttpResponse:
    response.status_code = HTMX_STOP_POLLING
    return response
