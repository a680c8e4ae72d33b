"""The exports over REST (issue 20): `/api/v1/exports/payroll-hours/`, `billing/` and `exceptions/`.

The rows of the exports page as JSON pages (`page`, `page_size` up to 500; `next` and `previous` links, no count:
rows are computed, not stored), or the whole range as streamed CSV with `?format=csv`. The range is required and
checked by the page's own form, so a refused one answers 400 with the same message.
"""

from __future__ import annotations

from itertools import islice

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from portal.billing.export_files import csv_response
from portal.billing.exports import EXPORTS, Export, ExportRange
from portal.billing.forms import ExportForm

__all__ = ["BillingExportView", "ExceptionExportView", "PayrollHoursExportView"]

PAGE_SIZE, MAX_PAGE_SIZE = 100, 500
PAID = {"max_digits": 9, "decimal_places": 2}
HOURS = {**PAID, "allow_null": True}


class CsvRenderer(BaseRenderer):
    """Lets `?format=csv` through content negotiation; the view answers with the streamed file itself."""

    media_type = "text/csv"
    format = "csv"

    def render(self, data, accepted_media_type=None, renderer_context=None):  # pragma: no cover - never reached
        raise NotImplementedError("The export views stream their CSV themselves.")


class PayrollHoursRowSerializer(serializers.Serializer):
    worker_id = serializers.IntegerField()
    worker = serializers.CharField()
    from_ = serializers.DateField(label="from")
    to = serializers.DateField()
    regular_hours = serializers.DecimalField(**PAID)
    overtime_hours = serializers.DecimalField(**PAID)
    double_hours = serializers.DecimalField(**PAID)
    holiday_hours = serializers.DecimalField(**PAID)
    total_hours = serializers.DecimalField(**PAID)
    holidays = serializers.CharField(help_text="Public holidays among the days, '; ' between them.")

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")  # a Python keyword as a field name
        return fields


class BillingRowSerializer(serializers.Serializer):
    record = serializers.CharField(help_text="Alaunus invoice service or tax line, Ceki charge or Ceki bill.")
    reference = serializers.CharField()
    date = serializers.DateField(allow_null=True)
    party = serializers.CharField(help_text="The invoiced client or patient, or the Ceki contract.")
    description = serializers.CharField()
    hours = serializers.DecimalField(**HOURS)
    rate = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    currency = serializers.CharField()
    status = serializers.CharField()


class ExceptionRowSerializer(serializers.Serializer):
    problem = serializers.CharField()
    problem_label = serializers.CharField()
    status = serializers.ChoiceField(choices=["open", "resolved"])
    source = serializers.CharField()
    subject = serializers.CharField()
    starts_local = serializers.DateTimeField(help_text="Wall-clock start in `time_zone`, without an offset.")
    time_zone = serializers.CharField()
    worked_hours = serializers.DecimalField(**HOURS)
    billed_hours = serializers.DecimalField(**HOURS)
    billed_rate = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    card_rate = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    detail = serializers.CharField()
    resolution_reason = serializers.CharField(help_text="Why a coordinator resolved it; empty while open.")
    resolved_by = serializers.CharField()
    key = serializers.CharField(help_text="Problem, source and vendor record: the same every time it is found.")


def _page_serializer(name: str, row: type[serializers.Serializer]) -> type[serializers.Serializer]:
    fields = {
        "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True),
        "results": row(many=True),
    }
    return type(f"{name}PageSerializer", (serializers.Serializer,), fields)


PARAMETERS = [
    OpenApiParameter("first", OpenApiTypes.DATE, required=True, description="First local day of the agency."),
    OpenApiParameter("last", OpenApiTypes.DATE, required=True, description="Last day; at most 366 days in all."),
    OpenApiParameter("page", OpenApiTypes.INT, description="Page number, from 1."),
    OpenApiParameter("page_size", OpenApiTypes.INT, description=f"Rows per page, at most {MAX_PAGE_SIZE}."),
    OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "csv"], description="csv: the whole range."),
]


class _ExportView(APIView):
    """One export's rows for a range: a JSON page, or all of them as CSV."""

    export: Export
    page_serializer: type[serializers.Serializer]
    renderer_classes = [*api_settings.DEFAULT_RENDERER_CLASSES, CsvRenderer]

    def export_page(self, request):
        form = ExportForm(request.query_params)
        if not form.is_valid():
            raise ValidationError({field: list(messages) for field, messages in form.errors.items()})
        period = ExportRange(form.cleaned_data["first"], form.cleaned_data["last"], form.cleaned_data["per"])
        if request.accepted_renderer.format == "csv":
            return csv_response(self.export, period)
        page, size = _positive(request, "page", 1, None), _positive(request, "page_size", PAGE_SIZE, MAX_PAGE_SIZE)
        rows = list(islice(self.export.rows(period), (page - 1) * size, page * size + 1))
        url = request.build_absolute_uri()
        previous = None if page == 1 else replace_query_param(url, "page", page - 1)
        if page == 2:
            previous = remove_query_param(url, "page")
        body = {
            "next": replace_query_param(url, "page", page + 1) if len(rows) > size else None,
            "previous": previous,
            "results": [dict(zip(self.export.columns, row, strict=True)) for row in rows[:size]],
        }
        return Response(self.page_serializer(body).data)

    def finalize_response(self, request, response, *args, **kwargs):
        # Only the rows are CSV: a refused range or an OPTIONS answer is JSON, whatever format was asked for.
        asked = getattr(request, "accepted_renderer", None)
        if isinstance(response, Response) and asked is not None and asked.format == "csv":
            request.accepted_renderer, request.accepted_media_type = JSONRenderer(), JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


def _positive(request, name: str, default: int, most: int | None) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise ValidationError({name: ["A whole number from 1."]})
    return min(int(raw), most) if most else int(raw)


def _schema(page: type[serializers.Serializer], name: str, per: bool = False) -> dict:
    per_parameter = OpenApiParameter("per", OpenApiTypes.STR, enum=["day", "week"], description="Row per day or week.")
    return {
        "operation_id": f"exports_{name}",
        "parameters": [*PARAMETERS, per_parameter] if per else PARAMETERS,
        "responses": {(200, "application/json"): page, (200, "text/csv"): OpenApiTypes.STR},
        "tags": ["exports"],
    }


class PayrollHoursExportView(_ExportView):
    """Payroll hours per worker and day or week, by pay code: regular, overtime, double time, holiday."""

    export = EXPORTS["payroll-hours"]
    page_serializer = _page_serializer("PayrollHours", PayrollHoursRowSerializer)

    @extend_schema(**_schema(page_serializer, "payroll_hours", per=True))
    def get(self, request):
        return self.export_page(request)


class BillingExportView(_ExportView):
    """Alaunus invoice lines, Ceki charges and Ceki bills of the range."""

    export = EXPORTS["billing"]
    page_serializer = _page_serializer("Billing", BillingRowSerializer)

    @extend_schema(**_schema(page_serializer, "billing"))
    def get(self, request):
        return self.export_page(request)


class ExceptionExportView(_ExportView):
    """The three-way match's exceptions of the range, with their sources side by side."""

    export = EXPORTS["exceptions"]
    page_serializer = _page_serializer("MatchException", ExceptionRowSerializer)

    @extend_schema(**_schema(page_serializer, "exceptions"))
    def get(self, request):
        return self.export_page(request)
