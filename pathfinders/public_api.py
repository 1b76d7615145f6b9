"""Open data of the Pathfinder area (/api/v1/public/): what the public profiles show."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers

from alliance87.api.open_data import OpenDataView

from . import selectors
from .models import Stage

app_name = "pathfinders_public_api"


def _dataset(name: str, fields: dict):
    return inline_serializer(
        name,
        {
            "licence": serializers.CharField(),
            "count": serializers.IntegerField(),
            "results": inline_serializer(f"{name}Row", fields, many=True),
        },
    )


COUNTRY_FIELDS = {
    "iso_code": serializers.CharField(help_text=_("ISO 3166 two-letter code")),
    "country": serializers.CharField(),
    "region": serializers.CharField(help_text=_("ILO region")),
    "stage": serializers.CharField(help_text=_("journey stage (see the journey stages dataset)")),
    "status_granted_on": serializers.DateField(allow_null=True),
    "summary": serializers.CharField(),
    "website": serializers.CharField(),
}


class PublicCountries(OpenDataView):
    """The Pathfinder Countries with a public profile: their journey stage and summary."""

    title = "Pathfinder Countries"
    columns = list(COUNTRY_FIELDS)

    @extend_schema(
        description=_(
            "The Pathfinder Countries with a public profile: their journey stage and summary."
        ),
        responses=_dataset("PublicCountries", COUNTRY_FIELDS),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def rows(self, request):
        return [
            {
                "iso_code": p.country.iso_code,
                "country": p.country.name,
                "region": p.country.ilo_region,
                "stage": p.stage,
                "status_granted_on": p.status_granted_on,
                "summary": p.public_summary,
                "website": p.website,
            }
            for p in selectors.public_pathfinders()
        ]


STAGE_FIELDS = {
    "stage": serializers.CharField(),
    "label": serializers.CharField(),
    "order": serializers.IntegerField(),
    "countries": serializers.IntegerField(help_text=_("public profiles at this stage")),
}


class PublicStages(OpenDataView):
    """The stages of a Pathfinder Country's journey, in order, with how many public profiles
    are at each."""

    title = "Journey stages"
    columns = list(STAGE_FIELDS)

    @extend_schema(
        description=_(
            "The stages of a Pathfinder Country's journey, in order, with how many public "
            "profiles are at each."
        ),
        responses=_dataset("PublicStages", STAGE_FIELDS),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def rows(self, request):
        counts: dict[str, int] = {}
        for pathfinder in selectors.public_pathfinders():
            counts[pathfinder.stage] = counts.get(pathfinder.stage, 0) + 1
        return [
            {
                "stage": s.value,
                "label": str(s.label),
                "order": i,
                "countries": counts.get(s.value, 0),
            }
            for i, s in enumerate(Stage)
        ]


COMMITMENT_FIELDS = {
    "iso_code": serializers.CharField(),
    "country": serializers.CharField(),
    "roadmap": serializers.CharField(),
    "code": serializers.CharField(),
    "title": serializers.CharField(),
    "responsible_institution": serializers.CharField(),
    "target_date": serializers.DateField(allow_null=True),
    "status": serializers.CharField(),
    "progress_percent": serializers.IntegerField(),
}


class PublicCommitments(OpenDataView):
    """The roadmap commitments of the countries with a public profile, as the profiles
    publish them."""

    title = "Pathfinder commitments"
    columns = list(COMMITMENT_FIELDS)

    @extend_schema(
        description=_(
            "The roadmap commitments of the countries with a public profile, as the profiles "
            "publish them."
        ),
        responses=_dataset("PublicCommitments", COMMITMENT_FIELDS),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def rows(self, request):
        return [
            {
                "iso_code": c.roadmap.pathfinder.country.iso_code,
                "country": c.roadmap.pathfinder.country.name,
                "roadmap": c.roadmap.title,
                "code": c.code,
                "title": c.title,
                "responsible_institution": c.responsible_institution,
                "target_date": c.target_date,
                "status": c.status,
                "progress_percent": c.progress_percent,
            }
            for c in selectors.public_commitments()
        ]


urlpatterns = [
    path("pathfinder-countries/", PublicCountries.as_view(), name="countries"),
    path("journey-stages/", PublicStages.as_view(), name="stages"),
    path("commitments/", PublicCommitments.as_view(), name="commitments"),
]
