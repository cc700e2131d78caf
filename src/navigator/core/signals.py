from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from . import audit
from .models import AuditAction


@receiver(user_logged_in)
def _audit_login(sender, request, user, **kwargs):
    audit.record(actor=user, action=AuditAction.LOGIN, changes={"step": "password"})


@receiver(user_logged_out)
def _audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit.record(actor=user, action=AuditAction.LOGOUT)


@receiver(user_login_failed)
def _audit_login_failed(sender, credentials, request=None, **kwargs):
    audit.record(actor=None, action=AuditAction.LOGIN_FAILED, username=str(credentials.get("username", ""))[:150],
                 changes={"step": credentials.get("step", "password")})
