"""The `chiso` console command: operator work on top of Django's management commands.

`chiso ingest` runs the document reader without starting Django, so that reading a
file stays fast; every other word is a Django management command
(`chiso load-plan`, `chiso serve`, `chiso migrate`, ...). Commands with dashes map
to modules with underscores.
"""
from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] == "ingest":
        from chiso.reader.cli import main as ingest_main

        return ingest_main(argv[2:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chiso.settings")
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(argv)
    except ImproperlyConfigured as exc:  # a setting is missing or wrong: say which, no traceback
        print(f"chiso: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
