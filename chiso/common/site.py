"""The site's public address, for links in emails (invitations, reminders): CHISO_SITE_URL."""
from __future__ import annotations

import os

from django.conf import settings


def site_url() -> str:
    return (getattr(settings, "CHISO_SITE_URL", "") or os.environ.get("CHISO_SITE_URL", "http://localhost:8000")
            ).rstrip("/")
