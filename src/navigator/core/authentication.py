"""API authentication: only callers who passed the second factor get data."""

from rest_framework import permissions
from rest_framework.authentication import SessionAuthentication, TokenAuthentication


class VerifiedSessionAuthentication(SessionAuthentication):
    """A browser session counts only once the second factor was passed in it."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        if not getattr(request._request.user, "is_verified", lambda: False)():
            return None
        return result


class VerifiedTokenAuthentication(TokenAuthentication):
    """Tokens are issued only through a verified session (IssueTokenView), so a token is verified."""


class IsVerified(permissions.BasePermission):
    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.is_active)


def roles_allowed(*roles: str) -> type[permissions.BasePermission]:
    """A permission for verified users of these roles; everyone else gets 403."""

    class HasRole(IsVerified):
        def has_permission(self, request, view):
            return super().has_permission(request, view) and request.user.role in roles

    HasRole.__name__ = f"HasRole({', '.join(roles)})"
    return HasRole


IsCaseWorker = roles_allowed("navigator", "lead", "police")
