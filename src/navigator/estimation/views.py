import csv
import io
import json

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from navigator.core import audit
from navigator.core.models import AuditAction
from navigator.core.scoping import get_visible_or_404, require_role
from navigator.core.tasks import enqueue_tracked

from . import services
from .forms import EstimateForm
from .models import EstimateRun, RunStatus, Source
from .mse import CaptureTable, suppress_small
from .tasks import run_estimate

MARKING = "OFFICIAL"


def index(request):
    require_role(request.user, *services.ESTIMATE_ROLES)
    form = EstimateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["source"] == Source.RECORDS:
            force = data.get("force")
            table = services.table_from_records([force.pk] if force else None)
            if table is None:
                form.add_error("source", "Too few lists are recorded on victims to estimate from")
        else:
            table = data["capture_table"]
        if form.is_valid():
            run = services.create_run(actor=request.user, title=data["title"], source=data["source"], table=table,
                                      method=data["method"], threshold=data["threshold"],
                                      bootstrap=data["bootstrap"], seed=data["seed"])
            progress = enqueue_tracked(run_estimate, owner=request.user, label=f"Estimate: {run.title}",
                                       run_id=run.pk)
            EstimateRun.objects.filter(pk=run.pk).update(task_id=progress.task_id)
            return redirect("task-status", task_id=progress.task_id)
    runs = EstimateRun.objects.visible_to(request.user).select_related("owner")[:50]
    return render(request, "estimation/index.html", {"form": form, "runs": runs})


def _histories(run):
    table = CaptureTable(tuple(run.lists), run.counts)
    return [{"lists": [name for name, on in zip(table.lists, history, strict=True) if on], "count": count,
             "shown": suppress_small(count)} for history, count in table.histories()]


def _chart(run):
    """Bars for people seen on each list, people seen in all, and the estimated unseen with its interval."""
    result = run.result
    table = CaptureTable(tuple(run.lists), run.counts)
    totals = table.list_totals()
    unseen = result["estimate"] - result["observed"]
    low, high = (max(0.0, v - result["observed"]) if v is not None else None for v in result["ci"])
    bars = [(name, count) for name, count in totals.items()] + [("Seen on any list", result["observed"])]
    scale_max = max([count for _, count in bars] + [unseen, high or 0]) or 1
    width = 520
    rows = [{"label": label, "value": suppress_small(count), "width": round(width * count / scale_max), "y": 30 * n}
            for n, (label, count) in enumerate(bars)]
    y = 30 * len(bars)
    return {"rows": rows, "unseen": {"label": "Estimated never seen", "value": round(unseen), "y": y,
                                     "width": round(width * unseen / scale_max),
                                     "low": round(width * low / scale_max) if low is not None else None,
                                     "high": round(width * high / scale_max) if high is not None else None,
                                     "low_value": round(low) if low is not None else None,
                                     "high_value": round(high) if high is not None else None},
            "height": y + 40, "width": width + 220}


def run_detail(request, run_id):
    require_role(request.user, *services.ESTIMATE_ROLES)
    run = get_visible_or_404(EstimateRun.objects.select_related("owner"), request.user, pk=run_id)
    audit.record(actor=request.user, action=AuditAction.VIEW, obj=run)
    context = {"run": run, "histories": _histories(run), "classification": MARKING}
    if run.status == RunStatus.DONE:
        context["chart"] = _chart(run)
        context["models"] = sorted(run.result.get("models", []), key=lambda m: (not m["selected"], m["step"] or 0))[:60]
    return render(request, "estimation/run.html", context)


def run_download(request, run_id, fmt):
    require_role(request.user, *services.ESTIMATE_ROLES)
    run = get_visible_or_404(EstimateRun.objects.all(), request.user, pk=run_id)
    if run.status != RunStatus.DONE or fmt not in ("csv", "json"):
        raise Http404("No such download")
    audit.record(actor=request.user, action=AuditAction.EXPORT, obj=run, changes={"format": fmt})
    histories = _histories(run)
    result = {k: v for k, v in run.result.items() if k != "models"}
    if fmt == "json":
        body = json.dumps({"classification": MARKING, "title": run.title, "result": result,
                           "note": "Capture-history counts under 5 are shown as '<5' for publication.",
                           "histories": [{"lists": h["lists"], "count": h["shown"]} for h in histories]}, indent=2)
        response = HttpResponse(body, content_type="application/json")
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([f"{MARKING} - {run.title} - counts under 5 shown as <5"])
        writer.writerow([*run.lists, "count"])
        for history in histories:
            writer.writerow([1 if name in history["lists"] else 0 for name in run.lists] + [history["shown"]])
        writer.writerow([])
        writer.writerow(["observed", "estimate", "ci_low", "ci_high", "ci_method", "method", "model"])
        writer.writerow([result["observed"], round(result["estimate"]), round(result["ci"][0] or 0),
                         round(result["ci"][1] or 0), result["ci_method"], result["method"], " ".join(result["model"])])
        response = HttpResponse(buffer.getvalue(), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="estimate-{run.pk}.{fmt}"'
    return response
