import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from navigator.core.models import AuditEvent
from navigator.estimation.models import EstimateRun
from navigator.estimation.mse import read_table
from navigator.estimation.services import create_run, table_from_records

DATA = Path(__file__).parent / "data"
NAVIGATOR = [sys.executable, "-m", "navigator.cli"]


def test_command_reports_the_western_estimate_as_json():
    done = subprocess.run([*NAVIGATOR, "estimate", str(DATA / "western.csv"), "--json"], capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["model"] == ["A:E"] and abs(result["estimate"] - 2483) / 2483 < 0.005
    assert set(result) >= {"observed", "estimate", "ci", "ci_method", "method", "model", "lists", "warnings"}


def test_command_names_the_row_and_column_of_a_bad_table(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("A,B,count\n1,0,5\n0,2,3\n")
    done = subprocess.run([*NAVIGATOR, "estimate", str(bad)], capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert "row 3" in done.stderr and "B" in done.stderr


@pytest.mark.django_db(transaction=True)  # the worker closes connections between tasks, as in production
def test_page_runs_an_estimate_as_a_task_and_shows_the_result(client, login, people):
    login(people["lead"])
    table = SimpleUploadedFile("western.csv", (DATA / "western.csv").read_bytes())
    response = client.post(reverse("estimation:index"), {
        "title": "Western US", "source": "upload", "table": table, "method": "stepwise", "threshold": "0.02",
        "bootstrap": "50", "seed": "7"})
    assert response.status_code == 302 and "/tasks/" in response["Location"]
    call_command("worker", "--batch")
    page = client.get(response["Location"]).content.decode()
    assert "Finished" in page and "Estimate 2483 from 345 people observed" in page
    run = EstimateRun.objects.get()
    page = client.get(reverse("estimation:run", args=[run.pk])).content.decode()
    assert "About 2483 victims" in page and "main effects + A:E" in page
    assert "<svg" in page and "Estimated never seen" in page
    assert "&lt;5" in page, "small capture-history cells are suppressed"
    csv_text = client.get(reverse("estimation:download", args=[run.pk, "csv"])).content.decode()
    assert csv_text.startswith("OFFICIAL") and "<5" in csv_text
    body = json.loads(client.get(reverse("estimation:download", args=[run.pk, "json"])).content)
    assert round(body["result"]["estimate"]) == 2483
    assert all(h["count"] == "<5" or int(h["count"]) >= 5 or h["count"] == "0" for h in body["histories"])
    assert AuditEvent.objects.filter(object_type="estimation.estimaterun", action="export").count() == 2


def test_bad_table_upload_is_explained(client, login, people):
    login(people["evaluator"])
    table = SimpleUploadedFile("bad.csv", b"A,B,count\n1,0,-5\n")
    page = client.post(reverse("estimation:index"), {"title": "Bad", "source": "upload", "table": table,
                                                      "method": "main", "threshold": "0.02",
                                                      "bootstrap": "0"}).content.decode()
    assert "There is a problem" in page and "The table cannot be used" in page and "row 2" in page
    assert not EstimateRun.objects.exists()


def test_table_from_victim_records(people, forces, make_victim):
    for known in (["police"], ["police", "nrm"], ["nrm"], ["police"], [], ["health"]):
        make_victim(people["navigator"], forces["ESX"], known_to=known)
    table = table_from_records()
    assert table.lists == ("police", "nrm", "health")
    assert table.observed == 5
    assert table.list_totals() == {"police": 3, "nrm": 2, "health": 1}


@pytest.mark.parametrize("with_error", [False, True], ids=["fresh", "after a bad table"])
def test_the_table_field_is_one_labelled_input_in_the_form_column(client, login, people, with_error):
    login(people["lead"])
    if with_error:
        table = SimpleUploadedFile("bad.csv", b"A,B,count\n1,0,-5\n")
        page = client.post(reverse("estimation:index"), {"title": "Bad", "source": "upload", "table": table,
                                                          "method": "main", "threshold": "0.02",
                                                          "bootstrap": "0"}).content.decode()
    else:
        page = client.get(reverse("estimation:index")).content.decode()
    inputs = re.findall(r'<input[^>]*\bname="table"[^>]*>', page)
    assert len(inputs) == 1, inputs
    input_id = re.search(r'\bid="([^"]+)"', inputs[0]).group(1)
    assert re.search(rf'<label[^>]*\bfor="{input_id}"[^>]*>\s*Capture-history table \(CSV\)', page)
    assert page.count(f'id="{input_id}"') == 1
    assert page.count(f'id="{input_id}-error"') == (1 if with_error else 0)
    assert page.count("<div") == page.count("</div>"), "no stray </div> ends the form's column early"


def test_the_menu_tells_a_screen_reader_which_item_is_current(client, login, people):
    login(people["lead"])
    run = create_run(actor=people["lead"], title="Western US", source="upload",
                     table=read_table(io.StringIO((DATA / "western.csv").read_text())), method="main",
                     threshold=0.02, bootstrap=0, seed=None)

    def estimate_link(url):
        page = client.get(url).content.decode()
        return re.search(r'<a [^>]*>Hidden victims estimate</a>', page).group(0)

    assert 'aria-current="page"' in estimate_link(reverse("estimation:index"))
    assert 'aria-current="true"' in estimate_link(reverse("estimation:run", args=[run.pk])), \
        "a page within the section: the link is current, not the page it leads to"
    assert "aria-current" not in estimate_link(reverse("home"))
