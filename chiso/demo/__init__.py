"""The demo data that `make run` loads: real seed documents, reference units, demo logins.

All demo code lives here, in chiso.demo, above the apps (it calls their services; no app
imports it): an app's demo step is a module of this package (chiso/demo/<app>.py) listed in
DEMO_STEPS as a dotted path to a function taking `out`, a callable that prints one line.
Each step is idempotent: running `chiso setup-demo` again keeps the data and duplicates
nothing.
"""
from __future__ import annotations

from django.utils.module_loading import import_string

DEMO_STEPS: list[str] = [
    "chiso.demo.steps.load_frameworks",
    "chiso.demo.steps.load_reference_units",
    "chiso.demo.steps.load_demo_plans",
    "chiso.demo.steps.create_demo_users",
    "chiso.demo.analysis.load_analysis_demo",
    "chiso.demo.progress.load_progress_demo",
    "chiso.demo.surveys.load_surveys_demo",
    "chiso.demo.appraisal.load_appraisal_demo",
]


def run_demo_steps(out) -> None:
    for dotted in DEMO_STEPS:
        import_string(dotted)(out)
