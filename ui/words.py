"""Stored texts that carry codes, shown in the user's language: the audit log's details (written by the
warehouse in a fixed form, e.g. ``rekap.xlsx: loans, 8 baris dimuat, 0 ditolak``) read with their dataset,
role and method codes translated, in Indonesian or English."""

from __future__ import annotations

import re

from etl.safety import safe_filename
from ui.i18n import label, t

_UPLOAD = re.compile(r"^(?P<file>.*): (?P<dataset>[a-z_]+), (?P<rows>\d+) baris dimuat, (?P<refused>\d+) ditolak$",
                     re.S)
_REPLACE = re.compile(r"^batch (?P<batches>[\d, ]+) digantikan untuk (?P<n>\d+) sel fasilitas-bulan$")
_CELLS = re.compile(r"^(?P<n>\d+) sel fasilitas-bulan$")
_PURGED = re.compile(r"^(?P<n>\d+) berkas asli dihapus \(retensi (?P<days>\d+) hari\)$")
_ROLE_CHANGE = re.compile(r"^(?P<user>.*): (?P<old>[a-z]+) -> (?P<new>[a-z]+)$", re.S)
_ADDED = re.compile(r"^(?P<user>.*) \((?P<role>[a-z]+)\)(?P<first>, first start)?$", re.S)
_WAITING = re.compile(r"waiting until (?P<until>\d\d:\d\d:\d\d)")
_ATTEMPT = re.compile(r"^attempt (?P<n>\d+)")


def _failed(detail: str) -> str:
    text = detail
    text = text.replace("unknown account", t("audit_unknown_account"))
    text = text.replace("account disabled", t("audit_account_disabled"))
    text = _ATTEMPT.sub(lambda m: t("audit_attempt", n=m["n"]), text)
    return _WAITING.sub(lambda m: t("audit_waiting", until=m["until"].replace(":", ".")), text)


def audit_detail(action: str, detail) -> str:
    """An audit entry's detail in the page language (unknown forms are shown as stored)."""
    if detail is None or detail != detail or detail == "":
        return ""
    detail = str(detail)
    if action == "login" and detail == "password":
        return t("audit_method_password")
    if action == "login_failed":
        return _failed(detail)
    if action == "upload" and (m := _UPLOAD.match(detail)):
        return t("audit_upload", file=m["file"], dataset=label("dataset", m["dataset"]), rows=m["rows"],
                 refused=m["refused"])
    if action == "replace" and (m := _REPLACE.match(detail)):
        return t("audit_replace", batches=m["batches"], n=m["n"])
    if action in ("undo", "restore") and (m := _CELLS.match(detail)):
        return t("audit_cells", n=m["n"])
    if action == "originals_purged" and (m := _PURGED.match(detail)):
        return t("audit_purged", n=m["n"], days=m["days"])
    if action == "account_role" and (m := _ROLE_CHANGE.match(detail)):
        return f"{m['user']}: {label('role', m['old'])} → {label('role', m['new'])}"
    if action == "account_add" and (m := _ADDED.match(detail)):
        return f"{m['user']} ({label('role', m['role'])})" + (f", {t('audit_first_start')}" if m["first"] else "")
    return detail


def counted(n: int, key: str) -> str:
    """``n`` with its noun, singular for one in English (``1 note``, ``2 notes``; Indonesian has one form):
    keys ``<key>_one`` and ``<key>_many``."""
    from ui import fmt

    return t(f"{key}_one" if n == 1 else f"{key}_many", n=fmt.num(n))


def template_name(dataset: str) -> str:
    """A blank template's file name in the user's language: ``templat_peminjaman.xlsx`` (the upload page,
    the reminders' attachments and ``etl template``)."""
    stem = safe_filename(f"{t('template_file')}_{label('dataset', dataset)}".lower().replace(" ", "_"))
    return re.sub(r"_+", "_", stem) + ".xlsx"
