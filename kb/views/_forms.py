"""The create/edit form cycle shared by views: parse -> service -> commit -> redirect, or re-display."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect, render_template, request
from werkzeug.datastructures import MultiDict

from kb.db import commit, get_session
from kb.errors import DomainError
from kb.forms.base import FormResult
from kb.policy import ANONYMOUS, Viewer


def current_viewer() -> Viewer:
    """The person making the request (anonymous until accounts exist)."""
    return ANONYMOUS


def form_cycle(*, parse: Callable[[Any], FormResult], save: Callable[[Any], Any], template: str,
               initial: MultiDict, success: Callable[[Any], str], message: str, **context: Any):
    """GET shows the form; POST validates, saves, commits once and redirects, or re-displays with errors."""
    values, errors = initial, {}
    if request.method == "POST":
        values = request.form
        result = parse(request.form)
        errors = result.errors
        if result.ok:
            try:
                saved = save(result.data)
                commit()
            except DomainError as exc:
                get_session().rollback()
                errors = {exc.field or "__all__": exc.message}
            else:
                flash(message, "success")
                return redirect(success(saved))
        status = 422
    else:
        status = 200
    return render_template(template, values=values, errors=errors, **context), status


def delete_cycle(*, obj: Any, delete: Callable[[Any], None], template: str, success: str, message: str,
                 **context: Any):
    """GET asks for confirmation; POST deletes, commits and redirects."""
    if request.method == "POST":
        delete(obj)
        commit()
        flash(message, "success")
        return redirect(success)
    return render_template(template, obj=obj, **context)
