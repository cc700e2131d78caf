"""The evaluators' "potential cases analysed" table cannot be worked back to a small count: an attacker who knows how
the table adds up (a force's total is the sum of its months, its potential cases are part of that total and the rest
are records decided otherwise, the grand total is the sum of the forces') and takes every figure shown, solves for
the least and the greatest value each hidden or derived count can have. A count from 1 to 4 must keep the four values
"<5" allows, and no withheld figure may be recovered."""
import csv
import datetime
import io
import random

import numpy as np
import pytest
from django.core.management import call_command
from django.urls import reverse
from scipy.optimize import Bounds, LinearConstraint, milp

from navigator.core.models import Role
from navigator.screening import services
from navigator.screening.models import PoliceRecord, TriageDecision

from ..conftest import make_user
from .test_import_triage import ORDINARY, _record, _table_shown, _write

MONTHS = [datetime.date(2025, month, 1) for month in range(1, 13)]
YEARS = range(2020, 2026)  # the calendar years an evaluator can choose (2020 to last year)


def _decide(tmp_path, forces, years: dict[int, dict[str, dict[int, tuple[int, int]]]]) -> None:
    """Decisions as *years* gives them: for each year, force code and month, (potential, decided otherwise)."""
    navigator = make_user("nav.everywhere", Role.NAVIGATOR, [forces[code] for code in
                                                            {code for table in years.values() for code in table}])
    planned = {}
    for year, table in years.items():
        for code, months in table.items():
            for month, (potential, otherwise) in months.items():
                for n in range(potential + otherwise):
                    planned[(code, f"{code}-{year}-{month:02d}-{n:03d}")] = (
                        "potential" if n < potential else "not_ms", datetime.datetime(year, month, 10,
                                                                                       tzinfo=datetime.UTC))
    for code in {code for code, _ in planned}:
        call_command("records", "import", str(_write(tmp_path / f"{code}.jsonl", [
            _record(ref, ORDINARY, force=code) for force, ref in planned if force == code])), "--force", code)
    for record in PoliceRecord.objects.select_related("force"):
        decision, decided_at = planned[(record.force.code, record.ref)]
        made = services.decide(actor=navigator, record=record, decision=decision, reason="Read it")
        TriageDecision.objects.filter(pk=made.pk).update(decided_at=decided_at)


def _published(client, year: int) -> tuple[str, list[list[str]]]:
    """The evaluator's table for *year* as downloaded (the page shows the same): its grand total and rows."""
    page = client.get(reverse("screening:summary"), {"year": str(year)}).content.decode()
    response = client.get(reverse("screening:summary-csv"), {"year": str(year)})
    title, *table = list(csv.reader(io.StringIO(response.content.decode())))
    assert table == _table_shown(page), "the page shows the table downloaded"
    grand_total = title[0].split(": ", 1)[1].split(" records analysed")[0]
    return grand_total, table


def _ranges(grand_total: str, table: list[list[str]], asked: dict[str, np.ndarray]) -> dict[str, tuple[float, float]]:
    """The least and greatest value of each of *asked* (a combination of the table's cells) that whole counts
    agreeing with every figure shown can give it."""
    header, *rows = table
    width = len(header) - 1  # per force: total, potential, months
    size = width * len(rows) + 1  # and the grand total, last
    equal, below = [], []
    for r in range(len(rows)):
        total = np.zeros(size)
        total[r * width] = 1
        total[r * width + 2:r * width + width] = -1
        equal.append(total)  # a force's total is the sum of its months
        part = np.zeros(size)
        part[r * width + 1], part[r * width] = 1, -1
        below.append(part)  # its potential cases are part of its total
    grand = np.zeros(size)
    grand[-1] = 1
    grand[[r * width for r in range(len(rows))]] = -1
    equal.append(grand)
    lower, upper = np.zeros(size), np.full(size, np.inf)
    shown = [cell for row in rows for cell in row[1:]] + [grand_total]
    for i, cell in enumerate(shown):
        if cell == "<5":
            lower[i], upper[i] = 1, 4
        elif cell != "[c]":
            lower[i] = upper[i] = int(cell)
    constraints = [LinearConstraint(np.array(equal), 0, 0), LinearConstraint(np.array(below), -np.inf, 0)]
    ranges = {}
    for name, combination in asked.items():
        least, greatest = (milp(sign * combination, constraints=constraints, integrality=np.ones(size),
                                bounds=Bounds(lower, upper)) for sign in (1, -1))
        assert least.status == 0, f"the figures shown do not add up: {name}"
        ranges[name] = (round(least.fun), round(-greatest.fun) if greatest.status == 0 else np.inf)
    return ranges


def _attack(grand_total: str, table: list[list[str]], truth: dict[str, dict]) -> list[str]:
    """Every count the table lets a reader work out or narrow below what "<5" allows, named with its range."""
    header, *rows = table
    width = len(header) - 1
    size = width * len(rows) + 1
    cells, asked, actual = {}, {}, {}
    for r, row in enumerate(rows):
        force = truth[row[0]]
        for c, (name, value) in enumerate([("total", force["total"]), ("potential", force["potential"]),
                                           *((month, n) for month, n in zip(header[3:], force["months"],
                                                                            strict=True))]):
            key = f"{row[0]} {name}"
            asked[key] = np.eye(size)[r * width + c]
            actual[key], cells[key] = value, row[c + 1]
        asked[f"{row[0]} decided otherwise"] = asked[f"{row[0]} total"] - asked[f"{row[0]} potential"]
        actual[f"{row[0]} decided otherwise"] = force["total"] - force["potential"]
    asked["grand total"] = np.eye(size)[-1]
    actual["grand total"], cells["grand total"] = sum(force["total"] for force in truth.values()), grand_total
    leaks = []
    for key, (least, greatest) in _ranges(grand_total, table, asked).items():
        shown = cells.get(key)
        assert shown in (None, "<5", "[c]") or int(shown) == actual[key], f"{key} is shown wrong"
        if shown in ("<5", "[c]") and least == greatest:
            leaks.append(f"{key} ({shown}) is recovered as {least}")
        elif 1 <= actual[key] <= 4 and greatest - least < 3:
            leaks.append(f"{key} ({actual[key]}, shown as {shown or 'nothing'}) is narrowed to {least}-{greatest}")
    return leaks


def _truth(table: dict[str, dict[int, tuple[int, int]]], forces) -> dict[str, dict]:
    """The exact figures of one year's table, by force name, months newest first as the table has them."""
    truth = {}
    for code, months in table.items():
        counts = [sum(months.get(month, (0, 0))) for month in range(12, 0, -1)]
        if sum(counts):
            truth[forces[code].name] = {"total": sum(counts), "months": counts,
                                        "potential": sum(potential for potential, _ in months.values())}
    return truth


def test_the_reported_tables_give_nothing_away(client, login, people, forces, tmp_path):
    """Surrey: a total of 8 beside 7 potential cases gave away 1 decided otherwise. Greater Manchester: a withheld
    total beside 13 potential cases and February's 10 made the hidden month 3 or 4."""
    years = {2025: {"SRY": {3: (7, 1)}, "GMP": {2: (10, 0), 6: (3, 1)}}}
    _decide(tmp_path, forces, years)
    login(people["evaluator"])
    grand_total, table = _published(client, 2025)
    assert _attack(grand_total, table, _truth(years[2025], forces)) == []
    rows = {row[0]: row for row in table[1:]}
    assert rows["Surrey Police"][2] == "[c]" and rows["Greater Manchester Police"][2] == "[c]"
    assert rows["Greater Manchester Police"][1] == "[c]" and grand_total == "[c]"


def _generated(seed: int) -> dict[int, dict[str, dict[int, tuple[int, int]]]]:
    """A year of decisions for each year an evaluator can choose, in two to four forces: many months with a few
    decisions, some with none, some busy, and forces deciding most, some or none of their records potential."""
    rng = random.Random(seed)
    years = {}
    for year in YEARS:
        table = {}
        for code in rng.sample(["ESX", "GMP", "SRY", "KNT", "SSX"], rng.randint(2, 4)):
            share = rng.choice([0, 0.3, 0.8, 1])
            months = {}
            for month in range(1, 13):
                n = rng.choice([0, 0, 0, 1, 1, 2, 3, 4, 5, 6, 9, 12])
                potential = sum(rng.random() < share for _ in range(n))
                if n:
                    months[month] = (potential, n - potential)
            table[code] = months
        years[year] = table
    return years


@pytest.mark.parametrize("seed", range(4))
def test_no_small_count_can_be_worked_out_of_generated_tables(client, login, people, forces, tmp_path, seed):
    years = _generated(seed)
    _decide(tmp_path, forces, years)
    login(people["evaluator"])
    for year, table in years.items():
        grand_total, shown = _published(client, year)
        assert _attack(grand_total, shown, _truth(table, forces)) == [], year
