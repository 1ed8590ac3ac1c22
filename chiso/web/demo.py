"""The demo data that `make run` loads: real seed documents, reference units, demo logins.

Each step is idempotent: running `chiso setup-demo` again keeps the data and
duplicates nothing. Other apps add their own steps to DEMO_STEPS (a dotted path
to a function taking `out`, a callable that prints one line).
"""
from __future__ import annotations

from django.utils.module_loading import import_string

DEMO_STEPS: list[str] = [
    "chiso.web.demo_steps.load_frameworks",
    "chiso.web.demo_steps.load_reference_units",
    "chiso.web.demo_steps.load_demo_plans",
    "chiso.web.demo_steps.create_demo_users",
    "chiso.analysis.demo.load_analysis_demo",
    "chiso.progress.demo.load_progress_demo",
]


def run_demo_steps(out) -> None:
    for dotted in DEMO_STEPS:
        import_string(dotted)(out)
