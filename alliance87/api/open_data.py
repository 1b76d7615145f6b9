"""The open data under /api/v1/public/: no sign-in, a licence statement in every answer
(JSON and CSV), cache headers and an ETag answered with 304 when the client has it."""

import hashlib

from django.conf import settings
from django.http import HttpResponseNotModified
from django.utils.translation import gettext as _
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from .caching import cached_answer
from .tables import CsvRenderer, csv_response, wants_csv


def licence() -> str:
    return _("%(licence)s. Source: Alliance 8.7 coordination portal.") % {
        "licence": settings.OPEN_DATA_LICENCE
    }


class OpenDataView(APIView):
    """A dataset anyone may read: `rows()` gives its records, `columns` its CSV columns."""

    permission_classes = [AllowAny]
    authentication_classes: list[type] = []
    title = ""
    columns: list[str] = []
    cache_per_person = False

    def get_renderers(self):
        return [*super().get_renderers(), CsvRenderer()]

    def rows(self, request) -> list[dict]:
        raise NotImplementedError

    @cached_answer
    def get(self, request, *args, **kwargs):
        from rest_framework.response import Response

        rows = self.rows(request, *args, **kwargs)
        if wants_csv(request):
            return csv_response(
                title=str(self.title),
                file_stem=str(self.title).lower().replace(" ", "-"),
                rows=rows,
                columns=self.columns,
                notes=[licence()],
            )
        return Response({"licence": licence(), "count": len(rows), "results": rows})

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code != 200:
            return response
        if hasattr(response, "render"):
            response.render()
        etag = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
        response["ETag"] = etag
        response["Cache-Control"] = f"public, max-age={settings.OPEN_DATA_MAX_AGE}"
        response["Vary"] = "Accept, Accept-Language"
        given = request.META.get("HTTP_IF_NONE_MATCH", "")
        if etag in [tag.strip() for tag in given.split(",")] or given.strip() == "*":
            not_modified = HttpResponseNotModified()
            not_modified["ETag"] = etag
            not_modified["Cache-Control"] = response["Cache-Control"]
            return not_modified
        return response
