"""`?format=csv` for the API's tables, written by alliance87.exports like every download."""

import json

from rest_framework.renderers import BaseRenderer

from alliance87 import exports


class CsvRenderer(BaseRenderer):
    """Announces `text/csv` (and `?format=csv`); the views write the file through exports."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        # Reached only for errors, which stay JSON text.
        return json.dumps(data, default=str).encode()


def wants_csv(request) -> bool:
    renderer = getattr(request, "accepted_renderer", None)
    return getattr(renderer, "format", None) == "csv"


def _cell(value):
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return None
    return value


def csv_response(
    *, title: str, file_stem: str, rows: list[dict], columns: list[str], filters=(), notes=()
):
    """The serialized rows as a CSV table: one column per field named in `columns`."""
    table = exports.Table(
        title, columns, [[_cell(row.get(name)) for name in columns] for row in rows]
    )
    download = exports.Download(
        title=title,
        tables=[table],
        file_stem=file_stem,
        filters=list(filters),
        notes=list(notes),
    )
    return exports.csv_response(download)


class CsvListMixin:
    """A list endpoint that answers `?format=csv` with every row (no pages) as a CSV table."""

    csv_title = ""
    csv_columns: list[str] = []

    def get_renderers(self):
        return [*super().get_renderers(), CsvRenderer()]

    def csv_filters(self):
        filterset = getattr(self, "_filterset", None)
        return exports.filters_applied(filterset.form) if filterset is not None else []

    def list(self, request, *args, **kwargs):
        if not wants_csv(request):
            return super().list(request, *args, **kwargs)
        queryset = self.filter_queryset(self.get_queryset())
        rows = self.get_serializer(queryset, many=True).data
        return csv_response(
            title=str(self.csv_title),
            file_stem=self.csv_file_stem(),
            rows=rows,
            columns=self.csv_columns,
            filters=self.csv_filters(),
        )

    def csv_file_stem(self) -> str:
        return str(self.csv_title).lower().replace(" ", "-")
