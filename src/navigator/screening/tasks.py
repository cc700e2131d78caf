from pathlib import Path

from django.db import IntegrityError
from django.urls import reverse
from django_tasks import TaskContext, task

from navigator.core.models import Force, User
from navigator.core.tasks import ProgressReporter

from .importing import FileFormatError
from .models import Calibration
from .services import RESCREEN_BATCH, ImportStopped, TooFewDecisions, fit_calibration, import_records, rescreen_records

ERRORS_SHOWN = 20  # what was wrong, line by line, for the first bad lines; every bad line's number is listed before
# The import's steps as the task page names them.
STAGES = {"Checking": "Checking every line", "Importing": "Storing the records"}


@task(takes_context=True)
def import_upload(context: TaskContext, path: str, force_id: int, user_id: int, skip_invalid: bool,
                  name: str = "") -> dict:
    """Import an uploaded file in the worker, reporting progress for the task page. *name* is the file's name as the
    navigator chose it (the upload is stored under another)."""
    reporter = ProgressReporter(context, every=1000)
    upload = Path(path)
    force = Force.objects.get(pk=force_id)
    try:
        report = import_records(actor=User.objects.get(pk=user_id), path=upload, force=force, name=name,
                                # no rejected-lines file: it would leave narratives unencrypted on the server, and
                                # the report lists the bad lines
                                skip_invalid=skip_invalid, rejected_path=None,
                                progress=lambda stage, done, total: reporter.report(done, total, stage=STAGES[stage]))
    except FileFormatError as error:
        reporter.finish(f"Nothing imported: {error}", reverse("screening:upload"), changed_nothing=True)
        return {"imported": False, "error": str(error)}
    except ImportStopped as stopped:
        reporter.finish(str(stopped), reverse("screening:upload"))
        return {"imported": False, "created": stopped.report.created, "updated": stopped.report.updated}
    finally:
        upload.unlink(missing_ok=True)
    # The question about the force comes before the line errors, which would repeat it on every line.
    hint = report.other_force_hint(f"{force.name} ({force.code})")
    lines = [report.summary(on_the_web=True), *([hint] if hint else [])]
    if report.invalid:
        # Every bad line by its number, so that the navigator can find each one in their file (no rejected-lines file
        # stays on the server), then what was wrong with the first of them.
        lines += [f"{'Lines left out' if report.imported else 'Lines with errors'}: {report.invalid_lines()}.",
                  *report.errors[:ERRORS_SHOWN]]
        if report.invalid > ERRORS_SHOWN:
            lines.append(f"... and {report.invalid - ERRORS_SHOWN} more errors")
    if report.imported:
        reporter.report(report.records, report.records, force=True)
        reporter.finish("\n".join(lines), reverse("screening:queue") + f"?force={force.code}")
    else:
        reporter.finish("\n".join(lines), reverse("screening:upload") + f"?force={force.code}", changed_nothing=True)
    # Counts only: the result row is kept unencrypted, and the line errors and the upload's path stay out of it.
    return {"imported": report.imported, "lines": report.lines_read, "created": report.created,
            "updated": report.updated, "unchanged": report.unchanged, "invalid": report.invalid,
            "flagged": report.flagged}


@task(takes_context=True)
def rescreen_all(context: TaskContext, calibration_id: int) -> dict:
    """Screen every stored record again after a lead accepted calibration *calibration_id* on the web."""
    reporter = ProgressReporter(context, every=RESCREEN_BATCH)
    lead = Calibration.objects.select_related("accepted_by").get(pk=calibration_id).accepted_by
    report = rescreen_records(everything=True, actor=lead,
                              progress=lambda done, total: reporter.report(done, total))
    reporter.report(report.checked, report.checked, force=True)
    reporter.finish(f"Calibration {calibration_id} is in force. {report.summary()}", reverse("screening:queue"))
    return {"checked": report.checked, "newly_flagged": report.newly_flagged,
            "no_longer_flagged": report.no_longer_flagged}


@task(takes_context=True)
def fit_proposal(context: TaskContext, user_id: int) -> dict:
    """Fit weights to the decisions so far for a lead who asked on the web; the proposal waits for a lead to accept."""
    reporter = ProgressReporter(context)
    try:
        calibration, fit, _ = fit_calibration(actor=User.objects.get(pk=user_id))
    except TooFewDecisions as too_few:
        reporter.finish(f"No proposal: {too_few}.", reverse("screening:calibration"), changed_nothing=True)
        return {"proposed": False}
    except IntegrityError:  # one_proposal_waiting: another fit proposed at the same moment
        reporter.finish("Another fit proposed weights at the same moment: read its proposal.",
                        reverse("screening:calibration"), changed_nothing=True)
        return {"proposed": False}
    reporter.finish(f"Proposal {calibration.pk} fitted from {fit.examples} decided records ({fit.positives} potential "
                    "modern slavery): read it before accepting it.", reverse("screening:calibration"))
    return {"proposed": True, "calibration": calibration.pk}
