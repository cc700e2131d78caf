from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from navigator.core import demo
from navigator.screening.models import PoliceRecord, TriageDecision
from navigator.victims.models import Victim


def test_demo_loads_every_role_and_its_logins_work(client, forces):
    out = StringIO()
    call_command("demo", "--victims", "12", "--police-records", "10", stdout=out)
    assert Victim.objects.count() == 12
    assert set(Victim.objects.values_list("force__code", flat=True)) == set(demo.DEMO_FORCES)
    assert PoliceRecord.objects.count() == 10 * len(demo.DEMO_FORCES)
    assert TriageDecision.objects.exists()
    client.post(reverse("login"), {"username": "nav.essex", "password": demo.DEMO_PASSWORD})
    response = client.post(reverse("login-verify"), {"token": demo.current_code()})
    assert response["Location"] == reverse("home")
    page = client.get(reverse("victims:list")).content.decode()
    assert "ESX-V-" in page and "GMP-V-" not in page
    decided = TriageDecision.objects.filter(is_current=True, record__force__code="ESX").count()
    queue = client.get(reverse("screening:queue") + "?force=ESX").content.decode()
    assert decided and "Changed since decided" not in queue, "the demo's decisions come after its imports"
    # Running it again adds no second set of victims.
    call_command("demo", stdout=StringIO())
    assert Victim.objects.count() == 12
