"""Synthetic demo data: invented people only, never a real person."""

import datetime
import random

from django.db import transaction
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Force, Role, User

DEMO_PASSWORD = "navigator-demo-2026"
DEMO_FORCES = ["SRY", "ESX", "GMP", "WYP", "MPS", "UKBF"]
# (username, full name, role, forces); every demo user shares one TOTP key so the demo is easy to try.
DEMO_USERS = [
    ("nav.surrey", "Amira Okafor", Role.NAVIGATOR, ["SRY"]),
    ("nav.essex", "Tom Brennan", Role.NAVIGATOR, ["ESX"]),
    ("nav.north", "Priya Lal", Role.NAVIGATOR, ["GMP", "WYP"]),
    ("nav.london", "Dan Kowal", Role.NAVIGATOR, ["MPS", "UKBF"]),
    ("police.essex", "DC Sam Hale", Role.POLICE, ["ESX"]),
    ("police.gmp", "DS Jo Pike", Role.POLICE, ["GMP"]),
    ("lead", "Ruth Adeyemi", Role.LEAD, []),
    ("evaluator", "Kit Marsh", Role.EVALUATOR, []),
    ("admin", "Lee Ward", Role.ADMIN, []),
]
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"  # hex; base32 GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ
DEMO_TOTP_BASE32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
DEMO_RECOVERY_CODE = "demorecovery"

_FIRST = ["Ana", "Bogdan", "Chen", "Daniela", "Emre", "Fatima", "Goran", "Hoa", "Ionut", "Jamal", "Kasia",
          "Liam", "Mihai", "Nadia", "Oksana", "Pavel", "Quynh", "Rafael", "Sana", "Tariq", "Uma", "Viktor",
          "Wei", "Xenia", "Yusuf", "Zofia", "Adebayo", "Bianca", "Cosmin", "Dritan"]
_LAST = ["Abara", "Balan", "Costea", "Duka", "Enache", "Farouk", "Gashi", "Hoxha", "Ilie", "Jurek", "Krasniqi",
         "Lungu", "Marin", "Nguyen", "Olaru", "Popa", "Qureshi", "Rusu", "Stan", "Tran", "Ungur", "Vasile",
         "Wojcik", "Xhaferi", "Yilmaz", "Zeqiri"]
_NATIONALITIES = ["GB", "AL", "RO", "VN", "PL", "SD", "ER", "NG", "CN", "IN", "LT", "SK", "BG", "UA"]
_STREETS = ["Mill Lane", "Station Road", "Church Street", "Park Avenue", "High Street", "Victoria Road"]


_CONCERNING = [
    "Welfare check at a {place}. Female worker, limited English, said the boss keeps her passport and she has "
    "to pay back {amount} pounds for her travel before she can leave. Works {hours} hours a day, sleeps on site.",
    "Stop in a vehicle on the {road}. Two males aged about 15 found with cash and burner phones far from home; "
    "one said older boys sent them to sell and that he owes them money after being robbed.",
    "Report from a neighbour about a {place}: up to eight men collected by minibus at 5am and returned late "
    "at night. One disclosed wages go to the gangmaster and they are threatened if they complain.",
    "Intelligence: adverts for massage at a residential address; different young women every week, none "
    "appear to leave alone. A male is seen taking their money.",
    "Domestic incident. Young female living with the family says she cleans and looks after the children all "
    "day, is not paid, is not allowed out alone and her ID documents are held by the householder.",
    # Indicators alone score this below the threshold; the wording model flags it (the demo shows how it explains).
    "Shop staff on the {road} called about a girl of about 15 who comes in most nights with different older men, "
    "buying alcohol. She told staff she is staying with friends in the town and does not go to school any more.",
]
_ORDINARY = [
    "Burglary overnight at a {place}, till and tools taken. No witnesses. Scene examined.",
    "Licensing visit to a {place}. Staff spoken to, all paperwork in order, no concerns identified.",
    "Road traffic collision on the {road}, minor injuries, both drivers exchanged details.",
    "Report of a lost passport by its owner after a night out in town. Advised to contact the passport office.",
    "Argument between neighbours over parking on the {road}. Words of advice given.",
    # Indicators alone flag this concern, which was checked and ruled out; the wording model holds it back.
    "Caller alleged that workers at a hand car wash on the {road} are not paid. Officers attended with HMRC: the "
    "six staff are on the payroll, payslips seen at or above the minimum wage, paid weekly into their own bank "
    "accounts, each holds their own ID and lives at their own address. Spoken to alone, all said they are free "
    "to leave and happy with the work. No offences. Advice given to the owner about breaks.",
    "Shoplifting from a supermarket, suspect identified on CCTV and interviewed.",
]
_PLACES = ["hand car wash", "nail bar", "takeaway", "farm", "warehouse", "barber shop", "factory"]
# Six roads in each force's own area (six each, so that every force's records draw the same random numbers).
_ROADS = {"SRY": ["A3", "M25", "A31", "A24", "A217", "M3"], "ESX": ["A12", "A13", "A127", "A120", "A130", "M11"],
          "GMP": ["M60", "M62", "A6", "A56", "M56", "A580"], "WYP": ["M62", "M1", "A61", "A58", "A64", "M621"],
          "MPS": ["A406", "A13", "A2", "A40", "A205", "A1"], "UKBF": ["A20", "M20", "A14", "A12", "A120", "M2"]}


def create_police_records(per_force: int, seed: int = 2026) -> int:
    """Synthetic police records for each demo force, imported through the real import, with some decisions."""
    import json
    import tempfile
    from pathlib import Path

    from navigator.screening import services as screening
    from navigator.screening.models import PoliceRecord

    rng = random.Random(seed)
    created = 0
    for code in DEMO_FORCES:
        force = Force.objects.get(code=code)
        lines = []
        for number in range(per_force):
            template = rng.choice(_CONCERNING if rng.random() < 0.3 else _ORDINARY)
            text = template.format(place=rng.choice(_PLACES), road=rng.choice(_ROADS[code]),
                                   amount=rng.choice([3000, 5000, 12000]), hours=rng.choice([12, 14, 16]))
            day = datetime.date(2026, 1, 1) + datetime.timedelta(days=rng.randint(0, 300))
            lines.append(json.dumps({"ref": f"{code}-{day:%y%m}-{number:05d}", "force": code,
                                     "recorded_at": day.isoformat(), "type": rng.choice(["incident", "crime",
                                                                                         "intelligence", "stop"]),
                                     "location": f"{rng.choice(_ROADS[code])} area", "text": text}))
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"{code}.jsonl"
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
            created += screening.import_records(actor=None, path=path, force=force).created
        navigator = User.objects.filter(role=Role.NAVIGATOR, deployments__force=force).first()
        flagged = PoliceRecord.objects.filter(force=force, screening__flagged=True).order_by("ref")
        for record in flagged[: max(1, flagged.count() // 2)]:
            decision = rng.choice(["potential", "potential", "more_info", "not_ms"])
            made = screening.decide(actor=navigator, record=record, decision=decision,
                                    reason="Synthetic demo decision: indicators reviewed against the narrative")
            # Spread the demo's decisions over the months after each record, as real triage would be, and date the
            # record's import before its decision (a record changed after its decision returns to the queue).
            decided_at = record.recorded_at + datetime.timedelta(days=rng.randint(1, 20))
            made.__class__.objects.filter(pk=made.pk).update(decided_at=decided_at)
            PoliceRecord.objects.filter(pk=record.pk).update(imported_at=record.recorded_at,
                                                             updated_at=record.recorded_at)
    return created


def _age_band(age: int, bands) -> str:
    for limit, band in ((18, bands.UNDER_18), (25, bands.AGE_18_24), (35, bands.AGE_25_34), (45, bands.AGE_35_44),
                        (55, bands.AGE_45_54)):
        if age < limit:
            return band
    return bands.AGE_55_PLUS


def _other_lists(rng: random.Random) -> list[str]:
    """Each list sees a share of victims, so the demo's capture-recapture estimate has overlaps to work on."""
    shares = {"police": 0.45, "nrm": 0.35, "local_authority": 0.2, "ngo_partner": 0.25, "health": 0.15}
    return [name for name, share in shares.items() if rng.random() < share]


def current_code() -> str:
    device = TOTPDevice(key=DEMO_TOTP_KEY)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@transaction.atomic
def create_users() -> list[User]:
    users = []
    forces = {f.code: f for f in Force.objects.all()}
    for username, full_name, role, force_codes in DEMO_USERS:
        first, _, last = full_name.rpartition(" ")
        user, _ = User.objects.update_or_create(
            username=username, defaults={"first_name": first, "last_name": last, "role": role,
                                         "is_staff": role == Role.ADMIN})
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.deployments.all().delete()
        for code in force_codes:
            user.deployments.create(force=forces[code])
        TOTPDevice.objects.filter(user=user).delete()
        TOTPDevice.objects.create(user=user, name="Demo authenticator", key=DEMO_TOTP_KEY, confirmed=True)
        StaticDevice.objects.filter(user=user).delete()
        static = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
        StaticToken.objects.create(device=static, token=DEMO_RECOVERY_CODE)
        users.append(user)
    return users


def create_victims(count: int, seed: int = 2026, progress=None) -> int:
    from navigator.victims import services
    from navigator.victims.vocab import (
        AgeBand,
        ConsentMeans,
        ConsentPurpose,
        EngagementStatus,
        ExploitationType,
        Gender,
        MethodOfControl,
        SupportLevel,
    )

    rng = random.Random(seed)
    navigators = {}
    for user in User.objects.filter(role=Role.NAVIGATOR).prefetch_related("deployments__force"):
        for deployment in user.deployments.all():
            navigators[deployment.force.code] = user
    forces = {f.code: f for f in Force.objects.filter(code__in=DEMO_FORCES)}
    exploitation = [c for c in ExploitationType.values if c != "unknown"]
    controls = [c for c in MethodOfControl.values if c not in ("other", "not_specified")]
    today = datetime.date(2026, 11, 1)
    for number in range(count):
        code = DEMO_FORCES[number % len(DEMO_FORCES)]
        actor = navigators[code]
        types = rng.sample(exploitation[:4], k=rng.choice([1, 1, 1, 2]))
        birth = today - datetime.timedelta(days=rng.randint(16 * 365, 60 * 365))
        victim = services.create_victim(
            actor=actor, force=forces[code],
            full_name=f"{rng.choice(_FIRST)} {rng.choice(_LAST)}",
            aliases=rng.choice(["", "", f"{rng.choice(_FIRST)}"]),
            date_of_birth=birth,
            phone=f"07700 9{rng.randint(0, 99999):05d}",  # Ofcom's range reserved for drama
            address=f"{rng.randint(1, 200)} {rng.choice(_STREETS)}, Exampletown",
            gender=rng.choice([Gender.FEMALE, Gender.MALE, Gender.MALE, Gender.UNKNOWN]),
            age_band=_age_band((today - birth).days // 365, AgeBand),
            nationality=rng.choice(_NATIONALITIES),
            exploitation_types=types,
            county_lines="criminal" in types and rng.random() < 0.6,
            methods_of_control=rng.sample(controls, k=rng.randint(0, 4)),
            known_to=_other_lists(rng),
            support_level=rng.choice([SupportLevel.STANDARD, SupportLevel.INTENSIVE]),
            engagement_status=rng.choice(EngagementStatus.values),
        )
        services.give_consent(actor=actor, victim=victim, purpose=ConsentPurpose.SUPPORT,
                              given_on=today - datetime.timedelta(days=rng.randint(1, 300)),
                              means=rng.choice(ConsentMeans.values))
        if rng.random() < 0.4:
            services.give_consent(actor=actor, victim=victim, purpose=ConsentPurpose.SHARE_WITH_POLICE,
                                  given_on=today - datetime.timedelta(days=rng.randint(1, 200)),
                                  means=ConsentMeans.WRITTEN)
        if progress:
            progress(number + 1)
    return count
