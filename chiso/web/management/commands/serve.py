"""`chiso serve`: everything the product needs on one machine, supervised.

Starts the production web server (gunicorn, chiso/web/server.py) and the background
worker (`chiso worker`) as child processes, restarts either if it dies (after a short,
growing pause), runs send-reminders every hour, prints the address and the demo logins
once the server answers, and on SIGTERM / Ctrl+C stops both. `make run` ends with it; a
deployment runs it from systemd (docs/deploy.md), or runs the web server and the worker
as two units (`chiso serve --no-worker`, `chiso worker`).
"""
from __future__ import annotations

import ctypes
import logging
import signal
import socket
import subprocess
import sys
import threading
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

logger = logging.getLogger(__name__)
READY_TIMEOUT = 60
MAX_PAUSE = 30


def die_with_parent() -> None:  # pragma: no cover (runs in the child, before exec)
    """A child gets SIGTERM if `chiso serve` itself is killed, instead of living on (Linux)."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class Child:
    """One supervised process: started again after it exits, with a pause that doubles
    while it keeps dying young (1 s, 2 s, 4 s … 30 s) and resets once it has run a minute."""

    def __init__(self, name: str, argv: list[str], out):
        self.name, self.argv, self.out = name, argv, out
        self.proc: subprocess.Popen | None = None
        self.started = 0.0
        self.pause = 1.0
        self.restart_at: float | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(self.argv, preexec_fn=die_with_parent)
        self.started = time.monotonic()
        self.restart_at = None

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def tend(self) -> bool:
        """Restarts the process if it has died; True when it was (re)started just now."""
        now = time.monotonic()
        if self.restart_at is not None:
            if now >= self.restart_at:
                self.start()
                return True
            return False
        code = self.proc.poll() if self.proc else None
        if code is None:
            return False
        if now - self.started > 60:
            self.pause = 1.0
        self.restart_at = now + self.pause
        self.out(f"{self.name} đã dừng (mã {code}); khởi động lại sau {self.pause:.0f} giây.")
        self.pause = min(self.pause * 2, MAX_PAUSE)
        return False

    def stop(self, timeout: float = 30) -> None:
        if not self.proc or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class Command(BaseCommand):
    help = "Chạy máy chủ web (gunicorn) và tiến trình nền (xử lý tài liệu tải lên), gửi nhắc việc hằng giờ."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1",
                            help="địa chỉ lắng nghe (mặc định 127.0.0.1: chỉ nginx trên cùng máy gọi vào)")
        parser.add_argument("--port", default="8000")
        parser.add_argument("--workers", type=int, help="số tiến trình web (mặc định CHISO_WEB_WORKERS)")
        parser.add_argument("--threads", type=int, help="số luồng mỗi tiến trình web (mặc định CHISO_WEB_THREADS)")
        parser.add_argument("--no-worker", action="store_true", help="không chạy tiến trình nền (máy chỉ phục vụ web)")
        parser.add_argument("--reminders-every", type=int, default=3600, metavar="GIÂY",
                            help="chạy send-reminders mỗi bấy nhiêu giây (mặc định 3600; 0: không chạy)")

    def handle(self, *args, **options):
        host, port = options["host"], str(options["port"])
        self.follow_port(host, port)
        web_argv = [sys.executable, "-m", "chiso.web.server", "--bind", f"{host}:{port}"]
        for flag in ("workers", "threads"):
            if options[flag]:
                web_argv += [f"--{flag}", str(options[flag])]
        say = self.say
        web = Child("Máy chủ web", web_argv, say)
        children = [web]
        worker = None
        if not options["no_worker"]:
            worker = Child("Tiến trình nền", [sys.executable, "-m", "chiso.cli", "worker"], say)
            children.append(worker)

        stopping = threading.Event()

        def stop(*_):
            stopping.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            web.start()
            if worker:
                worker.start()
                say(f"Tiến trình nền đang chạy (pid {worker.pid}).")
            if not wait_until_listening(host, int(port), web, stopping):
                if not stopping.is_set():
                    raise CommandError(f"Máy chủ web không khởi động được trên {host}:{port} (xem thông báo ở trên).")
                return
            if options["reminders_every"] > 0:
                # send-reminders never sends the same reminder twice, so running it hourly is
                # safe; a deployment with several machines runs it from one timer instead.
                threading.Thread(target=remind_periodically, args=(options["reminders_every"], stopping),
                                 daemon=True).start()
            self.print_banner(host, port)
            while not stopping.wait(0.5):
                for child in children:
                    if child.tend() and child is worker:
                        say(f"Tiến trình nền đang chạy (pid {worker.pid}).")
        finally:
            stopping.set()
            for child in reversed(children):
                child.stop()

    @staticmethod
    def follow_port(host: str, port: str) -> None:
        """Without CHISO_SITE_URL (the local demo), the links in emails name the address served
        here (`PORT=8123 make run`), in this process and in the children, which read it at start."""
        import os

        from django.conf import settings

        if os.environ.get("CHISO_SITE_URL", "").strip() or not settings.LOCAL_DEMO:
            return
        shown = local_address(host)
        settings.CHISO_SITE_URL = os.environ["CHISO_SITE_URL"] = f"http://{shown}:{port}"

    def say(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()

    def print_banner(self, host: str, port: str) -> None:
        from chiso.demo.steps import DEMO_PASSWORD, demo_logins

        shown = local_address(host)
        self.say("")
        self.say(f"chiso đang chạy tại  http://{shown}:{port}/")
        demo = demo_logins()
        if demo:
            self.say(f"Tài khoản dùng thử (mật khẩu: {DEMO_PASSWORD}):")
            for username, full_name, *_ in demo:
                self.say(f"  {username:<16} {full_name}")
        from django.conf import settings

        if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
            self.say(f"Thư gửi đi (nhắc việc, mời khảo sát, đặt lại mật khẩu) được lưu trong {settings.EMAIL_FILE_PATH}/")
        self.say("Dừng: Ctrl+C")
        self.say("")
        from django.db import connection

        connection.close()  # the supervisor holds no database connection while it waits


def local_address(host: str) -> str:
    """Where this machine reaches a server bound to `host` (all interfaces: the loopback)."""
    return "127.0.0.1" if host in {"0.0.0.0", "::", ""} else host


def wait_until_listening(host: str, port: int, web: Child, stopping: threading.Event) -> bool:
    deadline = time.monotonic() + READY_TIMEOUT
    target = local_address(host)
    while time.monotonic() < deadline and not stopping.is_set():
        if web.proc.poll() is not None:
            return False
        try:
            with socket.create_connection((target, port), timeout=1):
                return True
        except OSError:
            stopping.wait(0.2)
    return False


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

