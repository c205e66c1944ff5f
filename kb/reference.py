"""Reference data every installation has: the institute's three units and the communes they cover.

Addresses and phones are those printed in the observatory's 2012 founding document (institutional
contacts, not personal data).
"""

from __future__ import annotations

from sqlmodel import Session, select

from kb.models import Territory
from kb.services.places import ensure_commune

MARSEILLE_ARRONDISSEMENTS = [f"132{n:02d}" for n in range(1, 17)]

UNITS = [
    {
        "slug": "marseille", "name": "Marseille", "unit_label": "Unité de formation Marseille",
        "address": "IMF, 13, rue Chape – BP 50054", "postal_code": "13244", "city": "Marseille Cedex 1",
        "phone": "04 91 36 51 30", "fax": "04 91 36 51 39", "email": "unite.chape@imf.asso.fr",
        "latitude": 43.3066, "longitude": 5.3994,
        "communes": MARSEILLE_ARRONDISSEMENTS + ["13005", "13028", "13054", "13117", "13056", "13001", "13002",
                                                 "13106", "13071", "13062", "13114"],
    },
    {
        "slug": "avignon", "name": "Avignon", "unit_label": "Unité de formation Avignon",
        "address": "IMF, 641, chemin de la Verdrière – BP 10045", "postal_code": "84142",
        "city": "Montfavet Cedex", "phone": "04 32 40 41 80", "fax": "04 32 40 41 88",
        "email": "unite.vaucluse@imf.asso.fr", "latitude": 43.9336, "longitude": 4.8742,
        "communes": ["84007", "84031", "84035", "84087", "84092", "84129", "84054", "84003", "30351", "30011",
                     "84141", "84089"],
    },
    {
        "slug": "arles", "name": "Arles", "unit_label": "Antenne de formation Arles",
        "address": "IMF, Village Entreprises, Z.I. Nord – 1, rue Copernic", "postal_code": "13200",
        "city": "Arles", "phone": "04 90 52 02 38", "fax": "04 90 52 02 69", "email": "unite.arles@imf.asso.fr",
        "latitude": 43.6950, "longitude": 4.6395,
        "communes": ["13004", "13108", "13097", "13100", "13078", "13027", "30032", "13103", "13039", "13047"],
    },
]


def ensure_units(session: Session) -> list[Territory]:
    """Create the three units and their communes when missing; leaves edited units as they are."""
    units = []
    for spec in UNITS:
        fields = {k: v for k, v in spec.items() if k != "communes"}
        unit = session.exec(select(Territory).where(Territory.slug == spec["slug"])).first()
        if unit is None:
            unit = Territory(**fields)
            unit.communes = [ensure_commune(session, code) for code in spec["communes"]]
            session.add(unit)
        units.append(unit)
    session.flush()
    return units


def territory_for_commune(units: list[Territory], insee: str) -> Territory | None:
    """The unit that covers a commune, if any."""
    return next((u for u in units if any(c.insee == insee for c in u.communes)), None)

