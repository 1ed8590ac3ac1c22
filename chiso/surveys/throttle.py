"""Rate limits for the public form, in Django's cache. The client's IP address is never stored:
only a keyed hash of it, as a counter that expires with its window."""
from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache

# (requests, seconds) per client address; settings may override them.
OPEN_SUBMITS = getattr(settings, "CHISO_SURVEY_OPEN_RATE", (30, 600))
BAD_KEYS = getattr(settings, "CHISO_SURVEY_BAD_KEY_RATE", (20, 600))


def _client(request) -> str:
    address = request.META.get("REMOTE_ADDR", "")
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()[:32]


def allow(request, bucket: str, rate: tuple[int, int]) -> bool:
    """Counts one request of this client in the bucket's current window; False beyond the limit."""
    limit, window = rate
    key = f"surveys:rate:{bucket}:{_client(request)}:{int(time.time() // window)}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        count = 1
    return count <= limit


def exceeded(request, bucket: str, rate: tuple[int, int]) -> bool:
    """Whether the client is over the limit already, without counting this request."""
    limit, window = rate
    return (cache.get(f"surveys:rate:{bucket}:{_client(request)}:{int(time.time() // window)}") or 0) >= limit
