"""The simulated users of bench/load.py (locust). Each is a logged-in official of one province
(the session cookies and the pages come from the JSON file in CHISO_LOAD_PLAN) who opens one
page every 5 s on average: home, their plan, the gap analysis of their province, the plan's
dashboard (coordinators) or a progress-report form (officers), and a trivial page
(/healthz: the same middleware and one query) that the others are compared with.

With CHISO_LOAD_WRITES (writes per minute, bench/load.py --writes), one more user saves an
officer's report draft that often: every write makes the kept pages and fragments that were
read from the reports table render again (chiso.common.fragments), so the figures show what the
cache is worth under that write rate."""
from __future__ import annotations

import itertools
import json
import os
import re

from locust import FastHttpUser, between, constant, task

PLAN = json.loads(open(os.environ["CHISO_LOAD_PLAN"], encoding="utf-8").read())
_accounts = itertools.cycle(PLAN["users"])


class Official(FastHttpUser):
    wait_time = between(2.5, 7.5)  # one request every 5 s on average

    def on_start(self):
        self.account = next(_accounts)
        self.headers = {"Cookie": f"sessionid={self.account['session']}"}

    def get(self, name: str):
        url = self.account["pages"][name]
        with self.client.get(url, name=name, headers=self.headers, catch_response=True,
                             allow_redirects=False) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} on {url}")

    @task
    def home(self):
        self.get("home")

    @task
    def plan(self):
        self.get("plan")

    @task
    def gap(self):
        self.get("gap")

    @task
    def work(self):  # the dashboard for a coordinator, the report form for an officer
        self.get("dashboard" if "dashboard" in self.account["pages"] else "report_form")

    @task
    def trivial(self):
        self.get("trivial")



WRITES_PER_MINUTE = float(os.environ.get("CHISO_LOAD_WRITES") or 0)
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')

if WRITES_PER_MINUTE > 0:
    class Writer(FastHttpUser):
        """Saves a report draft of one officer (its form, then the POST) WRITES_PER_MINUTE times a minute."""
        fixed_count = 1
        wait_time = constant(60 / WRITES_PER_MINUTE)

        def on_start(self):
            self.account = next(a for a in PLAN["users"] if "report_form" in a["pages"])
            self.url = self.account["pages"]["report_form"]
            self.saves = 0

        @task
        def save(self):
            session = f"sessionid={self.account['session']}"
            with self.client.get(self.url, name="write (form)", headers={"Cookie": session},
                                 catch_response=True) as form:
                token, version = TOKEN.search(form.text), VERSION.search(form.text)
                csrf = form.headers.get("Set-Cookie", "").split("csrftoken=")[-1].split(";")[0]
                if not (token and version and csrf):
                    form.failure("no form on the report page")
                    return
            self.saves += 1
            data = {"csrfmiddlewaretoken": token.group(1), "version": version.group(1), "status": "in_progress",
                    "percent": str(self.saves % 100), "done": f"Lần lưu {self.saves}", "reason": "", "links": ""}
            with self.client.post(self.url, name="write (save)", data=data, allow_redirects=False,
                                  headers={"Cookie": f"{session}; csrftoken={csrf}", "Referer": self.client.base_url},
                                  catch_response=True) as saved:
                if saved.status_code != 302:
                    saved.failure(f"{saved.status_code} on save")
