"""Building capture-history tables and running estimates, audited."""

from django.db import transaction

from navigator.core import audit
from navigator.core.models import AuditAction, Role
from navigator.victims.models import Victim
from navigator.victims.vocab import OtherList

from .models import EstimateRun, RunStatus
from .mse import CaptureTable, TableError, estimate

ESTIMATE_ROLES = (Role.LEAD, Role.EVALUATOR)


def table_from_records(force_ids=None) -> CaptureTable | None:
    """One list per 'also known to' list recorded on victims; people on none of them are left out.

    The Navigator caseload itself is not a list: every record is on it, so it carries no overlap information.
    """
    victims = Victim.objects.all() if force_ids is None else Victim.objects.filter(force__in=force_ids)
    lists = list(OtherList.values)
    counts = [0] * (2 ** len(lists) - 1)
    for known in victims.values_list("known_to", flat=True).iterator(chunk_size=5000):
        code = sum(1 << lists.index(name) for name in set(known or ()) if name in lists)
        if code:
            counts[code - 1] += 1
    table = CaptureTable(tuple(lists), counts)
    empty = [name for name, total in table.list_totals().items() if total == 0]
    try:
        return table.drop_lists(empty)
    except TableError:  # fewer than two lists in use
        return None


@transaction.atomic
def create_run(*, actor, title: str, source: str, table: CaptureTable, method: str, threshold: float,
               bootstrap: int, seed: int | None) -> EstimateRun:
    if actor.role not in ESTIMATE_ROLES:
        raise PermissionError("only leads and evaluators run estimates")
    run = EstimateRun.objects.create(owner=actor, title=title, source=source, lists=list(table.lists),
                                     counts=[int(c) for c in table.counts], method=method, threshold=threshold,
                                     bootstrap=bootstrap, seed=seed)
    audit.record(actor=actor, action=AuditAction.CREATE, obj=run,
                 changes={"source": source, "lists": list(table.lists), "observed": table.observed,
                          "method": method, "bootstrap": bootstrap})
    return run


def execute(run: EstimateRun, progress=None) -> EstimateRun:
    """Run the estimate; the result (or the reason there is none) is stored on the run."""
    EstimateRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING)
    table = CaptureTable(tuple(run.lists), run.counts)
    try:
        result = estimate(table, method=run.method, threshold=run.threshold, bootstrap=run.bootstrap,
                          seed=run.seed, progress=progress)
    except Exception as error:  # the engine explains why no estimate exists; keep that for the page
        run.status, run.error = RunStatus.FAILED, str(error)
    else:
        run.status, run.result = RunStatus.DONE, result.to_dict(include_models=True)
    run.save(update_fields=["status", "result", "error"])
    return run
