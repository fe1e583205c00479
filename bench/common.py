"""What every benchmark shares: timing with warm-up and repeats, the results
table, the machine description and the RESULTS.md writer.

A workload is a module in ``bench/`` with ``NAME``, ``DESCRIPTION`` and
``run(size, work) -> list[Row]``, listed in ``bench.__main__.WORKLOADS``.
``size`` is ``"smoke"`` (tiny, so a CI test runs every benchmark in seconds)
or ``"full"``; ``work`` is ``bench/work/`` (git-ignored) for generated inputs.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import platform
import statistics
import sys
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work"
SIZES = ("smoke", "full")
LIBRARIES = ("pandas", "pyarrow", "numpy", "fastexcel", "python-calamine", "openpyxl", "xlsxwriter", "duckdb")


@dataclass
class Timing:
    """Wall-clock seconds of the measured runs (after the warm-up runs)."""
    runs: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def min(self) -> float:
        return min(self.runs)

    @property
    def max(self) -> float:
        return max(self.runs)

    def __str__(self) -> str:
        if self.max < 1:  # short figures read better in milliseconds
            if len(self.runs) == 1:
                return f"{self.median * 1000:.1f} ms"
            return f"{self.median * 1000:.1f} ms ({self.min * 1000:.1f}–{self.max * 1000:.1f})"
        if len(self.runs) == 1:
            return f"{self.median:.3f} s"
        return f"{self.median:.3f} s ({self.min:.3f}–{self.max:.3f})"


@dataclass
class Amount:
    """A figure that is not a time (peak memory); ``limit``s are in its unit."""
    value: float
    unit: str = "MB"

    @property
    def median(self) -> float:
        return self.value

    @property
    def max(self) -> float:
        return self.value

    def __str__(self) -> str:
        return f"{self.value:,.0f} {self.unit}"


def measure(fn: Callable[[], object], warmup: int = 1, repeats: int = 5) -> Timing:
    """Run ``fn`` ``warmup`` times untimed, then ``repeats`` times timed."""
    for _ in range(warmup):
        fn()
    runs = []
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return Timing(runs)


def measure_pair(ours: Callable[[], object], baseline: Callable[[], object], warmup: int = 1,
                 repeats: int = 5) -> tuple[Timing, Timing, list[float]]:
    """Time ``ours`` and ``baseline`` alternately, so a busy machine slows
    both alike; also returns the ratio of each pair of runs."""
    for _ in range(warmup):
        baseline()
        ours()
    a, b = [], []
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        baseline()
        b.append(time.perf_counter() - start)
        gc.collect()
        start = time.perf_counter()
        ours()
        a.append(time.perf_counter() - start)
    return Timing(a), Timing(b), [x / y for x, y in zip(a, b)]


@dataclass
class Row:
    """One line of the results table. ``ratio`` = ours / baseline. The target is
    a ceiling on the ratio (``target``), on ours' median (``limit``, in seconds
    or in the Amount's unit), or both; no target: informational. ``baseline``
    may be None where nothing compares (a generation time)."""
    workload: str
    figure: str
    ours: "Timing | Amount"
    baseline: "Timing | Amount | None"
    ratio: float | None
    target: float | None = None
    notes: list[str] = field(default_factory=list)
    judged: bool = True   # smoke-size figures measure overheads, not the workload: never judged
    limit: float | None = None
    target_text: str | None = None   # how the target reads, when the default does not say it well

    @property
    def met(self) -> str:
        if not self.judged:
            return "n/a (smoke)"
        if self.target is None and self.limit is None:
            return "–"
        ok = True
        if self.target is not None:
            ok &= self.ratio is not None and self.ratio <= self.target
        if self.limit is not None:
            ok &= self.ours.median <= self.limit
        return "yes" if ok else "NO"

    def target_cell(self) -> str:
        if self.target_text:
            return self.target_text
        parts = []
        if self.limit is not None:
            if isinstance(self.ours, Amount):
                parts.append(f"≤ {self.limit:,.0f} {self.ours.unit}")
            elif self.limit < 1:
                parts.append(f"≤ {self.limit * 1000:g} ms")
            else:
                parts.append(f"≤ {self.limit:g} s")
        if self.target is not None:
            parts.append(f"≤ {self.target:g}×")
        return ", ".join(parts) or "–"

    def shortfall(self) -> str:
        """By how much a missed target was missed."""
        parts = []
        if self.limit is not None and self.ours.median > self.limit:
            unit = self.ours.unit if isinstance(self.ours, Amount) else "s"
            parts.append(f"{self.ours.median:,.3g} {unit} against {self.limit:,.3g} {unit}: "
                         f"{self.ours.median / self.limit:.1f}× the limit")
        if self.target is not None and self.ratio is not None and self.ratio > self.target:
            parts.append(f"ratio {self.ratio:.2f}× against {self.target:g}×: {self.ratio / self.target:.1f}× the target")
        return "; ".join(parts)

    def cells(self) -> list[str]:
        ratio = f"{self.ratio:.2f}×" if self.ratio is not None else "–"
        baseline = str(self.baseline) if self.baseline is not None else "–"
        return [self.workload, self.figure, str(self.ours), baseline, ratio, self.target_cell(), self.met]


HEADER = ["workload", "figure", "ours", "baseline", "ratio", "target", "met"]


def table(rows: list[Row]) -> str:
    """A Markdown table (readable as plain text too)."""
    lines = [HEADER] + [r.cells() for r in rows]
    widths = [max(len(line[i]) for line in lines) for i in range(len(HEADER))]

    def fmt(cells):
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths)) + " |"

    return "\n".join([fmt(HEADER), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(fmt, lines[1:])])


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "?"


def machine() -> dict[str, str]:
    versions = []
    for name in LIBRARIES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            pass
    try:
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load = "?"
    return {"CPU": _cpu_model(), "cores": str(os.cpu_count()), "RAM": _ram(),
            "OS": f"{platform.system()} {platform.release()}",
            "Python": f"{platform.python_implementation()} {platform.python_version()}",
            "libraries": ", ".join(versions), "load average at start (1, 5, 15 min)": load}


def render_results(rows: list[Row], command: str, size: str, descriptions: dict[str, str], info: dict[str, str],
                   gaps: dict[str, str] | None = None) -> str:
    """RESULTS.md's text for one run."""
    lines = ["# Benchmarks", "",
             "Generated by `python -m bench`; do not edit by hand. Each figure is the median of the timed runs "
             "(min–max in brackets) after a warm-up run; ours and the baseline are timed alternately so that a "
             "busy machine slows both alike, and the ratio is the median of the per-pair ratios.", "",
             f"- Command: `{command}`", f"- Size: `{size}`", f"- Date: {dt.datetime.now():%Y-%m-%d %H:%M}"]
    lines += [f"- {k}: {v}" for k, v in info.items()]
    lines += ["", table(rows), ""]
    missed = [r for r in rows if r.met == "NO"]
    if missed:
        lines += [MISSED, ""]
        lines += [f"- {r.workload}, {r.figure}: {r.shortfall()}." for r in missed]
        lines.append("")
        for name in dict.fromkeys(r.workload for r in missed):
            if (gaps or {}).get(name):
                lines += [f"### {name}", "", gaps[name].strip(), ""]
    for name, text in descriptions.items():
        lines += [f"## {name}", "", text.strip(), ""]
        notes = [n for r in rows if r.workload == name for n in r.notes]
        lines += [f"- {n}" for n in notes]
        if notes:
            lines.append("")
    return "\n".join(lines)


MISSED = "## Targets missed: by how much, why, and what would close the gap"


def write_results(path: Path, rows: list[Row], command: str, size: str, descriptions: dict[str, str],
                  info: dict[str, str], gaps: dict[str, str] | None = None) -> None:
    path.write_text(render_results(rows, command, size, descriptions, info, gaps), encoding="utf-8")


@dataclass
class _Parsed:
    head: list[str]                       # the lines above the table
    rows: list[list[str]]                 # the table's cells
    missed: list[str]                     # the missed targets' bullets
    gaps: list[tuple[str, str]]           # (workload, its '### workload' text) under the missed targets
    sections: list[tuple[str, str]]       # (title, the '## title' section's text), in order


def _parse(text: str) -> _Parsed:
    lines = text.split("\n")
    top = next(i for i, line in enumerate(lines) if line.startswith("| workload | figure"))
    end = next((i for i in range(top, len(lines)) if not lines[i].startswith("|")), len(lines))
    rows = [[c.strip() for c in line.split("|")[1:-1]] for line in lines[top + 2:end]]
    parsed = _Parsed(lines[:top], rows, [], [], [])
    title, body = None, []
    chunks: list[tuple[str, list[str]]] = []
    for line in lines[end:]:
        if line.startswith("## "):
            if title is not None:
                chunks.append((title, body))
            title, body = line[3:].strip(), [line]
        elif title is not None:
            body.append(line)
    if title is not None:
        chunks.append((title, body))
    for title, body in chunks:
        if "## " + title != MISSED:
            parsed.sections.append((title, "\n".join(body).rstrip() + "\n"))
            continue
        sub, sub_body = None, []
        for line in body[1:]:
            if line.startswith("### "):
                if sub is not None:
                    parsed.gaps.append((sub, "\n".join(sub_body).rstrip() + "\n"))
                sub, sub_body = line[4:].strip(), [line]
            elif sub is not None:
                sub_body.append(line)
            elif line.startswith("- "):
                parsed.missed.append(line)
        if sub is not None:
            parsed.gaps.append((sub, "\n".join(sub_body).rstrip() + "\n"))
    return parsed


def merge_results(path: Path, rows: list[Row], command: str, size: str, descriptions: dict[str, str],
                  info: dict[str, str], gaps: dict[str, str] | None = None) -> None:
    """Write a partial run (``--only``) into the recorded results: its workloads' rows, missed targets and
    sections replace theirs (or are added); every other workload keeps its recorded figures, and the
    header gains a line saying which workloads were run when. Without a recorded file: a whole write."""
    if not path.exists() or "| workload | figure" not in path.read_text(encoding="utf-8"):
        write_results(path, rows, command, size, descriptions, info, gaps)
        return
    old = _parse(path.read_text(encoding="utf-8"))
    new = _parse(render_results(rows, command, size, descriptions, info, gaps))
    ran = set(descriptions) | {r.workload for r in rows}

    def workload_of(bullet: str) -> str:
        return bullet[2:].split(",", 1)[0].strip()

    # the table: the run's rows where its workload's rows were (or at the end)
    cells, placed = [], False
    for row in old.rows:
        if row[0] in ran:
            if not placed:
                cells += new.rows
                placed = True
            continue
        cells.append(row)
    if not placed:
        cells += new.rows
    widths = [max(len(line[i]) for line in [HEADER] + cells) for i in range(len(HEADER))]

    def fmt(line):
        return "| " + " | ".join(c.ljust(w) for c, w in zip(line, widths)) + " |"

    load = info.get("load average at start (1, 5, 15 min)", "?")
    stamp = (f"- Rerun of {', '.join(f'`{w}`' for w in sorted(ran))}: {dt.datetime.now():%Y-%m-%d %H:%M}, "
             f"`{command}`, size `{size}`, load average at start (1, 5, 15 min) {load}; the other rows are from "
             "the runs above.")
    head = [line for line in old.head if not (line.startswith("- Rerun of ") and line.split(":", 1)[0] ==
                                              stamp.split(":", 1)[0])]
    while head and not head[-1].strip():
        head.pop()
    lines = head + [stamp, "", fmt(HEADER), "|" + "|".join("-" * (w + 2) for w in widths) + "|",
                    *map(fmt, cells), ""]
    missed = [b for b in old.missed if workload_of(b) not in ran] + new.missed
    gap_texts = [g for g in old.gaps if g[0] not in ran] + new.gaps
    if missed:
        lines += [MISSED, "", *missed, ""]
        for _, text in gap_texts:
            lines += [text]
    sections = []
    fresh = dict(new.sections)
    last_workload = max((i for i, (t, _) in enumerate(old.sections) if t in ran or _is_workload(t, old)),
                        default=len(old.sections) - 1)
    for i, (title, text) in enumerate(old.sections):
        sections.append(fresh.pop(title) if title in fresh else text)
        if i == last_workload:  # a workload new to the file: after the last workload's section
            sections += list(fresh.values())
            fresh = {}
    sections += list(fresh.values())
    lines += sections
    path.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")


def _is_workload(title: str, parsed: _Parsed) -> bool:
    return any(row[0] == title for row in parsed.rows)


def command_line() -> str:
    args = " ".join(sys.argv[1:])
    return f"python -m bench {args}".strip()
