"""A client of the portal as a browser sees it, and the portal run as in production.

Shared by the benchmark (bench/pages.py) and the fault tests (tests/faults/harness.py):

- `Session`: one HTTP connection a request to 127.0.0.1, cookies kept per person;
- `form_fields`: the fields of a page's POST form, as a browser sends them;
- `sign_in`: through the real sign-in form, with the TOTP step when asked for one;
  `sign_in_demo`: a demo person so (Django's settings configured: the demo password);
- `free_port`, `production_env` and `start_gunicorn`: gunicorn with the production settings;
  `child_processes` (gunicorn's workers) and `stop_process_group` to read and end it.
"""

import html.parser
import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"


# --- HTTP: one connection a request, cookies kept per person --------------------------------


@dataclass
class Session:
    port: int
    cookies: dict = field(default_factory=dict)
    timeout: float = 60  # seconds a request may take, connecting included

    def request(self, method: str, path: str, body: dict | None = None):
        headers = {
            "Host": f"{HOST}:{self.port}",
            "X-Forwarded-Proto": "https",
            "User-Agent": "alliance87-bench",
        }
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://{HOST}:{self.port}"
            headers["Referer"] = f"https://{HOST}:{self.port}{path}"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
        try:
            connection.request(method, path, body=data, headers=headers)
            response = connection.getresponse()
            content = response.read()
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key.strip()] = rest.split(";", 1)[0]
            return response.status, response.getheader("Location", ""), content
        finally:
            connection.close()


class FormFields(html.parser.HTMLParser):
    """The fields of the first POST form sent to one of `actions`, as a browser sends them."""

    def __init__(self, actions: set[str], fill_choices: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.actions = actions
        # A person saving a form picks a choice where none is selected yet (e.g. a status).
        self.fill_choices = fill_choices
        self.fields: list[tuple[str, str]] = []
        self.in_form = self.done = False
        self.textarea: str | None = None
        self.select: str | None = None
        self.select_value: str | None = None
        self.first_option: str | None = None
        self.text = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.done:
            return
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            action = urllib.parse.urlsplit(attrs.get("action") or "").path
            self.in_form = action in self.actions
        if not self.in_form or not attrs.get("name") and tag not in {"option"}:
            return
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.fields.append((attrs["name"], attrs.get("value") or ""))
        elif tag == "textarea":
            self.textarea, self.text = attrs["name"], ""
        elif tag == "select":
            self.select, self.select_value, self.first_option = attrs["name"], None, None
        elif tag == "option" and self.select:
            value = attrs.get("value") or ""
            if self.first_option is None or (self.fill_choices and not self.first_option):
                self.first_option = value
            if "selected" in attrs:
                self.select_value = value

    def handle_data(self, data):
        if self.textarea is not None:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self.textarea is not None:
            self.fields.append((self.textarea, self.text.removeprefix("\n")))
            self.textarea = None
        elif tag == "select" and self.select:
            value = self.select_value if self.select_value is not None else self.first_option
            self.fields.append((self.select, value or ""))
            self.select = None
        elif tag == "form" and self.in_form:
            self.in_form, self.done = False, True


def form_fields(content: bytes, path: str, fill_choices: bool = False) -> dict[str, list[str]]:
    """The fields of the page's POST form that is sent to `path` (or to the page itself)."""
    parser = FormFields({"", path}, fill_choices)
    parser.feed(content.decode("utf-8", "replace"))
    fields: dict[str, list[str]] = {}
    for name, value in parser.fields:
        fields.setdefault(name, []).append(value)
    return fields


def sign_in(port: int, email: str, password: str, totp_secret: str | None) -> Session:
    from alliance87.accounts.totp import code_for

    session = Session(port)
    status, _location, content = session.request("GET", "/accounts/login/")
    fields = form_fields(content, "/accounts/login/")
    fields.update({"login": [email], "password": [password]})
    status, location, content = session.request("POST", "/accounts/login/", fields)
    if status != 302:
        raise SystemExit(f"Signing in {email} failed: HTTP {status}")
    if "/2fa/authenticate" in location:
        if not totp_secret:
            raise SystemExit(f"{email} needs a TOTP code")
        path = urllib.parse.urlsplit(location).path
        used = None
        for _attempt in range(3):
            counter = int(time.time()) // 30
            if counter == used:
                # A code signs in once: another session of this person took this one.
                time.sleep(30 - time.time() % 30 + 0.2)
                counter = int(time.time()) // 30
            _status, _location, content = session.request("GET", path)
            fields = form_fields(content, path)
            fields["code"] = [code_for(totp_secret, counter)]
            status, location, _content = session.request("POST", path, fields)
            if status == 302 and "2fa" not in location:
                break
            used = counter
        else:
            raise SystemExit(f"The two-factor step of {email} failed: HTTP {status}")
    return session


def sign_in_demo(port: int, email: str) -> Session:
    """A demo person signed in with the demo password, the Secretariat with its TOTP code."""
    from django.conf import settings

    from demo.accounts import DEMO_TOTP_SECRET

    secret = DEMO_TOTP_SECRET if email.startswith("secretariat@") else None
    return sign_in(port, email, settings.DEMO_PASSWORD, secret)


# --- gunicorn --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def production_env(database_url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(
        {
            "DJANGO_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": HOST,
            "SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": database_url,
            "BENCH_FLOOR": "1",
            "STATIC_ROOT": str(ROOT / "var" / "bench-static"),
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


def start_gunicorn(
    env: dict,
    port: int,
    workers: int,
    *,
    collectstatic: bool = True,
    log: IO | None = None,
) -> subprocess.Popen:
    """gunicorn in a session of its own, once /healthz answers; `log` takes its output."""
    python = sys.executable
    if collectstatic:
        subprocess.run(
            [python, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
    gunicorn = Path(python).with_name("gunicorn")
    process = subprocess.Popen(
        [
            str(gunicorn),
            "alliance87.wsgi:application",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT if log is not None else None,
        start_new_session=True,
    )
    deadline = time.time() + 30
    while time.time() < deadline and process.poll() is None:
        try:
            status, _location, _content = Session(port).request("GET", "/healthz")
            if status == 200:
                return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise SystemExit("gunicorn did not answer /healthz within 30 s")


def child_processes(parent_pid: int) -> dict[int, str]:
    """The /proc status text of each child process of `parent_pid`, by pid."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        parent = re.search(r"^PPid:\s+(\d+)", status, re.M)
        if parent and int(parent.group(1)) == parent_pid:
            found[int(entry.name)] = status
    return found


def stop_process_group(process: subprocess.Popen | None, grace: float) -> None:
    """SIGTERM the process group of `process` (started in a session of its own, as
    start_gunicorn does), then SIGKILL after `grace` seconds. Safe to call twice."""
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    except ProcessLookupError:
        pass
