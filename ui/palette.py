"""Every colour the dashboard and its reports use, defined once.

One colour per DDC main class, training topic, service, agreement status,
report status and dataset, so a category looks the same on every page, in the
xlsx charts and in the PDF. Pure data (and :func:`colour`, which also gives a
fixed colour to a category no list names): no plotly, no Streamlit.
"""

from __future__ import annotations

import re
import zlib

INK = "#212121"
GREY = "#9A9A9A"
LIGHT = "#EEEEEE"          # a region or cell without a figure
TEAL = "#0F6E6E"           # the house colour: loans, headings
ORANGE = "#E07A1F"
BLUE = "#3B6FB6"
RED = "#C2452D"
PINK = "#D16BA5"

# the general sequence, for series that have no fixed colour (units on a line chart ...)
SERIES = ("#0F6E6E", "#E07A1F", "#3B6FB6", "#8E5BA8", "#C2452D", "#5B8C2A", "#B8860B", "#6B6B6B", "#D16BA5",
          "#2F9C95", "#7F5539", "#4C78A8")

# the headline measures
MEASURE = {"loans": TEAL, "visitors": BLUE, "training_participants": BLUE, "participants_l": BLUE,
           "participants_p": PINK, "on_deposit": TEAL}

# services of the visits register: the unit's own library and Dispersip's mobile library
SERVICE = {"perpustakaan": TEAL, "pusling": ORANGE}

# DDC main classes by their first digit (etl.parse.DDC_CLASSES: '000 Karya Umum' ... '900 Sejarah & Geografi')
DDC = {0: "#6B6B6B", 1: "#8E5BA8", 2: "#2F9C95", 3: "#3B6FB6", 4: "#B8860B", 5: "#5B8C2A", 6: "#E07A1F",
       7: "#D16BA5", 8: "#C2452D", 9: "#7F5539"}

# training topics (etl.specs: the topic column's choices)
TOPIC = {"Literasi": TEAL, "Menulis": "#3B6FB6", "Anggrek": "#D16BA5", "Hidroponik": "#5B8C2A",
         "Teknologi Tepat Guna": "#E07A1F", "Pengelolaan Perpustakaan": "#8E5BA8", "Lainnya": "#6B6B6B"}

# agreement (PKS) status: warehouse.agreements.status
AGREEMENT = {"active": TEAL, "expiring": "#E0A21F", "expired": RED, "none": "#B0B0B0", "renewed": "#A9CFCB"}

# a month's report: completeness
REPORT = {"on_time": TEAL, "late": "#F2C14E", "missing": RED, "not_due": LIGHT, "closed": "#BDBDBD"}

# realisation against a target (warehouse.targets.lkjip's status): achieved or on track, behind or not achieved
TARGET = {"achieved": "#1B7F5A", "on_track": "#1B7F5A", "behind": "#B3261E", "not_achieved": "#B3261E"}

# datasets (registers) of the warehouse
DATASET = {"loans": TEAL, "visits": BLUE, "training": "#8E5BA8", "attendance": "#2F9C95", "occupancy": "#B8860B",
           "agreements": "#2E7D4F", "packages": ORANGE}

# sequential scale for a rate (map regions, heat maps): light to dark teal
SEQUENTIAL = ((0.0, "#E6F2F0"), (0.25, "#B3DAD3"), (0.5, "#6FB7AC"), (0.75, "#2F8F85"), (1.0, "#0B5350"))

# leftovers: a category no list above names gets one of these, always the same one for the same name
OTHERS = ("#4C78A8", "#9C755F", "#59A14F", "#AF7AA1", "#76B7B2", "#EDC948", "#FF9DA7", "#BAB0AC", "#86BCB6",
          "#F28E2B")

_DDC_LABEL = re.compile(r"^(\d)\d\d\b")


def colour(kind: str, value) -> str:
    """The colour of ``value`` of a kind: 'ddc' (a category: a DDC label or the sheet's own word), 'topic',
    'service', 'agreement', 'report', 'dataset', 'measure'. A value no list names gets a fixed colour from
    its name (the same on every page and in every file); 'Lainnya' (others) is grey."""
    text = "" if value is None else str(value)
    if kind == "ddc":
        m = _DDC_LABEL.match(text)
        if m:
            return DDC[int(m[1])]
    else:
        table = {"topic": TOPIC, "service": SERVICE, "agreement": AGREEMENT, "report": REPORT, "dataset": DATASET,
                 "measure": MEASURE}[kind]
        if text in table:
            return table[text]
    if text.strip().lower() in ("lainnya", "others", "other", "tidak diketahui", "unknown"):
        return "#6B6B6B"
    return OTHERS[zlib.crc32(text.strip().lower().encode("utf-8")) % len(OTHERS)]


def rgb(hex_colour: str) -> tuple[int, int, int]:
    """'#0F6E6E' -> (15, 110, 110) (fpdf's colours)."""
    value = hex_colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def sequential(share: float) -> str:
    """The colour at ``share`` (0..1) of :data:`SEQUENTIAL`, interpolated."""
    share = min(1.0, max(0.0, float(share)))
    for (a, ca), (b, cb) in zip(SEQUENTIAL, SEQUENTIAL[1:]):
        if share <= b:
            f = 0 if b == a else (share - a) / (b - a)
            x, y = rgb(ca), rgb(cb)
            return "#" + "".join(f"{round(p + (q - p) * f):02X}" for p, q in zip(x, y))
    return SEQUENTIAL[-1][1]
