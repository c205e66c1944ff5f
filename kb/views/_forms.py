"""The create/edit form cycle shared by views: parse -> service -> commit -> redirect, or re-display."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect, render_template, request
from werkzeug.datastructures import MultiDict

from kb.auth import current_viewer
from kb.db import commit, get_session
from kb.errors import DomainError
from kb.forms.base import FormResult

__all__ = ["button_cycle", "current_viewer", "delete_cycle", "form_cycle"]


def form_cycle(*, parse: Callable[[Any], FormResult], save: Callable[[Any], Any], template: str,
               initial: MultiDict, success: Callable[[Any], str], message: str | Callable[[Any], str],
               warn: Callable[[Any], list[str]] | None = None, **context: Any):
    """GET shows the form; POST validates, saves, commits once and redirects, or re-displays with errors.

    ``warn`` lists doubts about valid input (a similar action exists, a write-up names someone): the
    form comes back with them until the user ticks the confirmation box.
    """
    values, errors, warnings = initial, {}, []
    if request.method == "POST":
        values = request.form
        result = parse(request.form)
        errors = result.errors
        if result.ok and warn is not None and request.form.get("confirm_warnings") != "1":
            warnings = warn(result.data)
        if result.ok and not warnings:
            try:
                saved = save(result.data)
                commit()
            except DomainError as exc:
                commit() if exc.keep else get_session().rollback()
                errors = {exc.field or "__all__": exc.message}
            else:
                flash(message(saved) if callable(message) else message, "success")
                return redirect(success(saved))
        status = 200 if warnings and not errors else 422
    else:
        status = 200
    return render_template(template, values=values, errors=errors, warnings=warnings, **context), status


def delete_cycle(*, obj: Any, delete: Callable[[Any], None], template: str, success: str, message: str,
                 **context: Any):
    """GET asks for confirmation; POST deletes, commits and redirects, or explains why it cannot."""
    if request.method == "POST":
        try:
            delete(obj)
            commit()
        except DomainError as exc:
            get_session().rollback()
            return render_template(template, obj=obj, error=exc.message, **context), 422
        flash(message, "success")
        return redirect(success)
    return render_template(template, obj=obj, **context)


def button_cycle(run: Callable[[], str], back: str):
    """A one-button POST (vote, join, register, decide): run the service and commit once, flashing the French
    message it returns, or roll back and flash why it cannot be done; either way back to ``back``."""
    try:
        message = run()
        commit()
    except DomainError as exc:
        get_session().rollback()
        flash(exc.message, "error")
    else:
        flash(message, "success")
    return redirect(back)
