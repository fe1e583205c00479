"""Plotly figures for the pages, built from the warehouse's frames.

Axis labels, hover texts and number marks follow the page language; months
without a report stay gaps (``connectgaps=False``). No Streamlit here: the
report builder draws the same figures.
"""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from etl.i18n import missing
from ui import fmt, geo, palette
from ui.i18n import label as code_label
from ui.i18n import t

# every colour comes from ui.palette (the reports read it too)
PALETTE = list(palette.SERIES)
LIBRARY, PUSLING = palette.SERVICE["perpustakaan"], palette.SERVICE["pusling"]


def _base(fig: go.Figure, height: int = 360, legend: bool = True) -> go.Figure:
    fig.update_layout(
        height=height, margin=dict(l=8, r=8, t=24, b=8), separators=fmt.plotly_separators(),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0, title=None) if legend else None,
        showlegend=legend, hovermode="closest", font=dict(family="DejaVu Sans, Arial, sans-serif", size=13),
        colorway=PALETTE, plot_bgcolor="white", paper_bgcolor="white",
    )
    fig.update_xaxes(showgrid=False, linecolor="#CCCCCC")
    fig.update_yaxes(gridcolor="#EEEEEE", zeroline=False, rangemode="tozero", tickformat=",d")
    return fig


def month_axis(fig: go.Figure, months, axis: str = "x") -> None:
    """Indonesian (or English) month labels on a date axis, at most ~12 ticks, counted back from the
    latest month so it is always labelled: ``Okt<br>2025, Nov, Des, Jan<br>2026, Feb, ...`` (the year under
    the first tick and where it changes; not under a first December whose neighbour already says the next
    year, as the two would crowd a phone's axis), or whole names for three months or fewer."""
    months = sorted({pd.Timestamp(m) for m in months if not pd.isna(m)})
    if not months:
        return
    step = max(1, -(-len(months) // 12))
    ticks = months[::-1][::step][::-1]
    long = len(months) <= 3
    labels, year = [], None
    for i, m in enumerate(ticks):
        text = fmt.month(m.date(), long=long)
        if not long:
            name, year_text = text.rsplit(" ", 1)
            changes = m.year != year if year is not None else i + 1 == len(ticks) or ticks[i + 1].year == m.year
            text = f"{name}<br>{year_text}" if changes else name
        labels.append(text)
        year = m.year
    # labels that still do not fit flat are turned to end at their tick (plotly's own 30 degrees starts them
    # there, and the latest month's label, running past the plot's right edge, was not drawn)
    fig.update_layout({f"{axis}axis": dict(tickvals=ticks, ticktext=labels, autotickangles=[0, -30, -90])})


def trend(frame: pd.DataFrame, series: list[tuple[str, str, str]], height: int = 340, bars: bool = False,
          provisional=None, provisional_columns=None) -> go.Figure:
    """Monthly lines (or bars) for ``(column, label, colour)``; NULL months are gaps. Months in
    ``provisional`` (dates, see ``warehouse.provisional.months_of``) are drawn, for the columns in
    ``provisional_columns`` (None: every series), as pale bars or a dotted line segment with open
    markers, and their hover says 'sementara'."""
    from ui.i18n import t

    fig = go.Figure()
    labels = [fmt.month(m) for m in frame["month"]]
    marked = {pd.Timestamp(m) for m in (provisional or ())}
    marked_months = [pd.Timestamp(m) in marked for m in frame["month"]]
    plain = labels
    for column, label, colour in series:
        pale = marked_months if provisional_columns is None or column in provisional_columns else [False] * len(plain)
        labels = [f"{text} ({t('prov_mark')})" if p else text for text, p in zip(plain, pale)]
        values = pd.to_numeric(frame[column], errors="coerce")
        if values.isna().all() and len(series) > 1:
            continue   # the legend lists only series with data
        texts = [fmt.num(v) for v in values]
        common = dict(x=frame["month"], y=values, name=label, customdata=list(zip(labels, texts)),
                      hovertemplate="%{customdata[0]}<br>" + label + ": <b>%{customdata[1]}</b><extra></extra>")
        if bars:
            fig.add_trace(go.Bar(marker_color=colour, marker_opacity=[0.4 if p else 1.0 for p in pale], **common))
        elif any(pale):
            # the dotted segments: each provisional month with its neighbours; the solid line skips provisional months
            near = [p or (i > 0 and pale[i - 1]) or (i + 1 < len(pale) and pale[i + 1]) for i, p in enumerate(pale)]
            dotted = values.where(pd.Series(near, index=values.index))
            fig.add_trace(go.Scatter(
                mode="lines+markers", x=frame["month"], y=dotted, name=f"{label} ({t('prov_series')})",
                line=dict(color=colour, width=2, dash="dot"), connectgaps=False, legendrank=1001,
                marker=dict(size=[8 if p else 0 for p in pale], symbol="circle-open", color=colour),
                customdata=common["customdata"], hovertemplate=common["hovertemplate"]))
            common["y"] = values.where(~pd.Series(pale, index=values.index))
            fig.add_trace(go.Scatter(mode="lines+markers", line=dict(color=colour, width=2.5), marker=dict(size=6),
                                     connectgaps=False, **common))
        else:
            fig.add_trace(go.Scatter(mode="lines+markers", line=dict(color=colour, width=2.5), marker=dict(size=6),
                                     connectgaps=False, **common))
    _base(fig, height)
    if bars:
        fig.update_layout(barmode="stack", bargap=0.25)
    month_axis(fig, frame["month"])
    return fig


def with_rolling(frame: pd.DataFrame, parts: list[tuple[str, str, str]], rolling: str, rolling_label: str,
                 missing: str | None = None, missing_label: str = "", height: int = 300,
                 notes: dict | None = None, notes_label: str = "") -> go.Figure:
    """One facility's monthly bars (``parts`` stacked: column, label, colour), its
    12-month rolling mean, an x at the foot of each month whose report
    (``missing``: a has_* column) never came, and a marker along the top of each month
    with a note (``notes``: month -> hover text)."""
    fig = go.Figure()
    months = [fmt.month(m) for m in frame["month"]]
    for column, label, colour in parts:
        values = pd.to_numeric(frame[column], errors="coerce")
        if values.isna().all() and len(parts) > 1:
            continue   # the legend lists only series with data
        fig.add_trace(go.Bar(x=frame["month"], y=values, name=label, marker_color=colour, opacity=0.85,
                             customdata=list(zip(months, [fmt.num(v) for v in values])),
                             hovertemplate="%{customdata[0]}<br>" + label + ": <b>%{customdata[1]}</b><extra></extra>"))
    if missing is not None:
        absent = ~frame[missing].fillna(False).astype(bool)
        if absent.any():
            fig.add_trace(go.Scatter(x=frame["month"][absent], y=[0] * int(absent.sum()), mode="markers",
                                     name=missing_label, marker=dict(symbol="x", size=10, color="#9A9A9A"),
                                     customdata=[m for m, a in zip(months, absent) if a],
                                     hovertemplate="%{customdata}<br>" + missing_label + "<extra></extra>"))
    roll = pd.to_numeric(frame[rolling], errors="coerce")
    fig.add_trace(go.Scatter(x=frame["month"], y=roll, name=rolling_label, mode="lines",
                             line=dict(color="#333333", width=2, dash="dot"), connectgaps=True,
                             customdata=list(zip(months, [fmt.num(v, 1) for v in roll])),
                             hovertemplate="%{customdata[0]}<br>" + rolling_label
                                           + ": <b>%{customdata[1]}</b><extra></extra>"))
    if notes:
        noted = sorted(notes)
        fig.add_trace(go.Scatter(x=noted, y=[0.97] * len(noted), yaxis="y2", mode="markers", name=notes_label,
                                 marker=dict(symbol="triangle-down", size=11, color=PALETTE[6]),
                                 customdata=[[fmt.month(m), notes[m]] for m in noted],
                                 hovertemplate="%{customdata[0]}<br>" + notes_label
                                               + ": %{customdata[1]}<extra></extra>"))
        fig.update_layout(yaxis2=dict(overlaying="y", range=[0, 1], visible=False, fixedrange=True))
    _base(fig, height)
    fig.update_layout(barmode="stack")
    month_axis(fig, frame["month"])
    return fig


def ranking_bars(frame: pd.DataFrame, value: str, label: str, height: int | None = None,
                 top: int | None = None) -> go.Figure:
    """Horizontal bars, biggest on top (the ``top`` biggest only, when given); clicking a bar selects
    its facility (customdata[0] = code)."""
    frame = frame.sort_values(value, ascending=True, na_position="first")
    if top is not None:
        frame = frame.tail(top)
    values = pd.to_numeric(frame[value], errors="coerce")
    fig = go.Figure(go.Bar(
        x=values, y=frame["short_name"], orientation="h", marker_color=PALETTE[0],
        customdata=list(zip(frame["code"], [fmt.num(v) for v in values])),
        hovertemplate="%{y}<br>" + label + ": <b>%{customdata[1]}</b><extra></extra>"))
    _base(fig, height or max(260, 26 * len(frame) + 60), legend=False)
    fig.update_yaxes(rangemode=None, tickformat=None, gridcolor=None)
    fig.update_xaxes(tickformat=",d", gridcolor="#EEEEEE")
    return fig


def heatmap(frame: pd.DataFrame, value: str, label: str, digits: int = 0, notes: dict | None = None) -> go.Figure:
    """Facility x month; empty cells are months without a report (or, per capita, without a denominator).
    ``notes``: (code, month) -> a line the cell's hover adds (the notes on that unit-month)."""
    grid = frame.pivot(index="short_name", columns="month", values=value)
    codes = frame.drop_duplicates("short_name").set_index("short_name")["code"]
    grid = grid.sort_index(ascending=False)
    z = grid.to_numpy(dtype=float, na_value=float("nan"))
    months = [fmt.month(pd.Timestamp(c).date(), long=False) for c in grid.columns]
    texts = [[fmt.num(v, digits) for v in row] for row in z]
    noted = {(code, pd.Timestamp(month)): f"<br>{text}" for (code, month), text in (notes or {}).items()}
    custom = [[(codes[name], months[j], texts[i][j], noted.get((codes[name], pd.Timestamp(grid.columns[j])), ""))
               for j in range(len(months))] for i, name in enumerate(grid.index)]
    fig = go.Figure(go.Heatmap(
        z=z, x=list(grid.columns), y=list(grid.index), colorscale=[[a, c] for a, c in palette.SEQUENTIAL],
        hoverongaps=False, customdata=custom,
        hovertemplate="%{y}<br>%{customdata[1]}<br>" + label + ": <b>%{customdata[2]}</b>%{customdata[3]}"
                      "<extra></extra>",
        colorbar=dict(title=None, thickness=12, tickformat=",d"), xgap=1, ygap=1))
    _base(fig, max(320, 24 * len(grid.index) + 90), legend=False)
    fig.update_yaxes(rangemode=None, tickformat=None, gridcolor=None)
    month_axis(fig, grid.columns)
    return fig


def stacked_categories(frame: pd.DataFrame, category: str, value: str, label: str, top: int = 8,
                       kind: str = "ddc") -> go.Figure:
    """Monthly stacked bars by category, named in the page language and each in its own colour on every
    page (``ui.palette``, ``kind``); categories beyond ``top`` are summed as 'Lainnya' (Other)."""
    totals = frame.groupby(category)[value].sum().sort_values(ascending=False)
    keep = list(totals.index[:top])
    fig = go.Figure()
    for name in keep + (["__other"] if len(totals) > top else []):
        part = frame[frame[category] == name] if name != "__other" else frame[~frame[category].isin(keep)]
        by_month = part.groupby("month")[value].sum().reset_index()
        shown = code_label("category", "Lainnya" if name == "__other" else name)
        fig.add_trace(go.Bar(
            x=by_month["month"], y=by_month[value], name=shown,
            marker_color=palette.colour(kind, "Lainnya" if name == "__other" else name),
            customdata=list(zip([fmt.month(m) for m in by_month["month"]], [fmt.num(v) for v in by_month[value]])),
            hovertemplate="%{customdata[0]}<br>" + shown + ": <b>%{customdata[1]}</b><extra></extra>"))
    _base(fig, 380)
    fig.update_layout(barmode="stack", bargap=0.2)
    month_axis(fig, frame["month"])
    return fig


def share_bars(frame: pd.DataFrame, label_col: str, value: str, label: str, colour: str = PALETTE[2]) -> go.Figure:
    values = pd.to_numeric(frame[value], errors="coerce")
    fig = go.Figure(go.Bar(
        x=frame[label_col], y=values, marker_color=colour, customdata=[fmt.num(v) for v in values],
        hovertemplate="%{x}<br>" + label + ": <b>%{customdata}</b><extra></extra>"))
    _base(fig, 300, legend=False)
    return fig


def grouped_lp(frame: pd.DataFrame, label_col: str, l_label: str, p_label: str, names=str) -> go.Figure:
    """Participants by group, male and female stacked; ``names`` turns stored codes into labels."""
    fig = go.Figure()
    labels = [names(v) for v in frame[label_col]]
    for column, name, colour in (("participants_l", l_label, palette.MEASURE["participants_l"]),
                                 ("participants_p", p_label, palette.MEASURE["participants_p"])):
        values = pd.to_numeric(frame[column], errors="coerce")
        fig.add_trace(go.Bar(x=labels, y=values, name=name, marker_color=colour,
                             customdata=[fmt.num(v) for v in values],
                             hovertemplate="%{x}<br>" + name + ": <b>%{customdata}</b><extra></extra>"))
    _base(fig, 300)
    fig.update_layout(barmode="stack")
    return fig


def services_by_facility(frame: pd.DataFrame, library_label: str, pusling_label: str,
                         columns: tuple[str, str] = ("visitors_library", "visitors_pusling"), digits: int = 0) -> go.Figure:
    """Own library and mobile library per facility, stacked (one row per facility, or per
    facility-month summed)."""
    library, pusling = columns
    totals = frame.groupby(["code", "short_name"], as_index=False)[[library, pusling]].sum(min_count=1)
    totals = totals.sort_values(library, ascending=True, na_position="first")
    fig = go.Figure()
    for column, name, colour in ((library, library_label, LIBRARY), (pusling, pusling_label, PUSLING)):
        values = pd.to_numeric(totals[column], errors="coerce")
        if values.isna().all():
            continue   # the legend lists only series with data
        fig.add_trace(go.Bar(y=totals["short_name"], x=values, name=name, orientation="h", marker_color=colour,
                             customdata=list(zip(totals["code"], [fmt.num(v, digits) for v in values])),
                             hovertemplate="%{y}<br>" + name + ": <b>%{customdata[1]}</b><extra></extra>"))
    _base(fig, max(300, 26 * len(totals) + 80))
    fig.update_layout(barmode="stack")
    fig.update_yaxes(rangemode=None, tickformat=None, gridcolor=None)
    fig.update_xaxes(tickformat=",d", gridcolor="#EEEEEE")
    return fig


def timeline(frame: pd.DataFrame, colour_by: str, labels: dict, kind: str = "topic") -> go.Figure:
    """Sessions as bars from start to end date (one-day sessions drawn one day wide), coloured by
    ``colour_by`` with the palette's colours of ``kind``, named by ``labels`` or else by its translation
    (``topic_Lainnya``)."""
    fig = go.Figure()
    groups = list(dict.fromkeys(frame[colour_by]))
    for group in groups:
        part = frame[frame[colour_by] == group]
        start = pd.to_datetime(part["start_date"])
        end = pd.to_datetime(part["end_date"]) + pd.Timedelta(days=1)
        duration_ms = (end - start).dt.total_seconds() * 1000
        fig.add_trace(go.Bar(
            base=start, x=duration_ms, y=part["short_name"], orientation="h",
            name=labels.get(group, code_label(colour_by, group)), marker_color=palette.colour(kind, group),
            customdata=list(zip(part["code"], part["title"], [fmt.day(d) for d in part["start_date"]],
                                [fmt.num(v) for v in part["participants"]])),
            hovertemplate="<b>%{customdata[1]}</b><br>%{y} · %{customdata[2]}<br>%{customdata[3]}<extra></extra>"))
    _base(fig, max(320, 24 * frame["short_name"].nunique() + 100))
    fig.update_xaxes(type="date")
    fig.update_yaxes(rangemode=None, tickformat=None, gridcolor=None)
    fig.update_layout(barmode="overlay")
    months = pd.date_range(pd.to_datetime(frame["start_date"]).min().replace(day=1),
                           pd.to_datetime(frame["end_date"]).max(), freq="MS")
    month_axis(fig, months)
    return fig


MAP_LABELS = 40   # names written on the map at most (the biggest points'); the province has fewer units


def province_map(points: pd.DataFrame, regencies: pd.DataFrame, value: str, label: str, rate_label: str,
                  no_rate_label: str, digits: int = 0, width: int = 480, height: int = 560) -> go.Figure:
    """South Kalimantan's regencies and cities shaded by loans per 100 inmates (``regencies``:
    metrics.regency_rates), the units in view as points sized by ``value`` (``points``:
    metrics.map_points), each labelled beside it or, where units crowd, further out with a leader
    line. Plain polygons on x/y axes of equal scale: nothing is fetched from the internet.
    ``width`` is the width the labels are laid out for (px)."""
    areas = geo.regions()
    west, east, south, north = geo.bounds(areas)
    pad = 0.08
    x_range, y_range = (west - 6 * pad, east + pad), (south - pad, north + pad)   # room for labels to the west
    margin = dict(l=4, r=4, t=4, b=4)
    plot_w, plot_h = width - margin["l"] - margin["r"], height - margin["t"] - margin["b"]
    scale = min(plot_w / (x_range[1] - x_range[0]), plot_h / (y_range[1] - y_range[0]))   # px per degree
    # equal scales stretch the other axis' range to fill the plot: that is the room the labels have
    middle_x, middle_y = sum(x_range) / 2, sum(y_range) / 2
    visible = (middle_x - plot_w / scale / 2, middle_x + plot_w / scale / 2, middle_y - plot_h / scale / 2,
               middle_y + plot_h / scale / 2)
    rates = {geo.regency_key(r.regency): r for r in regencies.itertuples(index=False)}
    known = pd.to_numeric(regencies["loans_rate"], errors="coerce").dropna() if len(regencies) else pd.Series([])
    low, high = (float(known.min()), float(known.max())) if len(known) else (0.0, 1.0)
    if high - low < 1e-9:
        low, high = low - 0.5, high + 0.5
    fig = go.Figure()
    shown_missing = False
    for area in areas:
        row = rates.get(geo.regency_key(area.name))
        rate = None if row is None or missing(row.loans_rate) else float(row.loans_rate)
        xs, ys = [], []
        for ring in area.rings:
            xs += [x for x, _ in ring] + [None]
            ys += [y for _, y in ring] + [None]
        if rate is None:
            units = 0 if row is None else int(row.facilities)
            detail = no_rate_label if units else "–"
            fill = palette.LIGHT
        else:
            detail = f"{rate_label}: <b>{fmt.num(rate, 1)}</b>"
            fill = palette.sequential((rate - low) / (high - low))
        fig.add_trace(go.Scatter(
            x=xs, y=ys, mode="lines", fill="toself", fillcolor=fill, line=dict(color="white", width=1),
            hoveron="fills", hoverinfo="text", text=f"<b>{area.name}</b><br>{detail}", showlegend=False))
        shown_missing = shown_missing or rate is None
    if shown_missing:   # the legend's swatch for the grey regions
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=no_rate_label, hoverinfo="skip",
                                 marker=dict(symbol="square", size=12, color=palette.LIGHT,
                                             line=dict(color="#CCCCCC", width=1))))
    # the colour bar of the rate (an invisible trace carries it)
    fig.add_trace(go.Scatter(
        x=[x_range[0], x_range[0]], y=[y_range[0], y_range[0]], mode="markers", hoverinfo="skip", showlegend=False,
        marker=dict(size=0.1, opacity=0, color=[low, high], cmin=low, cmax=high,
                    colorscale=[[a, c] for a, c in palette.SEQUENTIAL], showscale=bool(len(known)),
                    colorbar=dict(title=dict(text=rate_label, side="top", font=dict(size=11)), thickness=10,
                                  orientation="h", len=0.45, x=0.99, xanchor="right", y=0.06, yanchor="bottom",
                                  tickformat=",.1f", tickfont=dict(size=10), nticks=5))))   # the empty south-east
    points = points.reset_index(drop=True)
    size = pd.to_numeric(points[value], errors="coerce") if len(points) else pd.Series([], dtype=float)
    biggest = float(size.max()) if len(size) and size.notna().any() and size.max() > 0 else 0.0
    span = 30 * min(1.0, width / 560)   # the biggest point's extra diameter (px), less on a narrow screen
    diameters = [8 + span * (float(v) / biggest) ** 0.5 if biggest and not missing(v) else 8 for v in size]
    coords = geo.spread(list(zip(points["lon"].astype(float), points["lat"].astype(float))), 0.045) \
        if len(points) else []
    custom = [(code, fmt.num(v, digits) if not missing(v) else "–", regency)
              for code, v, regency in zip(points["code"], size, points["regency"])]
    fig.add_trace(go.Scatter(
        x=[c[0] for c in coords], y=[c[1] for c in coords], mode="markers", name=label, text=points["short_name"],
        customdata=custom, hovertemplate="<b>%{text}</b><br>%{customdata[2]}<br>" + label
                                         + ": <b>%{customdata[1]}</b><extra></extra>",
        marker=dict(size=diameters, color=palette.ORANGE, opacity=0.9, line=dict(color="white", width=1.2)),
        showlegend=True))
    # the biggest points' names (every unit of a province); beyond MAP_LABELS names the map is unreadable and the
    # placement (each label against every other) takes seconds: the rest keep their name on hover
    order = sorted(range(len(points)), key=lambda i: -diameters[i])[:MAP_LABELS]
    placed = geo.place_labels([(coords[i][0], coords[i][1], str(points["short_name"][i]), diameters[i] / 2)
                               for i in order], scale, box=visible)
    leaders_x, leaders_y, names = [], [], []
    for i, spot in zip(order, placed):
        names.append(dict(x=spot.x, y=spot.y, text=str(points["short_name"][i]), showarrow=False,
                          font=dict(size=11, color=palette.INK), bgcolor="rgba(255,255,255,0.8)", borderpad=1,
                          xanchor="center", yanchor="middle"))
        if spot.leader:
            leaders_x += [coords[i][0], spot.x, None]
            leaders_y += [coords[i][1], spot.y, None]
    fig.update_layout(annotations=names)   # at once: one add_annotation per name validates the layout each time
    if leaders_x:
        fig.add_trace(go.Scatter(x=leaders_x, y=leaders_y, mode="lines", hoverinfo="skip", showlegend=False,
                                 line=dict(color="#555555", width=1)))
        fig.data = (*fig.data[:-2], fig.data[-1], fig.data[-2])   # leader lines under the points
    _base(fig, height)
    fig.update_layout(margin=margin, hovermode="closest",
                      legend=dict(orientation="v", yanchor="top", y=1.0, xanchor="left", x=0.0,
                                  bgcolor="rgba(255,255,255,0.7)", itemsizing="constant", font=dict(size=11)))
    fig.update_xaxes(visible=False, range=list(x_range), showgrid=False)
    fig.update_yaxes(visible=False, range=list(y_range), scaleanchor="x", scaleratio=1, showgrid=False,
                     rangemode=None)
    fig.add_annotation(text=t("map_attribution"), x=1, y=0, xref="paper", yref="paper", xanchor="right",
                       yanchor="bottom", showarrow=False, font=dict(size=8, color="#888888"))
    return fig


def selected_code(event) -> str | None:
    """The facility code a click on one of these charts selected (customdata[0]), if any."""
    try:
        points = event.selection.points if hasattr(event, "selection") else event["selection"]["points"]
    except (KeyError, TypeError, AttributeError):
        return None
    for point in points or ():
        custom = point.get("customdata") if isinstance(point, dict) else None
        if custom:
            return custom[0] if isinstance(custom, (list, tuple)) else custom
    return None



def lines_by_facility(frame: pd.DataFrame, value: str, label: str, top: int = 10) -> go.Figure:
    """One line per facility (the ``top`` largest), months without a figure as gaps; a facility with no
    figure above zero in the period gets no line (and no legend entry)."""
    values_all = pd.to_numeric(frame[value], errors="coerce")
    order = values_all.groupby(frame["short_name"]).max().sort_values(ascending=False)
    order = order[order.fillna(0) > 0]
    fig = go.Figure()
    for i, name in enumerate(order.index[:top]):
        part = frame[frame["short_name"] == name]
        values = pd.to_numeric(part[value], errors="coerce")
        fig.add_trace(go.Scatter(
            x=part["month"], y=values, name=name, mode="lines+markers", connectgaps=False,
            line=dict(color=PALETTE[i % len(PALETTE)], width=2), marker=dict(size=5),
            customdata=list(zip([fmt.month(m) for m in part["month"]], [fmt.num(v) for v in values])),
            hovertemplate=name + "<br>%{customdata[0]}<br>" + label + ": <b>%{customdata[1]}</b><extra></extra>"))
    _base(fig, 380)
    month_axis(fig, frame["month"])
    return fig


def agreement_status_on(valid_from, valid_until, today, warn_days: int) -> str:
    """One agreement's status on ``today``, as warehouse.agreements.status names a facility's: expired,
    expiring (ends within ``warn_days``), active; one that has not started yet counts as active."""
    until = pd.Timestamp(valid_until).date()
    if until < today:
        return "expired"
    return "expiring" if (until - today).days <= warn_days else "active"


def agreement_timeline(frame: pd.DataFrame, today, today_label: str, status_labels: dict | None = None,
                       warn_days: int | None = None) -> go.Figure:
    """Every facility's agreements as bars from valid-from to valid-until, coloured by their status on
    ``today`` (ui.palette.AGREEMENT, one legend entry per status present; an ended agreement the facility
    has renewed is 'renewed', not 'expired'), with a line at today."""
    from warehouse import settings

    warn = settings.get("PANTAU_AGREEMENT_WARN_DAYS") if warn_days is None else warn_days
    status_labels = status_labels or {}
    stamp = pd.Timestamp(today)
    frame = frame.assign(_status=[agreement_status_on(a, b, stamp.date(), warn)
                                  for a, b in zip(frame["valid_from"], frame["valid_until"])])
    # an ended agreement followed by a later one of the same facility was renewed, not lost
    latest = pd.to_datetime(frame["valid_until"]).groupby(frame["code"]).transform("max")
    renewed = (frame["_status"] == "expired") & (pd.to_datetime(frame["valid_until"]) < latest)
    frame.loc[renewed, "_status"] = "renewed"
    fig = go.Figure()
    start_all = pd.to_datetime(frame["valid_from"])
    end_all = pd.to_datetime(frame["valid_until"]) + pd.Timedelta(days=1)
    for status in ("renewed", "active", "expiring", "expired"):
        part = frame[frame["_status"] == status]
        if part.empty:
            continue
        start = pd.to_datetime(part["valid_from"])
        end = pd.to_datetime(part["valid_until"]) + pd.Timedelta(days=1)
        name = status_labels.get(status, status)
        fig.add_trace(go.Bar(
            base=start, x=(end - start).dt.total_seconds() * 1000, y=part["short_name"], orientation="h",
            marker_color=palette.AGREEMENT[status], opacity=0.9, name=name,
            customdata=list(zip(part["code"], part["number_dispersip"].fillna("–"),
                                [fmt.day(d) for d in part["valid_from"]], [fmt.day(d) for d in part["valid_until"]],
                                [name] * len(part))),
            hovertemplate="<b>%{y}</b><br>%{customdata[1]}<br>%{customdata[2]} – %{customdata[3]}"
                          "<br>%{customdata[4]}<extra></extra>"))
    start, end = start_all, end_all
    _base(fig, max(300, 26 * frame["short_name"].nunique() + 90))
    fig.update_xaxes(type="date")
    fig.update_yaxes(rangemode=None, tickformat=None, gridcolor=None, categoryorder="category descending")
    fig.update_layout(barmode="overlay")
    fig.add_shape(type="line", x0=stamp, x1=stamp, y0=0, y1=1, yref="paper", line=dict(color=PALETTE[4], dash="dash"))
    fig.add_annotation(x=stamp, y=1, yref="paper", text=today_label, showarrow=False, yanchor="bottom",
                       font=dict(color=PALETTE[4]))
    months = pd.date_range(start.min().replace(day=1), max(end.max(), stamp), freq="MS")
    month_axis(fig, months)
    return fig


STATUS_SCORE = {"on_time": 1.0, "late": 0.5, "missing": 0.0, "not_due": None, "closed": None}
CLOSED_SCORE = -0.1  # below every status: grey


def completeness_matrix(frame: pd.DataFrame, status_labels: dict, dataset_labels: dict) -> go.Figure:
    """Facility x month, coloured by the month's worst report: green all on time,
    yellow some late, red some missing, grey closed for every report (no report expected); the
    hover lists each report's status and the notes on that unit-month (a ``notes`` column, when
    the frame has one)."""
    frame = frame.copy()
    frame["score"] = frame["status"].map(STATUS_SCORE)
    # a unit-month closed for every report is grey, not a gap, so its hover shows the note
    frame["score"] = frame["score"].where(~frame.groupby(["short_name", "month"])["status"].transform(
        lambda s: (s == "closed").all()), CLOSED_SCORE)
    noted = frame["notes"] if "notes" in frame else pd.Series([None] * len(frame), index=frame.index)
    frame["noted"] = noted.map(lambda v: "" if fmt.missing(v) else f" · {html.escape(str(v))}")
    cells = frame.groupby(["short_name", "month"])
    score = cells["score"].min().unstack("month").sort_index(ascending=False)
    detail = cells.apply(lambda part: "<br>".join(
        f"{dataset_labels.get(d, d)}: {status_labels.get(s, s)}{n}"
        for d, s, n in zip(part["dataset"], part["status"], part["noted"])))
    detail = detail.unstack("month").reindex(index=score.index, columns=score.columns)
    months = [fmt.month(pd.Timestamp(m).date(), long=False) for m in score.columns]
    custom = [[(months[j], detail.iloc[i, j]) for j in range(len(months))] for i in range(len(score.index))]
    fig = go.Figure(go.Heatmap(
        z=score.to_numpy(dtype=float, na_value=float("nan")), x=list(score.columns), y=list(score.index),
        zmin=CLOSED_SCORE, zmax=1,
        colorscale=[[0, palette.REPORT["closed"]], [0.05, palette.REPORT["closed"]], [1 / 11, palette.REPORT["missing"]],
                    [6 / 11, palette.REPORT["late"]], [1, palette.REPORT["on_time"]]],
        showscale=False, xgap=2, ygap=2, hoverongaps=False, customdata=custom,
        hovertemplate="<b>%{y}</b> · %{customdata[0]}<br>%{customdata[1]}<extra></extra>"))
    _base(fig, max(320, 24 * len(score.index) + 90), legend=False)
    fig.update_yaxes(rangemode=None, tickformat=None, gridcolor=None)
    month_axis(fig, score.columns)
    return fig
