import numpy as np
import pytest

from navigator.estimation.mse import CaptureTable, TableError, read_table


def test_reads_file_and_fills_missing_histories(data_dir):
    t = read_table(data_dir / "western.csv")
    assert t.lists == ("A", "B", "C", "D", "E")
    assert t.observed == 345
    assert len(t.counts) == 31
    assert t.counts[0b10101 - 1] == 1  # A, C, E
    assert t.counts[0b00011 - 1] == 0  # A, B never seen


def test_reads_text_and_path_string(data_dir):
    text = (data_dir / "new_orleans_5.csv").read_text()
    assert read_table(text).observed == 185
    assert read_table(str(data_dir / "new_orleans_5.csv")).observed == 185


def test_headerless_gets_letter_names():
    t = read_table("1,0,5\n0,1,7\n1,1,2\n")
    assert t.lists == ("A", "B")
    assert t.observed == 14


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ("A,B,count\n1,0,3\n0,2,4\n", ["row 3", "column 2", "'B'", "0 or 1"]),
        ("A,B,count\n1,0,3\n0,0,4\n", ["row 3", "no list"]),
        ("A,count\n1,3\n", ["at least 2 lists"]),
        ("A,B,count\n1,0,-3\n", ["row 2", "column 3", "negative"]),
        ("A,B,count\n1,0,2.5\n", ["row 2", "column 3", "whole number"]),
        ("A,B,count\n1,0,x\n", ["row 2", "column 3", "not a number"]),
        ("A,B,count\n1,0,3\n0,1,1\n1,0,4\n", ["row 4", "repeated", "row 2"]),
        ("A,B,count\n1,0\n", ["row 2", "expected 3 columns"]),
        ("A,B,total\n1,0,3\n", ["row 1", "column 3", "count"]),
        ("A,A,count\n1,0,3\n", ["row 1", "column 2", "repeated"]),
        ("", ["empty"]),
        ("\n\n", ["empty"]),
        ("A,B,count\n", ["no rows"]),
        ("A,B,count\n1,0,0\n", ["no one"]),
    ],
)
def test_errors_name_row_and_column(text, fragments):
    with pytest.raises(TableError) as info:
        read_table(text)
    for fragment in fragments:
        assert fragment in info.value.message


def test_too_many_lists():
    header = ",".join(f"L{i}" for i in range(11)) + ",count\n"
    with pytest.raises(TableError, match="at most 10"):
        read_table(header + ",".join(["1"] + ["0"] * 10) + ",3\n")


def test_unreadable_file(tmp_path):
    with pytest.raises(TableError, match="cannot read"):
        read_table(tmp_path / "missing.csv")
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\xff\xfe\x00\x01garbage")
    with pytest.raises(TableError):
        read_table(bad)
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(TableError, match="empty"):
        read_table(empty)


def test_drop_lists_and_histories():
    t = CaptureTable.from_histories(["A", "B", "C"], [((1, 0, 0), 5), ((1, 1, 0), 2), ((0, 0, 1), 3)])
    assert t.histories() == [((1, 0, 0), 5), ((1, 1, 0), 2), ((0, 0, 1), 3)]
    t2 = t.drop_lists(["B"])
    assert t2.lists == ("A", "C")
    assert np.array_equal(t2.counts, [7, 3, 0])
