"""Runs everything the product needs: the web server and the background worker."""
from __future__ import annotations

import logging
import signal
import subprocess
import sys
import threading

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Chạy máy chủ web và tiến trình nền (xử lý tài liệu tải lên, gửi nhắc việc)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")
        parser.add_argument("--no-worker", action="store_true", help="không chạy tiến trình nền")
        parser.add_argument("--reminders-every", type=int, default=3600, metavar="GIÂY",
                            help="chạy send-reminders mỗi bấy nhiêu giây (mặc định 3600; 0: không chạy)")

    def handle(self, *args, **options):
        worker = None
        if not options["no_worker"]:
            worker = subprocess.Popen([sys.executable, "-m", "chiso.cli", "db_worker", "--interval", "1"])
            self.stdout.write(f"Tiến trình nền đang chạy (pid {worker.pid}).")

        def stop(*_):
            if worker and worker.poll() is None:
                worker.terminate()
                worker.wait(timeout=10)
            raise SystemExit(0)

        signal.signal(signal.SIGTERM, stop)
        if options["reminders_every"] > 0:
            # send-reminders never sends the same reminder twice, so running it hourly is
            # safe; a deployment with cron can turn this off.
            threading.Thread(target=remind_periodically, args=(options["reminders_every"],), daemon=True).start()
        self.print_banner(options["host"], options["port"])
        try:
            call_command("runserver", f"{options['host']}:{options['port']}", use_reloader=False, use_threading=True)
        except KeyboardInterrupt:
            pass
        finally:
            if worker and worker.poll() is None:
                worker.terminate()
                worker.wait(timeout=10)

    def print_banner(self, host: str, port: str) -> None:
        from chiso.accounts.models import User
        from chiso.demo.progress import OFFICER
        from chiso.demo.steps import DEMO_PASSWORD, DEMO_USERS

        self.stdout.write("")
        self.stdout.write(f"chiso đang chạy tại  http://{host}:{port}/")
        logins = [*DEMO_USERS[:2], OFFICER, *DEMO_USERS[2:]]
        demo = [u for u in logins if User.objects.filter(username=u[0]).exists()]
        if demo:
            self.stdout.write(f"Tài khoản dùng thử (mật khẩu: {DEMO_PASSWORD}):")
            for username, full_name, *_ in demo:
                self.stdout.write(f"  {username:<16} {full_name}")
        self.stdout.write("Dừng: Ctrl+C")
        self.stdout.write("")


def remind_periodically(every: int, stop: threading.Event | None = None) -> None:
    from django.db import connection

    stop = stop or threading.Event()
    while not stop.is_set():
        try:
            call_command("send_reminders")
        except Exception:  # a failed run is logged; the next one tries again
            logging.getLogger(__name__).exception("send-reminders failed")
        finally:
            connection.close()
        stop.wait(every)
