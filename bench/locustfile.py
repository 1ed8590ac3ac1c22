"""The simulated users of bench/load.py (locust). Each is a logged-in official of one province
(the session cookies and the pages come from the JSON file in CHISO_LOAD_PLAN) who opens one
page every 5 s on average: home, their plan, the gap analysis of their province, the plan's
dashboard (coordinators) or a progress-report form (officers), and a trivial page
(/healthz: the same middleware and one query) that the others are compared with."""
from __future__ import annotations

import itertools
import json
import os

from locust import FastHttpUser, between, task

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

