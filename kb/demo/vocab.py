"""Publics, themes and the bits of French grammar the write-ups need (du/de la/des, number words)."""

from __future__ import annotations

from dataclasses import dataclass


def de(phrase: str) -> str:
    """'le logement' -> 'du logement', 'les familles' -> 'des familles', 'l'accès' -> 'de l'accès'."""
    for src, dst in (("le ", "du "), ("la ", "de la "), ("l'", "de l'"), ("les ", "des "), ("un", "d'un")):
        if phrase.startswith(src):
            return dst + phrase[len(src):]
    return "de " + phrase


def a(phrase: str) -> str:
    """'le logement' -> 'au logement', 'les familles' -> 'aux familles'."""
    for src, dst in (("le ", "au "), ("la ", "à la "), ("l'", "à l'"), ("les ", "aux ")):
        if phrase.startswith(src):
            return dst + phrase[len(src):]
    return "à " + phrase


def indefinite(phrase: str) -> str:
    """'les familles' -> 'des familles' (plural noun phrases only)."""
    return "des " + phrase[4:] if phrase.startswith("les ") else phrase


def capitalise(text: str) -> str:
    """Upper-case the first letter only ('l'atelier' -> 'L'atelier')."""
    return text[:1].upper() + text[1:]


NUMBER_WORDS = {
    1: "un", 2: "deux", 3: "trois", 4: "quatre", 5: "cinq", 6: "six", 7: "sept", 8: "huit", 9: "neuf", 10: "dix",
    11: "onze", 12: "douze", 14: "quatorze", 15: "quinze", 18: "dix-huit", 24: "vingt-quatre", 30: "trente",
    36: "trente-six",
}


def months_phrase(months: int) -> str:
    """'huit mois', 'deux ans', 'trois ans et demi'."""
    if months < 18:
        return f"{NUMBER_WORDS.get(months, str(months))} mois"
    years, rest = divmod(months, 12)
    text = "un an" if years == 1 else f"{NUMBER_WORDS.get(years, str(years))} ans"
    return text + " et demi" if rest >= 6 else text


@dataclass(frozen=True)
class Public:
    """A public (tag) and how sentences name it."""

    tag: str
    les: str
    female: bool = False

    @property
    def des(self) -> str:
        """'des familles'."""
        return indefinite(self.les)


@dataclass(frozen=True)
class Theme:
    """A theme (tag) and its definite noun phrase."""

    tag: str
    le: str


PUBLICS = {p.tag: p for p in [
    Public("Familles", "les familles"),
    Public("Jeunes de 16 à 25 ans", "les jeunes de 16 à 25 ans"),
    Public("Femmes isolées", "les femmes isolées", True),
    Public("Personnes âgées", "les personnes âgées"),
    Public("Habitants d'un quartier prioritaire", "les habitant·es du quartier"),
    Public("Allocataires du RSA", "les allocataires du RSA"),
    Public("Demandeurs d'asile", "les personnes demandeuses d'asile"),
    Public("Gens du voyage", "les familles du voyage"),
    Public("Parents d'adolescents", "les parents d'adolescent·es"),
    Public("Personnes en situation de handicap", "les personnes en situation de handicap"),
    Public("Femmes victimes de violences", "les femmes victimes de violences conjugales", True),
    Public("Personnes en situation de prostitution", "les personnes en situation de prostitution"),
    Public("Personnes vivant avec des troubles psychiques", "les personnes vivant avec des troubles psychiques"),
    Public("Parents de jeunes enfants", "les parents de jeunes enfants"),
]}

THEMES = {t.tag: t for t in [
    Theme("Accès aux droits", "l'accès aux droits"),
    Theme("Logement", "le logement"),
    Theme("Parentalité", "la parentalité"),
    Theme("Insertion professionnelle", "l'insertion professionnelle"),
    Theme("Santé", "la santé"),
    Theme("Alimentation", "l'alimentation"),
    Theme("Mobilité", "la mobilité"),
    Theme("Numérique", "l'inclusion numérique"),
    Theme("Citoyenneté", "la citoyenneté"),
    Theme("Cadre de vie", "le cadre de vie"),
    Theme("Lien social", "le lien social"),
    Theme("Culture", "l'accès à la culture"),
    Theme("Évaluation", "l'évaluation"),
    Theme("Violences faites aux femmes", "la lutte contre les violences faites aux femmes"),
    Theme("Scolarité", "la scolarité"),
]}

# Funders and institutions a write-up may cite (generic public bodies, no named person).
FUNDERS = [
    "la CAF", "le Conseil départemental", "l'État au titre de la politique de la ville", "la Ville",
    "l'Agence régionale de santé", "la Carsat", "le Fonds social européen", "une fondation d'entreprise",
]
INSTITUTIONS = [
    "la CAF", "la PMI", "le CCAS", "la Mission locale", "France Travail", "la CPAM", "le collège du secteur",
    "l'école élémentaire du quartier", "le bailleur social", "la médiathèque", "le centre médico-psychologique",
    "la maison de quartier", "le service jeunesse de la Ville", "la délégation du préfet",
]


@dataclass(frozen=True)
class Project:
    """A kind of collective action: the seed of a title, a summary and concrete details of its conduct."""

    key: str
    mode: str
    themes: tuple[str, ...]
    publics: tuple[str, ...]
    titles: tuple[str, ...]  # templates with {ou}: "à la Belle de Mai (Marseille 3e)"
    activity: str  # definite noun phrase: "l'atelier cuisine"
    summary: str
    details: tuple[str, ...]
    sensitive: bool = False
    min_year: int = 2009  # conseils citoyens exist since 2014, for instance

# Definitions and synonyms of the shared vocabularies (what trainers keep at /vocabulaire).
TERM_DETAILS = {
    "Familles": ("Parents et enfants accompagnés ensemble.", ["Parents", "Ménages"]),
    "Jeunes de 16 à 25 ans": ("Jeunes sortis ou près de sortir de l'école, suivis par une mission locale, la prévention "
                              "spécialisée ou un centre social.", ["Jeunes", "Jeunes adultes", "16-25 ans"]),
    "Personnes âgées": ("Personnes de plus de 60 ans vivant à domicile.", ["Seniors", "Aînés"]),
    "Habitants d'un quartier prioritaire": ("Habitant·es d'un quartier de la politique de la ville.",
                                            ["Habitants", "QPV", "Quartier prioritaire"]),
    "Allocataires du RSA": ("Personnes percevant le revenu de solidarité active.", ["Bénéficiaires du RSA", "RSA"]),
    "Demandeurs d'asile": ("Personnes dont la demande d'asile est en cours d'examen.", ["Exilés", "Réfugiés"]),
    "Personnes en situation de handicap": ("", ["Handicap"]),
    "Accès aux droits": ("Connaître, ouvrir et faire valoir ses droits sociaux.", ["Droits sociaux", "Non-recours"]),
    "Logement": ("Accès au logement, maintien dans les lieux, habitat indigne.", ["Habitat", "Hébergement"]),
    "Insertion professionnelle": ("Formation, emploi, reprise d'activité.",
                                  ["Insertion pro", "Emploi", "Insertion par l'emploi"]),
    "Santé": ("Accès aux soins, prévention, santé mentale.", ["Soins", "Prévention santé"]),
    "Numérique": ("Usage des outils et démarches en ligne.", ["Inclusion numérique", "Fracture numérique"]),
    "Évaluation": ("Mesurer et comprendre les effets d'une action avec les personnes concernées.",
                   ["Évaluation participative", "Mesure d'impact"]),
    "Lien social": ("Rompre l'isolement, créer des liens entre habitant·es.", ["Isolement", "Convivialité"]),
}
