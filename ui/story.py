"""The overview's opening sentences and its 'perlu perhatian' list, worded from
:mod:`warehouse.story`'s facts in the page language."""

from __future__ import annotations

from ui import fmt
from ui.i18n import label, t
from ui.provisional import KpiNotes
from warehouse.story import Facts

ATTENTION_ITEMS = 8   # items listed; the rest are counted
STORY_NAMES = 4       # units named in the opening sentence; the rest are counted (the list names them)


def _names(names: list[str]) -> str:
    return ", ".join(fmt.md(n) for n in names)


def _reports(datasets: list[str]) -> str:
    """'kunjungan, pelatihan': the reports still outstanding, in the page language."""
    return ", ".join(label("dataset", d).lower() for d in datasets)


def sentences(facts: Facts, current: dict, loans: KpiNotes, month, units: int, base: int) -> list[str]:
    """One or two sentences: what changed (like for like against the previous period, and 'sementara'
    while a report is outstanding: ``loans``, the loans card's notes), who has not reported the latest
    month, who is lowest per 100 WBP and who improved most."""
    compared = loans.previous
    change = t("story_change", change=fmt.pct(compared.change), n=compared.units, total=units) \
        if compared is not None and compared.change is not None else ""
    first = t("story_loans", value=fmt.num(current.get("loans")), change=change,
              provisional=f" ({t('prov_mark')})" if loans.provisional else "")
    if facts.not_reported:
        named = [f"{fmt.md(name)} ({_reports(datasets)})" for name, datasets in facts.not_reported.items()]
        if len(named) > STORY_NAMES:
            named = named[:STORY_NAMES] + [t("story_and_others", n=len(named) - STORY_NAMES)]
        first += " " + t("story_not_reported", n=len(facts.not_reported), m=units, month=fmt.month(month),
                         names=", ".join(named))
    else:
        first += " " + t("story_all_reported", m=units, month=fmt.month(month))
    second = []
    if facts.lowest:
        second.append(t("story_lowest", name=fmt.md(facts.lowest[0]), rate=fmt.num(facts.lowest[1], 1), base=base))
    if facts.improved:
        second.append(t("story_improved", name=fmt.md(facts.improved[0]), change=fmt.pct(facts.improved[1]), base=base))
    return [first] + ([" ".join(second)] if second else [])


def attention(facts: Facts, month, base: int, flags: list[str] = ()) -> list[str]:
    """What needs a look first: the figures still flagged 'perlu dicek' (``flags``, their sentences),
    then the units that need a call: a report for the latest month not in, a fall of loans per 100
    WBP, no occupancy figure; at most :data:`ATTENTION_ITEMS` lines, then how many more."""
    items = [t("attention_flag", text=fmt.md(text)) for text in flags]
    items += [t("attention_not_reported", name=fmt.md(n), month=fmt.month(month), reports=_reports(datasets))
             for n, datasets in facts.not_reported.items()]
    items += [t("attention_declined", name=fmt.md(n), change=fmt.pct(c, signed=False), base=base) for n, c in facts.declined]
    items += [t("attention_no_denominator", name=fmt.md(n)) for n in facts.no_denominator]
    if len(items) > ATTENTION_ITEMS:
        items = items[:ATTENTION_ITEMS] + [t("and_more", n=len(items) - ATTENTION_ITEMS)]
    return items
