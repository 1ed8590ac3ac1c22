"""Who does a write: the `actor` every service takes, and how it is recorded in history.

Every write service is called as `<thing>_<verb>(*, actor, ...)` and checks the actor's
permission itself (the REST API calls services directly, so a view's check is not enough).
`actor` is the person making the change — `request.user` in a view, the token's user in the
API — or `None` for chiso itself: the command line (`chiso load_plan`, `chiso setup-demo`),
the bundled reference data and background jobs. A request never passes `None`: even an
anonymous request has an `AnonymousUser`, which every policy refuses.

`by_actor(obj, actor)` is the one place that tells django-simple-history who made a change:
`by_actor(report, actor).save()`. Changes by chiso itself are recorded without a person
("Hệ thống" in the history views).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from chiso.accounts.models import User

    Actor = User | AnonymousUser | None

T = TypeVar("T")


def acting_user(actor: Actor) -> User | None:
    """The person behind an actor, for a `created_by`-style field or a history entry: None for
    chiso itself and for an anonymous request."""
    if actor is None or not actor.is_authenticated:
        return None
    return actor


def by_actor(obj: T, actor: Actor) -> T:
    """Records `actor` as the user of the history entry that `obj.save()` (or `obj.delete()`)
    writes next; returns `obj`, so that `by_actor(obj, actor).save()` is one step."""
    obj._history_user = acting_user(actor)
    return obj
