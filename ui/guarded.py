"""The one pattern of every admin (or staff) form: the role checked again at the moment of the action,
the warehouse called, its refusal or the success said in one sentence.

The warehouse checks the role once more inside the action's own transaction
(:func:`warehouse.accounts.require_role`); this check stops the page with the usual "not allowed"
sentence before anything is asked of the warehouse."""

from __future__ import annotations

from typing import Any, Callable

import streamlit as st

from ui import auth, fmt
from ui.i18n import lang
from warehouse.accounts import AccountError, User


def act(role: str, action: Callable[[User], Any], success: str | Callable[[Any], str] | None = None) -> bool:
    """Run ``action(user)`` for the signed-in user if they hold ``role`` now (the page stops otherwise).
    A refusal (an :class:`AccountError`, in the page's language where it has both) shows as an error and
    gives False; otherwise ``success`` (a sentence, or one made from the action's result; None: nothing)
    shows and it gives True."""
    who = auth.require(role)
    try:
        result = action(who)
    except AccountError as exc:
        st.error(fmt.md(exc.text(lang()) if hasattr(exc, "text") else str(exc)))
        return False
    message = success(result) if callable(success) else success
    if message:
        st.success(message)
    return True
