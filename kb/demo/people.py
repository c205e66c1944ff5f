"""Invented practitioners: functions by actor category, competences, contacts and consent."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from kb.demo.names import NameMaker, ascii_slug, fiction_phone
from kb.demo.organisations import OrgSpec, domain_of
from kb.demo.vocab import de
from kb.models import Organisation, Practitioner

# (category, functions to draw from, how many people): cadres, chefs de service, intervenants, others.
CATEGORY_PLAN = [
    ("direction", ["directeur", "directeur", "directeur", "coordinateur"], 11),
    ("chef_service", ["chef_service"], 15),
    ("intervenant", ["ass", "ass", "es", "es", "cesf", "animateur", "animateur", "eje", "mediateur",
                     "coordinateur"], 52),
    ("autre", ["formateur", "autre", "autre"], 10),
]

# How a sentence names someone by function: (feminine, masculine).
FUNCTION_WORDS = {
    "ass": ("assistante de service social", "assistant de service social"),
    "es": ("éducatrice spécialisée", "éducateur spécialisé"),
    "cesf": ("conseillère en économie sociale et familiale", "conseiller en économie sociale et familiale"),
    "animateur": ("animatrice", "animateur"),
    "eje": ("éducatrice de jeunes enfants", "éducateur de jeunes enfants"),
    "mediateur": ("médiatrice sociale", "médiateur social"),
    "chef_service": ("cheffe de service", "chef de service"),
    "directeur": ("directrice", "directeur"),
    "coordinateur": ("coordinatrice de projet", "coordinateur de projet"),
    "formateur": ("formatrice", "formateur"),
    "autre": ("chargée de mission", "chargé de mission"),
}

KNOWLEDGE = [
    "Dispositifs de la politique de la ville et contrat de ville", "Méthodologie du diagnostic partagé",
    "Sociologie des quartiers populaires", "Droit des étrangers et procédure d'asile",
    "Cadre légal de la protection de l'enfance", "Théories de la dynamique des groupes",
    "RSA et minima sociaux", "Histoire du développement social local", "Approches du pouvoir d'agir (empowerment)",
    "Cartographie des acteurs du territoire", "Psychologie de l'adolescence", "Budget, énergie et consommation",
    "Santé communautaire et promotion de la santé", "Méthodes d'évaluation participative",
    "Droit du logement et lutte contre l'habitat indigne", "Analyse institutionnelle",
    "Approche interculturelle", "Éducation populaire", "Méthodologie de projet", "Gérontologie sociale",
]
KNOW_HOW = [
    "Animer un groupe de parole", "Conduire un diagnostic partagé avec les habitant·es", "Co-animer en binôme",
    "Aller vers les habitant·es par le porte-à-porte", "Monter un dossier de financement (contrat de ville, CAF)",
    "Animer un comité de pilotage", "Rédiger le bilan d'une action collective",
    "Construire des outils d'évaluation avec le public", "Faciliter la prise de parole en public",
    "Travailler en réseau", "Faire de la médiation entre habitant·es et institutions",
    "Utiliser le photolangage, le théâtre-forum ou le world café", "Accompagner la création d'une association",
    "Négocier avec les élu·es et les financeurs", "Organiser une assemblée d'habitant·es",
    "Tenir un journal de bord de groupe", "Préparer et débriefer une séance",
]
INTERPERSONAL = [
    "Écoute active", "Capacité à se décentrer", "Patience et persévérance", "Humour",
    "Savoir laisser la place au groupe", "Posture de non-jugement", "Goût du travail en équipe",
    "Gestion des conflits", "Disponibilité", "Curiosité pour les autres cultures", "Tolérance à l'incertitude",
    "Chaleur humaine et juste distance", "Reconnaissance des savoirs d'expérience des personnes",
    "Confiance dans les capacités des habitant·es", "Sens de la négociation",
]


NUMBER = {2: "deux", 3: "trois", 4: "quatre"}


@dataclass
class Person:
    """A practitioner row with what the write-ups need to know (gender of the function word, specs)."""

    row: Practitioner
    female: bool
    specs: list[OrgSpec] = field(default_factory=list)

    def function_phrase(self) -> str:
        """'l'éducatrice spécialisée du centre social La Calade'."""
        word = FUNCTION_WORDS[self.row.function][0 if self.female else 1]
        article = "l'" if word[0] in "aeéio" else ("la " if self.female else "le ")
        org = self.specs[0].phrase if self.specs else ""
        return f"{article}{word} {de(org)}" if org else f"{article}{word}"


def _plural(word: str) -> str:
    # Function words only: pluralise up to the first preposition ("cheffes de service").
    words = word.split()
    for i, w in enumerate(words):
        if w in ("de", "en"):
            break
        words[i] = "sociaux" if w == "social" else w + "s"
    return " ".join(words)


def team_phrase(team: list[Person]) -> str:
    """'une éducatrice spécialisée, deux animateurs et un chef de service' (functions, in order of arrival)."""
    counts: dict[tuple[str, bool], int] = {}
    for person in team:
        key = (person.row.function, person.female)
        counts[key] = counts.get(key, 0) + 1
    parts = []
    for (function, female), count in counts.items():
        word = FUNCTION_WORDS[function][0 if female else 1]
        parts.append(f"{'une' if female else 'un'} {word}" if count == 1 else f"{NUMBER[count]} {_plural(word)}")
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} et {parts[-1]}"


def _skills(rng: random.Random, pool: list[str]) -> str:
    items = rng.sample(pool, rng.randint(2, 3))
    return " ; ".join([items[0]] + [i[0].lower() + i[1:] for i in items[1:]]) + "."


def build_people(rng: random.Random, names: NameMaker, orgs: list[tuple[OrgSpec, Organisation]]) -> list[Person]:
    """Practitioners of every actor category, spread over the organisations (each has at least one)."""
    slots = [(category, rng.choice(functions)) for category, functions, count in CATEGORY_PLAN
             for _ in range(count)]
    rng.shuffle(slots)
    # Consent: about 70% agree to be listed, and about 60% of those to be contacted.
    listed_count = round(len(slots) * 0.7)
    listed = set(rng.sample(range(len(slots)), listed_count))
    contact = set(rng.sample(sorted(listed), round(listed_count * 0.6)))
    people = []
    for i, (category, function) in enumerate(slots):
        spec, org = orgs[i % len(orgs)] if i < len(orgs) else rng.choice(orgs)
        first, last, female = names.person()
        memberships = [(spec, org)]
        if rng.random() < 0.2:
            same_unit = [o for o in orgs if o[1].territory is org.territory and o[1] is not org]
            if same_unit:
                memberships.append(rng.choice(same_unit))
        email = f"{ascii_slug(first)}.{ascii_slug(last)}@{domain_of(spec)}"
        row = Practitioner(
            first_name=first, last_name=last, function=function, actor_category=category,
            territory=org.territory, isic_experience="experimente" if rng.random() < 0.55 else "debutant",
            skills_knowledge=_skills(rng, KNOWLEDGE), skills_know_how=_skills(rng, KNOW_HOW),
            skills_interpersonal=_skills(rng, INTERPERSONAL), email=email,
            phone=fiction_phone(rng, mobile=rng.random() < 0.5),
            consent_listed=i in listed, consent_contact=i in contact,
            consent_date=date(2012, 2, 24) + timedelta(days=rng.randrange(5300)),
        )
        row.organisations = [o for _, o in memberships]
        people.append(Person(row, female, [s for s, _ in memberships]))
    return people
