"""Locust scenario of issue 18, point 5: signed-in commune officers at work.

Run by bench/load/run.sh (which builds nothing: bench/load/setup_db.py makes the database and
``bench/out/load/users.json``). Each simulated user signs in once as one Women's Union officer
of a commune (``commune_wu_officer``; the users are shared out in turn) and then, between pauses,
opens pages of their commune. The statistics restart once every user has signed in (the sign-in
times go to the summary). Environment:

- ``LOAD_MIX=pages`` (default): the mix of a working day. Weights: the plan 2, its progress 2,
  recording an event 3 (the form, then the form sent: GET + POST), the commune's events 1, the
  dashboard 2, the reports 1.
- ``LOAD_MIX=entry``: recording events only (form GET + POST), the page way.
- ``LOAD_MIX=api``: recording events only through ``POST /api/v1/events/`` with the user's token
  and an ``Idempotency-Key``, as another system or a phone app sends them: no sign-in, so no
  session cookie.
- ``LOAD_MIX=offline``: the same POST the way the offline page sends it: signed in, with the
  session cookie and the CSRF token of ``du-lieu.json``, no API token.
- ``LOAD_THINK``: the mean pause in seconds between two actions of a user, drawn uniformly from
  half to one and a half of it (default 5); ``0`` is a closed loop (no pause).
- ``LOAD_SUMMARY``: where the events saved are counted at the end (JSON, default
  ``bench/out/load/summary.json``), for run.sh to compare with the rows in the database.

The session cookie is ``Secure`` (the application runs behind HTTPS in production; here gunicorn
is reached over plain HTTP on 127.0.0.1), so the cookie policy lets the client send it anyway.
"""

import datetime
import http.cookiejar
import itertools
import json
import os
import random
import re
import time
import uuid
from pathlib import Path

from locust import FastHttpUser, between, constant, events, task

ROOT = Path(__file__).resolve().parent.parent.parent
USERS = json.loads(
    Path(os.environ.get("LOAD_USERS_FILE", ROOT / "bench/out/load/users.json")).read_text()
)
MIX = os.environ.get("LOAD_MIX", "pages")
THINK = float(os.environ.get("LOAD_THINK", "5"))
SUMMARY = Path(os.environ.get("LOAD_SUMMARY", ROOT / "bench/out/load/summary.json"))
NEXT_USER = itertools.count()
SAVED = {"form": 0, "api": 0, "refused": 0}
SIGN_INS: list[float] = []  # seconds each; the statistics restart once every user is signed in

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ONCE = re.compile(r'name="once" value="([^"]+)"')
SELECT = re.compile(r'<select name="(\w+)"[^>]*>(.*?)</select>', re.S)
OPTION = re.compile(r'<option value="(\d+)"([^>]*)>')
KIND = re.compile(r'data-kind="(\w+)"')
COUNT_FIELDS = ["n-F-minority-adult", "n-M-minority-adult", "n-F-majority-adult"]


class SecureOverHttp(http.cookiejar.DefaultCookiePolicy):
    """Send the Secure cookies over http://127.0.0.1 (nginx terminates HTTPS in production)."""

    def return_ok_secure(self, cookie: http.cookiejar.Cookie, request: object) -> bool:
        return True


@events.test_stop.add_listener
def _write_summary(environment: object, **_: object) -> None:
    SUMMARY.parent.mkdir(parents=True, exist_ok=True)
    signs = sorted(SIGN_INS) or [0.0]
    SUMMARY.write_text(
        json.dumps(
            {
                "mix": MIX,
                "think": THINK,
                **SAVED,
                "sign_ins": len(SIGN_INS),
                "sign_in_median_s": signs[len(signs) // 2],
                "sign_in_max_s": signs[-1],
            }
        )
    )


class Officer(FastHttpUser):
    """A commune's Women's Union officer, signed in for the whole run."""

    wait_time = between(THINK / 2, THINK * 1.5) if THINK > 0 else constant(0)

    def on_start(self) -> None:
        self.me = USERS[next(NEXT_USER) % len(USERS)]
        self.client.cookiejar.set_policy(SecureOverHttp())
        self.serial = 0
        if MIX == "api":  # a token client: nothing to sign in to
            self._started(0.0)
            return
        started = time.perf_counter()
        page = self.client.get("/login/", name="sign-in (GET)")
        response = self.client.post(
            "/login/",
            data={
                "csrfmiddlewaretoken": CSRF.search(page.text).group(1),
                "username": self.me["username"],
                "password": self.me["password"],
            },
            headers={"Referer": f"{self.host}/login/"},
            allow_redirects=False,
            name="sign-in (POST)",
        )
        if response.status_code != 302:
            raise RuntimeError(f"{self.me['username']} could not sign in: {response.status_code}")
        if MIX == "offline":  # the page's CSRF token, read once as the page does
            self.csrf = self.client.get(
                "/nhap-ngoai-tuyen/du-lieu.json", name="offline data"
            ).json()["csrf"]
        self._started(time.perf_counter() - started)

    def _started(self, seconds: float) -> None:
        SIGN_INS.append(seconds)
        # The figures are those of signed-in work: the sign-in storm of the start (Argon2, by
        # design slow) is left out once every user is in; its times go to the summary.
        if len(SIGN_INS) == self.environment.runner.target_user_count:
            self.environment.stats.reset_all()
            (SUMMARY.parent / "stats_reset").touch()  # for cpu_sampler.py

    # --- the pages ------------------------------------------------------------------------------

    def pages(self) -> bool:
        return MIX == "pages"

    @task(2)
    def plan(self) -> None:
        if self.pages():
            self.client.get(f"/ke-hoach/{self.me['plan']}/", name="plan")

    @task(2)
    def progress(self) -> None:
        if self.pages():
            self.client.get(f"/ke-hoach/{self.me['plan']}/tien-do/", name="progress")

    @task(1)
    def event_list(self) -> None:
        if self.pages():
            self.client.get(f"/don-vi/{self.me['commune']}/su-kien/", name="events")

    @task(2)
    def dashboard(self) -> None:
        if self.pages():
            self.client.get(f"/don-vi/{self.me['commune']}/tong-quan/", name="dashboard")

    @task(1)
    def reports(self) -> None:
        if self.pages():
            self.client.get(f"/don-vi/{self.me['commune']}/bao-cao/", name="reports")

    # --- recording an event ---------------------------------------------------------------------

    @task(3)
    def entry(self) -> None:
        if MIX in ("api", "offline"):
            self.entry_api()
        elif MIX in ("pages", "entry"):
            self.entry_form()

    def a_day(self) -> str:
        year = self.me["year"]
        last = min(datetime.date(year, 12, 31), datetime.date.today() - datetime.timedelta(1))
        first = datetime.date(year, 1, 1)
        return str(first + datetime.timedelta(random.randint(0, (last - first).days)))  # noqa: S311

    def title(self) -> str:
        self.serial += 1
        return f"Thử tải {self.me['username']} #{self.serial} {uuid.uuid4().hex[:8]}"

    def entry_form(self) -> None:
        url = f"/don-vi/{self.me['commune']}/su-kien/ghi/?plan={self.me['plan']}"
        page = self.client.get(url, name="entry (GET form)")
        if page.status_code != 200:
            return
        selects = dict(SELECT.findall(page.text))
        activities = [
            (value, KIND.search(attrs).group(1))
            for value, attrs in OPTION.findall(selects.get("activity", ""))
            if KIND.search(attrs)
        ]
        units = [value for value, _ in OPTION.findall(selects.get("org_unit", ""))]
        activity, kind = random.choice(activities)  # noqa: S311
        data = {
            "csrfmiddlewaretoken": CSRF.search(page.text).group(1),
            "once": ONCE.search(page.text).group(1),
            "plan": str(self.me["plan"]),
            "held_on": self.a_day(),
            "org_unit": random.choice(units),  # noqa: S311
            "activity": activity,
            "kind": kind,
            "title": self.title(),
            **{field: str(random.randint(1, 30)) for field in COUNT_FIELDS},  # noqa: S311
        }
        with self.client.post(
            url,
            data=data,
            headers={"Referer": f"{self.host}{url}"},
            allow_redirects=False,
            name="entry (POST)",
            catch_response=True,
        ) as response:
            if response.status_code == 302 and "/da-ghi/" in response.headers.get("Location", ""):
                SAVED["form"] += 1
                response.success()
            else:
                SAVED["refused"] += 1
                response.failure(f"not saved: {response.status_code}")

    def entry_api(self) -> None:
        kinds = self.me["activities"]  # code -> kind, from setup_db.py
        activity = random.choice(list(kinds))  # noqa: S311
        body = {
            "plan": self.me["plan"],
            "org_unit": random.choice(self.me["units"]),  # noqa: S311
            "activity": activity,
            "kind": kinds[activity],
            "title": self.title(),
            "held_on": self.a_day(),
            "counts": [
                {"sex": "F", "minority": True, "age_group": "adult", "count": 12},
                {"sex": "M", "minority": True, "age_group": "adult", "count": 5},
            ],
            "confirm_duplicate": True,
        }
        headers = {"Idempotency-Key": uuid.uuid4().hex}
        if MIX == "offline":
            headers |= {"X-CSRFToken": self.csrf, "Referer": f"{self.host}/nhap-ngoai-tuyen/"}
        else:
            headers["Authorization"] = f"Token {self.me['token']}"
        with self.client.post(
            "/api/v1/events/",
            json=body,
            headers=headers,
            name="entry (API POST)",
            catch_response=True,
        ) as response:
            if response.status_code == 201:
                SAVED["api"] += 1
                response.success()
            else:
                SAVED["refused"] += 1
                response.failure(f"not saved: {response.status_code} {response.text[:200]}")
