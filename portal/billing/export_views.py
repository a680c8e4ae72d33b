"""The exports page (issue 20): a range of the agency's days, and a CSV and an XLSX link for each export.

The downloads take the same query string as the page; a refused range shows the page again with its error
(status 400) instead of an empty file. For coordinators and admins, as every billing page.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.http import urlencode
from django.views import View
from django.views.generic import TemplateView

from portal.billing.export_files import FORMATS, csv_response, xlsx_response
from portal.billing.exports import EXPORTS, ExportRange
from portal.billing.forms import ExportForm
from portal.core.roles import RoleRequiredMixin

__all__ = ["ExportDownloadView", "ExportsView", "export_range"]


def export_range(query) -> tuple[ExportForm, ExportRange | None]:
    """The form read from a query string and its range: this month so far when none is given, None when the
    given one is refused."""
    today = timezone.localdate()
    default = {"first": today.replace(day=1), "last": today, "per": "day"}
    form = ExportForm(query if {"first", "last", "per"} & set(query) else None, initial=default)
    if not form.is_bound:
        return form, ExportRange(**default)
    if not form.is_valid():
        return form, None
    return form, ExportRange(form.cleaned_data["first"], form.cleaned_data["last"], form.cleaned_data["per"])


class ExportsView(RoleRequiredMixin, TemplateView):
    template_name = "billing/exports.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form, period = export_range(self.request.GET)
        query = urlencode({"first": period.first, "last": period.last, "per": period.per}) if period else ""
        exports = [(export, [(fmt, f"{export.name}.{fmt}") for fmt in FORMATS]) for export in EXPORTS.values()]
        return super().get_context_data(form=form, period=period, query=query, exports=exports, **kwargs)


class ExportDownloadView(RoleRequiredMixin, View):
    def get(self, request, name: str, fmt: str) -> HttpResponse:
        export = EXPORTS.get(name)
        if export is None or fmt not in FORMATS:
            raise Http404("No such export.")
        form, period = export_range(request.GET)
        if period is None:
            context = {"form": form, "period": None, "exports": [], "query": ""}
            return TemplateResponse(request, ExportsView.template_name, context, status=400)
        return csv_response(export, period) if fmt == "csv" else xlsx_response(export, period)
