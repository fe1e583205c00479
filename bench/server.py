"""The real dashboard for the browser and memory workloads: started as the
README does (``python -m etl serve``) and signed in through the form in headless
Chromium (Playwright) with the browser tests' own helpers (``tests/browser.py``);
its process's memory and CPU time read from ``/proc``."""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path

from bench.common import ROOT
from tests.browser import browser, browser_missing, exceptions, settle, sign_in  # noqa: F401 (the workloads' API)
from tests.browser import serve as dashboard  # noqa: F401


def pages() -> list[str]:
    """Every page of the navigation in dashboard.py, by URL path ("" is the overview)."""
    text = (ROOT / "dashboard.py").read_text(encoding="utf-8")
    found = re.findall(r'page\("pages/\w+\.py",\s*"\w+",\s*"[^"]*",\s*(None|"[^"]*")', text)
    return ["" if url == "None" else url.strip('"') for url in found] or [""]


def cpu_seconds(pid: int) -> float:
    """User and system CPU time a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# a plotly chart counts as visible once it has drawn at least one trace
CHARTS_DRAWN = """(n) => {
  const plots = Array.from(document.querySelectorAll('[data-testid="stMain"] .js-plotly-plot'));
  const drawn = plots.filter(p => p.querySelector('.main-svg') && p.querySelectorAll('g.trace, g.hm, .layer-above image').length > 0
                                  && p.getBoundingClientRect().height > 0);
  return drawn.length >= n;
}"""


class Memory:
    """Samples a process's resident memory; ``peak_mb`` is the kernel's high-water mark (VmHWM)."""

    def __init__(self, pid: int, every: float = 0.05):
        self.pid, self.every = pid, every
        self.samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _status(self, key: str) -> float | None:
        try:
            for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
                if line.startswith(key + ":"):
                    return int(line.split()[1]) / 1024
        except OSError:
            return None
        return None

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            value = self._status("VmRSS")
            if value is not None:
                self.samples.append(value)

    @property
    def rss_mb(self) -> float:
        return self._status("VmRSS") or 0.0

    @property
    def peak_mb(self) -> float:
        return max(self._status("VmHWM") or 0.0, max(self.samples, default=0.0))

    def stop(self) -> float:
        peak = self.peak_mb
        self._stop.set()
        self._thread.join(1)
        return peak
