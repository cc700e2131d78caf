"""The one choke point for visibility: every queryset that reaches a user goes through visible_to()."""

from django.db import models
from django.db.models import Q
from django.http import Http404

VIEW = "view"
CHANGE = "change"
AGGREGATE = "aggregate"  # counted into published figures, never shown one by one (a model that allows it says so)


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = VIEW):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        condition = self.model.visibility(user, action)
        if condition is None:
            return self.none()
        return self.filter(condition)


def force_visibility(user, action: str, *, field: str = "force", view_roles, change_roles) -> Q | None:
    """Q for records belonging to a force: leads see every force, others only their deployments."""
    roles = change_roles if action == CHANGE else view_roles
    if user.role not in roles:
        return None
    if user.sees_all_forces:
        return Q()
    return Q(**{f"{field}__in": user.force_ids})


def get_visible_or_404(queryset, user, action: str = VIEW, **lookup):
    """A record the user may not see answers 404, exactly like one that does not exist."""
    try:
        return queryset.visible_to(user, action).get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404("No such record") from None


def require_role(user, *roles: str) -> None:
    """A page outside the user's role answers 404, like a page that does not exist."""
    if user.role not in roles:
        raise Http404("No such page")


def require_own_force(user, posted_force_id: str | None) -> None:
    """Only a tampered form names a force the user is not deployed to: answer 404."""
    if posted_force_id and posted_force_id not in {str(pk) for pk in user.force_ids}:
        raise Http404("No such force")
