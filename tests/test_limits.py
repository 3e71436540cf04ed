"""Size limits: a file, a cell and the whole data are each refused with a message that
says which limit, and a huge file is refused by its size before it is read."""
from __future__ import annotations

import time
import tracemalloc

from bad_inputs import GOOD_ROW, HEADER
from conftest import run_kbgen
from kbgen.build import build
from kbgen.diagnostics import Report
from kbgen.project import MAX_DATA_BYTES
from kbgen.sources.sheet import MAX_CELL_CHARS, read_sheet
from kbgen.sources.text import MAX_FILE_BYTES
from kbgen.sources.yamlfile import MAX_YAML_BYTES
from test_bad_input import make_project

MB = 1024 * 1024


def sparse(path, size: int, head: bytes = b"") -> None:
    """A file of `size` bytes that takes no disk space: the reader must not read it."""
    with open(path, "wb") as fh:
        fh.write(head)
        fh.truncate(size)


def test_the_limits_are_what_the_readme_says():
    assert (MAX_FILE_BYTES, MAX_CELL_CHARS, MAX_YAML_BYTES, MAX_DATA_BYTES) == (32 * MB, 65_536, MB, 64 * MB)


def test_a_100_mb_sheet_is_refused_by_its_size_without_reading_it(tmp_path):
    path = tmp_path / "huge.csv"
    sparse(path, 100 * MB, HEADER.encode())
    report = Report()
    tracemalloc.start()
    start = time.perf_counter()
    sheet = read_sheet(str(path), report, "data/huge.csv")
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert sheet is None
    assert [d.format() for d in report.items] == [
        "data/huge.csv: error: file is 104,857,600 bytes, over the limit of 33,554,432 "
        "(split the sheet or remove unused rows and columns)"]
    assert peak < MB, f"{peak:,} bytes allocated: the file was read"
    assert seconds < 2  # loose: a stat, no read (reading 100 MB takes far longer on a loaded machine)


def test_kbgen_build_refuses_100_mb_of_data_before_hashing_it(tmp_path):
    make_project(tmp_path, {})
    sparse(tmp_path / "data" / "ai.csv", 100 * MB, (HEADER + GOOD_ROW).encode())
    report_lines = []
    tracemalloc.start()
    result = build(str(tmp_path / "kbgen.yml"), str(tmp_path / "out"))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    report_lines = [d.format() for d in result.report.items]
    assert report_lines == [
        "kbgen.yml: error: the data files add up to 104,857,600 bytes, over the limit of 67,108,864; "
        "largest: data/ai.csv (104,857,600 bytes) "
        "(remove unused rows, columns and files, or split the data into several projects)"]
    assert peak < 2 * MB, f"{peak:,} bytes allocated"
    assert not (tmp_path / "out").exists()


def test_the_whole_data_has_a_limit_beyond_each_file(tmp_path):
    files = {"kbgen.yml": "subjects:\n  - {id: ai, title: AI, csv: data/ai.csv, topics: data/topics}\n"
                          "exams: data/exams.csv\n"}
    make_project(tmp_path, files)
    sparse(tmp_path / "data" / "ai.csv", 30 * MB, (HEADER + GOOD_ROW).encode())  # each under its own limit
    sparse(tmp_path / "data" / "exams.csv", 30 * MB, "회차,교시,번호,문제,토픽\n".encode())
    for i in range(5):
        sparse(tmp_path / "data" / "topics" / f"t{i}.yml", MB - 1, b"title: x\n")
    result = run_kbgen("lint", cwd=str(tmp_path))
    assert result.returncode == 2
    assert result.stdout.splitlines()[0] == (
        "kbgen.yml: error: the data files add up to 68,157,435 bytes, over the limit of 67,108,864; largest: "
        "data/ai.csv (31,457,280 bytes), data/exams.csv (31,457,280 bytes), data/topics/t0.yml (1,048,575 bytes) "
        "(remove unused rows, columns and files, or split the data into several projects)")
    assert "Traceback" not in result.stderr


def test_a_topic_file_over_1_mb_is_refused(tmp_path):
    make_project(tmp_path, {})
    sparse(tmp_path / "data" / "topics" / "t.yml", MB + 1, b"title: x\n")
    result = run_kbgen("lint", cwd=str(tmp_path))
    assert result.returncode == 2
    assert ("data/topics/t.yml: error: file is 1,048,577 bytes, over the limit of 1,048,576 "
            "(split the sheet or remove unused rows and columns)") in result.stdout
