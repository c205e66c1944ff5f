"""Material for invented people and places: first names, surnames, streets, fictional phone numbers."""

from __future__ import annotations

import random
import unicodedata

# Common French first names, combined at random with common surnames: the people are invented.
FEMALE_FIRST_NAMES = [
    "Nadia", "Sophie", "Claire", "Isabelle", "Nathalie", "Sandrine", "Céline", "Amandine", "Julie", "Camille",
    "Laura", "Sarah", "Leïla", "Samia", "Fatima", "Karima", "Myriam", "Élodie", "Aurélie", "Émilie", "Marion",
    "Pauline", "Hélène", "Catherine", "Valérie", "Christine", "Sylvie", "Anne", "Marie", "Laetitia",
    "Stéphanie", "Audrey", "Mélanie", "Coralie", "Manon", "Inès", "Yasmina", "Sonia", "Malika", "Lucie",
    "Agnès", "Françoise", "Mireille", "Rachida", "Aïcha", "Chloé", "Noémie", "Sabrina", "Océane", "Magali",
]
MALE_FIRST_NAMES = [
    "Julien", "Thomas", "Nicolas", "Sébastien", "Mathieu", "Olivier", "Christophe", "Stéphane", "Frédéric",
    "Laurent", "Pierre", "Jean-Marc", "Philippe", "Didier", "Patrick", "Karim", "Mehdi", "Rachid", "Samir",
    "Yacine", "Nordine", "Farid", "Kamel", "Antoine", "Maxime", "Romain", "Guillaume", "Vincent", "Fabien",
    "Cédric", "Jérôme", "Bruno", "Alain", "Gilles", "Hervé", "Franck", "Lionel", "Damien", "Benoît",
    "Yannick", "Hugo", "Lucas", "Malik", "Sofiane", "Serge", "Manuel", "Thierry", "Florian", "Rémi", "Jordan",
]
SURNAMES = [
    "Martin", "Bernard", "Roux", "Fabre", "Blanc", "Garcia", "Martinez", "Lopez", "Sanchez", "Fernandez",
    "Girard", "Bonnet", "Mercier", "Faure", "Rousseau", "Chevalier", "Robin", "Gauthier", "Perrin", "Morel",
    "Fournier", "Giraud", "Arnaud", "Michel", "Simon", "Lefebvre", "Guérin", "Brun", "Barbier", "Meunier",
    "Rey", "Roche", "Aubert", "Jourdan", "Castel", "Reynaud", "Imbert", "Brémond", "Pellegrin", "Esposito",
    "Rinaldi", "Benali", "Haddad", "Belkacem", "Mansouri", "Cherif", "Bouzid", "Khelifi", "Amrani", "Diallo",
    "Ndiaye", "Traoré", "Nguyen", "Tran", "Ferrer", "Vidal", "Roussel", "Marchetti", "Santini", "Maurin",
    "Audibert", "Granier", "Bouvier", "Chabert", "Pons", "Icard", "Barthélemy", "Calvet", "Teisseire",
    "Sauvan", "Gras", "Ripert", "Benhamou", "Ferrari", "Lambert", "Colin", "Moulin", "Jacquet", "Ollivier",
]

# Invented street names, in the styles found in Provence (traverses, montées, chemins).
STREET_TYPES = ["rue", "rue", "rue", "avenue", "boulevard", "impasse", "chemin", "allée", "place", "traverse",
                "montée"]
STREET_NAMES = [
    "des Glycines", "des Tanneurs", "des Mûriers", "des Oliviers", "des Cigales", "des Amandiers",
    "de la Fontaine", "du Marché", "de la Gare", "du Moulin", "des Lavandes", "des Platanes", "du Lavoir",
    "des Tisserands", "des Micocouliers", "de la Treille", "des Capucins", "du Vieux-Puits", "des Jardins",
    "des Écoles", "du Stade", "des Peupliers", "de la Roubine", "des Saladelles", "du Pigeonnier",
    "de l'Aire", "des Figuiers", "de la Calade", "des Tamaris", "du Cours", "des Arbousiers", "de la Draille",
    "des Pins", "du Levant", "de la Mairie", "des Genêts", "de l'Horloge", "des Romarins", "des Canisses",
]

# ARCEP sets these blocks aside for fiction (films, books, demos): no subscriber can hold them.
FICTION_LANDLINE_PREFIX = "04 65 71"
FICTION_MOBILE_PREFIX = "06 39 98"


def fiction_phone(rng: random.Random, mobile: bool = False) -> str:
    """A phone number in a block ARCEP reserves for fiction."""
    prefix = FICTION_MOBILE_PREFIX if mobile else FICTION_LANDLINE_PREFIX
    return f"{prefix} {rng.randrange(100):02d} {rng.randrange(100):02d}"


def street_address(rng: random.Random) -> str:
    """An invented street address: number, street type and name."""
    kind = rng.choice(STREET_TYPES)
    name = rng.choice(STREET_NAMES)
    if kind == "place":
        return f"{rng.randint(1, 24)}, place {name}"
    return f"{rng.randint(1, 140)}, {kind} {name}"


def ascii_slug(text: str, sep: str = "-") -> str:
    """'Trait d'Union Camargue' -> 'trait-d-union-camargue' (for e-mail addresses and domains)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = "".join(ch if ch.isalnum() else " " for ch in plain).split()
    return sep.join(words)


class NameMaker:
    """Draws invented first-name/surname pairs, never the same pair twice."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[tuple[str, str]] = set()

    def person(self, female: bool | None = None) -> tuple[str, str, bool]:
        """(first name, last name, is_female) of a new invented person."""
        if female is None:
            female = self.rng.random() < 0.68  # social work is mostly a women's profession
        pool = FEMALE_FIRST_NAMES if female else MALE_FIRST_NAMES
        while True:
            pair = (self.rng.choice(pool), self.rng.choice(SURNAMES))
            if pair not in self.used:
                self.used.add(pair)
                return pair[0], pair[1], female

    def full_name(self) -> str:
        """An invented 'Prénom Nom' (directors of organisations)."""
        first, last, _ = self.person()
        return f"{first} {last}"
