import datetime

import pytest
from django.conf import settings
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from navigator.core import crypto
from navigator.core.forces import FORCES
from navigator.core.models import Force, Role, User

PASSWORD = "correct-horse-battery-staple-42"
TOTP_KEY = "3132333435363738393031323334353637383930"


@pytest.fixture(scope="session", autouse=True)
def _isolated_keyring(tmp_path_factory):
    """Tests never touch the developer's key file."""
    settings.NAVIGATOR_KEY_FILE = tmp_path_factory.mktemp("keys") / "keys.json"
    # Deliberately slow password hashing is for production, not for thousands of test logins.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    crypto.reset_keyring_cache()
    yield
    crypto.reset_keyring_cache()


@pytest.fixture(scope="session", autouse=True)
def _isolated_matcher_cache(tmp_path_factory):
    """Compiled matchers go to a folder of the test session's own, not the developer's cache."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NAVIGATOR_CACHE_DIR", str(tmp_path_factory.mktemp("matcher-cache")))
        yield


@pytest.fixture
def forces(db):
    # Transactional tests flush the data migration's rows, so make sure the forces are there.
    for code, name, kind in FORCES:
        Force.objects.get_or_create(code=code, defaults={"name": name, "kind": kind})
    return {f.code: f for f in Force.objects.all()}


def make_user(username: str, role: str, force_list=(), with_totp: bool = True) -> User:
    first, _, last = username.partition(".")
    user = User.objects.create_user(username=username, password=PASSWORD, role=role, first_name=first.title(),
                                    last_name=last.title())
    for force in force_list:
        user.deployments.create(force=force)
    if with_totp:
        TOTPDevice.objects.create(user=user, name="test", key=TOTP_KEY, confirmed=True)
    return user


@pytest.fixture
def people(forces):
    """One user of every role; navigator and police belong to Essex ('own'); GMP is the 'other' force."""
    essex = forces["ESX"]
    return {
        "navigator": make_user("nav.essex", Role.NAVIGATOR, [essex]),
        "police": make_user("police.essex", Role.POLICE, [essex]),
        "lead": make_user("the.lead", Role.LEAD),
        "evaluator": make_user("the.evaluator", Role.EVALUATOR),
        "admin": make_user("the.admin", Role.ADMIN),
        "navigator_other": make_user("nav.gmp", Role.NAVIGATOR, [forces["GMP"]]),
    }


def verified_login(client, user):
    """Log in as if the password and the TOTP code had both been given."""
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user, confirmed=True).persistent_id
    session.save()
    return client


@pytest.fixture
def login(client):
    def _login(user):
        return verified_login(client, user)
    return _login


VICTIM_FIELDS = dict(
    aliases="", date_of_birth=datetime.date(1994, 3, 27), phone="07700 900123", address="1 Test Street",
    gender="female", age_band="25-34", nationality="RO", exploitation_types=["sexual"], county_lines=False,
    methods_of_control=["debt_bondage"], support_level="intensive", engagement_status="considering",
    classification="OFFICIAL-SENSITIVE",
)


@pytest.fixture
def make_victim():
    from navigator.victims import services

    def _make(actor, force, full_name="Zora Testperson", **overrides):
        return services.create_victim(actor=actor, force=force, full_name=full_name,
                                      **{**VICTIM_FIELDS, **overrides})
    return _make
