"""The client's address, as seen through the proxies in front of gunicorn.

nginx appends the address it sees to X-Forwarded-For; a client can put anything before it.
So with CHISO_TRUSTED_PROXIES = N the client is the N-th address from the right, and never
one further left (which the client wrote itself). Without the header (the local demo, a
direct connection) it is REMOTE_ADDR. Login lockouts (django-axes) and the password-reset
limit count per this address.
"""
from __future__ import annotations

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or "0.0.0.0"
    proxies = getattr(settings, "CHISO_TRUSTED_PROXIES", 0)
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if proxies <= 0 or not forwarded:
        return remote
    candidate = forwarded[-proxies] if len(forwarded) >= proxies else forwarded[0]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:  # not an address: do not let it become a fresh lockout key
        return remote
