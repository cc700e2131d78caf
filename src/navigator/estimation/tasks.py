from django.urls import reverse
from django_tasks import TaskContext, task

from navigator.core.tasks import ProgressReporter

from .models import EstimateRun, RunStatus
from .services import execute


@task(takes_context=True)
def run_estimate(context: TaskContext, run_id: int) -> str:
    reporter = ProgressReporter(context, every=25)
    run = EstimateRun.objects.get(pk=run_id)
    run = execute(run, progress=lambda done, total: reporter.report(done, total))
    reporter.report(run.bootstrap, run.bootstrap or None, force=True)
    message = (f"Estimate {run.result['estimate']:.0f} from {run.result['observed']} people observed"
               if run.status == RunStatus.DONE else f"No estimate: {run.error}")
    reporter.finish(message, reverse("estimation:run", args=[run.pk]))
    return run.status
