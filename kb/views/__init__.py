"""Blueprints, one per domain; `init_app` registers them all."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register every blueprint."""
    from kb import policy
    from kb.views import actions, api, geo, main, organisations, practitioners, search, territories, tools
    from kb.views._forms import current_viewer

    @app.template_global("listed")
    def listed(person) -> bool:
        """Whether a practitioner may be named on this page."""
        return policy.is_listed(current_viewer(), person)

    @app.template_filter("person_option")
    def person_option(person) -> tuple:
        """(id, label) of a practitioner in a select, unnamed when not listed."""
        name = person.full_name if listed(person) else f"Intervenant·e non listé·e (n° {person.id})"
        return person.id, name

    for module in (main, actions, organisations, practitioners, territories, tools, search, geo, api):
        app.register_blueprint(module.bp)
