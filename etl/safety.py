"""Neutralising what the app writes for spreadsheet programs.

A text cell that begins with ``=``, ``+``, ``-`` or ``@`` (or a tab/carriage
return), also after leading spaces, is a formula to Excel and LibreOffice:
prefix it with an apostrophe so it stays text. Numbers are left alone. File
names offered for download are reduced to letters, digits, dot, dash and
underscore.
"""

from __future__ import annotations

import re
import unicodedata

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if isinstance(value, str) and value.lstrip(" \u00a0").startswith(_FORMULA_START):
        return "'" + value
    return value


def safe_filename(name: str, default: str = "unduhan") -> str:
    name = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._")
    return name[:120] or default
