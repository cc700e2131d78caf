"""Describe Navigator's authentication classes in the OpenAPI schema."""

from drf_spectacular.authentication import SessionScheme


class VerifiedSessionScheme(SessionScheme):
    target_class = "navigator.core.authentication.VerifiedSessionAuthentication"
    name = "verifiedSession"
