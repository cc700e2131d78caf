from django.http import JsonResponse
from django.urls import Resolver404, resolve
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.views import APIView, exception_handler

from . import audit
from .authentication import IsVerified, VerifiedSessionAuthentication
from .models import AuditAction


class IssueTokenView(APIView):
    authentication_classes = [VerifiedSessionAuthentication]
    permission_classes = [IsVerified]

    @extend_schema(request=None, responses=inline_serializer("Token", {"token": serializers.CharField()}))
    def post(self, request):
        """Issue (or re-issue) an API token; only from a session that passed the second factor."""
        Token.objects.filter(user=request.user).delete()
        token = Token.objects.create(user=request.user)
        audit.record(actor=request.user, action=AuditAction.CREATE, object_type="authtoken.token",
                     object_id=str(request.user.pk), label="API token issued")
        return Response({"token": token.key})


def api_exception_handler(exc, context):
    """DRF's answers, except that every 404 says only "Not found.": its default names the model looked in ("No
    PoliceRecord matches ..."), and another force's record must answer exactly as a missing one does."""
    response = exception_handler(exc, context)
    if response is not None and response.status_code == 404:
        response.data = {"detail": "Not found."}
    return response


def api_not_found(request, path=""):
    """An address under /api/ that names nothing answers in JSON, as the API does, not with a web page; an address
    that lacks only its final slash says so."""
    detail = "Not found."
    if not request.path.endswith("/"):
        try:
            if resolve(request.path + "/").url_name != "api-not-found":
                detail = f"Not found. The address ends with a slash: {request.path}/"
        except Resolver404:
            pass
    return JsonResponse({"detail": detail}, status=404)
