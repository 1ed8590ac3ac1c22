from chiso.accounts.policies import can_manage_plans, oversees_province


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_can_manage": can_manage_plans(user), "nav_oversees": oversees_province(user)}
