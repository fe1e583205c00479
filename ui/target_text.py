"""Texts about targets that pages and reports share, without Streamlit's caches (the report's command line
imports this): how a pro-rata target was made."""

from __future__ import annotations

from ui.i18n import t


def basis_text(basis: str) -> str:
    """warehouse.targets.lkjip's basis in words: 'seasonal:2024,2025' or 'linear'."""
    if basis.startswith("seasonal:"):
        return t("capaian_basis_seasonal", years=", ".join(basis.split(":", 1)[1].split(",")))
    return t("capaian_basis_linear")
