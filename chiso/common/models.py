"""Shared model pieces."""
from __future__ import annotations

from django.db import models

from chiso.core.ids import new_public_id


class PublicIdModel(models.Model):
    """A model reachable by URL: identified there by a random public id, never the pk."""

    public_id = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)

    class Meta:
        abstract = True


POINTS = {"max_digits": 10, "decimal_places": 4}


class Generation(models.Model):
    """The write generation of one table (chiso.common.fragments): incremented after each
    committed write to it."""

    name = models.CharField(max_length=63, primary_key=True)  # a table's name (PostgreSQL allows 63)
    value = models.BigIntegerField(default=0)
