"""Render report requests again with the development settings (static files from static/).

    python -m tests.faults.render_development <folder> <request id>...

Run by `harness.render_in_development` with the development environment on a scratch
database: each request is rendered by the worker's own service, as of its recorded
`data_as_of`, into <folder>/<id>.pdf; the URLs the fetcher refused go to <folder>/<id>.refused.
"""

import sys
from pathlib import Path


def main(folder: Path, request_ids: list[int]) -> None:
    import django

    django.setup()
    from alliance87.reports.models import ReportRequest
    from alliance87.reports.services import report_document

    for request in ReportRequest.objects.filter(pk__in=request_ids):
        pdf, fetcher = report_document(request=request, as_of=request.data_as_of)
        (folder / f"{request.pk}.pdf").write_bytes(pdf)
        (folder / f"{request.pk}.refused").write_text("\n".join(fetcher.refused))


if __name__ == "__main__":
    main(Path(sys.argv[1]), [int(value) for value in sys.argv[2:]])
