"""The second factor: TOTP enrolment and single-use recovery codes (django-otp devices)."""

import base64
import io
import math

import qrcode
import qrcode.image.svg
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODE_COUNT = 10


def confirmed_totp(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_totp(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def base32_secret(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode()


def qr_svg(device: TOTPDevice) -> str:
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


def issue_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes with new ones; each works once."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name="Recovery codes", defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def match_token(user, token: str):
    """The device the token is valid for (TOTP, or a recovery code which is then spent), or None."""
    token = "".join(token.split())
    totp = confirmed_totp(user)
    if totp is not None and token.isdigit() and totp.verify_token(token):
        return totp
    for device in StaticDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(token):
            return device
    return None


def seconds_until_next_try(user) -> int:
    """django-otp slows guessing down after each wrong code; tell the person how long to wait."""
    device = confirmed_totp(user) or TOTPDevice.objects.filter(user=user).first()
    if device is None:
        return 0
    allowed, details = device.verify_is_allowed()
    if allowed or not details or "locked_until" not in details:
        return 0
    return max(1, math.ceil((details["locked_until"] - timezone.now()).total_seconds()))
