"""Plotly figures for the pages, built from the warehouse's frames.

Axis labels, hover texts and number marks follow the page language; months
without a report stay gaps (``connectgaps=False``). No Streamlit here: the
report builder draws the same figures.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ui import fmt
from ui.i18n import label as code_label

PALETTE = ["#0F6E6E", "#E07A1F", "#3B6FB6", "#8E5BA8", "#C2452D", "#5B8C2A", "#B8860B", "#6B6B6B", "#D16BA5",
           "#2F9C95"]
LIBRARY, PUSLING = "#0F6E6E", "#E07A1F"


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
    """Indonesian (or English) month labels on a date axis, at most ~12 ticks."""
    months = sorted({pd.Timestamp(m) for m in months if not pd.isna(m)})
    if not months:
        return
    step = max(1, -(-len(months) // 12))
    ticks = months[::step]
    long = len(months) <= 3
    fig.update_layout({f"{axis}axis": dict(tickvals=ticks, ticktext=[fmt.month(m.date(), long=long) for m in ticks])})


def trend(frame: pd.DataFrame, series: list[tuple[str, str, str]], height: int = 340, bars: bool = False) -> go.Figure:
    """Monthly lines (or bars) for ``(column, label, colour)``; NULL months are gaps."""
    fig = go.Figure()
    labels = [fmt.month(m) for m in frame["month"]]
    for column, label, colour in series:
        values = pd.to_numeric(frame[column], errors="coerce")
        texts = [fmt.num(v) for v in values]
        common = dict(x=frame["month"], y=values, name=label, customdata=list(zip(labels, texts)),
                      hovertemplate="%{customdata[0]}<br>" + label + ": <b>%{customdata[1]}</b><extra></extra>")
        if bars:
            fig.add_trace(go.Bar(marker_color=colour, **common))
        else:
            fig.add_trace(go.Scatter(mode="lines+markers", line=dict(color=colour, width=2.5), marker=dict(size=6),
                                     connectgaps=False, **common))
    _base(fig, height)
    if bars:
        fig.update_layout(barmode="stack", bargap=0.25)
    month_axis(fig, frame["month"])
    return fig


def with_rolling(frame: pd.DataFrame, parts: list[tuple[str, str, str]], rolling: str, rolling_label: str,
                 missing: str | None = None, missing_label: str = "", height: int = 300) -> go.Figure:
    """One facility's monthly bars (``parts`` stacked: column, label, colour), its
    12-month rolling mean, and an x at the foot of each month whose report
    (``missing``: a has_* column) never came."""
    fig = go.Figure()
    months = [fmt.month(m) for m in frame["month"]]
    for column, label, colour in parts:
        values = pd.to_numeric(frame[column], errors="coerce")
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


def heatmap(frame: pd.DataFrame, value: str, label: str, digits: int = 0) -> go.Figure:
    """Facility x month; empty cells are months without a report (or, per capita, without a denominator)."""
    grid = frame.pivot(index="short_name", columns="month", values=value)
    codes = frame.drop_duplicates("short_name").set_index("short_name")["code"]
    grid = grid.sort_index(ascending=False)
    z = grid.to_numpy(dtype=float, na_value=float("nan"))
    months = [fmt.month(pd.Timestamp(c).date(), long=False) for c in grid.columns]
    texts = [[fmt.num(v, digits) for v in row] for row in z]
    custom = [[(codes[name], months[j], texts[i][j]) for j in range(len(months))] for i, name in enumerate(grid.index)]
    fig = go.Figure(go.Heatmap(
        z=z, x=list(grid.columns), y=list(grid.index), colorscale="Teal", hoverongaps=False, customdata=custom,
        hovertemplate="%{y}<br>%{customdata[1]}<br>" + label + ": <b>%{customdata[2]}</b><extra></extra>",
        colorbar=dict(title=None, thickness=12, tickformat=",d"), xgap=1, ygap=1))
    _base(fig, max(320, 24 * len(grid.index) + 90), legend=False)
    fig.update_yaxes(rangemode=None, tickformat=None, gridcolor=None)
    month_axis(fig, grid.columns)
    return fig


def stacked_categories(frame: pd.DataFrame, category: str, value: str, label: str, top: int = 8) -> go.Figure:
    """Monthly stacked bars by category, named in the page language; categories beyond ``top`` are
    summed as 'Lainnya' (Other)."""
    totals = frame.groupby(category)[value].sum().sort_values(ascending=False)
    keep = list(totals.index[:top])
    fig = go.Figure()
    for i, name in enumerate(keep + (["__other"] if len(totals) > top else [])):
        part = frame[frame[category] == name] if name != "__other" else frame[~frame[category].isin(keep)]
        by_month = part.groupby("month")[value].sum().reset_index()
        shown = code_label("category", "Lainnya" if name == "__other" else name)
        fig.add_trace(go.Bar(
            x=by_month["month"], y=by_month[value], name=shown, marker_color=PALETTE[i % len(PALETTE)],
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
    for column, name, colour in (("participants_l", l_label, PALETTE[2]), ("participants_p", p_label, PALETTE[8])):
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
        fig.add_trace(go.Bar(y=totals["short_name"], x=values, name=name, orientation="h", marker_color=colour,
                             customdata=list(zip(totals["code"], [fmt.num(v, digits) for v in values])),
                             hovertemplate="%{y}<br>" + name + ": <b>%{customdata[1]}</b><extra></extra>"))
    _base(fig, max(300, 26 * len(totals) + 80))
    fig.update_layout(barmode="stack")
    fig.update_yaxes(rangemode=None, tickformat=None, gridcolor=None)
    fig.update_xaxes(tickformat=",d", gridcolor="#EEEEEE")
    return fig


def timeline(frame: pd.DataFrame, colour_by: str, labels: dict) -> go.Figure:
    """Sessions as bars from start to end date (one-day sessions drawn one day wide), one colour per
    ``colour_by`` value, named by ``labels`` or else by its translation (``topic_Lainnya``)."""
    fig = go.Figure()
    groups = list(dict.fromkeys(frame[colour_by]))
    for i, group in enumerate(groups):
        part = frame[frame[colour_by] == group]
        start = pd.to_datetime(part["start_date"])
        end = pd.to_datetime(part["end_date"]) + pd.Timedelta(days=1)
        duration_ms = (end - start).dt.total_seconds() * 1000
        fig.add_trace(go.Bar(
            base=start, x=duration_ms, y=part["short_name"], orientation="h", name=labels.get(group, code_label(colour_by, group)),
            marker_color=PALETTE[i % len(PALETTE)],
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


def facility_map(frame: pd.DataFrame, value: str, label: str, tiles: bool,
                 axes: tuple[str, str] = ("Bujur", "Lintang")) -> go.Figure:
    """Facilities sized by ``value``: on map tiles when reachable, else on plain coordinates
    (units sharing approximate coordinates are spread a little; the biggest are labelled)."""
    frame = frame.copy()
    seen: dict[tuple, int] = {}
    for i, (lat, lon) in enumerate(zip(frame["lat"], frame["lon"])):
        k = seen.get((lat, lon), 0)
        seen[(lat, lon)] = k + 1
        if k:
            frame.iloc[i, frame.columns.get_loc("lat")] = lat - 0.06 * k
            frame.iloc[i, frame.columns.get_loc("lon")] = lon + 0.06 * k
    size = pd.to_numeric(frame[value], errors="coerce").fillna(0)
    scaled = 10 + 40 * (size / size.max()) ** 0.5 if size.max() > 0 else size * 0 + 12
    custom = list(zip(frame["code"], [fmt.num(v) for v in size], frame["regency"]))
    hover = "<b>%{text}</b><br>%{customdata[2]}<br>" + label + ": %{customdata[1]}<extra></extra>"
    if tiles:
        fig = go.Figure(go.Scattermap(
            lat=frame["lat"], lon=frame["lon"], text=frame["short_name"], customdata=custom, hovertemplate=hover,
            mode="markers", marker=dict(size=scaled, color=PALETTE[0], opacity=0.75)))
        fig.update_layout(map=dict(style="carto-positron", center=dict(lat=-3.0, lon=115.3), zoom=6.2))
        fig.update_layout(height=460, margin=dict(l=0, r=0, t=0, b=0), showlegend=False)
        return fig
    labelled = size.rank(ascending=False, method="first") <= 8
    fig = go.Figure(go.Scatter(
        x=frame["lon"], y=frame["lat"], text=frame["short_name"], customdata=custom, hovertemplate=hover,
        texttemplate=[("%{text}" if keep else "") for keep in labelled],
        mode="markers+text", textposition="top center", textfont=dict(size=11),
        marker=dict(size=scaled, color=PALETTE[0], opacity=0.7, line=dict(color="white", width=1))))
    _base(fig, 460, legend=False)
    fig.update_xaxes(title=axes[0], tickformat=".1f", showgrid=True, gridcolor="#F0F0F0",
                     range=[frame["lon"].min() - 0.4, frame["lon"].max() + 0.4])
    fig.update_yaxes(title=axes[1], tickformat=".1f", rangemode=None, scaleanchor="x", scaleratio=1,
                     range=[frame["lat"].min() - 0.3, frame["lat"].max() + 0.3])
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
    """One line per facility (the ``top`` largest), months without a figure as gaps."""
    order = frame.groupby("short_name")[value].max().sort_values(ascending=False)
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


def agreement_timeline(frame: pd.DataFrame, today, today_label: str) -> go.Figure:
    """Every facility's agreements as bars from valid-from to valid-until, with a line at today."""
    fig = go.Figure()
    start = pd.to_datetime(frame["valid_from"])
    end = pd.to_datetime(frame["valid_until"]) + pd.Timedelta(days=1)
    fig.add_trace(go.Bar(
        base=start, x=(end - start).dt.total_seconds() * 1000, y=frame["short_name"], orientation="h",
        marker_color=PALETTE[0], opacity=0.85,
        customdata=list(zip(frame["code"], frame["number_dispersip"].fillna("–"),
                            [fmt.day(d) for d in frame["valid_from"]], [fmt.day(d) for d in frame["valid_until"]])),
        hovertemplate="<b>%{y}</b><br>%{customdata[1]}<br>%{customdata[2]} – %{customdata[3]}<extra></extra>"))
    _base(fig, max(300, 26 * frame["short_name"].nunique() + 90), legend=False)
    fig.update_xaxes(type="date")
    fig.update_yaxes(rangemode=None, tickformat=None, gridcolor=None, categoryorder="category descending")
    stamp = pd.Timestamp(today)
    fig.add_shape(type="line", x0=stamp, x1=stamp, y0=0, y1=1, yref="paper", line=dict(color=PALETTE[4], dash="dash"))
    fig.add_annotation(x=stamp, y=1, yref="paper", text=today_label, showarrow=False, yanchor="bottom",
                       font=dict(color=PALETTE[4]))
    months = pd.date_range(start.min().replace(day=1), max(end.max(), stamp), freq="MS")
    month_axis(fig, months)
    return fig


STATUS_SCORE = {"on_time": 1.0, "late": 0.5, "missing": 0.0, "not_due": None}


def completeness_matrix(frame: pd.DataFrame, status_labels: dict, dataset_labels: dict) -> go.Figure:
    """Facility x month, coloured by the month's worst report: green all on time,
    yellow some late, red some missing; the hover lists each report's status."""
    frame = frame.copy()
    frame["score"] = frame["status"].map(STATUS_SCORE)
    cells = frame.groupby(["short_name", "month"])
    score = cells["score"].min().unstack("month").sort_index(ascending=False)
    detail = cells.apply(lambda part: "<br>".join(
        f"{dataset_labels.get(d, d)}: {status_labels.get(s, s)}" for d, s in zip(part["dataset"], part["status"])))
    detail = detail.unstack("month").reindex(index=score.index, columns=score.columns)
    months = [fmt.month(pd.Timestamp(m).date(), long=False) for m in score.columns]
    custom = [[(months[j], detail.iloc[i, j]) for j in range(len(months))] for i in range(len(score.index))]
    fig = go.Figure(go.Heatmap(
        z=score.to_numpy(dtype=float, na_value=float("nan")), x=list(score.columns), y=list(score.index),
        zmin=0, zmax=1, colorscale=[[0, "#C2452D"], [0.5, "#F2C14E"], [1, "#0F6E6E"]], showscale=False,
        xgap=2, ygap=2, hoverongaps=False, customdata=custom,
        hovertemplate="<b>%{y}</b> · %{customdata[0]}<br>%{customdata[1]}<extra></extra>"))
    _base(fig, max(320, 24 * len(score.index) + 90), legend=False)
    fig.update_yaxes(rangemode=None, tickformat=None, gridcolor=None)
    month_axis(fig, score.columns)
    return fig
