from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.views import APIView

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
