"""Untrusted files are read in a separate worker process with limits (issue 12, finding 1):
a file that allocates without bound, spins, crashes a reader or sends back too much is refused
with one sentence naming the limit, in bounded time, and the caller (the server, ``etl load``)
carries on. Misbehaviour the file formats cannot yet trigger on demand is injected through
``read_isolated``'s test-only ``_misbehave`` argument; real bombs are refused by the limits too."""

from __future__ import annotations

import resource
import threading
import time
from pathlib import Path

import pytest
import xlsxwriter

from etl import sandbox
from etl.pipeline import read_file
from etl.sandbox import WorkerLimits, read_isolated
from tests.conftest import run_cli, warehouse_env
from tests.files import LOAN_HEADER, write_csv, write_xlsx

FAST = WorkerLimits(memory_mb=256, seconds=3, result_mb=64)
ADVICE = "Simpan ulang hanya tabel laporannya sebagai .xlsx, lalu unggah lagi."


def recap(path: Path) -> Path:
    return write_xlsx(path, {"Peminjaman": [["Fasilitas", "Bulan", "Kategori", "Jumlah Peminjaman"],
                                            ["Rutan Kelas IIB Rantau", "Agustus 2024", "Agama", 10]]})


def loans_csv(path: Path, rows: int) -> Path:
    """A loan list of ``rows`` rows (all valid) for Lapas Banjarmasin."""
    body = [["Lapas Kelas IIA Banjarmasin", f"{1 + k % 28:02d}/08/2024", f"B{k:07d}", f"Judul Buku Nomor {k}",
             "Agama", f"{1000 + k % 700}", f"Anggota {k % 700}", "", "Dipinjam"] for k in range(rows)]
    return write_csv(path, [LOAN_HEADER, *body])


def xfd_bomb(path: Path) -> Path:
    """A 5 KB xlsx whose only cell is at XFD1048576: a reader that sizes its grid from it asks for 512 GB."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Peminjaman")
    sheet.write_string(0, 0, "Fasilitas")
    sheet.write_string(1048575, 16383, "x")
    book.close()
    return path


def read(path: Path, opts, limits: WorkerLimits = FAST, **kw):
    outcome: list = []
    start = time.monotonic()
    result = read_isolated(path, opts, limits=limits, _outcome=outcome, **kw)
    return result, outcome[0], time.monotonic() - start


def texts(result) -> list[str]:
    return [p.text() for p in result.problems]


def test_an_honest_file_reads_the_same_in_the_worker(opts, tmp_path):
    path = loans_csv(tmp_path / "lapas-banjarmasin_peminjaman.csv", 500)
    inside = read_file(path, opts)
    result, outcome, _ = read(path, opts)
    assert outcome.status == "ok"
    assert result.data == path.read_bytes()
    assert (result.name, result.format, result.sha256, result.size) == (inside.name, inside.format, inside.sha256,
                                                                        inside.size)
    assert texts(result) == texts(inside)
    assert len(result.records("loans")) == 500
    assert result.records("loans").equals(inside.records("loans"))
    assert result.cell_counts("loans") == inside.cell_counts("loans")
    assert outcome.info["size"] > 0 and outcome.info["grew_mb"] < 256


def test_allocating_without_bound_is_refused_by_the_memory_limit(opts, tmp_path):
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result, outcome, took = read(recap(tmp_path / "r.xlsx"), opts, _misbehave="allocate")
    assert outcome.status == "memory"
    assert texts(result) == [f"Berkas 'r.xlsx': berkas terlalu besar atau rusak: pembacaannya melewati batas memori "
                             f"256 MB. {ADVICE}"]
    assert result.problems[0].text("en") == (
        "File 'r.xlsx': the file is too large or damaged: reading it went past the memory limit of 256 MB. "
        "Save only the report's table as .xlsx and upload again.")
    assert result.sheets == [] and took < 3
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100 * 1024  # the caller did not grow


def test_memory_limit_in_thousands_is_written_the_indonesian_way(opts, tmp_path):
    result, outcome, _ = read(recap(tmp_path / "r.xlsx"), opts, WorkerLimits(memory_mb=1024, seconds=10), _misbehave="abort")
    assert outcome.status == "memory"  # an abort is how Rust ends when an allocation fails
    assert "melewati batas memori 1.024 MB." in texts(result)[0]
    assert "memory limit of 1,024 MB." in result.problems[0].text("en")


@pytest.mark.parametrize("kind", ["spin", "sleep"])
def test_a_read_that_does_not_end_is_killed_at_the_time_limit(opts, tmp_path, kind):
    result, outcome, took = read(recap(tmp_path / "r.xlsx"), opts, WorkerLimits(memory_mb=256, seconds=1), _misbehave=kind)
    assert outcome.status == "time"
    assert texts(result) == [f"Berkas 'r.xlsx': berkas terlalu besar atau rusak: pembacaannya melewati batas waktu "
                             f"1 detik. {ADVICE}"]
    assert 0.9 < took < 2.5
    assert sandbox.refused("x.csv", "time", WorkerLimits(seconds=1.5)).problems[0].text().count("batas waktu 1,5 detik") == 1


def test_a_result_beyond_the_result_limit_is_refused(opts, tmp_path):
    path = loans_csv(tmp_path / "lapas-banjarmasin_peminjaman.csv", 20_000)
    result, outcome, _ = read(path, opts, WorkerLimits(memory_mb=512, seconds=20, result_mb=1))
    assert outcome.status == "result" and outcome.info["size"] > 1024 * 1024
    assert texts(result) == [
        "Berkas 'lapas-banjarmasin_peminjaman.csv': berkas terlalu besar atau rusak: hasil bacaannya melewati batas "
        "1 MB. Simpan ulang hanya tabel laporannya sebagai .xlsx, atau bagi menjadi beberapa berkas."]
    result, outcome, _ = read(recap(tmp_path / "r.xlsx"), opts, WorkerLimits(memory_mb=256, seconds=5, result_mb=2),
                              _misbehave="big")
    assert outcome.status == "result"


def test_an_unexpected_exception_is_one_sentence_and_the_traceback_goes_to_the_log(opts, tmp_path, capfd):
    result, outcome, _ = read(recap(tmp_path / "r.xlsx"), opts, _misbehave="raise")
    assert outcome.status == "failed"
    assert texts(result) == [f"Berkas 'r.xlsx': berkas terlalu besar atau rusak: pembacaannya gagal. {ADVICE}"]
    err = capfd.readouterr().err
    assert "RuntimeError: an unexpected failure inside the reader" in err and "Traceback" in err


def test_real_bombs_are_refused_by_the_limits_alone(opts, tmp_path):
    """Without any bound in the readers, the worker's limits refuse each bomb in bounded time
    (once the readers bound the grid, they refuse it sooner with their own sentence)."""
    html = tmp_path / "span.html"
    html.write_text('<table><tr><td colspan="100000" rowspan="100000">x</td></tr><tr><td>y</td></tr></table>')
    cell = tmp_path / "sel.csv"
    cell.write_bytes(b"Fasilitas;Judul\r\nRutan Rantau;" + b"A" * (30 * 1024 * 1024) + b"\r\n")
    limits = WorkerLimits(memory_mb=256, seconds=1.5)
    for path in (xfd_bomb(tmp_path / "xfd.xlsx"), html, cell):
        result, outcome, took = read(path, opts, limits)
        assert len(result.errors) == 1 and result.sheets == [], (path.name, texts(result))
        assert outcome.status in ("ok", "memory", "time"), (path.name, outcome)
        assert took < limits.seconds + 1.5, (path.name, took)
    result, outcome, took = read(tmp_path / "xfd.xlsx", opts)
    if outcome.status != "ok":  # no reader bound yet: the memory limit stops it at once
        assert outcome.status == "memory" and took < 1.5
        assert texts(result)[0].startswith("Berkas 'xfd.xlsx': berkas terlalu besar atau rusak: pembacaannya "
                                           "melewati batas memori 256 MB.")


def test_parallel_reads_and_no_leftover_processes(opts, tmp_path):
    import multiprocessing

    paths = [loans_csv(tmp_path / f"lapas-banjarmasin_{k}.csv", 50 + k) for k in range(3)]
    results: dict[int, object] = {}

    def work(k):  # the third never ends and is killed at its own one second (FAST's three for the others)
        results[k] = read(paths[k], opts, WorkerLimits(memory_mb=256, seconds=1) if k == 2 else FAST,
                          _misbehave="spin" if k == 2 else None)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [results[k][1].status for k in range(3)] == ["ok", "ok", "time"]
    assert [len(results[k][0].records("loans")) for k in range(2)] == [50, 51]
    assert multiprocessing.active_children() == []
    time.sleep(0.2)
    from multiprocessing import forkserver

    server = forkserver._forkserver._forkserver_pid
    children = Path(f"/proc/{server}/task/{server}/children").read_text().split()
    zombies = [c for c in children if Path(f"/proc/{c}/stat").exists()
               and Path(f"/proc/{c}/stat").read_text().split(") ")[1].startswith("Z")]
    assert zombies == []


def test_etl_load_refuses_a_bomb_with_one_line_and_changes_nothing(env):
    from warehouse.ingest import load_paths
    from warehouse.db import release
    from warehouse.queries import batches, summary

    good = recap(env / "rantau.xlsx")
    assert load_paths([str(good)], out=lambda line: None) == 0
    before = (summary(), batches(50))
    release()
    bomb = xfd_bomb(env / "bom.xlsx")
    start = time.monotonic()
    # the command line in this process (tests/conftest.py run_cli); the files are still read by the sandboxed worker
    run = run_cli({**warehouse_env(env), "PANTAU_PARSE_MEMORY_MB": "300"}, "load", str(bomb), str(good))
    assert time.monotonic() - start < 30
    assert run.returncode == 1
    lines = run.stdout.splitlines()
    assert lines[0].startswith("== bom.xlsx")
    refusal = [line for line in lines if "bom.xlsx" in line and "terlalu besar atau rusak" in line]
    assert len(refusal) == 1, lines
    if "batas memori" in refusal[0]:  # (not once the readers bound the grid themselves)
        assert refusal[0] == ("  Berkas 'bom.xlsx': berkas terlalu besar atau rusak: pembacaannya melewati batas memori "
                              f"300 MB. {ADVICE}")
    assert "Traceback" not in run.stdout + run.stderr
    assert "== rantau.xlsx" in run.stdout  # the next file was still read
    assert (summary(), batches(50)) == before
