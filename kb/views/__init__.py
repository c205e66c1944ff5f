"""Blueprints, one per domain; `init_app` registers them all."""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter

from kb.forms.base import MAX_ID


def coordinate_or_none(raw, limit: float = 180) -> float | None:
    """A coordinate typed in a form (comma or point) within ±limit (90 for a latitude), or None."""
    try:
        value = float(str(raw or "").strip().replace(",", "."))
    except ValueError:
        return None
    return value if -limit <= value <= limit else None  # NaN fails both comparisons


class RecordIdConverter(IntegerConverter):
    """``<int:…>`` in URLs: a larger number than an id can hold is a 404, not a database error."""

    def __init__(self, url_map, *args, **kwargs) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def init_app(app: Flask) -> None:
    """Register every blueprint."""
    app.url_map.converters["int"] = RecordIdConverter
    from kb import policy
    from kb.models import FieldAction
    from kb.services import geo as geo_services
    from kb.views import (
        accounts,
        actions,
        admin,
        agenda,
        api,
        api_v1,
        cahiers,
        geo,
        imports,
        main,
        moderation,
        observatory,
        organisations,
        practitioners,
        search,
        seminar_team,  # noqa: F401  (adds the team's routes to the seminars blueprint)
        seminars,
        territories,
        tools,
        vocabulary,
        workshops,
    )
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

    @app.template_global("location_map")
    def location_map(obj):
        """Small map of an action or organisation page (None when it has no position)."""
        place = geo_services.action_place(obj) if isinstance(obj, FieldAction) else geo_services.organisation_place(obj)
        return geo.small_map(place)

    @app.template_global("actions_map")
    def actions_map(actions, map_id: str = "actions-carte", label: str = "Carte des actions"):
        """A map of a list of actions (those with a position), popups included."""
        places = [p for p in (geo_services.action_place(a) for a in actions) if p is not None]
        return geo.render_points(places, map_id=map_id, height="320px", label=label) if places else None

    @app.template_global("picker_map")
    def picker_map(values):
        """Map of a form: a click fills the latitude and longitude fields."""
        lat, lon = coordinate_or_none(values.get("latitude"), 90), coordinate_or_none(values.get("longitude"))
        return geo.picker_map(lat, lon) if lat is not None and lon is not None else geo.picker_map(None, None)

    @app.template_global("directory_visible")
    def directory_visible() -> bool:
        """Whether names may link to the practitioner directory (signed-in users)."""
        return policy.can_see_directory(current_viewer())

    app.add_template_global(policy.is_public, "public_action")

    @app.template_global("export_url")
    def export_url(endpoint: str, fmt: str) -> str:
        """The download of a list in ``fmt``, with the page's own filters and text (not its page number)."""
        from flask import request, url_for

        args = {key: request.args.getlist(key) for key in request.args if key not in ("page", "fmt")}
        return url_for(endpoint, fmt=fmt, **args)

    @app.template_test("shown_presentation")
    def shown_presentation(presentation) -> bool:
        """A presentation whose action this viewer may see (an action unpublished later stays hidden)."""
        return policy.is_public(presentation.action) or policy.can_run_workshops(current_viewer())

    @app.template_global("may")
    def may(rule: str, obj=None) -> bool:
        """Ask the policy from a template: {% if may('edit_action', action) %}."""
        check = getattr(policy, f"can_{rule}", None) or getattr(policy, f"is_{rule}")
        return check(current_viewer(), obj) if obj is not None else check(current_viewer())

    from kb import csrf

    # The API writes only with a personal token (kb/views/api_v1.py: _writer), never with a browser's cookie:
    # a cross-site request cannot carry the token, so CSRF tokens are not needed there.
    csrf.exempt(api_v1.bp)
    for module in (main, actions, organisations, practitioners, territories, tools, search, geo, api, accounts,
                   admin, moderation, workshops, agenda, observatory, vocabulary, seminars, cahiers, api_v1, imports):
        app.register_blueprint(module.bp)
