#!/usr/bin/env python
"""Load benchmark: the production server on PostgreSQL with national-scale data, under 200
simulated logged-in users (locust), each opening one page every 5 s on average.

1. creates the PostgreSQL database if missing, migrates it, and generates the national data
   once (scripts/generate_national_data.py: 34 provinces, 3,321 communes, 10 years);
2. gives each province a coordinator (Sở Nội vụ) and an officer of the lead unit, an open
   reporting period, and a logged-in session for each (no password hashing in the run);
3. starts `chiso serve` (gunicorn, as in production) on a free port;
4. runs locust headless (bench/locustfile.py) over home, a plan page, a gap page, a plan's
   dashboard, a progress-report form, and a trivial page (/healthz) measured in the same run;
5. prints per page: requests, errors, median and 95th percentile, and the median's ratio to
   the trivial page's; then the targets: p95 under 300 ms, no errors, each page's median
   under 150 ms and within 3× the trivial page. With --writes N, one more user saves a report
   draft N times a minute: each save makes the kept pages that read reports (home, dashboard,
   report form) render again; the plan and gap pages stay (chiso.common.fragments).

Usage: .venv/bin/pip install -e ".[bench]"; .venv/bin/python bench/load.py
       [--db-url postgres://postgres@127.0.0.1:5433/chiso_load] [--users 200] [--duration 90] [--writes 6]
"""
from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5433/chiso_load"
PAGES = ["home", "plan", "gap", "dashboard", "report_form", "trivial"]
P95_TARGET, MEDIAN_TARGET, RATIO_TARGET = 300.0, 150.0, 3.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_database(url: str) -> None:
    import psycopg
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def prepare(plan_path: Path) -> None:
    """Runs in its own process (Django set up on the benchmark database)."""
    sys.path.insert(0, str(ROOT))
    from scripts.generate_national_data import generate, setup

    setup(None)
    import datetime as dt

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.urls import reverse

    call_command("migrate", verbosity=0)
    from chiso.accounts.models import Role, User
    from chiso.plans.models import Plan, Task
    from chiso.progress.models import ReportingPeriod
    from chiso.scores.models import Assessment
    from chiso.units.models import Unit, UnitKind

    if not Unit.objects.filter(name="Tỉnh mẫu 01").exists():
        print("Sinh dữ liệu toàn quốc (một lần, vài phút)...", flush=True)
        generate()

    def session_for(user) -> str:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.set_expiry(24 * 3600)
        store.create()
        return store.session_key

    users = []
    for province in Unit.objects.filter(kind=UnitKind.PROVINCE, name__startswith="Tỉnh mẫu").order_by("name"):
        n = province.name[-2:]
        snv, _ = Unit.objects.get_or_create(name=f"Sở Nội vụ {province.name}", parent=province,
                                            defaults={"kind": UnitKind.DEPARTMENT})
        plan = Plan.objects.filter(issuer=province).order_by("pk").first()
        period, _ = ReportingPeriod.objects.get_or_create(plan=plan, name="Quý I/2025", defaults={
            "start": dt.date(2025, 1, 1), "end": dt.date(2025, 3, 31), "due_date": dt.date(2025, 4, 5)})
        task = Task.objects.filter(item__table__plan=plan).order_by("item__position", "position").first()
        assessment = Assessment.objects.get(unit=province, year=2024, version__label__contains="2021–2025")
        common = {"home": reverse("home"), "plan": reverse("plans:detail", args=[plan.public_id]),
                  "gap": reverse("analysis:gap", args=[assessment.public_id]), "trivial": reverse("healthz")}
        coordinator, _ = User.objects.get_or_create(username=f"load-snv-{n}", defaults={
            "unit": snv, "role": Role.COORDINATOR, "full_name": f"Điều phối {province.name}"})
        officer, _ = User.objects.get_or_create(username=f"load-cb-{n}", defaults={
            "unit": province, "role": Role.OFFICER, "full_name": f"Cán bộ {province.name}"})
        users.append({"username": coordinator.username, "session": session_for(coordinator), "pages": {
            **common, "dashboard": reverse("progress:plan_dashboard", args=[plan.public_id])}})
        users.append({"username": officer.username, "session": session_for(officer), "pages": {
            **common, "report_form": reverse("progress:report_edit", args=[period.public_id, task.public_id])}})
    plan_path.write_text(json.dumps({"users": users}, ensure_ascii=False))
    print(f"{len(users)} tài khoản (điều phối và cán bộ của 34 tỉnh), mỗi tài khoản một phiên đăng nhập", flush=True)


def start_server(env: dict, port: int, workers: int | None, threads: int | None) -> subprocess.Popen:
    argv = [sys.executable, "-m", "chiso.cli", "serve", "--no-worker", "--reminders-every", "0", "--port", str(port)]
    if workers:
        argv += ["--workers", str(workers)]
    if threads:
        argv += ["--threads", str(threads)]
    server = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = server.stdout.readline()
        if not line and server.poll() is not None:
            raise SystemExit("chiso serve đã dừng khi khởi động")
        if "chiso đang chạy tại" in line:
            return server
    raise SystemExit("chiso serve không trả lời sau 120 s")


def warm_up(base: str, plan: dict) -> None:
    """Every page once per account, so that each gunicorn process has loaded its code."""
    for account in plan["users"]:
        for url in account["pages"].values():
            request = urllib.request.Request(base + url, headers={"Cookie": f"sessionid={account['session']}"})
            with urllib.request.urlopen(request, timeout=60) as response:
                if response.status != 200:
                    raise SystemExit(f"{url}: {response.status}")


def run_locust(env: dict, base: str, users: int, duration: int, out: Path) -> None:
    spawn_rate = max(1, users // 10)
    subprocess.run([sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
                    "-u", str(users), "-r", str(spawn_rate), "-t", f"{duration}s", "--host", base,
                    "--csv", str(out), "--reset-stats", "--only-summary", "--loglevel", "WARNING"],
                   env=env, check=False, stdout=subprocess.DEVNULL)


def report(stats_csv: Path, users: int, duration: int, writes: float = 0) -> int:
    rows = {r["Name"]: r for r in csv.DictReader(stats_csv.open(encoding="utf-8"))}
    trivial = float(rows["trivial"]["50%"])
    total = rows["Aggregated"]
    print(f"\n{users} người dùng, mỗi người một yêu cầu mỗi ~5 s, {duration} s; máy {os.cpu_count()} lõi, "
          f"tải trung bình {os.getloadavg()[0]:.1f} khi kết thúc")
    if writes:
        saves = rows.get("write (save)", {})
        print(f"Ghi: {writes:g} lần lưu báo cáo mỗi phút ({int(saves.get('Request Count', 0))} lần, "
              f"{int(saves.get('Failure Count', 0))} lỗi, trung vị {float(saves.get('50%', 0)):.0f} ms); "
              "mỗi lần lưu làm mới các trang đọc báo cáo (trang chủ, bảng theo dõi, mẫu báo cáo)")
    print(f"{'Trang':14} {'yêu cầu':>8} {'lỗi':>5} {'trung vị':>9} {'p95':>7} {'/ trang đơn giản':>17}")
    failures = int(total["Failure Count"])
    ok = True
    for name in PAGES:
        if name not in rows:
            continue
        r = rows[name]
        median, p95 = float(r["50%"]), float(r["95%"])
        ratio = median / trivial if trivial else float("inf")
        flags = []
        if name != "trivial" and median > MEDIAN_TARGET:
            flags.append(f"> {MEDIAN_TARGET:.0f} ms")
        if name != "trivial" and ratio > RATIO_TARGET:
            flags.append(f"> {RATIO_TARGET:.0f}×")
        ok &= not flags
        print(f"{name:14} {int(r['Request Count']):8d} {int(r['Failure Count']):5d} {median:7.0f}ms {p95:5.0f}ms "
              f"{ratio:16.1f}×  {' '.join(flags)}")
    p95_all = float(total["95%"])
    print(f"{'tất cả':14} {int(total['Request Count']):8d} {failures:5d} {float(total['50%']):7.0f}ms {p95_all:5.0f}ms "
          f"  ({float(total['Requests/s']):.1f} yêu cầu/s)")
    ok &= p95_all < P95_TARGET and failures == 0
    print(f"Mục tiêu: p95 < {P95_TARGET:.0f} ms, không lỗi, trung vị mỗi trang < {MEDIAN_TARGET:.0f} ms và "
          f"≤ {RATIO_TARGET:.0f}× trang đơn giản: {'đạt' if ok else 'CHƯA ĐẠT'}")
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db-url", default=os.environ.get("CHISO_BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--duration", type=int, default=90, help="giây đo (sau khi đủ người dùng)")
    parser.add_argument("--workers", type=int, help="số tiến trình gunicorn (mặc định như chiso serve)")
    parser.add_argument("--threads", type=int)
    parser.add_argument("--writes", type=float, default=0,
                        help="số lần lưu báo cáo mỗi phút trong khi đo (mỗi lần làm mới các trang đã lưu có đọc báo cáo)")
    parser.add_argument("--prepare", type=Path, help=argparse.SUPPRESS)  # internal: the preparation step
    args = parser.parse_args()
    if not args.db_url.startswith("postgres"):
        raise SystemExit("Bài đo chạy trên PostgreSQL (--db-url postgres://...), như máy chủ thật.")
    if importlib.util.find_spec("locust") is None and not args.prepare:
        raise SystemExit("Thiếu locust: cài phần phụ của bài đo (.venv/bin/pip install -e '.[bench]').")
    os.environ["CHISO_DATABASE_URL"] = args.db_url
    if args.prepare:
        prepare(args.prepare)
        return 0
    var_dir = ROOT / "var" / "bench" / "load"
    var_dir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "CHISO_DATABASE_URL": args.db_url, "CHISO_VAR_DIR": str(var_dir), "CHISO_DEBUG": "0"}
    for name in ("CHISO_SITE_URL", "CHISO_REDIS_URL", "CHISO_ACCESS_LOG"):
        env.pop(name, None)
    ensure_database(args.db_url)
    with tempfile.TemporaryDirectory() as tmp:
        plan_path = Path(tmp) / "plan.json"
        subprocess.run([sys.executable, __file__, "--db-url", args.db_url, "--prepare", str(plan_path)], env=env,
                       check=True)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_server(env, port, args.workers, args.threads)
        try:
            warm_up(base, json.loads(plan_path.read_text()))
            locust_env = {**env, "CHISO_LOAD_PLAN": str(plan_path), "CHISO_LOAD_WRITES": str(args.writes)}
            run_locust(locust_env, base, args.users, args.duration + 10, Path(tmp) / "load")
            return report(Path(tmp) / "load_stats.csv", args.users, args.duration, args.writes)
        finally:
            server.terminate()
            server.wait(timeout=60)


if __name__ == "__main__":
    sys.exit(main())
