import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from navigator.core.models import AuditEvent, Role

from ..conftest import PASSWORD, make_user


def _code(user) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _password(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_password_alone_opens_no_case_page_and_no_api(client, people, forces, make_victim):
    victim = make_victim(people["navigator"], forces["ESX"])
    response = _password(client, "nav.essex")
    assert response.status_code == 302 and response["Location"] == reverse("login-verify")
    for url in (reverse("home"), reverse("victims:list"), reverse("victims:detail", args=[victim.reference])):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("login-verify"), url
    for url in (reverse("victim-list"), reverse("victim-detail", args=[victim.reference]), reverse("api-schema")):
        response = client.get(url)
        assert response.status_code in (401, 403), url
        assert victim.reference not in response.content.decode()
    assert client.post(reverse("api-token")).status_code in (401, 403)


def test_password_then_totp_signs_in_and_is_audited(client, people, settings):
    _password(client, "nav.essex")
    response = client.post(reverse("login-verify"), {"token": "000000"})
    assert "The security code is not right. Wait 1 second," in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # rather than sleep through django-otp's back-off
    response = client.post(reverse("login-verify"), {"token": _code(people["navigator"])})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("victims:list")).status_code == 200
    actions = list(AuditEvent.objects.filter(actor_username="nav.essex").values_list("action", "changes"))
    assert ("login", {"step": "password"}) in actions
    assert ("login_failed", {"step": "second_factor"}) in [(a, c) for a, c in actions]
    assert ("login", {"step": "second_factor"}) in actions
    client.post(reverse("logout"))
    assert AuditEvent.objects.filter(actor_username="nav.essex", action="logout").exists()
    assert client.get(reverse("victims:list")).status_code == 302


def test_wrong_password_is_audited_and_repeated_failures_lock_the_account(client, people, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = _password(client, "nav.essex", "wrong-password")
    assert AuditEvent.objects.filter(action="login_failed", actor_username="nav.essex").count() >= 4
    response = _password(client, "nav.essex")
    assert response.status_code == 429 or "Your account is locked" in response.content.decode()
    assert client.get(reverse("victims:list")).status_code == 302


def test_guessing_the_second_factor_also_locks_out(client, people, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    _password(client, "nav.essex")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(reverse("login-verify"), {"token": "123456"})
    assert response.status_code in (403, 429)
    assert client.get(reverse("victims:list")).status_code == 302


def test_first_sign_in_enrols_an_authenticator_and_shows_recovery_codes(client, forces):
    user = make_user("new.starter", Role.NAVIGATOR, [forces["SRY"]], with_totp=False)
    _password(client, "new.starter")
    page = client.get(reverse("login-verify")).content.decode()
    assert "Set up your authenticator app" in page and "<svg" in page
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("login-verify"), {"token": _code_for(device)})
    assert response["Location"] == reverse("recovery-codes")
    page = client.get(reverse("recovery-codes")).content.decode()
    codes = [line.strip() for line in page.split("<li>")[1:]]
    codes = [c.split("<")[0] for c in codes]
    assert len(codes) == 10
    # A recovery code works once.
    client.post(reverse("logout"))
    _password(client, "new.starter")
    assert client.post(reverse("login-verify"), {"token": codes[0]})["Location"] == reverse("home")
    client.post(reverse("logout"))
    _password(client, "new.starter")
    assert "not right" in client.post(reverse("login-verify"), {"token": codes[0]}).content.decode()


def _code_for(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_api_token_needs_a_verified_session_and_then_works(client, login, people, forces, make_victim):
    victim = make_victim(people["navigator"], forces["ESX"])
    login(people["navigator"])
    token = client.post(reverse("api-token")).json()["token"]
    from django.test import Client

    fresh = Client()
    response = fresh.get(reverse("victim-list"), HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200
    assert response.json()["results"][0]["reference"] == victim.reference


def test_idle_sessions_expire(client, login, people, settings):
    import datetime

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    login(people["navigator"])
    assert client.get(reverse("victims:list")).status_code == 200
    session = Session.objects.get(session_key=client.session.session_key)
    # Each request pushes expiry forward by the idle timeout...
    assert session.expire_date > timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)
    # ...so a session left idle past it is gone.
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(reverse("victims:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("password", ["short", "password1234", "123456789012"])
def test_weak_passwords_are_refused(password):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password(password)
