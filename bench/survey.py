#!/usr/bin/env python
"""Benchmark of survey collection on the production server, and of the results computation.

1. Prepares a fresh database (SQLite in a temporary folder, or --database-url for PostgreSQL):
   a province, 50 units, an open SIPAS campaign and 1,000 printed single-use tokens.
2. Starts the production server (gunicorn, --workers) and submits the 1,000 responses from 50
   concurrent clients (each: open the form, send it), as a phone would.
3. Checks that every response is stored exactly once (1,000 rows, every token spent once), that
   a reused token is refused (HTTP 410, nothing stored), and that the same token sent twice at
   the same moment is stored once.
4. Measures the public form: its bytes with its stylesheet and script (target < 100 KB) and
   that it asks nothing from another site.
5. Adds responses up to 40,000 and times the campaign's results computed cold (target < 2 s).

Prints responses per second and the latency percentiles. Usage:
    .venv/bin/python bench/survey.py [--clients 50] [--responses 1000] [--workers 3] [--database-url URL]
"""
from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FORM_LIMIT = 100_000
RESULTS_LIMIT_S = 2.0


def cpu_reference() -> float:
    """Seconds for a fixed pure-Python loop, measured beside the figures: on a shared machine the
    ratio of a figure to it says more than the figure alone."""
    t0 = time.perf_counter()
    sum(range(10**7))
    return time.perf_counter() - t0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def setup_django(var: Path, database_url: str | None) -> None:
    os.environ["CHISO_VAR_DIR"] = str(var)
    os.environ["CHISO_DATABASE_URL"] = database_url or f"sqlite:///{var / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chiso.settings")
    import django

    django.setup()


def prepare(responses: int, units: int):
    """The province, units, campaign and tokens, through the services."""
    import datetime as dt

    from django.core.management import call_command
    from django.utils import timezone

    from chiso.accounts.models import Role, User
    from chiso.surveys import services
    from chiso.surveys.models import RespondentToken
    from chiso.units.models import Unit, UnitKind

    call_command("migrate", verbosity=0, interactive=False)
    province = Unit.objects.create(name="Tỉnh Đo Tải", kind=UnitKind.PROVINCE)
    office = Unit.objects.create(name="Sở Nội vụ", kind=UnitKind.DEPARTMENT, parent=province)
    coordinator = User.objects.create(username="bench", role=Role.COORDINATOR, unit=office)
    sipas = next(q for q in services.bundled_questionnaires_load(actor=None) if q.code == "sipas-qd1001")
    today = timezone.localdate()
    campaign = services.campaign_create(actor=coordinator, owner=province, questionnaire=sipas,
                                        data=services.CampaignInput("Đo tải", today.year, today - dt.timedelta(days=1),
                                                                    today + dt.timedelta(days=30)))
    counters = [Unit.objects.create(name=f"Xã {i:02d}", kind=UnitKind.COMMUNE, parent=province) for i in range(units)]
    services.campaign_units_save(actor=coordinator, campaign=campaign,
                                 rows=[services.UnitRow(u, 2000 + 37 * i) for i, u in enumerate(counters)])
    services.campaign_set_state(actor=coordinator, campaign=campaign, state="open")
    per_unit = -(-(responses + 40) // units)
    for cu in campaign.units.all():
        services.tokens_issue(actor=coordinator, campaign_unit=cu, count=per_unit)
    keys = list(RespondentToken.objects.values_list("key", flat=True).order_by("?"))
    return campaign, coordinator, keys


def answers(seed: int) -> dict[str, str]:
    data = {"F1": "dat-dai", "F2": "26-40", "F3": "nu", "F4": "truc-tiep", "C17": "khong", "Y1": "Góp ý số " + str(seed)}
    data.update({f"C{i}": str(1 + (seed * 7 + i * 3) % 5) for i in range(1, 17)})
    return data


class Client:
    """One phone: its own cookies (CSRF), the form opened then sent."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())

    def request(self, path: str, data: dict | None = None) -> tuple[int, bytes]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body, headers={"Referer": self.base + path})
        try:
            with self.opener.open(req, timeout=60) as resp:
                return resp.status, resp.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def answer(self, key: str, seed: int) -> tuple[int, float, float]:
        t0 = time.perf_counter()
        status, page = self.request(f"/khao-sat/{key}/")
        t1 = time.perf_counter()
        if status != 200:
            return status, t1 - t0, 0.0
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        status, _ = self.request(f"/khao-sat/{key}/", {**answers(seed), "csrfmiddlewaretoken": token})
        return status, t1 - t0, time.perf_counter() - t1


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] * 1000 if ordered else 0.0


def run_load(base: str, keys: list[str], clients: int) -> dict:
    results: list[tuple[int, float, float]] = []
    lock = threading.Lock()
    chunks = [keys[i::clients] for i in range(clients)]

    def work(i: int) -> None:
        client = Client(base)
        for n, key in enumerate(chunks[i]):
            r = client.answer(key, i * 1000 + n)
            with lock:
                results.append(r)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    posts = [r[2] for r in results if r[0] == 302]
    return {"elapsed": elapsed, "ok": sum(1 for r in results if r[0] == 302), "statuses": sorted({r[0] for r in results}),
            "get_p50": pct([r[1] for r in results], 0.5), "get_p95": pct([r[1] for r in results], 0.95),
            "post_p50": pct(posts, 0.5), "post_p95": pct(posts, 0.95),
            "answer_p95": pct([r[1] + r[2] for r in results], 0.95)}


def race(base: str, keys: list[str]) -> list[int]:
    """Each key sent by two clients at the same moment."""
    statuses: list[int] = []
    for key in keys:
        pair = [Client(base), Client(base)]
        pages = [c.request(f"/khao-sat/{key}/")[1] for c in pair]
        tokens = [re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', p).group(1).decode() for p in pages]
        barrier = threading.Barrier(2)
        out: list[int] = []

        def send(c, token):
            barrier.wait()
            out.append(c.request(f"/khao-sat/{key}/", {**answers(1), "csrfmiddlewaretoken": token})[0])

        threads = [threading.Thread(target=send, args=(c, t)) for c, t in zip(pair, tokens)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        statuses.append(sorted(out))
    return statuses


def form_weight(base: str, key: str) -> tuple[int, list[str]]:
    client = Client(base)
    status, page = client.request(f"/khao-sat/{key}/")
    assets = re.findall(rb'(?:href|src)="(/static/[^"]+)"', page)
    total = len(page) + sum(len(client.request(a.decode())[1]) for a in assets)
    foreign = [u.decode() for u in re.findall(rb'(?:href|src|action)="((?:https?:)?//[^"]+)"', page)]
    return total, foreign


def fill_to(campaign, total: int) -> None:
    """More responses (directly, as the load test already went through the server) up to `total`."""
    import random

    from chiso.core.survey_math import encode_levels
    from chiso.surveys.models import CampaignUnit, Response

    have = Response.objects.filter(campaign=campaign).count()
    units = list(CampaignUnit.objects.filter(campaign=campaign).values_list("pk", flat=True))
    rng = random.Random(7)
    day = Response.objects.filter(campaign=campaign).values_list("submitted_on", flat=True).first()
    spec = campaign.questionnaire.spec
    codes = list(spec.rated_items())
    batch = []
    for i in range(total - have):
        a = {f"C{k}": rng.choice([2, 3, 4, 4, 5, 5]) for k in range(1, 17)}
        a.update({"F1": "dat-dai", "F2": "41-60", "C17": "khong"})
        batch.append(Response(campaign=campaign, campaign_unit_id=units[i % len(units)], channel="printed",
                              submitted_on=day, answers=a, levels=encode_levels(a, codes, 5)))
        if len(batch) == 2000:
            Response.objects.bulk_create(batch)
            batch = []
    Response.objects.bulk_create(batch)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--responses", type=int, default=1000)
    parser.add_argument("--units", type=int, default=50)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--results-responses", type=int, default=40_000)
    parser.add_argument("--database-url", default=None, help="default: a new SQLite file in a temporary folder")
    args = parser.parse_args()
    var = Path(tempfile.mkdtemp(prefix="chiso-bench-survey-"))
    server = None
    try:
        setup_django(var, args.database_url)
        if shutil.which("gunicorn", path=str(Path(sys.executable).parent)) is None:
            print("gunicorn is not installed in this environment (the production server): pip install gunicorn")
            return 2
        campaign, coordinator, keys = prepare(args.responses, args.units)
        from django.db import connections

        connections.close_all()
        port = free_port()
        env = {**os.environ, "CHISO_ALLOWED_HOSTS": "127.0.0.1,localhost", "CHISO_DEBUG": "0"}
        server_log = (var / "server.log").open("wb")  # a refused token is a logged 410: kept out of the figures
        server = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "chiso.wsgi:application",
                                   "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
                                   "--log-level", "warning"], cwd=ROOT, env=env, start_new_session=True,
                                  stdout=server_log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/dang-nhap/", timeout=2)
                break
            except Exception:
                time.sleep(0.2)
        load_keys, spare = keys[:args.responses], keys[args.responses:]
        Client(base).answer(spare.pop(), 0)  # warm every import once
        from chiso.surveys.models import RespondentToken, Response

        Response.objects.all().delete()
        RespondentToken.objects.update(used=False)
        load = run_load(base, load_keys, args.clients)
        stored = Response.objects.filter(campaign=campaign).count()
        spent = RespondentToken.objects.filter(key__in=load_keys, used=True).count()
        reuse = Client(base).request(f"/khao-sat/{load_keys[0]}/")[0], \
            Client(base).answer(load_keys[1], 5)[0]
        after_reuse = Response.objects.filter(campaign=campaign).count()
        races = race(base, spare[:20])
        after_race = Response.objects.filter(campaign=campaign).count()
        weight, foreign = form_weight(base, spare[25])
        reference = cpu_reference()
        print(f"survey collection on gunicorn ({args.workers} workers), {args.clients} concurrent clients, "
              f"{os.environ['CHISO_DATABASE_URL'].split(':')[0]}; load average {os.getloadavg()[0]:.1f} on "
              f"{os.cpu_count()} CPUs; CPU reference (sum of 10^7 integers) {reference:.2f} s")
        print(f"  responses sent:          {args.responses} in {load['elapsed']:.1f} s = "
              f"{load['ok'] / load['elapsed']:.0f} responses/s (statuses {load['statuses']})")
        print(f"  send (POST) latency:     p50 {load['post_p50']:.0f} ms · p95 {load['post_p95']:.0f} ms")
        print(f"  open form (GET) latency: p50 {load['get_p50']:.0f} ms · p95 {load['get_p95']:.0f} ms; "
              f"open + send p95 {load['answer_p95']:.0f} ms")
        print(f"  stored exactly once:     {stored} rows for {args.responses} tokens, {spent} tokens spent "
              f"-> {'OK' if stored == spent == args.responses == load['ok'] else 'FAIL'}")
        print(f"  reused token:            GET {reuse[0]}, POST {reuse[1]}, rows after {after_reuse} "
              f"-> {'OK' if reuse == (410, 410) and after_reuse == stored else 'FAIL'}")
        race_ok = all(s == [302, 410] for s in races) and after_race == stored + len(races)
        print(f"  same token twice at once: {len(races)} pairs, statuses {sorted({tuple(s) for s in races})}, "
              f"{after_race - stored} rows -> {'OK' if race_ok else 'FAIL'}")
        print(f"  public form weight:      {weight / 1000:.1f} KB with its CSS and JS (limit {FORM_LIMIT // 1000} KB), "
              f"third-party URLs: {len(foreign)} -> {'OK' if weight < FORM_LIMIT and not foreign else 'FAIL'}")
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        server = None
        from django.core.cache import cache

        from chiso.surveys.selectors import campaign_results

        fill_to(campaign, args.results_responses)
        times = []
        for _ in range(3):
            cache.clear()
            t0 = time.perf_counter()
            results = campaign_results(campaign)
            times.append(time.perf_counter() - t0)
        cache_t0 = time.perf_counter()
        campaign_results(campaign)
        cached = time.perf_counter() - cache_t0
        reference = cpu_reference()
        print(f"  results of {results.respondents} responses ({len(results.units)} units, 16 items, 8 elements): "
              f"cold median {statistics.median(times):.2f} s (max {max(times):.2f} s, limit {RESULTS_LIMIT_S:.0f} s), "
              f"cached {cached * 1000:.0f} ms -> {'OK' if max(times) < RESULTS_LIMIT_S else 'FAIL'}; "
              f"= {statistics.median(times) / reference:.1f} × the CPU reference ({reference:.2f} s, same run)")
        return 0
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
