"""Turn a planned action into rows: the FieldAction, its people, partners, tags, effects, barriers, levers."""

from __future__ import annotations

import random
import re
import zlib
from dataclasses import dataclass
from datetime import timedelta

from kb.demo import findings
from kb.demo.names import street_address
from kb.demo.organisations import OrgSpec
from kb.demo.people import Person, team_phrase
from kb.demo.places import jitter
from kb.demo.planning import Plan
from kb.demo.vocab import FUNDERS, INSTITUTIONS, PUBLICS, THEMES, Public, a, de, months_phrase
from kb.demo.writeups import Story, compose, restyle
from kb.models import (
    ActionPractitioner,
    Barrier,
    Commune,
    Effect,
    FieldAction,
    Lever,
    Organisation,
    Tag,
    Territory,
)

MODE_WORDS = {"groupe": "travail social de groupe", "communautaire": "travail social communautaire",
              "dsl": "développement social local"}
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre"]
FREQUENCIES = {
    "groupe": ["chaque mardi matin", "un jeudi sur deux en début d'après-midi", "chaque lundi de 14 heures à "
               "16 heures", "tous les quinze jours, le vendredi matin", "chaque mercredi après-midi"],
    "communautaire": ["une fois par mois en soirée", "tous les quinze jours, le samedi matin", "chaque semaine, "
                      "au pied des immeubles", "un soir par semaine"],
    "dsl": ["tous les deux mois", "une fois par trimestre", "chaque mois", "toutes les six semaines"],
}
ROOMS = ["les locaux {org_de}", "une salle prêtée par la mairie annexe", "le local associatif au rez-de-chaussée "
         "d'une tour", "la bibliothèque du quartier", "la salle de réunion de la maison de quartier",
         "un appartement pédagogique mis à disposition par le bailleur"]
DISCREET_ROOMS = ["un lieu dont l'adresse n'est pas communiquée", "un local discret, choisi avec les personnes"]
SUMMARY_TAILS = {
    "terminee": ["Elle a réuni {n} {participants} entre {annee} et {annee_fin}.",
                 "Portée par {org}, l'action s'est déroulée sur {duree} à partir de {annee}."],
    "en_cours": ["L'action, portée par {org}, est en cours depuis {annee}.",
                 "Depuis {annee}, {n} {participants} y ont pris part."],
    "projet": ["Démarrage prévu en {mois} {annee}, en lien avec {partenaire}.",
               "Le projet, porté par {org}, doit démarrer en {mois} {annee}."],
}
ROLES_BY_CATEGORY = {"intervenant": "co_animateur", "chef_service": "referent", "direction": "observateur",
                     "autre": "partenaire"}
CATEGORIES = ["direction", "chef_service", "intervenant", "autre"]


@dataclass
class Cast:
    """The people and organisations an action can draw from, and how often each was used already."""

    people: list[Person]
    orgs: list[tuple[OrgSpec, Organisation]]
    uses: dict[int, int]

    def least_used(self, rng: random.Random, candidates: list[Person]) -> Person:
        """One of the candidates with the fewest actions so far (spreads people over actions)."""
        fewest = min(self.uses[id(p)] for p in candidates)
        person = rng.choice([p for p in candidates if self.uses[id(p)] == fewest])
        self.uses[id(person)] += 1
        return person


def _team(rng: random.Random, cast: Cast, territory: Territory, insee: str) -> list[Person]:
    local = [p for p in cast.people if p.row.territory is territory]
    # Services of the State and landlords support actions; they rarely lead them.
    leads = [p for p in local if p.row.actor_category in ("intervenant", "chef_service")
             and p.row.organisations[0].kind not in ("etat", "bailleur")]
    # Most actions are led from an organisation of their own commune, when there is one.
    nearby = [p for p in leads if p.row.organisations[0].commune_insee == insee]
    if nearby and rng.random() < 0.75:
        leads = nearby
    team = [cast.least_used(rng, leads)]
    for _ in range(rng.choice([0, 1, 1, 2, 2, 3])):
        team.append(cast.least_used(rng, [p for p in local if p not in team]))
    return team


def _effects(rng: random.Random, numbers: dict[str, int], planned: bool, themes: tuple[str, ...]
             ) -> list[tuple[str, str, str]]:
    dims = rng.sample(list(findings.EFFECTS), 2)
    dims += [rng.choice(list(findings.EFFECTS)) for _ in range(rng.randint(0, 3))]
    chosen: list[tuple[str, str, str]] = []
    used: list[tuple[str, str, str]] = []
    for dim in dims:
        options = [e for e in findings.EFFECTS[dim] if e not in used and findings.effect_fits(e[0], themes)]
        desc, indicator, expected = rng.choice(options)
        used.append((desc, indicator, expected))
        # An action that has not started yet can only state the effects it expects.
        text = f"Effet attendu : {expected}." if planned else desc
        chosen.append((dim, text, ("à mesurer : " if planned else "") + indicator.format(**numbers)))
    return chosen


OBSERVERS = {"observe": ["l'équipe d'animation", "la cheffe de service", "le comité de suivi", "les deux co-animatrices"],
             "declare": ["les participant·es (questionnaire de fin de cycle)", "les habitant·es (entretiens)",
                         "les familles (bilan collectif)"],
             "mesure": ["la coordinatrice du projet", "le chef de service", "le comité de pilotage"]}


def _evidence(indicator: str, plan: Plan) -> dict:
    """How a demo effect is known. A generator of its own, seeded by the text, leaves the main draws alone
    (adding this field did not change the demo's other data)."""
    if indicator.startswith("à mesurer") or plan.start is None:
        return {}
    rng = random.Random(zlib.crc32(indicator.encode()) ^ plan.start.toordinal())
    kind = ("declare" if any(w in indicator for w in ("questionnaire", "disent", "expriment", "entretien"))
            else "mesure" if any(ch.isdigit() for ch in indicator) and rng.random() < 0.7 else "observe")
    found = {"evidence_kind": kind, "observer": rng.choice(OBSERVERS[kind]),
             "observed_on": plan.end or plan.start + timedelta(days=240)}
    numbers = [int(n) for n in re.findall(r"\d+", indicator)]
    if kind == "mesure" and numbers:
        found["value_after"] = float(numbers[0])
        found["value_before"] = float(round(numbers[0] * rng.choice([0, 0.2, 0.25, 0.4, 0.5])))
    return found


def _barriers(rng: random.Random) -> list[tuple[str, str, str]]:
    # Two different categories at least, so each action shows diverging points of view.
    categories = rng.sample(CATEGORIES, 2) + [rng.choice(CATEGORIES) for _ in range(rng.randint(0, 4))]
    chosen: list[tuple[str, str, str]] = []
    for category in categories:
        options = [b for b in findings.BARRIERS if b[0] == category and b not in chosen]
        chosen.append(rng.choice(options))
    return chosen


def _institutions(year: int) -> list[str]:
    return [("Pôle emploi" if name == "France Travail" and year < 2024 else name) for name in INSTITUTIONS]


def _context(rng: random.Random, plan: Plan, commune: Commune, lead: Person, partners: list[OrgSpec],
             public: Public, n: int, sessions: int) -> dict[str, str]:
    """The placeholders of the sentence material, filled for this action."""
    project = plan.project
    org_spec = lead.specs[0]
    # Sentences read "agir sur le logement": the evaluation theme is a method, not a subject.
    theme = THEMES[next((t for t in project.themes if t != "Évaluation"), "Lien social")]
    institutions = rng.sample(_institutions(plan.year), 3)
    quarter_le = plan.quarter.le if plan.quarter else f"le territoire {plan.place.de}"
    population = rng.randint(25, 120) * 100 if plan.quarter else (commune.population or 10000)
    ctx = {
        "ville": plan.place.city, "a_commune": plan.place.a, "de_commune": plan.place.de,
        "dans_quartier": plan.where, "quartier_le": quarter_le, "pop": f"{population:,}".replace(",", " "),
        "public_les": public.les, "public_des": public.des, "public_aux": a(public.les),
        "theme_le": theme.le, "theme_de": de(theme.le), "theme_a": a(theme.le),
        "org": org_spec.phrase, "org_de": de(org_spec.phrase),
        "partenaire": partners[0].phrase if partners else institutions[0],
        "partenaire2": partners[1].phrase if len(partners) > 1 else institutions[1],
        "institution": institutions[1], "institution2": institutions[2],
        "n": str(n), "n_fideles": str(round(n * rng.uniform(0.45, 0.8))), "n_seances": str(sessions),
        "duree": months_phrase(plan.months), "annee": str(plan.year), "annee_suiv": str(plan.year + 1),
        "annee_fin": str(plan.end.year if plan.end else plan.year + 1), "mois": MONTHS[plan.start.month - 1],
        "frequence": rng.choice(FREQUENCIES[project.mode]), "activite": project.activity,
        "participants": "participantes" if public.female else "participant·es",
        "porteur": lead.function_phrase(), "mode_label": MODE_WORDS[project.mode],
    }
    ctx["financeur"] = rng.choice(FUNDERS)
    ctx["financeur_de"] = de(ctx["financeur"])
    ctx["lieu"] = rng.choice(DISCREET_ROOMS if project.sensitive else ROOMS).format(**ctx)
    return ctx


def build_action(rng: random.Random, plan: Plan, commune: Commune, territory: Territory, cast: Cast,
                 tags: dict[tuple[str, str], Tag]) -> FieldAction:
    """A FieldAction with everything attached, its write-up composed from the plan."""
    project = plan.project
    team = _team(rng, cast, territory, commune.insee)
    lead, org = team[0], team[0].row.organisations[0]
    others = [o for o in cast.orgs if o[1].territory is territory and o[1] is not org]
    partners = rng.sample(others, min(len(others), rng.choice([0, 1, 1, 2, 2, 3])))
    publics = [PUBLICS[name] for name in project.publics if name == project.publics[0] or rng.random() < 0.5]
    themes = [THEMES[name] for name in project.themes if name == project.themes[0] or rng.random() < 0.6]
    if rng.random() < 0.12 and THEMES["Évaluation"] not in themes:
        themes.append(THEMES["Évaluation"])
    public = publics[0]
    n = {"groupe": rng.randint(8, 16), "communautaire": rng.randint(12, 40), "dsl": rng.randint(20, 80)}[project.mode]
    sessions = rng.randint(6, 30)
    ctx = _context(rng, plan, commune, lead, [spec for spec, _ in partners], public, n, sessions)
    numbers = {"n": n, "k": rng.randint(max(2, n // 2), n), "m": sessions, "s": rng.randint(2, sessions // 2),
               "c": rng.randint(2, 6), "copies": rng.randint(5, 30) * 10, "months": rng.randint(3, 12),
               "pct": rng.randint(55, 95), "annee_suiv": plan.year + 1}
    effects, barriers = _effects(rng, numbers, plan.status == "projet", project.themes), _barriers(rng)
    levers = rng.sample(findings.LEVERS, rng.randint(1, 3))
    story = Story(ctx, project.mode, plan.status, plan.year, project.sensitive,
                  bool(plan.quarter and plan.quarter.qpv), project.details, team_phrase(team), len(team),
                  effects, barriers, levers)
    style = {"inclusive": rng.random() < 0.6, "typographic": rng.random() < 0.45, "female": public.female}
    summary = " ".join([project.summary.format(**ctx), rng.choice(SUMMARY_TAILS[plan.status]).format(**ctx)])
    action = FieldAction(
        title=restyle(plan.title, **style), summary=restyle(summary, **style),
        writeup=restyle(compose(rng, story), **style), mode=project.mode, territory=territory,
        commune_insee=commune.insee, start_date=plan.start, end_date=plan.end, status=plan.status,
        publication_status=plan.publication,
    )
    if project.sensitive:
        # Sensitive actions (violences, asile, prostitution, santé mentale): the commune centre only.
        action.location_precision, action.latitude, action.longitude = "commune", commune.latitude, commune.longitude
    else:
        action.address = street_address(rng)
        action.latitude, action.longitude = jitter(rng, commune.latitude, commune.longitude, plan.place.coastal)
    action.practitioner_links = [
        ActionPractitioner(practitioner=p.row, role="porteur" if i == 0 else ROLES_BY_CATEGORY[p.row.actor_category])
        for i, p in enumerate(team)]
    action.partners = [o for _, o in partners]
    action.tags = [tags[("public", p.tag)] for p in publics] + [tags[("theme", t.tag)] for t in themes]
    action.effects = [Effect(dimension=dim, description=restyle(desc, **style), indicator=restyle(indicator, **style),
                             **_evidence(indicator, plan)) for dim, desc, indicator in effects]
    action.barriers = [Barrier(kind=kind, actor_category=category, description=restyle(text, **style))
                       for category, kind, text in barriers]
    action.levers = [Lever(description=restyle(text, **style)) for text in levers]
    return action
