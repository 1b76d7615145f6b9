"""Open data of the financing area (/api/v1/public/): the aggregate gap by year and region."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers

from alliance87.api.open_data import OpenDataView

from .models import FundingFlow, FundingRequirement
from .selectors import gap_report

app_name = "financing_public_api"

GAP_FIELDS = {
    "by": serializers.CharField(help_text=_("year or region")),
    "label": serializers.CharField(),
    "requirement": serializers.DecimalField(max_digits=18, decimal_places=0),
    "funded": serializers.DecimalField(max_digits=18, decimal_places=0),
    "pledged": serializers.DecimalField(max_digits=18, decimal_places=0),
    "gap": serializers.DecimalField(max_digits=18, decimal_places=0),
    "coverage": serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True),
}


class PublicGap(OpenDataView):
    """The financing gap of the Alliance, in whole US dollars, by year and by ILO region
    (the gap page's figures over every requirement and flow)."""

    title = "Financing gap by year and region"
    columns = list(GAP_FIELDS)

    @extend_schema(
        description=_(
            "The financing gap of the Alliance, in whole US dollars, by year and by ILO region "
            "(the gap page's figures over every requirement and flow)."
        ),
        responses=inline_serializer(
            "PublicGap",
            {
                "licence": serializers.CharField(),
                "count": serializers.IntegerField(),
                "results": inline_serializer("PublicGapRow", GAP_FIELDS, many=True),
            },
        ),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def rows(self, request):
        report = gap_report(
            requirements=FundingRequirement.objects.all(),
            flows=FundingFlow.objects.all(),
            dimension="region",
            dimension_label="Region",
            cache_key="public:all",
        )
        lines = [("year", line) for line in report.trends] + [
            ("region", line) for line in report.lines
        ]
        return [
            {
                "by": by,
                "label": str(line.label),
                "requirement": line.requirement,
                "funded": line.funded,
                "pledged": line.pledged,
                "gap": line.gap,
                "coverage": line.coverage,
            }
            for by, line in lines
        ]


urlpatterns = [path("financing-gap/", PublicGap.as_view(), name="gap")]
