import uuid

from django.shortcuts import redirect
from django.urls import reverse

from .context import RequestContext, current_request

# Paths a signed-in user may reach before passing the second factor.
_OPEN_PREFIXES = ("/login/", "/logout/", "/static/", "/healthz")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = uuid.uuid4().hex
        request.request_id = request_id
        token = current_request.set(RequestContext(request_id=request_id, ip_address=request.META.get("REMOTE_ADDR")))
        try:
            response = self.get_response(request)
        finally:
            current_request.reset(token)
        response["X-Request-ID"] = request_id
        return response


class SecondFactorRequiredMiddleware:
    """No case page answers until the password *and* the second factor have been passed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        if path.startswith(_OPEN_PREFIXES) or path.startswith("/api/"):
            # The API refuses unverified callers itself, with 401/403 rather than a redirect.
            return self.get_response(request)
        user = request.user
        if not user.is_authenticated:
            return redirect(f"{reverse('login')}?next={path}")
        if not user.is_verified():
            return redirect("login-verify")
        return self.get_response(request)
