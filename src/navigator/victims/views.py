from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from navigator.core.models import Role
from navigator.core.scoping import CHANGE, get_visible_or_404, require_own_force, require_role
from navigator.screening.models import TriageDecision
from navigator.screening.services import record_view

from . import services
from .countries import country_name
from .forms import CloseVictimForm, ConsentForm, VictimFilterForm, VictimForm
from .models import Consent, Victim
from .search import apply_search, filter_exploitation
from .vocab import MethodOfControl, Status

PAGE_SIZE = 25


CASE_WORKERS = (Role.NAVIGATOR, Role.LEAD, Role.POLICE)


def victim_list(request):
    require_role(request.user, *CASE_WORKERS)
    user = request.user
    form = VictimFilterForm(request.GET or None, user=user)
    victims = (Victim.objects.visible_to(user).select_related("force").with_police_consent()
               .prefetch_related("navigators"))
    criteria = {}
    if form.is_valid():
        criteria = form.cleaned_data
        if criteria.get("force"):
            victims = victims.filter(force=criteria["force"])
        if criteria.get("status"):
            victims = victims.filter(status=criteria["status"])
        if criteria.get("support_level"):
            victims = victims.filter(support_level=criteria["support_level"])
        victims = filter_exploitation(victims, criteria.get("exploitation", ""))
        if criteria.get("q") and user.role == Role.POLICE:
            # Police search by reference only: a name search would reveal identities held without consent.
            victims = victims.filter(reference__icontains=criteria["q"].strip())
        else:
            victims = apply_search(victims, criteria.get("q", ""))
    page = Paginator(victims, PAGE_SIZE).get_page(request.GET.get("page"))
    if criteria.get("q"):
        services.record_search(actor=user, criteria=criteria, result_count=page.paginator.count)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "victims/list.html", {
        "form": form, "page": page, "query": query.urlencode(),
        "can_create": user.role == Role.NAVIGATOR,
        "show_identity": user.role in (Role.NAVIGATOR, Role.LEAD),
    })


def victim_create(request):
    require_role(request.user, Role.NAVIGATOR)
    require_own_force(request.user, request.POST.get("force"))
    record = _record_to_link(request)
    forces = list(request.user.force_ids)
    # The force is the record's, or the navigator's only one: nothing to choose.
    initial = {"force": record.force_id} if record else ({"force": forces[0]} if len(forces) == 1 else {})
    if record is not None:
        initial.update(_from_signs(record))
        record_view(actor=request.user, record=record)  # the form shows what the record named: people, phones ...
    form = VictimForm(request.POST or None, user=request.user, creating=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        force = data.pop("force")
        with transaction.atomic():  # the victim and its link to the record, or neither
            victim = services.create_victim(actor=request.user, force=force, **data)
            linked = _link_from_record(request, victim)
        suffix = f" and linked to record {linked}" if linked else ""
        messages.success(request, f"Victim record {victim.reference} created{suffix}")
        return redirect("victims:detail", reference=victim.reference)
    return render(request, "victims/form.html", {"form": form, "creating": True, "record": record,
                                                 "from_record": record.pk if record else "",
                                                 "named": record.named_entities() if record else []})


# The means of control a sign found in the record shows, for a victim opened from it: ticked for the navigator to
# confirm, so that what the screening read is not typed again.
CONTROL_SHOWN_BY_SIGN = {
    "debt_bondage": MethodOfControl.DEBT_BONDAGE, "debt_claimed": MethodOfControl.DEBT_BONDAGE,
    "debt_drug": MethodOfControl.DEBT_BONDAGE, "wages_withheld": MethodOfControl.TAKES_EARNINGS,
    "wages_diverted": MethodOfControl.TAKES_EARNINGS, "earnings_quota": MethodOfControl.TAKES_EARNINGS,
    "financial_control": MethodOfControl.RESTRICTS_FINANCIAL_ACCESS,
    "bank_cards_held": MethodOfControl.RESTRICTS_FINANCIAL_ACCESS, "threats_family": MethodOfControl.THREATS,
    "threat_if_refusing": MethodOfControl.THREATS, "threats_denunciation": MethodOfControl.THREAT_OF_LAW_ENFORCEMENT,
    "violence_by_controller": MethodOfControl.PHYSICAL_ABUSE,
    "movement_confinement": MethodOfControl.RESTRICTS_MOVEMENT,
    "excessive_hours": MethodOfControl.EXCESSIVE_WORKING_HOURS, "deception_job_offer": MethodOfControl.FALSE_PROMISES,
    "documents_retained": MethodOfControl.WITHHOLDS_DOCUMENTS,
}


def _from_signs(record) -> dict:
    """Methods of control the record's counted signs show, for the form to start from."""
    controls = list(dict.fromkeys(CONTROL_SHOWN_BY_SIGN[sign] for sign in record.screening_outcome.counted_signs
                                  if sign in CONTROL_SHOWN_BY_SIGN))
    return {"methods_of_control": controls} if controls else {}


def _from_record_id(request) -> int | None:
    record_id = str(request.POST.get("from_record") or request.GET.get("from_record") or "")
    if not (record_id.isascii() and record_id.isdigit() and 0 < int(record_id) < 2**63):
        return None  # only a tampered address holds anything else: the victim is created unlinked
    return int(record_id)


def _record_to_link(request):
    """The police record this victim is opened from, if the navigator can change it and its current decision is a
    potential modern slavery one without a victim (the one the victim will be linked to)."""
    from navigator.screening.models import Decision, PoliceRecord

    record_id = _from_record_id(request)
    if record_id is None:
        return None
    return (PoliceRecord.objects.visible_to(request.user, CHANGE)
            .filter(pk=record_id, decisions__is_current=True, decisions__decision=Decision.POTENTIAL,
                    decisions__victim__isnull=True).first())


def _link_from_record(request, victim) -> str:
    """A victim opened from a triage decision is linked to that decision."""
    from navigator.screening.services import link_victim

    record_id = _from_record_id(request)
    return "" if record_id is None else link_victim(actor=request.user, record_id=record_id, victim=victim)


def victim_detail(request, reference):
    require_role(request.user, *CASE_WORKERS)
    victim = get_visible_or_404(Victim.objects.select_related("force").prefetch_related("navigators"),
                                request.user, reference=reference)
    identity_shown = victim.identity_visible_to(request.user)
    services.record_view(actor=request.user, victim=victim, identity_shown=identity_shown)
    is_police = request.user.role == Role.POLICE
    return render(request, "victims/detail.html", {
        "victim": victim,
        "identity_shown": identity_shown,
        "is_police": is_police,
        "consents": [] if is_police else Consent.objects.visible_to(request.user).filter(victim=victim),
        # The records whose current decision links this victim, as far as the user may see them; not for police who
        # may not see who the victim is (a record's narrative names them).
        "linked_records": TriageDecision.objects.visible_to(request.user).filter(victim=victim, is_current=True)
        .select_related("record__force").order_by("-decided_at") if identity_shown or not is_police else [],
        "can_change": Victim.objects.visible_to(request.user, CHANGE).filter(pk=victim.pk).exists(),
        "can_see_history": request.user.role == Role.LEAD,
        "classification": victim.classification,
        "nationality_name": country_name(victim.nationality),
    })


def victim_edit(request, reference):
    victim = get_visible_or_404(Victim.objects.all(), request.user, CHANGE, reference=reference)
    initial = {name: getattr(victim, name) for name in services.EDITABLE_FIELDS}
    initial["navigators"] = [str(pk) for pk in victim.navigators.values_list("pk", flat=True)]
    form = VictimForm(request.POST or None, initial=initial, user=request.user, creating=False, victim=victim)
    if request.method == "POST" and form.is_valid():
        services.update_victim(actor=request.user, victim=victim, **form.cleaned_data)
        messages.success(request, f"Victim record {victim.reference} updated")
        return redirect("victims:detail", reference=victim.reference)
    return render(request, "victims/form.html", {"form": form, "creating": False, "victim": victim,
                                                 "classification": victim.classification})


def victim_close(request, reference):
    victim = get_visible_or_404(Victim.objects.all(), request.user, CHANGE, reference=reference)
    if victim.status == Status.CLOSED:
        messages.info(request, f"{victim.reference} is already closed")
        return redirect("victims:detail", reference=reference)
    form = CloseVictimForm(request.POST or None, initial={"closed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        services.close_victim(actor=request.user, victim=victim, reason=form.cleaned_data["reason"],
                              closed_on=form.cleaned_data["closed_on"])
        messages.success(request, f"Victim record {victim.reference} closed")
        return redirect("victims:detail", reference=reference)
    return render(request, "victims/close.html", {"form": form, "victim": victim,
                                                  "classification": victim.classification})


def consent_add(request, reference):
    victim = get_visible_or_404(Victim.objects.all(), request.user, CHANGE, reference=reference)
    form = ConsentForm(request.POST or None, initial={"given_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.give_consent(actor=request.user, victim=victim, **form.cleaned_data)
        except ValueError as error:
            form.add_error("purpose", str(error).capitalize())
        else:
            messages.success(request, "Consent recorded")
            return redirect("victims:detail", reference=reference)
    return render(request, "victims/consent.html", {"form": form, "victim": victim,
                                                    "classification": victim.classification})


def consent_withdraw(request, reference, consent_id):
    if request.method != "POST":
        raise Http404("No such page")
    consent = get_visible_or_404(Consent.objects.select_related("victim"), request.user, CHANGE,
                                 pk=consent_id, victim__reference=reference)
    try:
        services.withdraw_consent(actor=request.user, consent=consent)
    except ValueError as error:
        messages.info(request, str(error).capitalize())
    else:
        messages.success(request, f"Consent for {consent.get_purpose_display().lower()} withdrawn")
    return redirect("victims:detail", reference=reference)


def victim_history(request, reference):
    require_role(request.user, Role.LEAD)
    victim = get_visible_or_404(Victim.objects.all(), request.user, reference=reference)
    page = Paginator(victim.trail(), 50).get_page(request.GET.get("page"))
    return render(request, "victims/history.html", {"victim": victim, "page": page,
                                                    "classification": victim.classification})

