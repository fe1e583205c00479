"""The README's generated parts: the column table of every dataset (from
``etl.specs``) and the configuration table (from ``warehouse.settings``).

``python -m etl docs`` rewrites them between their markers; ``--check`` (and a
test) fails when the README differs from what the specs say.
"""

from __future__ import annotations

import re
from pathlib import Path

from etl.specs import DATASETS
from warehouse.settings import SETTINGS

README = Path(__file__).resolve().parent.parent / "README.md"
KINDS = {
    "text": "teks", "id": "ID (disamarkan)", "name": "nama (dibuang)", "date": "tanggal", "month": "bulan",
    "count": "bilangan bulat", "gender": "L/P", "gender_or_counts": "L/P atau '12 Laki-laki<br>8 Perempuan'",
    "facility": "fasilitas", "category": "kategori/DDC", "group": "WBP/Petugas/Anak/Umum",
    "service": "Perpustakaan/Pusling", "audience": "WBP/Pengelola", "status": "0/1, Dipinjam/Dikembalikan",
    "visit_kind": "Perorangan/Rombongan", "scope": "daftar ruang lingkup", "year": "tahun",
}


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("<br>", "&lt;br&gt;").replace("\n", " ")


def columns_markdown() -> str:
    out = []
    for ds in DATASETS.values():
        out.append(f"### {ds.title_id} (`{ds.key}`) — {ds.title_en}\n")
        out.append(f"{ds.grain_id} *{ds.grain_en}*\n")
        out.append(f"{ds.row_shape_help_id}\n")
        out.append("| Kolom (templat) | Column | Jenis | Wajib | Juga dikenali sebagai | Arti |")
        out.append("|---|---|---|---|---|---|")
        for c in ds.columns:
            synonyms = ", ".join(c.synonyms[:8]) + (", …" if len(c.synonyms) > 8 else "")
            in_shapes = [c.key in shape for shape in ds.row_shapes]
            required = "ya" if c.required or all(in_shapes) else ("salah satu bentuk" if any(in_shapes) else "")
            out.append(f"| {_cell(c.header_id)} | {_cell(c.header_en)} | {_cell(KINDS[c.kind])} | "
                       f"{required} | {_cell(synonyms)} | {_cell(c.help_id)} |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def settings_markdown() -> str:
    out = ["| Variabel | Bawaan | Arti | Meaning |", "|---|---|---|---|"]
    for s in SETTINGS:
        default = f"`{s.default}`" if s.default else "(kosong)"
        out.append(f"| `{s.name}` | {default} | {_cell(s.help_id)} | {_cell(s.help_en)} |")
    return "\n".join(out) + "\n"


SECTIONS = {"columns": columns_markdown, "settings": settings_markdown}


def _replace(text: str, name: str, body: str) -> str:
    pattern = re.compile(rf"(<!-- BEGIN GENERATED: {name} -->\n)(.*?)(<!-- END GENERATED: {name} -->)", re.S)
    if not pattern.search(text):
        raise ValueError(f"README.md has no markers for the generated section '{name}'")
    return pattern.sub(lambda m: m.group(1) + body + m.group(3), text)


def render(text: str) -> str:
    for name, make in SECTIONS.items():
        text = _replace(text, name, make())
    return text


def write_readme(path: Path = README) -> None:
    path.write_text(render(path.read_text(encoding="utf-8")), encoding="utf-8")


def check_readme(path: Path = README) -> list[str]:
    text = path.read_text(encoding="utf-8")
    problems = []
    if render(text) != text:
        problems.append("README.md is out of date: run `python -m etl docs`")
    for s in SETTINGS:
        if f"`{s.name}`" not in text:
            problems.append(f"README.md does not document {s.name}")
    return problems
