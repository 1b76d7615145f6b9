"""The weight of the progress form on the wire, and how soon it can be used on a slow line.

    DATABASE_URL=postgres://.../scratch REDIS_URL=redis://127.0.0.1:6379/0 \
        .venv/bin/python bench/form_weight.py [--no-seed]

Loads the demo data into the (scratch) database unless --no-seed, collects the static files
and starts gunicorn with the production settings (compressed, hashed static files), signs in
the demo focal point for Fiji and opens their draft report in Debian's Chromium:

- first load: an empty cache; every byte the browser received for the page and its assets
  (headers and compressed bodies, as Chromium counts them), against FIRST_LOAD_KB;
- cached: the same page opened again, as a focal point coming back to it, against CACHED_KB;
- usable: with Chromium's network throttled to 256 kbit/s each way and 600 ms of latency,
  the time from asking for the page to its first field being shown and enabled, with its
  styles and scripts in place, on first load and cached.

Prints the figures and each file with its transferred size; exits 1 if a target is missed.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from portal_client import (  # noqa: E402
    HOST,
    ROOT,
    free_port,
    production_env,
    sign_in_demo,
    start_gunicorn,
    stop_process_group,
)

FIRST_LOAD_KB = 150
CACHED_KB = 40
THROTTLE = {"latency": 600, "kbit_per_second": 256}
FOCAL_POINT = "focal.point@alliance87.test"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# The form is usable once its first field is shown and enabled, with the page's styles and
# its deferred script applied (portal.js marks <html> with the class "js").
USABLE = (
    "() => { const field = document.querySelector('form.pf-report-form input:not([type=hidden])');"
    " return !!field && !field.disabled && field.offsetParent !== null"
    " && document.documentElement.classList.contains('js')"
    " && [...document.styleSheets].every((sheet) => { try { return sheet.cssRules.length >= 0; }"
    " catch (error) { return false; } }); }"
)


def draft_report_path() -> str:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance87.settings")
    import django

    django.setup()
    from django.urls import reverse

    from pathfinders.models import ProgressReport, ReportStatus

    report = ProgressReport.objects.get(
        pathfinder__country__iso_code="FJ", status=ReportStatus.DRAFT
    )
    return reverse("pathfinders:report_edit", args=[report.pk])


class Wire:
    """Every response of a page load as Chromium's network layer counts it (CDP)."""

    def __init__(self, cdp) -> None:
        self.urls: dict[str, str] = {}
        self.cached: set[str] = set()
        self.received: dict[str, int] = {}
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.requestServedFromCache", self._from_cache)
        cdp.on("Network.loadingFinished", self._finished)

    def reset(self) -> None:
        self.urls.clear()
        self.cached.clear()
        self.received.clear()

    def _response(self, event) -> None:
        if event["response"]["url"].startswith("data:"):
            return  # drawn from the page itself, nothing on the wire
        self.urls[event["requestId"]] = event["response"]["url"]
        if event["response"].get("fromDiskCache") or event["response"].get("fromMemoryCache"):
            self.cached.add(event["requestId"])

    def _from_cache(self, event) -> None:
        self.cached.add(event["requestId"])

    def _finished(self, event) -> None:
        if event["requestId"] in self.urls:
            self.received[event["requestId"]] = int(event["encodedDataLength"])

    def rows(self) -> list[tuple[str, int, bool]]:
        return [
            (self.urls.get(request, request), size, request in self.cached)
            for request, size in self.received.items()
        ]

    def total(self) -> int:
        return sum(size for request, size in self.received.items() if request not in self.cached)


def load(page, wire: Wire, url: str) -> float:
    """Opens `url`; returns the seconds until the form is usable, once every load ended."""
    wire.reset()
    started = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.wait_for_function(USABLE, polling=50, timeout=120_000)
    usable = time.perf_counter() - started
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)  # the last loadingFinished events
    return usable


def show(title: str, wire: Wire, base: str) -> None:
    print(f"\n{title}")
    for url, size, cached in sorted(wire.rows(), key=lambda row: -row[1]):
        where = "from the cache" if cached else f"{size / 1024:7.1f} KB"
        print(f"  {where:>16}  {url.removeprefix(base)}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-seed", action="store_true", help="the demo data is there already")
    options = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url:
        raise SystemExit("Set DATABASE_URL to a scratch database: the demo data is loaded into it.")
    if not os.environ.get("REDIS_URL"):
        raise SystemExit("Set REDIS_URL: the production settings need Redis.")
    if not options.no_seed:
        python = sys.executable
        for command in (["migrate", "--noinput", "-v0"], ["seed_demo"]):
            subprocess.run(
                [python, "manage.py", *command], cwd=ROOT, check=True, stdout=subprocess.DEVNULL
            )
    path = draft_report_path()

    from playwright.sync_api import sync_playwright

    port = free_port()
    gunicorn = start_gunicorn(production_env(database_url), port, 2)
    base = f"http://{HOST}:{port}"
    failures = []
    try:
        session = sign_in_demo(port, FOCAL_POINT)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
            )
            for throttled in (False, True):
                context = browser.new_context(viewport={"width": 390, "height": 844})
                context.add_cookies(
                    [
                        {"name": name, "value": value, "url": base}
                        for name, value in session.cookies.items()
                    ]
                )
                page = context.new_page()
                cdp = context.new_cdp_session(page)
                cdp.send("Network.enable")
                cdp.send("Network.clearBrowserCache")
                wire = Wire(cdp)
                if throttled:
                    rate = THROTTLE["kbit_per_second"] * 1000 / 8
                    cdp.send(
                        "Network.emulateNetworkConditions",
                        {
                            "offline": False,
                            "latency": THROTTLE["latency"],
                            "downloadThroughput": rate,
                            "uploadThroughput": rate,
                        },
                    )
                first_usable = load(page, wire, base + path)
                first_bytes = wire.total()
                if not throttled:
                    show("First load (empty cache):", wire, base)
                cached_usable = load(page, wire, base + path)
                cached_bytes = wire.total()
                if not throttled:
                    show("Opened again (cached):", wire, base)
                    print(
                        f"\nTransferred, compressed: first load {first_bytes / 1024:.1f} KB "
                        f"(target {FIRST_LOAD_KB} KB), cached {cached_bytes / 1024:.1f} KB "
                        f"(target {CACHED_KB} KB)"
                    )
                    if first_bytes > FIRST_LOAD_KB * 1024:
                        failures.append("first load")
                    if cached_bytes > CACHED_KB * 1024:
                        failures.append("cached load")
                else:
                    print(
                        f"Usable form at {THROTTLE['kbit_per_second']} kbit/s and "
                        f"{THROTTLE['latency']} ms latency: first load {first_usable:.1f} s, "
                        f"cached {cached_usable:.1f} s"
                    )
                context.close()
            browser.close()
    finally:
        stop_process_group(gunicorn, grace=10)
    print(f"\nPage: {path} as {FOCAL_POINT}, gunicorn with the production settings")
    if failures:
        print("Over target: " + ", ".join(failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
