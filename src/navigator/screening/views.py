import csv
import datetime
import difflib
import io
import uuid
from collections import defaultdict
from itertools import pairwise
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Subquery
from django.db.models.functions import TruncMonth
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateformat import format as date_format

from navigator.core.models import Classification, Role
from navigator.core.scoping import AGGREGATE, CHANGE, get_visible_or_404, require_own_force, require_role
from navigator.core.tasks import AlreadyQueued, enqueue_one_at_a_time, enqueue_tracked, unfinished
from navigator.estimation.mse.sdc import suppress_small
from navigator.victims.models import Victim

from . import services
from .calibration import no_longer_flagging
from .forms import DecisionForm, DecisionSearchForm, UploadForm
from .models import Calibration, CalibrationStatus, Decision, PoliceRecord, RecordType, TriageDecision
from .screener import active_calibration, current_screener
from .tasks import fit_proposal, import_upload, rescreen_all

QUEUE_SIZE = 50
UNDECIDED_SHOWN = 20  # records without a decision listed under a search of the decisions
# What narrows the decisions list (a tab changes the kind and keeps the rest), and with the page what a record opened
# from the list carries back to it.
DECISION_FILTERS = ("decision", "ref")
DECISION_LIST_STATE = (*DECISION_FILTERS, "page")



def upload(request):
    require_role(request.user, Role.NAVIGATOR)
    require_own_force(request.user, request.POST.get("force"))
    # "Try again" after a refused file comes back with its force chosen (leaving bad lines out stays a choice).
    chosen = next((force for force in request.user.working_forces() if force.code == request.GET.get("force")), None)
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user, initial={"force": chosen})
    if request.method == "POST" and form.is_valid():
        incoming = settings.VAR_DIR / "uploads"
        incoming.mkdir(parents=True, exist_ok=True, mode=0o700)
        name = form.cleaned_data["file"].name
        path = incoming / f"{uuid.uuid4().hex}{'.csv' if name.lower().endswith('.csv') else '.jsonl'}"
        with path.open("wb") as handle:
            for chunk in form.cleaned_data["file"].chunks():
                handle.write(chunk)
        force = form.cleaned_data["force"]
        shown = name if len(name) <= 80 else name[:79] + "…"
        progress = enqueue_tracked(import_upload, owner=request.user, label=f"Import of {shown} for {force.name}",
                                   path=str(path), name=shown, force_id=force.pk, user_id=request.user.pk,
                                   skip_invalid=form.cleaned_data["skip_invalid"])
        return redirect("task-status", task_id=progress.task_id)
    return render(request, "screening/upload.html", {"form": form, "record_types": RecordType.values})


def queue(request):
    user = request.user
    require_role(user, Role.NAVIGATOR, Role.LEAD)
    forces = list(user.working_forces())
    waiting = services.waiting_per_force(user)
    for force in forces:
        force.waiting = waiting.get(force.pk, 0)
    # Those with most records waiting first, and without a choice the busiest (a lead's forces are many, and most may
    # have none).
    forces.sort(key=lambda force: (-force.waiting, force.name))
    busiest = forces[0] if forces else None
    asked = request.GET.get("force")
    chosen = next((f for f in forces if f.code == asked), None)
    if asked and chosen is None and busiest is not None:
        messages.info(request, f"You work with no force {asked[:10]}: showing {busiest.name}.")
    chosen = chosen or busiest
    undecided = services.awaiting_decision(user).filter(force=chosen)
    # The records the wording model held back are listed on request, so that navigators can check what it keeps out.
    held_back = request.GET.get("held_back") == "1"
    records = (undecided.filter(screening__held_back=True) if held_back else undecided.filter(screening__flagged=True))
    # A large import's queue runs to hundreds of pages: a navigator narrows it to a kind of record or a stretch of time.
    record_type = request.GET.get("type", "")
    if record_type in RecordType.values:
        records = records.filter(record_type=record_type)
    recorded_from = _month_start(request.GET.get("from", ""), None)
    recorded_to = _month_start(request.GET.get("to", ""), None)
    if recorded_from:
        records = records.filter(recorded_at__date__gte=recorded_from)
    if recorded_to:
        records = records.filter(recorded_at__date__lt=_next_month(recorded_to))
    records = (records.select_related("screening", "force").defer("text", "entities", "location")
               .order_by("-screening__score", "recorded_at"))
    page = Paginator(records, QUEUE_SIZE).get_page(request.GET.get("page"))
    names = {indicator.id: indicator.name for indicator in current_screener().indicators}
    for record in page:
        record.signs = [names.get(indicator, indicator) for indicator in record.screening_outcome.counted_signs]
        record.decided_before_label = Decision(record.decided_before).label if record.decided_before else ""
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "screening/queue.html", {
        "forces": forces, "chosen": chosen, "page": page, "query": query.urlencode(),
        "record_types": RecordType.choices, "record_type": record_type if record_type in RecordType.values else "",
        "recorded_from": recorded_from, "recorded_to": recorded_to,
        "narrowed": bool(record_type in RecordType.values or recorded_from or recorded_to),
        "can_upload": user.role == Role.NAVIGATOR, "held_back": held_back,
        "held_back_count": None if held_back else undecided.filter(screening__held_back=True).count(),
    })


def _numbered(hits: list[dict]) -> list[tuple[int, dict]]:
    """Hits numbered by where they start: the numbers the narrative and the explanations share."""
    return list(enumerate(sorted(hits, key=lambda h: (h["start"], -h["end"])), start=1))


def _passages(text: str, hits: list[dict], names: dict[str, str], against: set[str]) -> list[dict]:
    """The narrative cut into plain text and highlighted passages, so that each sign is reached once and named.

    A passage is one hit, whose words link to its explanation, or hits that overlap (an indicator inside the
    sentence the wording model chose, two signs sharing words), whose words are highlighted (darker where several
    cover them) and followed by one numbered link per sign: linking the shared words would split one sign across
    several links or give a sign none. Hits of the *against* indicators (which lower the score) are marked apart."""
    clamp = len(text)
    signs = [{"number": number, "start": min(max(hit["start"], 0), clamp), "end": min(max(hit["end"], 0), clamp),
              "negated": hit["negated"], "against": hit["indicator"] in against,
              "name": names.get(hit["indicator"], hit["indicator"])} for number, hit in _numbered(hits)]
    groups: list[list[dict]] = []
    group_end = -1
    for sign in signs:
        if groups and sign["start"] < group_end:
            groups[-1].append(sign)
        else:
            groups.append([sign])
        group_end = max(group_end, sign["end"]) if len(groups[-1]) > 1 else sign["end"]
    passages, done = [], 0
    for group in groups:
        start, end = group[0]["start"], max(s["end"] for s in group)
        if start > done:
            passages.append({"text": text[done:start]})
        if len(group) == 1:
            words = text[start:end].rstrip()  # a space a pattern took in stays outside the highlight
            passages.append({"text": words, "sign": group[0], **_marking(group)})
            if start + len(words) < end:
                passages.append({"text": text[start + len(words):end]})
        else:
            passages.append({"pieces": _pieces(text, group), "signs": group})
        done = max(done, end)
    if done < clamp:
        passages.append({"text": text[done:]})
    return passages


def _pieces(text: str, group: list[dict]) -> list[dict]:
    """The words of overlapping signs cut wherever one starts or ends, each piece marked by the signs covering it
    (one sweep: a long record of one sentence can hold thousands of signs)."""
    starting: dict[int, list[dict]] = {}
    ending: dict[int, list[dict]] = {}
    for sign in group:
        starting.setdefault(sign["start"], []).append(sign)
        ending.setdefault(sign["end"], []).append(sign)
    covering: dict[int, dict] = {}
    pieces = []
    cuts = sorted(starting.keys() | ending.keys())
    for a, b in pairwise(cuts):
        for sign in ending.get(a, ()):
            covering.pop(sign["number"], None)
        for sign in starting.get(a, ()):
            if sign["end"] > a:
                covering[sign["number"]] = sign
        if covering:
            pieces.append({"text": text[a:b], "nested": len(covering) > 1, **_marking(list(covering.values()))})
    return pieces


def _marking(signs: list[dict]) -> dict:
    """How words the *signs* cover are marked: struck through if every one is negated, blue if every one lowers
    the score."""
    return {"negated": all(s["negated"] for s in signs),
            "against": not all(s["negated"] for s in signs) and all(s["against"] or s["negated"] for s in signs)}


def record_detail(request, record_id):
    user = request.user
    require_role(user, Role.NAVIGATOR, Role.LEAD)
    record = get_visible_or_404(PoliceRecord.objects.select_related("force", "screening"), user, pk=record_id)
    can_decide = PoliceRecord.objects.visible_to(user, CHANGE).filter(pk=record.pk).exists()
    # Opened from the decisions list (following up), the page leads back there; otherwise to the record's queue.
    from_decisions = request.GET.get("from") == "decisions"
    back_url = (reverse("screening:decisions") + _kept_query(request.GET, DECISION_LIST_STATE)
                if from_decisions else _queue_url(record))
    current = record.decisions.select_related("victim").filter(is_current=True).first()
    # Triaging again starts from the current decision, so that a victim it links stays linked unless changed, and
    # offers the victim an earlier decision linked.
    linked_victim = current.victim.reference if current and current.victim else ""
    earlier = "" if linked_victim or current is None else (
        record.decisions.filter(victim__isnull=False).order_by("-decided_at").values_list("victim__reference",
                                                                                          flat=True).first() or "")
    initial = {"decision": current.decision, "victim_reference": linked_victim or earlier} if current else {}
    form = DecisionForm(request.POST or None, initial=initial, linked_victim=linked_victim or earlier,
                        linked_now=bool(linked_victim))
    if request.method == "POST":
        if not can_decide:
            raise Http404("No such page")
        if form.is_valid():
            victim = None
            reference = form.cleaned_data["victim_reference"].strip().upper()
            if reference:
                victim = Victim.objects.visible_to(user, CHANGE).filter(reference=reference).first()
                if victim is None:
                    form.add_error("victim_reference", f"You have no victim record {reference}")
            if form.is_valid():
                try:
                    decision = services.decide(actor=user, record=record, decision=form.cleaned_data["decision"],
                                               reason=form.cleaned_data["reason"], victim=victim,
                                               supersedes=_decision_seen(request.POST),
                                               record_seen=_record_seen(request.POST))
                except services.StaleDecision as stale:
                    form.add_error(None, _stale_message(stale))
                    record = get_visible_or_404(PoliceRecord.objects.select_related("force", "screening"), user,
                                                pk=record_id)  # the page shows what changed
                else:
                    unlinked = f"; victim {linked_victim} is no longer linked to it" if (
                        linked_victim and decision.victim is None) else ""
                    if decision.victim is not None:
                        unlinked = f"; victim {decision.victim.reference} linked"
                    messages.success(request, f"Decision recorded for {record.ref}: {decision.get_decision_display()}"
                                              f"{unlinked}")
                    if form.cleaned_data["open_victim"]:
                        return redirect(f"{reverse('victims:create')}?from_record={record.pk}")
                    return redirect(back_url)
    services.record_view(actor=user, record=record)
    screening = record.screening_outcome
    hits = screening.hits
    library = {indicator.id: indicator for indicator in current_screener().indicators}
    explanations = [{"number": n, "hit": hit, "indicator": library.get(hit["indicator"]),
                     "text": record.text[hit["start"]:hit["end"]]} for n, hit in _numbered(hits)]
    if request.method == "POST":
        current = record.decisions.select_related("victim").filter(is_current=True).first()  # may have changed
    changed_since_decided = current is not None and record.updated_at > current.decided_at
    return render(request, "screening/record.html", {
        "record": record, "screening": screening, "decision_seen": current.pk if current else "", "current": current,
        "named": record.named_entities(),
        "changes": _word_changes(record.previous_text, record.text) if changed_since_decided and record.previous_text
        else None,
        "back_url": back_url, "back_to_decisions": from_decisions,
        "changed_since_decided": changed_since_decided,
        "passages": _passages(record.text, hits, {i.id: i.name for i in library.values()},
                              {i.id for i in library.values() if i.weight < 0}),
        "explanations": explanations, "form": form, "can_decide": can_decide,
        "can_open_victim": can_decide and user.role == Role.NAVIGATOR,
        "decisions": record.decisions.select_related("decided_by", "victim"),
        "classification": "OFFICIAL-SENSITIVE",
    })


def _word_changes(before: str, after: str) -> list[dict]:
    """The narrative as the last import left it, word by word, with what it added and what it took away marked."""
    old_words, new_words = before.split(), after.split()
    pieces = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False).get_opcodes():
        if tag in ("delete", "replace"):
            pieces.append({"removed": " ".join(old_words[i1:i2])})
        if tag in ("insert", "replace"):
            pieces.append({"added": " ".join(new_words[j1:j2])})
        if tag == "equal":
            pieces.append({"same": " ".join(new_words[j1:j2])})
    return pieces


def _kept_query(params, names: tuple[str, ...]) -> str:
    """The list's own filters, carried through a record page and back ("?decision=more_info&page=2")."""
    kept = {name: params[name] for name in names if params.get(name)}
    return "?" + urlencode(kept) if kept else ""


def _queue_url(record: PoliceRecord) -> str:
    """The list a record is triaged from: its force's queue, or the records the wording model held back."""
    held_back = record.screening_outcome.held_back
    return f"{reverse('screening:queue')}?force={record.force.code}" + ("&held_back=1" if held_back else "")


def _decision_seen(data) -> int | None | object:
    """The current decision the deciding navigator's page showed (its id, or None for none); a form that does not
    say is not checked."""
    seen = data.get("decision_seen")
    if seen is None:
        return services.UNCHECKED
    return int(seen) if seen.isascii() and seen.isdigit() and len(seen) <= 19 else None


def _record_seen(data) -> datetime.datetime | None:
    """When the record the page showed was last changed; a value that is not a time counts as an old page."""
    seen = data.get("record_seen")
    if seen is None:
        return None
    try:
        return datetime.datetime.fromisoformat(seen)
    except ValueError:
        return datetime.datetime.min.replace(tzinfo=datetime.UTC)


def _stale_message(stale) -> str:
    if stale.record_changed:
        return ("An import changed this record while you had it open. Read the narrative again below; your "
                "decision was not recorded.")
    if stale.current is None:
        return "The decision on this record was withdrawn while you had it open. Your decision was not recorded."
    return (f"{stale.current.decided_by} recorded “{stale.current.get_decision_display()}” on this record while you "
            f"had it open. Read their decision below; your decision was not recorded, so decide again if you still "
            f"disagree.")


def decisions(request):
    user = request.user
    require_role(user, Role.NAVIGATOR, Role.LEAD, Role.POLICE)
    rows = (TriageDecision.objects.visible_to(user).filter(is_current=True)
            .select_related("record__force", "decided_by", "victim").order_by("-decided_at", "-pk"))
    # One kind at a time: "needs more information" is the list of records a navigator has to follow up.
    kind = request.GET.get("decision", "")
    if kind not in Decision.values:
        kind = ""
    search = DecisionSearchForm(request.GET)
    # A refused search shows the list unsearched, and the list's links (tabs, pages, records) leave it out.
    state = request.GET.copy()
    if search.is_valid():
        ref = search.cleaned_data["ref"]
    else:
        ref = ""
        del state["ref"]
    undecided = []
    if ref:
        rows = rows.filter(record__ref__icontains=ref)  # part of a reference will do: "2608-00062"
        if user.role != Role.POLICE:
            # A navigator asked about a record finds it whether or not it was decided (or even flagged).
            undecided = list(PoliceRecord.objects.visible_to(user).filter(ref__icontains=ref)
                             .exclude(decisions__is_current=True).select_related("force", "screening")
                             .order_by("-recorded_at")[:UNDECIDED_SHOWN])
    # Counted after the search, so that each tab says how many of the search's matches it holds.
    counts = dict(rows.order_by().values_list("decision").annotate(n=Count("pk")))
    total = sum(counts.values())
    # A search made on one tab that matches decisions on others is pointed there, not reported as not found.
    elsewhere = total - counts.get(kind, 0) if kind and ref else 0
    only_match_elsewhere = rows.exclude(decision=kind).first() if elsewhere == 1 else None
    if kind:
        rows = rows.filter(decision=kind)
    page = Paginator(rows, QUEUE_SIZE).get_page(request.GET.get("page"))
    if ref:
        services.decision_search(actor=user, criteria={"ref": ref, "decision": kind},
                                 result_count=total + len(undecided))
    for row in page:
        row.changed_since = row.record.updated_at > row.decided_at
    # The page shows navigators' reasons (free text, audited): police only those asking them for information.
    reasons_read = [row.pk for row in page if user.role != Role.POLICE or row.shared_with_police]
    if reasons_read:
        services.decision_list_view(actor=user, decision_ids=reasons_read)
    query = state.copy()
    query.pop("page", None)
    tabs = [{"kind": value, "label": label, "count": count, "url": _decisions_tab_url(state, value)}
            for value, label, count in [("", "All", total),
                                        *((value, label, counts.get(value, 0)) for value, label in Decision.choices)]]
    return render(request, "screening/decisions.html", {
        "page": page, "query": query.urlencode(), "show_link": user.role != Role.POLICE, "kind": kind, "ref": ref,
        "form": search,
        "kind_label": Decision(kind).label if kind else "", "tabs": tabs,
        "tabs_elsewhere": [tab for tab in tabs if tab["kind"] != kind and tab["count"]] if elsewhere else [],
        "elsewhere": elsewhere, "only_match_elsewhere": only_match_elsewhere,
        "undecided": undecided, "undecided_more": len(undecided) == UNDECIDED_SHOWN,
        # "No record has that reference" is said once, and only when neither a decision nor a record matched.
        "none_found": bool(ref) and not total and not undecided,
        "list_query": _kept_query(state, DECISION_LIST_STATE).lstrip("?"),
    })


def _decisions_tab_url(params, kind: str) -> str:
    """The decisions list of one kind (all kinds for ""), keeping the other filters, from its first page."""
    return reverse("screening:decisions") + _kept_query({**params.dict(), "decision": kind}, DECISION_FILTERS)


FIRST_YEAR, LAST_YEAR = 2000, 2100  # the months the summary can show; anything else in the address is ignored
SUMMARY_MARKING = Classification.OFFICIAL_SENSITIVE  # on the page's banner and the first line of its download
MAX_MONTHS = 60
WITHHELD = "[c]"  # a figure an evaluator could work a hidden count out from


def _month_start(value: str, default: datetime.date | None) -> datetime.date | None:
    """The month *value* names, year first as the month picker sends it ("2026-03") or month first as people type it
    where a browser has no picker ("03/2026"); *default* for anything else."""
    try:
        if "/" in value:
            month, year = (int(part) for part in value.split("/"))
        else:
            year, month = (int(part) for part in value.split("-"))
        if not FIRST_YEAR <= year <= LAST_YEAR:
            return default
        return datetime.date(year, month, 1)
    except (ValueError, AttributeError):
        return default


FIRST_YEAR_DECIDED = 2020  # the earliest year an evaluator can choose: before Navigator recorded any decision


def _year(value: str, default: int) -> int:
    """The calendar year *value* names, from FIRST_YEAR_DECIDED to *default*; *default* otherwise."""
    return int(value) if value.isascii() and value.isdigit() and FIRST_YEAR_DECIDED <= int(value) <= default \
        else default


def _next_month(month: datetime.date) -> datetime.date:
    return (month + datetime.timedelta(days=32)).replace(day=1)


def _cases_analysed(request) -> dict:
    """Potential modern slavery cases analysed: records with a decision, per force and month, as the summary page
    and its download both show them (the same roles, scoping and suppression)."""
    user = request.user
    require_role(user, Role.NAVIGATOR, Role.LEAD, Role.EVALUATOR)
    today = datetime.date.today()
    evaluator = user.role == Role.EVALUATOR
    not_understood: list[str] = []
    shortened = False
    if evaluator:
        # Evaluators read whole calendar years that have ended. With periods of their choosing, two overlapping ones
        # would give away what "<5" hides (January to October against January to November is November's exact
        # count), and so would this year's total read again a month later.
        year = _year(request.GET.get("year", ""), today.year - 1)
        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 1)
    else:
        default_start = datetime.date(today.year - 1, today.month, 1)
        start = _month_start(request.GET.get("from", ""), default_start)
        end = _month_start(request.GET.get("to", ""), today.replace(day=1))
        not_understood = [value for value in (request.GET.get("from", ""), request.GET.get("to", ""))
                          if value and _month_start(value, None) is None]
        if end < start:
            start, end = end, start
        shortened = (end.year - start.year) * 12 + end.month - start.month >= MAX_MONTHS
        if shortened:  # a column a month: five years fit a page
            start = datetime.date(end.year - MAX_MONTHS // 12, end.month, 1)
            start = _next_month(start)
    # A record counts once, in the month it was first decided, so that a month's figure stays as reported when a
    # record is triaged again later; it counts as potential modern slavery if that is its decision now.
    decisions = TriageDecision.objects.visible_to(user, AGGREGATE)
    first = decisions.filter(~Exists(TriageDecision.objects.filter(record=OuterRef("record"),
                                                                   decided_at__lt=OuterRef("decided_at"))))
    now = TriageDecision.objects.filter(record=OuterRef("record"), is_current=True).values("decision")[:1]
    counts = (first.filter(decided_at__date__gte=start, decided_at__date__lt=_next_month(end))
              .annotate(month=TruncMonth("decided_at"), now=Subquery(now))
              .values("record__force__name", "month", "now")
              .annotate(n=Count("record", distinct=True)).order_by("record__force__name", "month"))
    table = defaultdict(lambda: {"analysed": 0, "potential": 0})
    for row in counts:
        month = row["month"].date() if hasattr(row["month"], "date") else row["month"]
        cell = table[(row["record__force__name"], month)]
        cell["analysed"] += row["n"]
        if row["now"] == Decision.POTENTIAL:
            cell["potential"] += row["n"]
    forces = sorted({force for force, _ in table})
    # Every month of the period has its column, those without decisions too: a gap is a figure. Newest first, next to
    # the totals: the current month is the one navigators report from, and a year of columns is wider than a laptop's
    # page, so in date order it was the one cut off.
    months = []
    month = start
    while month <= end:
        months.append(month)
        month = _next_month(month)
    months.reverse()
    totals = {force: sum(table[(force, m)]["analysed"] for m in months) for force in forces}
    figures = [{"force": force, "total": totals[force],
                "potential": sum(table[(force, m)]["potential"] for m in months),
                "months": [table[(force, m)]["analysed"] for m in months]} for force in forces]
    if evaluator:
        rows, grand_total = _publishable(figures)
    else:
        rows = [{"force": figure["force"], "total": str(figure["total"]), "potential": str(figure["potential"]),
                 "months": [str(n) for n in figure["months"]]} for figure in figures]
        grand_total = str(sum(totals.values()))
    # The bars are drawn in proportion to the largest total shown: a withheld one would show through the others'.
    peak = max((totals[force] for row, force in zip(rows, forces, strict=True) if row["total"].isdigit()),
               default=0) or 1
    for row, force in zip(rows, forces, strict=True):
        row["width"] = round(100 * totals[force] / peak) if row["total"].isdigit() else 0
    return {"rows": rows, "months": months, "start": start, "end": end, "suppressed": evaluator,
            "grand_total": grand_total, "not_understood": not_understood, "shortened": shortened,
            "classification": SUMMARY_MARKING,
            "years": list(range(today.year - 1, FIRST_YEAR_DECIDED - 1, -1)) if evaluator else []}


def _small(count: int) -> bool:
    """A count that could single someone out, shown to evaluators as "<5"."""
    return 1 <= count <= 4


def _sum_gives_nothing_away(hidden: int, total: int) -> bool:
    """Whether knowing that *hidden* counts of 1 to 4 add up to *total* still lets each of them be anything from 1 to
    4 (two of them adding up to 5, say, but not to 6: then neither is 1)."""
    return hidden + 3 <= total <= 4 * hidden - 3


def _publishable(figures: list[dict]) -> tuple[list[dict], str]:
    """The table of *figures* (per force: total, potential and months, as counts) as evaluators read it, and its grand
    total.

    Counts from 1 to 4 are shown as "<5", as on the estimation pages. A reader also knows how the table adds up: a
    force's total is the sum of its months, its potential cases are part of that total (the rest, decided otherwise,
    are a count too) and the grand total is the sum of the forces'. So every figure from which they could work a
    hidden count out, or narrow it within 1 to 4, is withheld as "[c]", and so is one that would give away a small
    number decided otherwise. tests/screening/test_summary_disclosure.py solves tables for every count, as such a
    reader would."""
    rows = []
    hidden_months, hidden_sum = 0, 0  # of the forces whose total is not shown: how many, and what they add up to
    for figure in figures:
        hidden = [n for n in figure["months"] if _small(n)]
        if not hidden or _sum_gives_nothing_away(len(hidden), sum(hidden)):
            total = str(figure["total"])
        else:
            hidden_months += len(hidden)
            hidden_sum += sum(hidden)
            # "<5" hides a total only when it is one hidden month's own count: four months under a total of "<5"
            # would each be 1.
            total = "<5" if len(hidden) == 1 and _small(figure["total"]) else WITHHELD
        # The potential cases are part of the total: beside a total shown they would give away a small number decided
        # otherwise, and beside one withheld they are a floor under it (10 shown, a month hidden and 13 potential
        # make the hidden month 3 or 4).
        potential = figure["potential"]
        least_total = figure["total"] - sum(hidden) + len(hidden)  # what a reader knows it is at least: each month 1
        narrows = _small(figure["total"] - potential) if total.isdigit() else potential > least_total
        rows.append({"force": figure["force"], "total": total,
                     "potential": "<5" if _small(potential) else WITHHELD if narrows else str(potential),
                     "months": [suppress_small(n) for n in figure["months"]]})
    # Beside withheld totals, the grand total gives the sum of their hidden months: it is shown only if that sum gives
    # none of them away (each withheld total, and the number decided otherwise, can then still move by 3 or more).
    grand_total = sum(figure["total"] for figure in figures)
    if not hidden_months or _sum_gives_nothing_away(hidden_months, hidden_sum):
        return rows, str(grand_total)
    return rows, "<5" if hidden_months == 1 and _small(grand_total) else WITHHELD


def summary(request):
    return render(request, "screening/summary.html", _cases_analysed(request))


def summary_csv(request):
    """The summary's table as the page shows it, for a report: stamped with its marking, and audited as an export."""
    table = _cases_analysed(request)
    period = f"{date_format(table['start'], 'F Y')} to {date_format(table['end'], 'F Y')}"
    note = (" - counts from 1 to 4 shown as <5, and a figure one could be worked out from as [c]"
            if table["suppressed"] else "")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([f"{SUMMARY_MARKING} - Potential modern slavery cases analysed, {period}: "
                     f"{table['grand_total']} records analysed{note}"])
    writer.writerow(["Force", "Total", "Of which decided potential modern slavery",
                     *(date_format(month, "M Y") for month in table["months"])])
    for row in table["rows"]:
        writer.writerow([row["force"], row["total"], row["potential"], *row["months"]])
    services.cases_analysed_export(actor=request.user, start=table["start"], end=table["end"],
                                   forces=len(table["rows"]), suppressed=table["suppressed"])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (f'attachment; filename="cases-analysed-{table["start"]:%Y-%m}-to-'
                                       f'{table["end"]:%Y-%m}.csv"')
    return response


def calibration(request):
    """Indicator weights fitted from the decisions so far: what a proposal would change, and a lead's acceptance."""
    user = request.user
    require_role(user, Role.LEAD)
    proposal = Calibration.objects.filter(status=CalibrationStatus.PROPOSED).first()
    problem, problem_at = "", "proposal"  # what went wrong, and the id of the part of the page it is about
    if request.method == "POST" and "fit" in request.POST:
        # Fits one after another would each replace the last one's proposal: one runs at a time.
        try:
            progress = enqueue_one_at_a_time(fit_proposal, owner=user, label="Fit indicator weights to the decisions",
                                             user_id=user.pk)
        except AlreadyQueued:
            problem = ("A fit started earlier has not finished yet, so no other was started: a proposal it makes will "
                       "be shown on this page")
            problem_at = "fit-underway"
        else:
            return redirect("task-status", task_id=progress.task_id)
    elif request.method == "POST":
        if proposal is None or request.POST.get("calibration") != str(proposal.pk):
            problem = "That proposal has been replaced or accepted since the page was shown: read this one first"
        else:
            try:
                services.accept_calibration(actor=user, calibration=proposal)
            except ValueError as refused:
                problem = str(refused)
            else:
                progress = enqueue_tracked(rescreen_all, owner=user, label=f"Re-screen with calibration {proposal.pk}",
                                           calibration_id=proposal.pk)
                return redirect("task-status", task_id=progress.task_id)
    screener = current_screener()
    changes, demoted, queue_change = [], [], None
    if proposal is not None:
        queue_change = services.queue_change(actor=user, calibration=proposal)
        services.calibration_view(actor=user, calibration=proposal, change=queue_change)
        fitted = [i for i in screener.indicators if i.id in proposal.weights]
        changes = sorted(({"id": i.id, "name": i.name, "now": i.weight, "proposed": proposal.weights[i.id]}
                          for i in fitted if abs(proposal.weights[i.id] - i.weight) >= 0.005),
                         key=lambda row: -abs(row["proposed"] - row["now"]))
        names = {i.id: i.name for i in fitted}
        demoted = [{"name": names[indicator_id], "now": now, "proposed": proposed}
                   for indicator_id, now, proposed in no_longer_flagging(fitted, screener.threshold, proposal.weights,
                                                                         proposal.threshold)]
    fit_underway, fit_status = unfinished(fit_proposal) or (None, "")
    return render(request, "screening/calibration.html", {
        "proposal": proposal, "in_force": active_calibration(), "threshold": screener.threshold,
        "changes": changes, "demoted": demoted, "problem": problem, "problem_at": problem_at,
        "queue_change": queue_change,
        "fit_underway": fit_underway, "fit_waiting": fit_status == "READY",
        # Its progress page belongs to the lead who started it; another lead is told who did.
        "own_fit": fit_underway is not None and fit_underway.owner_id == user.pk,
    })
