"""One page, in this process: its median time over a few requests, its queries and profile.

    DATABASE_URL=postgres://... .venv/bin/python bench/profile_page.py /pathfinders/ \
        --as secretariat@alliance87.test [--repeat 10]

For working on a page between runs of `make bench`: not under load, so compare the figures
with each other and with the benchmark's "Where the time goes" section.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pages import profile_pages  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--as", dest="email", default="secretariat@alliance87.test")
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance87.settings")
    os.environ["DEBUG"] = "false"
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from alliance87.accounts.models import User

    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(User.objects.get(email=args.email))
    response = client.get(args.path)
    times = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        response = client.get(args.path)
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as captured:
        client.get(args.path)
    counts = sum(
        1
        for q in captured.captured_queries
        if q["sql"].lstrip().upper().startswith("SELECT COUNT(")
    )
    print(
        f"{args.path} as {args.email}: status {response.status_code}, "
        f"{len(response.content):,} bytes, {len(captured.captured_queries)} queries ({counts} COUNT)"
    )
    print(
        f"median {statistics.median(times):.1f} ms, min {min(times):.1f} ms, "
        f"max {max(times):.1f} ms over {args.repeat} requests"
    )
    profile = profile_pages([(args.path, args.email, args.path, "page")])[args.path]
    print(
        f"profiled: total {profile['total_ms']:.0f} ms, SQL {profile['sql_ms']:.0f} ms, "
        f"template {profile['template_ms']:.0f} ms; slowest SQL {profile['slowest_sql']}"
    )
    for line in profile["functions"]:
        print("  ", line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
