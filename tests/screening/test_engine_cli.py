"""The pure CLI, called through run() exactly as `navigator screen` does."""

import io
import json
import os
import subprocess
import sys

import pytest

from navigator.screening.engine.cli import run


def _run(argv, stdin_text=""):
    out, err = io.StringIO(), io.StringIO()
    code = run(argv, io.StringIO(stdin_text), out, err)
    return code, out.getvalue(), err.getvalue()


def _write(path, lines):
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_help():
    code, out, _ = _run(["--help"])
    assert code == 0
    assert "--threshold" in out and "--export-patterns" in out and "JSON Lines" in out


def test_screen_jsonl_file_to_output(tmp_path):
    src = _write(
        tmp_path / "in.jsonl",
        [
            json.dumps({"ref": "A", "text": "Café worker: boss keeps her passport.", "extra": 1}),
            json.dumps({"ref": 2, "text": "Burglary at a car wash."}),
            "",
            json.dumps({"ref": "C", "text": "Lost dog."}),
        ],
    )
    dst = tmp_path / "out.jsonl"
    code, out, err = _run(["screen", str(src), "--output", str(dst), "-q"])
    assert code == 0, err
    rows = [json.loads(line) for line in dst.read_text(encoding="utf-8").splitlines()]
    assert [r["ref"] for r in rows] == ["A", 2, "C"]
    assert rows[0]["flagged"] and not rows[1]["flagged"] and rows[2]["hits"] == []
    text = "Café worker: boss keeps her passport."
    for h in rows[0]["hits"]:
        assert text[h["start"] : h["end"]] == h["text"]
    assert set(rows[0]) == {"ref", "score", "flagged", "hits"}


def test_threshold_option(tmp_path):
    src = _write(tmp_path / "in.jsonl", [json.dumps({"ref": "A", "text": "He works 14 hours a day."})])
    _, out, _ = _run([str(src), "-q"])
    assert not json.loads(out)["flagged"]
    _, out, _ = _run([str(src), "--threshold", "0.5", "-q"])
    assert json.loads(out)["flagged"]


def test_stdin_jsonl():
    code, out, _ = _run(["-", "-q"], json.dumps({"ref": "S", "text": "forced to marry"}) + "\n")
    assert code == 0 and json.loads(out)["flagged"]


def test_csv_input(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text('id,ref,text\n1,R1,"Boss holds her passport, she said ""help"""\n2,R2,nothing\n', encoding="utf-8")
    code, out, err = _run([str(src), "-q"])
    assert code == 0, err
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["ref"] for r in rows] == ["R1", "R2"] and rows[0]["flagged"]


def test_csv_missing_column(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("ref,body\nR1,x\n", encoding="utf-8")
    code, _, err = _run([str(src), "-q"])
    assert code == 2 and "'text'" in err


@pytest.mark.parametrize(
    "bad, field",
    [
        ('{"ref": "B", "text": "unterminated', None),
        ('{"ref": "B"}', "text"),
        ('{"text": "no ref"}', "ref"),
        ('{"ref": "B", "text": 42}', "text"),
        ('["not", "an", "object"]', None),
        ('{"ref": "B", "text": "a"} {"ref": "C", "text": "b"}', None),
    ],
)
def test_malformed_jsonl_exits_2_naming_line(tmp_path, bad, field):
    good = json.dumps({"ref": "A", "text": "fine"})
    src = _write(tmp_path / "in.jsonl", [good, good, bad, good])
    code, _, err = _run([str(src), "-q"])
    assert code == 2
    assert "line 3" in err
    if field:
        assert f"'{field}'" in err


def test_malformed_line_found_in_large_file(tmp_path):
    good = json.dumps({"ref": "A", "text": "x" * 600})
    lines = [good] * 20000
    lines[15000] = '{"ref": "A"'
    src = _write(tmp_path / "in.jsonl", lines)
    code, _, err = _run([str(src), "-q"])
    assert code == 2 and "line 15001" in err


def test_missing_file_and_unknown_type(tmp_path):
    assert _run([str(tmp_path / "nope.jsonl"), "-q"])[0] == 2
    assert _run([str(tmp_path / "x.txt"), "-q"])[0] == 2
    assert _run([])[0] == 2


def test_export_patterns_compile_in_ripgrep(tmp_path):
    code, out, _ = _run(["screen", "--export-patterns"])
    assert code == 0
    pats = tmp_path / "patterns.txt"
    pats.write_text(out, encoding="utf-8")
    corpus = _write(
        tmp_path / "c.jsonl",
        [json.dumps({"ref": "A", "text": "the boss keeps her passport"}), json.dumps({"ref": "B", "text": "x"})],
    )
    proc = subprocess.run(["rg", "--count", "-i", "-f", str(pats), str(corpus)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "1"


def test_list_indicators():
    code, out, _ = _run(["--list-indicators"])
    data = json.loads(out)
    assert code == 0 and data["version"] and data["indicators"][0]["explanation"]


def test_indicators_only_leaves_the_wording_model_out(tmp_path):
    text = ("Officers attended a car wash on Mill Road after a noise complaint. The workers are all men from abroad. "
            "One said the boss takes them to the site every morning and they sleep in a room at the back; he did not "
            "know the address.")
    src = _write(tmp_path / "in.jsonl", [json.dumps({"ref": "W1", "text": text})])
    _, out, _ = _run([str(src), "-q"])
    engine = json.loads(out)
    _, out, _ = _run([str(src), "-q", "--indicators-only"])
    alone = json.loads(out)
    assert engine["flagged"] and not alone["flagged"]
    assert [h["indicator"] for h in engine["hits"] if h["indicator"] == "wording_like_cases"] == ["wording_like_cases"]
    assert all(h["indicator"] != "wording_like_cases" for h in alone["hits"])
    code, out, _ = _run(["--list-indicators"])
    listing = json.loads(out)
    assert code == 0 and listing["wording_model"]
    assert [i["id"] for i in listing["indicators"][-3:]] == [
        "wording_like_cases", "wording_unlike_cases", "partner_signs_read_as_domestic_abuse"]


def test_navigator_screen_needs_no_settings_or_database(tmp_path):
    """The installed command runs the engine without starting Django: even settings that cannot load do not matter."""
    src = _write(tmp_path / "in.jsonl", [json.dumps({"ref": "A", "text": "The boss keeps her passport."})])
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "no.such.settings", "DATABASE_URL": "postgres://nowhere:1/none"}
    proc = subprocess.run([sys.executable, "-m", "navigator.cli", "screen", str(src), "-q"], capture_output=True,
                          text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["flagged"] is True


@pytest.mark.parametrize(("content", "message"), [
    ('ref,text\nC-1,"He said ""boss holds passport\nC-2,Noise complaint\nC-3,Lost dog\n',
     "line 2: a quote opened on this line is never closed"),
    ("ref,text\nA,Worker said, boss holds his passport and he cannot leave\n",
     "line 2: has more values than the header has columns"),
    ("ref,text,text\nA,x,y\n", "line 1, field 'text': the header names this column twice"),
])
def test_a_csv_that_would_lose_or_cut_narratives_is_refused(tmp_path, content, message):
    path = tmp_path / "in.csv"
    path.write_text(content, encoding="utf-8")
    code, out, err = _run([str(path)])
    assert code == 2 and message in err and out == ""


def test_a_csv_line_that_is_not_utf8_is_named(tmp_path):
    path = tmp_path / "in.csv"
    path.write_bytes(b"ref,text\n" + b"".join(b"R%d,Noise complaint\n" % n for n in range(30_000))
                     + b"BAD,Caf\xe9 visit\n")
    code, _, err = _run([str(path), "-q"])
    assert code == 2 and "line 30002: not valid UTF-8 text" in err


def test_output_never_overwrites_the_input_nor_stays_half_written(tmp_path):
    good = _write(tmp_path / "in.jsonl", [json.dumps({"ref": "R1", "text": "The boss keeps her passport."})])
    before = good.read_bytes()
    code, _, err = _run([str(good), "-o", str(good)])
    assert code == 2 and "is the input file" in err and good.read_bytes() == before

    lines = [json.dumps({"ref": f"R{n}", "text": "Noise"}) for n in range(5000)]
    bad = _write(tmp_path / "bad.jsonl", [*lines, "{bad"])
    out = tmp_path / "out.jsonl"
    code, _, err = _run([str(bad), "-o", str(out)])
    assert code == 2 and "line 5001" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.jsonl", "in.jsonl"], "no output, whole or partial"

    assert _run([str(good), "-o", str(out), "-q"])[0] == 0
    assert '"flagged":true' in out.read_text() and (out.stat().st_mode & 0o777) == 0o600, "results quote narratives"


@pytest.mark.parametrize("threshold", ["nan", "inf", "1e309", "0"])
def test_a_threshold_that_is_not_a_positive_number_is_refused(tmp_path, threshold):
    path = _write(tmp_path / "in.jsonl", [json.dumps({"ref": "R1", "text": "The boss keeps her passport."})])
    code, out, err = _run([str(path), "--threshold", threshold])
    assert code == 2 and "--threshold must be a positive number" in err and out == ""


def test_a_reader_that_stops_early_is_not_an_error(tmp_path):
    path = _write(tmp_path / "in.jsonl", [json.dumps({"ref": f"R{n}", "text": "The boss keeps her passport."})
                                          for n in range(50_000)])
    navigator = os.path.join(os.path.dirname(sys.executable), "navigator")
    proc = subprocess.run(f"{navigator} screen {path} | head -1", shell=True, capture_output=True, text=True,
                          executable="/bin/bash")
    assert proc.stdout.startswith('{"ref":"R0"') and "Traceback" not in proc.stderr and proc.stderr == ""


def test_output_through_a_link_or_to_a_device_is_written_where_it_points(tmp_path):
    import stat

    source = _write(tmp_path / "in.jsonl", [json.dumps({"ref": "A", "text": "The boss keeps her passport."})])
    target = tmp_path / "shared" / "results.jsonl"
    target.parent.mkdir()
    target.write_text("")
    link = tmp_path / "results.jsonl"
    link.symlink_to(target)
    assert _run([str(source), "-o", str(link), "-q"])[0] == 0
    assert link.is_symlink() and '"ref":"A"' in target.read_text(), "the link stays; the file it names gets results"
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE, text=True)
    assert _run([str(source), "-o", str(fifo), "-q"])[0] == 0
    assert '"ref":"A"' in reader.communicate(timeout=30)[0] and stat.S_ISFIFO(os.stat(fifo).st_mode)
    folder = tmp_path / "results"
    folder.mkdir()
    code, _, err = _run([str(source), "-o", str(folder)])
    assert code == 2 and "is a folder" in err and not list(tmp_path.glob(".*partial"))


def test_output_to_dev_stdout_reaches_a_pipe(tmp_path):
    """/dev/stdout on a pipe resolves to no file ("pipe:[...]"): the results go down the pipe all the same."""
    source = _write(tmp_path / "in.jsonl", [json.dumps({"ref": "A", "text": "The boss keeps her passport."})])
    proc = subprocess.run([sys.executable, "-m", "navigator.cli", "screen", str(source), "-o", "/dev/stdout", "-q"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["ref"] == "A" and json.loads(proc.stdout)["flagged"]
    assert not list(tmp_path.glob(".*partial"))


def test_a_csv_quote_never_closed_in_a_long_file_is_named_at_its_line(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text('ref,text\nC1,"He said boss holds passport\n'
                    + "".join(f"C{n},Noise complaint at a flat on the high street\n" for n in range(2, 5000)))
    code, _, err = _run([str(path), "-q"])
    assert code == 2 and "line 2: a quote opened on this line is never closed" in err


def _narratives():
    with open(os.path.join(os.path.dirname(__file__), "data", "dev4.jsonl"), encoding="utf-8") as lines:
        return [json.loads(line)["text"] for line in lines if line.strip()]


@pytest.mark.parametrize("shape", ["jsonl", "jsonl with escapes and other fields", "csv"])
def test_screening_in_several_processes_writes_what_one_writes(tmp_path, shape):
    narratives = _narratives()
    records = [(f"R{n}", narratives[n % len(narratives)]) for n in range(9000)]  # about 6 MB: three blocks or more
    if shape == "csv":
        import csv

        path = tmp_path / "in.csv"
        with path.open("w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows([("ref", "text"), *records])
    else:
        extra = {"force": "XX"} if shape != "jsonl" else {}
        path = _write(tmp_path / "in.jsonl", [
            json.dumps({"ref": ref, "text": text + ('\n"quoted"' if extra else ""), **extra}) for ref, text in records])
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    code, _, err = _run([str(path), "-o", str(one), "--jobs", "1"])
    assert code == 0 and "9000 records" in err and "processes" not in err, "--jobs 1 forks nothing"
    code, _, err = _run([str(path), "-o", str(two), "--jobs", "2"])
    assert code == 0 and "9000 records" in err and "2 processes" in err
    results = one.read_bytes()
    assert results == two.read_bytes() and results.count(b"\n") == 9000 and results.count(b'"flagged":true') > 1000
    code, flagged, _ = _run([str(path), "-q", "--jobs", "2", "--flagged-only"])
    assert code == 0 and flagged.encode() == b"".join(
        line + b"\n" for line in results.splitlines() if b'"flagged":true' in line)


def test_jobs_must_be_a_whole_number_of_processes(tmp_path):
    path = _write(tmp_path / "in.jsonl", [json.dumps({"ref": "A", "text": "The boss keeps her passport."})])
    for jobs in ("0", "-1", "two"):
        code, out, err = _run([str(path), "--jobs", jobs])
        assert code == 2 and "must be a whole number of processes" in err and out == ""


def test_standard_input_is_screened_in_several_processes_too(tmp_path):
    narratives = _narratives()
    lines = [json.dumps({"ref": f"R{n}", "text": narratives[n % len(narratives)]}) for n in range(9000)]
    stdin_text = "".join(line + "\n" for line in lines)
    code, one, _ = _run(["-", "-q", "--jobs", "1"], stdin_text)
    assert code == 0
    code, two, err = _run(["-", "--jobs", "2"], stdin_text)
    assert code == 0 and two == one and "2 processes" in err


def test_a_file_of_two_blocks_or_less_is_screened_without_forking(tmp_path):
    path = _write(tmp_path / "in.jsonl", [json.dumps({"ref": f"R{n}", "text": "Noise " * 100}) for n in range(5000)])
    code, _, err = _run([str(path), "--jobs", "8"])
    assert code == 0 and "5000 records" in err and "processes" not in err


class _KillsTheWorkerThatReadsIt:
    """A batch whose reading ends the process that reads it, as the OOM killer would."""

    def __reduce__(self):
        return os._exit, (9,)


def test_a_worker_that_dies_is_reported_not_waited_for():
    from navigator.screening.engine import Screener
    from navigator.screening.engine.forked import WorkerStopped
    from navigator.screening.engine.records import _formatted_in_processes

    batches = [(["A"], ["The boss keeps her passport."]), _KillsTheWorkerThatReadsIt(), (["C"], ["Lost dog."])]
    results = _formatted_in_processes(Screener(), batches, 2)
    assert '"ref":"A"' in next(results)[0]
    with pytest.raises(WorkerStopped, match="a screening process stopped before its work was done"):
        next(results)


def test_a_csv_row_over_several_lines_is_named_by_the_line_it_starts_on(tmp_path):
    path = tmp_path / "in.csv"
    path.write_bytes(b'ref,text\nA,Routine\n\nB,"First paragraph.\nSecond paragraph.\nCaf\xe9 visit."\n')
    code, _, err = _run([str(path), "-q"])
    assert code == 2 and "line 4: not valid UTF-8 text" in err


def test_a_csv_carriage_return_outside_quotes_that_would_cut_a_narrative_is_refused(tmp_path):
    path = tmp_path / "in.csv"
    path.write_bytes(b"ref,text\nA,Routine\nB,first part\rC,second part\n")
    code, out, err = _run([str(path), "-q"])
    assert code == 2 and "line 3: a carriage return (CR) outside quotes" in err and out == ""


@pytest.mark.parametrize("line_end", [b"\r", b"\r\n"], ids=["old-mac", "windows"])
def test_a_csv_whose_lines_end_in_carriage_returns_is_screened_with_them_inside_quotes(tmp_path, line_end):
    path = tmp_path / "in.csv"
    path.write_bytes(line_end.join([b"ref,text", b'A,"The boss keeps her passport.\rShe cannot leave."', b"B,x", b""]))
    code, out, err = _run([str(path), "-q"])
    assert code == 0, err
    assert [json.loads(line)["ref"] for line in out.splitlines()] == ["A", "B"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le"])
def test_a_utf16_csv_is_refused_as_utf16(tmp_path, encoding):
    path = tmp_path / "in.csv"
    path.write_text("ref,text\nA,The boss keeps her passport.\n", encoding=encoding)
    code, out, err = _run([str(path), "-q"])
    assert code == 2 and "line 1: the file is UTF-16 text, not UTF-8: save it as CSV UTF-8" in err and out == ""


LONE_SURROGATES = {"ref": "S\ud800",
                   "text": "She works 14 hours a day for no \udc00 pay and the boss keeps her passport."}


def _lone_surrogates_read_back(output):
    """The records of *output* written from LONE_SURROGATES, each as JSON that reads back as the same ref and hits."""
    rows = [json.loads(line) for line in output.splitlines() if line.startswith('{"ref":"S\\ud800"')]
    for row in rows:
        assert row["ref"] == LONE_SURROGATES["ref"] and row["flagged"]
        assert [hit["text"] for hit in row["hits"]] == [LONE_SURROGATES["text"][hit["start"]:hit["end"]]
                                                        for hit in row["hits"]]
        assert any("\udc00" in hit["text"] for hit in row["hits"])
    return rows


@pytest.mark.parametrize("jobs", ["1", "4"])
def test_a_lone_surrogate_escape_is_written_as_that_escape(tmp_path, jobs):
    """JSON may escape half a surrogate pair ("\\ud800"), which UTF-8 cannot encode: the results carry it as that
    escape again. Three blocks or more, each with such a record, so that --jobs 4 screens them in forked workers."""
    routine = json.dumps({"ref": "R", "text": "Routine burglary at a car wash overnight, till taken. " * 10})
    lines = [json.dumps(LONE_SURROGATES) if n % 500 == 0 else routine for n in range(12_000)]
    src = _write(tmp_path / "in.jsonl", lines)
    assert src.stat().st_size > 3 * (1 << 21)
    dst = tmp_path / "out.jsonl"
    code, _, err = _run([str(src), "--output", str(dst), "--jobs", jobs])
    assert code == 0, err
    assert len(_lone_surrogates_read_back(dst.read_text(encoding="utf-8"))) == 24
    assert jobs == "1" or " processes)" in err, "screened in forked workers"


def test_a_lone_surrogate_escape_is_written_to_standard_output_as_that_escape(tmp_path):
    src = _write(tmp_path / "in.jsonl", [json.dumps(LONE_SURROGATES)])
    proc = subprocess.run([sys.executable, "-m", "navigator.cli", "screen", str(src), "-q"], capture_output=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()
    assert len(_lone_surrogates_read_back(proc.stdout.decode("utf-8"))) == 1
