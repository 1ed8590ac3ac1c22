"""The authentication backend: ModelBackend, reading the user with their unit in one query.

Every page reads `request.user.unit` (the navbar, the scope of every query): loading it with
the user saves a query on each request."""
from __future__ import annotations

from django.contrib.auth.backends import ModelBackend


class UserBackend(ModelBackend):
    def get_user(self, user_id):
        from django.contrib.auth import get_user_model

        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("unit").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

