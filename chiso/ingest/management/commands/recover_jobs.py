"""`chiso recover-jobs`: readings whose worker is gone are read again once, then failed with a
message; uploads nobody took for too long fail too (see chiso.ingest.recovery).

Run it before starting a worker and every few minutes while workers run (`--every 300`, or
cron / a systemd timer). Running several at once is safe."""
from __future__ import annotations

import logging
import threading

from django.core.management.base import BaseCommand
from django.db import connection

from chiso.ingest.recovery import jobs_recover


class Command(BaseCommand):
    help = ("Xử lý các việc nền bị bỏ dở (tiến trình nền dừng đột ngột): đọc lại tài liệu một lần, "
            "sau đó báo lỗi để người dùng bấm “Thử lại”.")

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=0, metavar="GIÂY",
                            help="chạy lặp lại mỗi bấy nhiêu giây (mặc định: chạy một lần)")

    def handle(self, *args, every: int, **options):
        if every <= 0:
            self.stdout.write(f"{jobs_recover()}")
            return
        recover_periodically(every)


def recover_periodically(every: int, stop: threading.Event | None = None, *,
                         once: bool = False, wait_first: bool = False) -> None:
    """`jobs_recover()` now and then every `every` seconds until `stop` is set (for a supervisor's
    thread); `once` runs one pass on the caller's connection and leaves it open, `wait_first`
    starts with a wait (the caller ran a pass)."""
    stop = stop or threading.Event()
    if wait_first:
        stop.wait(every)
    while not stop.is_set():
        try:
            jobs_recover()
        except Exception:  # a failed pass is logged; the next one tries again
            logging.getLogger(__name__).exception("recover-jobs failed")
        if once:  # the caller's own connection: it goes on using it (a test, the worker)
            return
        connection.close()  # this thread's connection must not sit idle for minutes
        stop.wait(every)
