"""Three people confirm a plan at the same moment on one SQLite file (run in its own process
by test_sqlite_writers.py): `python -m tests.web.concurrent_writers [--deferred]`, with
CHISO_DATABASE_URL pointing at a migrated file. Prints one JSON line: what each confirm
did (loaded / found it loaded), the errors, the plans in the database."""
from __future__ import annotations

import json
import os
import sys
import threading


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chiso.settings")
    import django
    from django.conf import settings

    if "--deferred" in argv:  # how it was before: the write lock taken at the first write
        settings.DATABASES["default"]["OPTIONS"].pop("transaction_mode")
    django.setup()
    from django.db import connection

    from chiso.accounts.models import Role, User
    from chiso.frameworks.services import bundled_frameworks_load
    from chiso.plans.services import plan_load
    from chiso.demo.steps import DEMO_DIR

    bundled_frameworks_load(actor=None)
    admin = User.objects.create(username="admin", role=Role.ADMIN, is_superuser=True)
    # The same seed plan, confirmed by three people at once: one loads it, two find it loaded.
    document = json.loads((DEMO_DIR / "golden" / "003_5869b5a3940833bd.json").read_text())
    documents = [document] * 3
    connection.close()
    start = threading.Barrier(len(documents))
    done, errors = [], []

    def confirm(document):
        try:
            start.wait()
            report = plan_load(actor=admin, document=document)
            done.append("existing" if report.existing else "loaded")
        except Exception as exc:  # the point: which errors, if any
            errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=(d,)) for d in documents]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    from chiso.plans.models import Plan

    print(json.dumps({"done": sorted(done), "errors": errors, "plans": Plan.objects.count()}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
