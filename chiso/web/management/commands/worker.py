"""`chiso worker`: the background worker of the configured task backend.

With the database backend (the default) it is django-tasks-db's `db_worker`; with Redis
(CHISO_REDIS_URL set) it is an RQ worker on the same queues. Run by `chiso serve`, or as
its own systemd unit on worker machines (docs/deploy.md): any number of them may run.

Before it takes work, and then every five minutes beside it, it recovers the jobs of a
worker that died (`chiso recover-jobs`): no upload stays "Đang đọc…" forever.
"""
from __future__ import annotations

import threading

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


def uses_rq() -> bool:
    return settings.TASKS["default"]["BACKEND"].startswith("django_tasks_rq")


class Command(BaseCommand):
    help = "Chạy tiến trình nền: đọc tài liệu tải lên và các việc chạy nền khác."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="làm hết việc đang chờ rồi thoát")
        parser.add_argument("--recover-every", type=int, default=300, metavar="GIÂY",
                            help="xử lý việc bị bỏ dở khi bắt đầu và mỗi bấy nhiêu giây (mặc định 300; 0: không)")

    def handle(self, *args, **options):
        if not options["batch"] and options["recover_every"] > 0:
            from chiso.ingest.management.commands.recover_jobs import recover_periodically

            # the first pass runs before this worker takes anything, then one every few minutes
            recover_periodically(0, once=True)
            threading.Thread(target=recover_periodically, args=(options["recover_every"],),
                             kwargs={"wait_first": True}, name="recover-jobs", daemon=True).start()
        if not uses_rq():
            args = ["--batch", "--no-startup-delay"] if options["batch"] else ["--interval", "1"]
            call_command("db_worker", "--no-reload", *args)
        elif options["batch"]:
            rq_batch()
        else:  # each job in a forked work horse; the scheduler runs deferred jobs
            call_command("rqworker", *queues(), job_class="django_tasks_rq.Job", with_scheduler=True)


def queues() -> list[str]:
    return list(settings.TASKS["default"].get("QUEUES", ["default"]))


def rq_batch() -> None:
    """Everything queued, in this process and on this database connection (no fork): what a
    test needs to see the jobs' writes inside its own transaction."""
    import django_rq
    from django_tasks_rq import Job
    from rq import SimpleWorker

    rq_queues = django_rq.queues.get_queues(*queues(), job_class=Job)
    SimpleWorker(rq_queues, connection=rq_queues[0].connection, job_class=Job).work(burst=True, logging_level="WARNING")
