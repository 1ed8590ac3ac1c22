"""The production web server: gunicorn, configured from Django settings (WEB_SERVER).

`chiso serve` runs it as a child process (`python -m chiso.web.server --bind HOST:PORT`)
beside the background worker. gunicorn's own master restarts a web worker that dies or
stops answering (`timeout`), and recycles workers after `max_requests`; the limits on the
request line and headers come from settings, the body limit from
chiso.web.middleware (gunicorn has none). The threaded worker class lets a slow database
or storage call wait without holding a whole process.
"""
from __future__ import annotations

import argparse
import os
import sys

# What the Server header says: not the server software and its version.
SERVER_NAME = "chiso"


def options(bind: str, workers: int | None = None, threads: int | None = None) -> dict:
    from django.conf import settings

    opts = dict(settings.WEB_SERVER)
    if workers:
        opts["workers"] = workers
    if threads:
        opts["threads"] = threads
    access_log = os.environ.get("CHISO_ACCESS_LOG", "").strip()
    opts.update({
        "bind": [bind],
        "worker_class": "gthread",
        "preload_app": True,  # settings and code are checked once, before any worker starts
        "accesslog": access_log or None,
        "errorlog": "-",
        "loglevel": os.environ.get("CHISO_LOG_LEVEL", "warning").lower(),
        "proc_name": "chiso-web",
        "forwarded_allow_ips": "127.0.0.1,::1",
        # The default template would put the client's full address and query string in the log.
        "access_log_format": '%({x-forwarded-for}i)s %(h)s "%(r)s" %(s)s %(b)s %(M)sms',
    })
    return opts


def hide_server_identity() -> None:
    import gunicorn
    import gunicorn.http.wsgi

    gunicorn.SERVER = gunicorn.http.wsgi.SERVER = SERVER_NAME
    gunicorn.SERVER_SOFTWARE = gunicorn.http.wsgi.SERVER_SOFTWARE = SERVER_NAME


def run(opts: dict) -> None:
    from gunicorn.app.base import BaseApplication

    class WebServer(BaseApplication):
        def load_config(self):
            for key, value in opts.items():
                if value is not None:
                    self.cfg.set(key, value)

        def load(self):
            from chiso.wsgi import application

            return application

    hide_server_identity()
    WebServer().run()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m chiso.web.server", description=__doc__)
    parser.add_argument("--bind", default="127.0.0.1:8000")
    parser.add_argument("--workers", type=int)
    parser.add_argument("--threads", type=int)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chiso.settings")
    import django

    django.setup()
    run(options(args.bind, args.workers, args.threads))
    return 0


if __name__ == "__main__":
    sys.exit(main())
