"""A fit of the indicator weights runs one at a time: each fit replaces the last one's proposal, so a second one queued
while the first is waiting or running would be wasted work."""

import re
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from navigator.core.models import AuditEvent, Role, TaskProgress
from navigator.screening.tasks import fit_proposal

from ..conftest import make_user, verified_login

FIT_BUTTON = re.compile(r'<button[^>]*name="fit"')
REFUSED = "A fit started earlier has not finished yet, so no other was started"


def _fits_queued() -> int:
    return DBTaskResult.objects.filter(task_path=fit_proposal.module_path).count()


def test_a_second_fit_asked_for_while_the_first_waits_is_refused_and_not_queued(client, login, people):
    login(people["lead"])
    url = reverse("screening:calibration")
    first = client.post(url, {"fit": "1"})
    assert first.status_code == 302
    second = client.post(url, {"fit": "1"})
    assert second.status_code == 200
    page = second.content.decode()
    assert "Error: Indicator weights" in page and "govuk-error-summary" in page and REFUSED in page
    assert re.search(r"<a href=\"#fit-underway\">A fit started earlier", page), "the summary links to what it is about"
    assert _fits_queued() == 1 and TaskProgress.objects.count() == 1

    other_lead = verified_login(Client(), make_user("other.lead", Role.LEAD))
    assert REFUSED in other_lead.post(url, {"fit": "1"}).content.decode()
    assert _fits_queued() == 1, "another lead cannot start one either"


def test_the_page_shows_the_fit_underway_instead_of_the_button(client, login, people):
    login(people["lead"])
    url = reverse("screening:calibration")
    assert FIT_BUTTON.search(client.get(url).content.decode())
    progress_url = client.post(url, {"fit": "1"}).url

    page = client.get(url).content.decode()
    assert not FIT_BUTTON.search(page)
    assert re.search(r"A fit of the weights to the decisions, started by you on [^,]+, is waiting for a worker", page)
    assert f'href="{progress_url}">Follow the fit\'s progress</a>' in page

    DBTaskResult.objects.filter(task_path=fit_proposal.module_path).update(status="RUNNING")  # a worker took it
    assert "is running: no other fit can start until it is done" in client.get(url).content.decode()

    # The progress page is its owner's alone: another lead is told who started the fit, and not sent there.
    other_lead = verified_login(Client(), make_user("other.lead", Role.LEAD))
    page = other_lead.get(url).content.decode()
    assert "started by The Lead on" in page and progress_url not in page and not FIT_BUTTON.search(page)
    assert f'<a class="govuk-link" href="{url}">Refresh this page</a>' in page


@pytest.mark.django_db(transaction=True)  # the worker closes connections between tasks
def test_once_the_fit_has_finished_the_button_comes_back_and_a_new_fit_can_start(client, login, people):
    login(people["lead"])
    url = reverse("screening:calibration")
    progress_url = client.post(url, {"fit": "1"}).url
    call_command("worker", "--batch")
    assert "No proposal: only 0 records have a decision" in client.get(progress_url).content.decode()

    page = client.get(url).content.decode()
    assert FIT_BUTTON.search(page) and 'id="fit-underway"' not in page
    again = client.post(url, {"fit": "1"})
    assert again.status_code == 302 and again.url != progress_url
    assert _fits_queued() == 2


@pytest.mark.django_db(transaction=True)  # each request runs on its own thread's connection
def test_two_leads_asking_for_a_fit_at_the_same_moment_queue_one(people):
    leads = [people["lead"], make_user("other.lead", Role.LEAD)]
    clients = [verified_login(Client(), lead) for lead in leads]
    start = threading.Barrier(len(clients))
    answers, errors = [], []

    def ask(client):
        try:
            start.wait()
            answers.append(client.post(reverse("screening:calibration"), {"fit": "1"}).status_code)
        except Exception as problem:  # noqa: BLE001 - the test reports whatever stopped a request
            errors.append(problem)
        finally:
            connection.close()

    threads = [threading.Thread(target=ask, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(answers) == [200, 302], "one is queued, the other refused"
    assert _fits_queued() == 1 and TaskProgress.objects.count() == 1


def test_a_fit_whose_worker_stopped_mid_task_does_not_hold_back_the_next_for_ever(client, login, people):
    import datetime

    from django.utils import timezone

    from navigator.core.tasks import ABANDONED_AFTER

    login(people["lead"])
    url = reverse("screening:calibration")
    client.post(url, {"fit": "1"})
    running = DBTaskResult.objects.filter(task_path=fit_proposal.module_path)
    running.update(status="RUNNING", started_at=timezone.now() - ABANDONED_AFTER + datetime.timedelta(minutes=5))
    assert REFUSED in client.post(url, {"fit": "1"}).content.decode(), "a fit running for 55 minutes is still underway"

    # A worker killed mid-fit leaves its task "running" for ever.
    running.update(started_at=timezone.now() - ABANDONED_AFTER - datetime.timedelta(minutes=1))
    assert FIT_BUTTON.search(client.get(url).content.decode())
    assert client.post(url, {"fit": "1"}).status_code == 302 and _fits_queued() == 2
    # Its page no longer says it runs, and the trail says who gave it up.
    abandoned = TaskProgress.objects.order_by("created_at").first()
    page = client.get(reverse("task-status", args=[abandoned.task_id])).content.decode()
    assert "Failed" in page and "This task stopped without finishing" in page and "Running" not in page
    event = AuditEvent.objects.get(object_type="core.taskprogress", object_id=str(abandoned.pk))
    assert event.actor_username == people["lead"].username and event.object_label.startswith("gave up")
