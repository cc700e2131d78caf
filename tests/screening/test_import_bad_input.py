"""Import input that is wrong in ways a spreadsheet or a broken export produces: each is named by its line and
nothing is half-written."""
import html
import io
import json

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from navigator.core.models import TaskProgress
from navigator.screening.engine.cli import run as screen_command
from navigator.screening.importing import MAX_LINE_BYTES
from navigator.screening.models import PoliceRecord

from .test_import_triage import ORDINARY, SLAVERY, _record, _write

HEADER = "ref,force,recorded_at,type,location,text"


def _report(path):
    return path.with_name(path.name + ".report.txt").read_text()


@pytest.mark.parametrize("recorded_at", ["0001-01-01T00:30:00+01:00", "9999-12-31T23:30-01:00", "1066-10-14"])
def test_a_date_out_of_range_is_a_line_error_and_nothing_is_stored(tmp_path, forces, monkeypatch, recorded_at):
    monkeypatch.setattr("navigator.screening.services.BATCH", 2)  # earlier batches would be stored first
    path = _write(tmp_path / "r.jsonl", [_record("A1", ORDINARY), _record("A2", ORDINARY),
                                         _record("A3", ORDINARY, recorded_at=recorded_at)])
    with pytest.raises(CommandError, match="1 invalid lines; nothing imported"):
        call_command("records", "import", str(path), "--force", "ESX")
    assert f"line 3, field 'recorded_at': '{recorded_at}' is not a date between 1900 and 2100" in _report(path)
    assert not PoliceRecord.objects.exists()
    call_command("records", "import", str(path), "--force", "ESX", "--skip-invalid")
    assert sorted(PoliceRecord.objects.values_list("ref", flat=True)) == ["A1", "A2"]


def test_a_csv_line_that_is_not_utf8_is_named_and_the_others_import(tmp_path, forces):
    path = tmp_path / "r.csv"
    path.write_bytes(f"{HEADER}\nC1,ESX,2026-03-14,crime,,Routine theft\n".encode()
                     + "C2,ESX,2026-03-14,crime,,Caf\xe9 visit\n".encode("latin-1"))
    with pytest.raises(CommandError, match="1 invalid lines; nothing imported"):
        call_command("records", "import", str(path), "--force", "ESX")
    assert "line 3: is not UTF-8 text" in _report(path)
    call_command("records", "import", str(path), "--force", "ESX", "--skip-invalid")
    assert list(PoliceRecord.objects.values_list("ref", flat=True)) == ["C1"]
    assert "Caf\\udce9 visit" in (tmp_path / "r.csv.rejected.jsonl").read_text()


def test_a_csv_from_a_spreadsheet_with_a_byte_order_mark_imports(tmp_path, forces):
    path = tmp_path / "r.csv"
    path.write_bytes(f"\ufeff{HEADER}\nC1,ESX,2026-03-14,crime,,Routine theft\n".encode())
    call_command("records", "import", str(path), "--force", "ESX")
    assert PoliceRecord.objects.get().ref == "C1"


@pytest.mark.parametrize("cell", ["[" * 100_000, "[" + "9" * 5000 + "]"], ids=["nested-too-deep", "huge-integer"])
def test_a_broken_entities_cell_is_a_line_error(tmp_path, forces, cell):
    path = tmp_path / "r.csv"
    path.write_text(f"{HEADER},entities\nC1,ESX,2026-03-14,crime,,Routine,{cell}\nC2,ESX,2026-03-14,crime,,Fine,\n")
    with pytest.raises(CommandError, match="1 invalid lines; nothing imported"):
        call_command("records", "import", str(path), "--force", "ESX")
    assert "line 2, field 'entities': must be a JSON list" in _report(path)
    call_command("records", "import", str(path), "--force", "ESX", "--skip-invalid")
    assert list(PoliceRecord.objects.values_list("ref", flat=True)) == ["C2"]


def test_a_ref_repeated_in_one_file_is_counted_once(tmp_path, forces):
    path = _write(tmp_path / "r.jsonl", [_record("D1", ORDINARY), _record("D1", SLAVERY)])
    call_command("records", "import", str(path), "--force", "ESX")
    report = _report(path)
    assert "Imported 1 record for ESX: 1 new" in report
    assert "1 line gave a ref that a later line gives again; the last line with each ref counts." in report
    assert PoliceRecord.objects.get().screening.flagged


@pytest.mark.django_db(transaction=True)  # the worker closes connections between tasks, as in production
def test_an_upload_leaves_no_rejected_narratives_on_the_server(client, login, people, forces):
    login(people["navigator"])
    bad = json.dumps(_record("U2", "Jane says the boss keeps her passport", type="parking"))
    body = f"{json.dumps(_record('U1', SLAVERY))}\n{bad}\n".encode()
    client.post(reverse("screening:upload"), {"force": forces["ESX"].pk, "skip_invalid": "on",
                                              "file": SimpleUploadedFile("records.jsonl", body)})
    call_command("worker", "--batch")
    message = TaskProgress.objects.get().message
    assert "line 2, field 'type'" in message and str(settings.VAR_DIR) not in message
    left = [path for path in (settings.VAR_DIR / "uploads").iterdir() if b"Jane says" in path.read_bytes()]
    assert left == [], "neither the upload nor its rejected lines stay on disk"
    assert PoliceRecord.objects.get().ref == "U1"


def test_a_csv_line_with_extra_values_that_is_not_utf8_is_rejected_readably(tmp_path, forces):
    path = tmp_path / "r.csv"
    path.write_bytes(f"{HEADER}\nC1,ESX,2026-03-14,crime,,Routine theft\n".encode()
                     + "C2,ESX,2026-03-14,crime,,Caf\xe9 visit,extra\n".encode("latin-1"))
    call_command("records", "import", str(path), "--force", "ESX", "--skip-invalid")
    assert list(PoliceRecord.objects.values_list("ref", flat=True)) == ["C1"]
    assert "line 3: is not UTF-8 text" in _report(path)


def test_an_entities_cell_holding_an_unpaired_surrogate_is_a_line_error(tmp_path, forces, monkeypatch):
    monkeypatch.setattr("navigator.screening.services.BATCH", 1)
    path = tmp_path / "r.csv"
    path.write_text(f"{HEADER},entities\nC1,ESX,2026-03-14,crime,,Routine,\n"
                    'C2,ESX,2026-03-14,crime,,Fine,"[{""kind"": ""person"", ""value"": ""\\ud800""}]"\n')
    with pytest.raises(CommandError, match="1 invalid lines; nothing imported"):
        call_command("records", "import", str(path), "--force", "ESX")
    assert "line 3, field 'entities'" in _report(path) and not PoliceRecord.objects.exists()


def test_a_file_that_stops_being_read_leaves_no_list_of_rejected_lines(tmp_path, forces, capsys):
    """A quote never closed stops the import: a rejected-lines file listing only the bad lines before it would read
    as "these were rejected, the rest imported"."""
    path = tmp_path / "r.csv"
    path.write_text(f"{HEADER}\nC1,ESX,2026-03-14,crime,,Routine theft\nC2,ESX,2026-03-14,parking,,Bad type\n"
                    'C3,ESX,2026-03-14,crime,,"A quote never closed\nC4,ESX,2026-03-14,crime,,Routine\n',
                    encoding="utf-8")
    (tmp_path / "r.csv.rejected.jsonl").write_text('{"ref": "OLD"}\n', encoding="utf-8")  # from an earlier run
    with pytest.raises(CommandError) as raised:
        call_command("records", "import", str(path), "--force", "ESX", "--skip-invalid")
    assert raised.value.returncode == 2 and "line 4" in str(raised.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.csv"], "no rejected-lines file, whole or partial"
    assert not PoliceRecord.objects.exists()


def test_a_file_with_nothing_rejected_leaves_no_rejected_lines_file(tmp_path, forces):
    path = tmp_path / "r.csv"
    (tmp_path / "r.csv.rejected.jsonl").write_text('{"ref": "OLD"}\n', encoding="utf-8")  # from an earlier run
    path.write_text(f"{HEADER}\nC1,ESX,2026-03-14,crime,,Routine theft\n", encoding="utf-8")
    call_command("records", "import", str(path), "--force", "ESX", "--skip-invalid")
    assert list(PoliceRecord.objects.values_list("ref", flat=True)) == ["C1"]
    assert not (tmp_path / "r.csv.rejected.jsonl").exists()


CUT_SHORT = json.dumps(_record("J1", SLAVERY))[:150]  # a line of an export that stopped part way through a narrative
NARRATIVE_COLUMN = CUT_SHORT.index('"Female') + 1  # where the narrative's quote opens


@pytest.mark.parametrize(("name", "content", "message"), [
    ("quote.csv", f'{HEADER}\nC1,ESX,2026-03-14,crime,,"He said the boss holds his passport\n'
                  'C2,ESX,2026-03-15,stop,Station,"Routine stop, nothing found."\n',
     "line 2: a quote opened on this line is never closed (the value runs on into line 3)"),
    ("stray.csv", f'{HEADER}\nC1,ESX,2026-03-14,crime,,"He said" the boss holds his passport\n',
     'line 2: a quoted value goes on after its closing quote: write a quote inside a value as two ("")'),
    ("cut.jsonl", f"{CUT_SHORT}\n{json.dumps(_record('J2', ORDINARY))}\n",
     f"a quoted value that starts at column {NARRATIVE_COLUMN} is never closed: is the line cut short?"),
])
@pytest.mark.django_db(transaction=True)  # the worker closes connections between tasks, as in production
def test_a_broken_quote_reads_alike_on_the_upload_page_and_the_command_line(client, login, people, forces, tmp_path,
                                                                             name, content, message):
    login(people["navigator"])
    status_url = client.post(reverse("screening:upload"), {
        "force": forces["ESX"].pk, "file": SimpleUploadedFile(name, content.encode())})["Location"]
    call_command("worker", "--batch")
    page = client.get(status_url).content.decode()
    assert message in page.replace("&quot;", '"') and "expected after" not in page and " at at " not in page
    path = tmp_path / name
    path.write_text(content)
    err = io.StringIO()
    assert screen_command([str(path), "-q"], io.StringIO(), io.StringIO(), err) == 2
    assert message in err.getvalue(), "`navigator screen` says it in the same words"


@pytest.mark.django_db(transaction=True)  # the worker closes connections between tasks, as in production
def test_the_upload_page_asks_whether_the_force_is_right_when_every_line_names_another(client, login, people, forces):
    login(people["navigator"])
    body = "".join(json.dumps(_record(f"G{n}", ORDINARY, force="GMP")) + "\n" for n in range(30)).encode()
    status_url = client.post(reverse("screening:upload"), {
        "force": forces["ESX"].pk, "file": SimpleUploadedFile("gmp.jsonl", body)})["Location"]
    call_command("worker", "--batch")
    outcome = html.unescape(client.get(status_url).content.decode())
    hint = "Every line names the force 'GMP': is Essex Police (ESX) the right force for this file?"
    assert hint in outcome
    assert outcome.index(hint) < outcome.index("line 1, field 'force'"), "asked once, before the lines it explains"


@pytest.mark.parametrize(("field", "blank"), [("ref", "   "), ("ref", " "), ("text", "  \t ")])
def test_a_ref_or_narrative_of_only_spaces_is_refused_as_empty(tmp_path, forces, field, blank):
    """Refs are stored trimmed: a ref of spaces would be stored empty, and every such record of the force would be
    stored over the last."""
    path = _write(tmp_path / "r.jsonl", [_record("B1", ORDINARY), {**_record("B2", ORDINARY), field: blank}])
    with pytest.raises(CommandError, match="1 invalid lines; nothing imported"):
        call_command("records", "import", str(path), "--force", "ESX")
    assert f"line 2, field '{field}': is empty" in _report(path)
    call_command("records", "import", str(path), "--force", "ESX", "--skip-invalid")
    assert list(PoliceRecord.objects.values_list("ref", flat=True)) == ["B1"]


def test_a_csv_row_over_several_lines_is_named_by_the_line_it_starts_on(tmp_path, forces):
    path = tmp_path / "r.csv"
    path.write_text(f'{HEADER}\nC1,ESX,2026-03-14,crime,,Routine theft\n\n'
                    'C2,ESX,2026-03-14,parking,,"First paragraph.\nSecond paragraph.\nThird paragraph."\n',
                    encoding="utf-8")
    with pytest.raises(CommandError, match="1 invalid lines; nothing imported"):
        call_command("records", "import", str(path), "--force", "ESX")
    assert "line 4, field 'type': 'parking' is not one of" in _report(path)


def test_a_carriage_return_outside_quotes_that_would_cut_a_narrative_is_refused(tmp_path, forces):
    path = tmp_path / "r.csv"
    path.write_bytes(f"{HEADER}\nC1,ESX,2026-03-14,crime,,Routine theft\n"
                     "C2,ESX,2026-03-14,crime,,first part\rC9,ESX,2026-03-14,crime,,second part\n".encode())
    with pytest.raises(CommandError, match="line 3: a carriage return") as raised:
        call_command("records", "import", str(path), "--force", "ESX", "--skip-invalid")
    assert raised.value.returncode == 2 and not PoliceRecord.objects.exists()


@pytest.mark.parametrize("line_end", ["\r", "\r\n"], ids=["old-mac", "windows"])
def test_a_csv_whose_lines_end_in_carriage_returns_imports_with_them_inside_quotes(tmp_path, forces, line_end):
    path = tmp_path / "r.csv"
    path.write_bytes(line_end.join([HEADER, "C1,ESX,2026-03-14,crime,,Routine theft",
                                    'C2,ESX,2026-03-14,crime,,"First line.\rSecond line."', ""]).encode())
    call_command("records", "import", str(path), "--force", "ESX")
    assert PoliceRecord.objects.get(ref="C2").text == "First line.\rSecond line."
    assert PoliceRecord.objects.count() == 2


def test_a_csv_header_naming_a_column_twice_is_refused(tmp_path, forces):
    path = tmp_path / "r.csv"
    path.write_text("ref,force,recorded_at,type,text,text\nC1,ESX,2026-03-14,crime,Routine theft,Passport held\n",
                    encoding="utf-8")
    with pytest.raises(CommandError, match="line 1: the CSV header names the column 'text' twice") as raised:
        call_command("records", "import", str(path), "--force", "ESX")
    assert raised.value.returncode == 2 and not PoliceRecord.objects.exists()


def test_a_csv_header_with_spaces_after_its_commas_imports(tmp_path, forces):
    path = tmp_path / "r.csv"
    path.write_text("ref, force, recorded_at, type, location, text\nC1, ESX, 2026-03-14, crime, , Routine theft\n",
                    encoding="utf-8")
    call_command("records", "import", str(path), "--force", "ESX")
    assert PoliceRecord.objects.get().ref == "C1"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_csv_is_refused_as_utf16(tmp_path, forces, encoding):
    """Spreadsheets save "Unicode text" as UTF-16: the header's names are there, a zero byte between their letters."""
    path = tmp_path / "r.csv"
    path.write_text(f"{HEADER}\nC1,ESX,2026-03-14,crime,,Routine theft\n", encoding=encoding)
    with pytest.raises(CommandError, match="line 1: the file is UTF-16 text, not UTF-8: save it as CSV UTF-8"):
        call_command("records", "import", str(path), "--force", "ESX")


def test_json_lines_with_a_byte_order_mark_at_the_start_import(tmp_path, forces):
    path = tmp_path / "r.jsonl"
    bom = "\ufeff"
    path.write_text(f"{bom}{json.dumps(_record('J1', ORDINARY))}\n{json.dumps(_record('J2', ORDINARY))}\n",
                    encoding="utf-8")
    call_command("records", "import", str(path), "--force", "ESX")
    assert sorted(PoliceRecord.objects.values_list("ref", flat=True)) == ["J1", "J2"]
    path.write_text(f"{json.dumps(_record('J3', ORDINARY))}\n{bom}{json.dumps(_record('J4', ORDINARY))}\n",
                    encoding="utf-8")
    with pytest.raises(CommandError, match="1 invalid lines; nothing imported"):
        call_command("records", "import", str(path), "--force", "ESX")
    assert "line 2: is not valid JSON: unexpected UTF-8 BOM" in _report(path), "only the file's start may hold one"


def test_an_oversize_line_is_named_in_the_rejected_lines_file(tmp_path, forces):
    """A line over the limit is passed over without being held in memory: the rejected-lines file says where it was
    and how long, rather than a blank line."""
    oversize = json.dumps(_record("J2", "x" * 1_200_000))
    path = _write(tmp_path / "r.jsonl", [_record("J1", ORDINARY), oversize, _record("J3", ORDINARY)])
    call_command("records", "import", str(path), "--force", "ESX", "--skip-invalid")
    assert sorted(PoliceRecord.objects.values_list("ref", flat=True)) == ["J1", "J3"]
    rejected = (tmp_path / "r.jsonl.rejected.jsonl").read_text()
    assert rejected == (f"(line 2 of the file: {len(oversize):,} bytes, longer than 1,000,000, so not copied here)\n")


def test_a_line_of_the_largest_length_allowed_is_read(tmp_path, forces):
    line = json.dumps(_record("J1", ""))
    line = line.replace('"text": ""', '"text": "' + "x" * (MAX_LINE_BYTES - len(line)) + '"')
    path = _write(tmp_path / "r.jsonl", [line])
    assert len(path.read_bytes()) == MAX_LINE_BYTES + 1
    with pytest.raises(CommandError, match="1 invalid lines; nothing imported"):  # a narrative that long is refused
        call_command("records", "import", str(path), "--force", "ESX")
    assert "line 1, field 'text': is longer than 100,000 characters" in _report(path)
