from django.utils.functional import SimpleLazyObject

from chiso.accounts.policies import can_manage_plans, oversees_province


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from chiso.progress.notifications import unread_count

    # lazy: the count is read only when a page shows the navbar (not by partials, downloads, redirects)
    return {"nav_can_manage": can_manage_plans(user), "nav_oversees": oversees_province(user),
            "nav_unread": SimpleLazyObject(lambda: unread_count(user))}
