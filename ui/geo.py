"""The province's regency and city boundaries, and where a map's labels go.

The boundaries are ``data/reference/kalsel_kabkota.geojson`` (MIT, Cahya DSN; the
notice is ``data/reference/LICENSE-kalsel_kabkota.txt``), drawn by
:func:`ui.charts.province_map` as plain polygons on x/y axes: nothing is fetched
from the internet, so the same map works on an offline server, in kaleido and in
the PDF. No Streamlit here.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

BOUNDARIES = Path(__file__).resolve().parent.parent / "data" / "reference" / "kalsel_kabkota.geojson"


@dataclass(frozen=True)
class Region:
    code: str                                   # Kemendagri code, e.g. '63.71'
    name: str                                   # 'Kota Banjarmasin'
    rings: tuple[tuple[tuple[float, float], ...], ...]   # outer rings, (lon, lat)
    label: tuple[float, float]                  # (lon, lat) of a point inside


def regency_key(name) -> str:
    """One spelling for a regency or city: 'Kab. Banjar', 'Kabupaten Banjar' and 'BANJAR' are
    'banjar'; 'Kota Banjarbaru' stays 'kota banjarbaru'."""
    text = re.sub(r"\s+", " ", str(name or "").strip().lower())
    text = re.sub(r"^(kabupaten|kab\.?)\s*", "", text)
    return text


@lru_cache(maxsize=2)
def regions(path: Path = BOUNDARIES) -> tuple[Region, ...]:
    """The regencies and cities, kabupaten first, cities last (drawn on top: a city may sit inside a regency)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    found = []
    for feature in data["features"]:
        geometry, props = feature["geometry"], feature["properties"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        rings = tuple(tuple((float(x), float(y)) for x, y in polygon[0]) for polygon in polygons)
        found.append(Region(str(props["kode"]), str(props["nama"]), rings, (float(props["lng"]), float(props["lat"]))))
    return tuple(sorted(found, key=lambda r: (r.name.startswith("Kota"), r.code)))


def bounds(items: tuple[Region, ...]) -> tuple[float, float, float, float]:
    """(west, east, south, north) of every ring."""
    xs = [x for r in items for ring in r.rings for x, _ in ring]
    ys = [y for r in items for ring in r.rings for _, y in ring]
    return min(xs), max(xs), min(ys), max(ys)


@dataclass(frozen=True)
class Placed:
    x: float            # label centre, data units
    y: float
    leader: bool        # drawn away from its point: join them with a line


# positions tried around a point, in order: right, left, above, below (centred, then reaching right or left
# from the point), then the diagonals; (dx, dy, reach)
DIRECTIONS = ((1, 0, 0), (-1, 0, 0), (0, 1, 0), (0, -1, 0), (0, 1, 1), (0, 1, -1), (0, -1, 1), (0, -1, -1),
              (1, 1, 0), (-1, 1, 0), (1, -1, 0), (-1, -1, 0))
STEPS = (0, 14, 30, 50, 75, 105)   # extra distance (px) beyond the marker's edge


def place_labels(points: list[tuple[float, float, str, float]], scale: float, char_px: float = 6.6,
                 line_px: float = 14.0, box: tuple[float, float, float, float] | None = None) -> list[Placed]:
    """Greedy label placement: ``points`` are (x, y, text, marker radius in px) in data units,
    ``scale`` px per data unit (equal on both axes). The points are taken in the order given
    (put the biggest first); each label goes to the first position around its point, nearest
    first, whose box touches no marker and no label placed before it, and inside ``box``
    (west, east, south, north) when given. Labels that fit right beside their point are placed
    first; the crowded ones then go further out, to the least crowded place when none is free,
    with a leader line to their point."""
    markers = [(x * scale, y * scale, r) for x, y, _, r in points]
    taken: list[tuple[float, float, float, float]] = []
    placed: list[Placed | None] = [None] * len(points)
    # first every label that fits right beside its point, then a little further out; the rest where they
    # can, the least crowded points first (a lone point's label stays near it, a cluster's go further out)
    crowd = [sum(1 for mx, my, _ in markers if 0 < math.hypot(mx - x * scale, my - y * scale) < 60)
             for x, y, _, _ in points]
    by_size = list(range(len(points)))
    by_crowd = sorted(by_size, key=lambda k: (crowd[k], k))
    for steps, must_fit, order in ((STEPS[:1], True, by_size), (STEPS[:3], True, by_size), (STEPS, False, by_crowd)):
        for k in order:
            x, y, text, radius = points[k]
            if placed[k] is not None:
                continue
            found = _best(x * scale, y * scale, len(text) * char_px + 6, line_px, radius, steps, markers, taken,
                          None if box is None else tuple(v * scale for v in box))
            rect, cx, cy, step, cost = found
            if must_fit and cost > 0:
                continue
            taken.append(rect)
            placed[k] = Placed(cx / scale, cy / scale, step > 0)
    return placed  # type: ignore[return-value]


def _best(px, py, w, h, radius, steps, markers, taken, box):
    """The first free position around a point (nearest first), or the least crowded one."""
    best, best_cost = None, math.inf
    # only the markers within reach of the farthest candidate can overlap one (hundreds of points nationally)
    reach_x, reach_y = radius + 3 + max(steps) + w + 1, radius + 3 + max(steps) + h + 1
    markers = [(mx, my, r) for mx, my, r in markers if abs(mx - px) <= reach_x + r and abs(my - py) <= reach_y + r]
    for step in steps:
        for dx, dy, reach in DIRECTIONS:
            gap = radius + 3 + step
            cx = px + dx * (gap + w / 2) if dx else px + reach * max(0.0, w / 2 - radius)
            cy = py + dy * (gap + h / 2) if dy else py
            rect = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
            spaced = (rect[0] - 1, rect[1] - 1, rect[2] + 1, rect[3] + 1)   # a pixel between labels
            cost = sum(_overlap(spaced, other) for other in taken)
            cost += sum(_overlap(rect, (mx - r, my - r, mx + r, my + r)) for mx, my, r in markers)
            if box is not None:
                west, east, south, north = box
                outside = max(0, west - rect[0]) + max(0, rect[2] - east) + max(0, south - rect[1]) \
                    + max(0, rect[3] - north)
                cost += outside * h * 4
            if cost < best_cost:   # the first free one (nearest, in the order of DIRECTIONS) wins
                best, best_cost = (rect, cx, cy, step, cost), cost
        if best_cost == 0:   # free at this distance: no need to look further out
            break
    return best


def _overlap(a, b) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 1e-6 and h > 1e-6 else 0.0   # boxes that only touch do not overlap


def spread(coords: list[tuple[float, float]], radius: float) -> list[tuple[float, float]]:
    """Points that share one (approximate) coordinate set on a small ring around it, so each stays visible."""
    groups: dict[tuple[float, float], list[int]] = {}
    for i, c in enumerate(coords):
        groups.setdefault((round(c[0], 4), round(c[1], 4)), []).append(i)
    out = list(coords)
    for (x, y), members in groups.items():
        if len(members) < 2:
            continue
        for k, i in enumerate(members):
            angle = math.pi / 2 + 2 * math.pi * k / len(members)
            out[i] = (x + radius * math.cos(angle), y + radius * math.sin(angle))
    return out
