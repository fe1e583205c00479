"""The province map: boundaries shipped with their licence, regencies matched to the register,
the per-regency rate from the warehouse, labels that do not overlap, nothing fetched online."""

from __future__ import annotations

import csv
import datetime as dt

import pandas as pd
import pytest

from tests.conftest import ROOT
from ui import charts, geo, palette
from warehouse import metrics

SCOPE_MONTHS = (dt.date(2024, 7, 1), dt.date(2024, 8, 1))


def test_boundaries_are_shipped_with_their_licence_and_match_the_register():
    regions = geo.regions()
    assert [r.name for r in regions] == [
        "Kabupaten Tanah Laut", "Kabupaten Kotabaru", "Kabupaten Banjar", "Kabupaten Barito Kuala",
        "Kabupaten Tapin", "Kabupaten Hulu Sungai Selatan", "Kabupaten Hulu Sungai Tengah",
        "Kabupaten Hulu Sungai Utara", "Kabupaten Tabalong", "Kabupaten Tanah Bumbu", "Kabupaten Balangan",
        "Kota Banjarmasin", "Kota Banjarbaru"]
    notice = (ROOT / "data" / "reference" / "LICENSE-kalsel_kabkota.txt").read_text(encoding="utf-8")
    assert "Copyright (c) 2024 Cahya DSN" in notice
    assert "The above copyright notice and this permission notice shall be included" in notice
    keys = {geo.regency_key(r.name) for r in regions}
    with open(ROOT / "data" / "facilities.csv", encoding="utf-8") as f:
        unmatched = {row["regency"] for row in csv.DictReader(f)}
    assert sorted(r for r in unmatched if geo.regency_key(r) not in keys) == []
    assert geo.regency_key("Kab. Hulu  Sungai Utara") == geo.regency_key("KABUPATEN HULU SUNGAI UTARA")
    assert geo.regency_key("Kota Banjarbaru") != geo.regency_key("Kab. Banjar")


def test_regency_rates_add_up_by_hand(small_env):
    units = metrics.facilities()
    scope = metrics.Scope(*SCOPE_MONTHS, tuple(units["code"]))
    frame = metrics.regency_rates(scope)
    rows = {r["regency"]: r for r in frame.to_dict("records")}
    # Lapas Banjarmasin: 400 + 500 loans over 2 months of 2,189 inmates (dated 2023-09)
    assert rows["Kota Banjarmasin"] == {"regency": "Kota Banjarmasin", "facilities": 1, "loans": 900,
                                        "loans_rate": pytest.approx(900 / (2 * 2189) * 100),
                                        "facilities_with_denominator": 1}
    # LPKA Martapura: 80 loans in August over 43 inmates; the other two units of Kab. Banjar did not report
    assert rows["Kab. Banjar"] == {"regency": "Kab. Banjar", "facilities": 3, "loans": 80,
                                   "loans_rate": pytest.approx(80 / 43 * 100), "facilities_with_denominator": 1}
    # Rutan Rantau lent 220 books but has no occupancy figure before 2025: no rate
    assert rows["Kab. Tapin"]["loans"] == 220 and pd.isna(rows["Kab. Tapin"]["loans_rate"])
    assert rows["Kab. Tapin"]["facilities_with_denominator"] == 0
    assert sum(r["facilities"] for r in rows.values()) == len(units)


def _label_boxes(fig, scale):
    boxes = []
    for note in fig.layout.annotations:
        if note.xref == "paper":
            continue
        w, h = len(note.text) * 6.6 + 6, 14.0
        boxes.append((note.text, note.x * scale - w / 2, note.y * scale - h / 2, note.x * scale + w / 2,
                      note.y * scale + h / 2))
    return boxes


def test_map_is_offline_shaded_and_labels_do_not_overlap(small_env):
    units = metrics.facilities()
    scope = metrics.Scope(*SCOPE_MONTHS, tuple(units["code"]))
    points, rates = metrics.map_points(scope), metrics.regency_rates(scope)
    fig = charts.province_map(points, rates, "loans", "Peminjaman", "Peminjaman per 100 WBP", "Tanpa angka",
                              width=560, height=560)
    kinds = {type(trace).__name__ for trace in fig.data}
    assert kinds == {"Scatter"}     # no Scattergeo, Choropleth or map tiles: nothing remote
    assert fig.layout.yaxis.scaleanchor == "x" and fig.layout.yaxis.scaleratio == 1
    fills = {trace.text.split("<br>")[0].strip("<b>/"): trace.fillcolor for trace in fig.data if trace.fill == "toself"}
    assert len(fills) == 13
    # the highest rate is the darkest end of the scale, the lowest the lightest; a regency without a rate is grey
    assert fills["Kabupaten Banjar"] == palette.sequential(1.0)
    assert fills["Kota Banjarmasin"] == palette.sequential(0.0)
    assert fills["Kabupaten Tapin"] == palette.LIGHT and fills["Kabupaten Balangan"] == palette.LIGHT
    # every unit in view is a point, labelled once by its name
    dots = next(trace for trace in fig.data if trace.name == "Peminjaman")
    assert sorted(dots.text) == sorted(points["short_name"])
    west, east, south, north = geo.bounds(geo.regions())
    scale = min((560 - 8) / (east - west + 0.56), (560 - 8) / (north - south + 0.16))
    boxes = _label_boxes(fig, scale)
    assert sorted(b[0] for b in boxes) == sorted(points["short_name"])
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert geo._overlap(a[1:], b[1:]) == 0, (a[0], b[0])


def test_crowded_units_get_separate_labels_with_leader_lines():
    # Banjarmasin, Banjarbaru and the two Martapura units (one shared coordinate) and Karang Intan
    crowd = [(114.58, -3.31, "Lapas Banjarmasin", 19), (114.85, -3.41, "Lapas Perempuan Martapura", 12),
             (114.85, -3.41, "LPKA Martapura", 8), (114.79, -3.47, "Lapas Banjarbaru", 16),
             (114.84, -3.47, "Lapas Narkotika Karang Intan", 17)]
    coords = geo.spread([(x, y) for x, y, _, _ in crowd], 0.045)
    assert coords[1] != coords[2]
    points = [(c[0], c[1], name, r) for c, (_, _, name, r) in zip(coords, crowd)]
    placed = geo.place_labels(points, scale=140)
    boxes = [(p.x * 140 - (len(n) * 6.6 + 6) / 2, p.y * 140 - 7, p.x * 140 + (len(n) * 6.6 + 6) / 2, p.y * 140 + 7)
             for p, (_, _, n, _) in zip(placed, points)]
    markers = [(x * 140 - r, y * 140 - r, x * 140 + r, y * 140 + r) for x, y, _, r in points]
    for i, a in enumerate(boxes):
        assert all(geo._overlap(a, m) == 0 for m in markers), points[i][2]
        assert all(geo._overlap(a, b) == 0 for b in boxes[i + 1:]), points[i][2]
    assert any(p.leader for p in placed)          # some went further out, joined by a line
    assert not placed[0].leader                   # the first (biggest) sits right beside its point


def test_a_map_of_many_units_names_only_the_biggest(small_env, monkeypatch):
    """Beyond MAP_LABELS points (a national installation) only the biggest points are named on the map; every
    point is still drawn and keeps its name on hover."""
    units = metrics.facilities()
    scope = metrics.Scope(*SCOPE_MONTHS, tuple(units["code"]))
    points, rates = metrics.map_points(scope), metrics.regency_rates(scope)
    monkeypatch.setattr(charts, "MAP_LABELS", 3)
    fig = charts.province_map(points, rates, "loans", "Peminjaman", "Peminjaman per 100 WBP", "Tanpa angka",
                              width=560, height=560)
    dots = next(trace for trace in fig.data if trace.name == "Peminjaman")
    assert sorted(dots.text) == sorted(points["short_name"])
    named = sorted(note.text for note in fig.layout.annotations if note.xref != "paper")
    biggest = points.assign(v=pd.to_numeric(points["loans"])).sort_values("v", ascending=False, kind="stable")
    assert named == sorted(biggest["short_name"][:3])
