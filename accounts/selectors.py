"""Reads about accounts and their roles."""

from django.db.models import QuerySet

from .models import RoleGrant


def suspended_grants() -> QuerySet[RoleGrant]:
    """Role grants suspended because their holder left the organization, oldest first, with
    the account and the entity: what the Ethics Office has to reinstate or give to someone."""
    return RoleGrant.objects.suspended().select_related("user", "entity").order_by("suspended_at", "pk")
