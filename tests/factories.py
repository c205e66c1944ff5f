"""Factories with French defaults: each returns a flushed object; tests commit when they need to."""

from __future__ import annotations

from datetime import date
from itertools import count

from sqlmodel import Session, select

from kb.models import (
    ActionPractitioner,
    Barrier,
    Effect,
    FieldAction,
    Lever,
    Organisation,
    Practitioner,
    Territory,
    Tool,
    UserAccount,
)
from kb.models.base import utcnow
from kb.services.places import ensure_commune
from kb.services.tags import get_or_create_tags

_seq = count(1)
PASSWORD = "mot-de-passe-des-tests"
_HASHES: dict[str, str] = {}  # argon2 is slow on purpose: hash each test password once per run


def password_hash(password: str) -> str:
    """An argon2 hash of a test password, computed once."""
    from kb.services.accounts import hash_password

    if password not in _HASHES:
        _HASHES[password] = hash_password(password)
    return _HASHES[password]


class Factories:
    """Callables that create rows with sensible French defaults."""

    def __init__(self, session: Session):
        self.session = session

    def territory(self, slug: str = "arles") -> Territory:
        """One of the three units (created by the migrated template)."""
        return self.session.exec(select(Territory).where(Territory.slug == slug)).one()

    def organisation(self, **fields) -> Organisation:
        """A centre social in Arles."""
        n = next(_seq)
        defaults = dict(name=f"Centre social Les Tamaris {n}", kind="centre_social", director_name="Claire Fabre",
                        address="4, rue des Arènes", postal_code="13200", commune_insee="13004",
                        phone="04 65 71 00 00", email="accueil@tamaris.example.org")
        defaults.update(fields)
        ensure_commune(self.session, defaults["commune_insee"])
        org = Organisation(**defaults)
        self.session.add(org)
        self.session.flush()
        return org

    def practitioner(self, organisations: list[Organisation] | None = None, **fields) -> Practitioner:
        """A listed assistante de service social who shares her contact details."""
        defaults = dict(first_name="Nadia", last_name=f"Martin-{next(_seq)}", function="ass",
                        actor_category="intervenant", isic_experience="experimente", email="nadia.martin@example.org",
                        phone="04 65 71 12 34", consent_listed=True, consent_contact=True, consent_date=date(2024, 3, 1))
        defaults.update(fields)
        person = Practitioner(**defaults)
        person.organisations = organisations or []
        self.session.add(person)
        self.session.flush()
        return person

    def action(self, *, publics=(), themes=(), people=(), **fields) -> FieldAction:
        """A published group-work action in Arles, with one effect, barrier and lever."""
        defaults = dict(title=f"Atelier cuisine et santé {next(_seq)}",
                        summary="Un atelier collectif hebdomadaire pour des familles du quartier.",
                        writeup="## Contexte\n\nLes familles du quartier Barriol ont exprimé le besoin de se retrouver.",
                        mode="groupe", commune_insee="13004", territory_id=self.territory("arles").id,
                        latitude=43.6766, longitude=4.6278, start_date=date(2012, 2, 24), status="en_cours",
                        publication_status="publiee")
        defaults.update(fields)
        if defaults.get("commune_insee"):
            ensure_commune(self.session, defaults["commune_insee"])
        action = FieldAction(**defaults)
        action.tags = get_or_create_tags(self.session, "public", list(publics)) + \
            get_or_create_tags(self.session, "theme", list(themes))
        action.effects = [Effect(dimension="groupe", description="Les participantes s'entraident hors de l'atelier.",
                                 indicator="8 sur 10 se retrouvent chaque semaine")]
        action.barriers = [Barrier(kind="institutionnel", actor_category="chef_service",
                                   description="Le temps collectif n'est pas compté dans la charge de travail.")]
        action.levers = [Lever(description="Le soutien de la direction du centre social.")]
        action.practitioner_links = [ActionPractitioner(practitioner_id=p.id, role=role) for p, role in people]
        self.session.add(action)
        self.session.flush()
        return action

    def tool(self, actions=(), **fields) -> Tool:
        """A co-built evaluation grid."""
        defaults = dict(title=f"Grille d'évaluation des effets {next(_seq)}", kind="grille",
                        description="Une grille pour repérer les changements vécus par les participant·es.")
        defaults.update(fields)
        tool = Tool(**defaults)
        tool.actions = list(actions)
        self.session.add(tool)
        self.session.flush()
        return tool

    def user(self, role: str = "formateur", *, approved: bool = True, practitioner: Practitioner | None = None,
             email: str | None = None, password: str = PASSWORD, name: str | None = None) -> UserAccount:
        """An account (approved unless told otherwise) with the tests' password."""
        n = next(_seq)
        account = UserAccount(email=email or f"{role}{n}@exemple.fr", display_name=name or f"Compte {role} {n}",
                              role=role, password_hash=password_hash(password),
                              approved_at=utcnow() if approved else None,
                              practitioner_id=practitioner.id if practitioner else None)
        self.session.add(account)
        self.session.flush()
        return account
