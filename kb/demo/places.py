"""Where the demo actions happen: communes with their French phrasings, neighbourhoods, coordinate jitter."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Quarter:
    """A neighbourhood: its name, 'à la Belle de Mai' form, 'le quartier de la Belle de Mai' form."""

    name: str
    dans: str
    le: str
    qpv: bool = True
    generic: bool = False  # "centre ancien": titles must add the commune


@dataclass(frozen=True)
class Place:
    """A commune (or Marseille arrondissement) the demo uses, with how French sentences name it."""

    insee: str
    short: str  # shown in titles: "Arles", "Marseille 3e"
    city: str  # "Marseille" for the arrondissements
    a: str  # "à Arles", "au Pontet", "dans le 3e arrondissement de Marseille"
    de: str  # "d'Arles", "du Pontet", "du 3e arrondissement de Marseille"
    postal: str  # preferred postal code, checked against the gazetteer's list
    quarters: tuple[Quarter, ...]
    weight: int = 2
    coastal: bool = False


def _q(name: str, dans: str, le: str, qpv: bool = True) -> Quarter:
    return Quarter(name, dans, le, qpv)


def _centre(de: str) -> tuple[Quarter, ...]:
    return (Quarter("centre ancien", "dans le centre ancien", f"le centre ancien {de}", True, True),
            Quarter("quartier de la gare", "dans le quartier de la gare", f"le quartier de la gare {de}", False, True))


def _arr(n: int, label: str, quarters: tuple[Quarter, ...], weight: int = 4, coastal: bool = False) -> Place:
    return Place(f"132{n:02d}", f"Marseille {label}", "Marseille", f"dans le {label} arrondissement de Marseille",
                 f"du {label} arrondissement de Marseille", f"130{n:02d}", quarters, weight, coastal)


PLACES = [
    _arr(1, "1er", (_q("Belsunce", "à Belsunce", "le quartier Belsunce"),
                    _q("Noailles", "à Noailles", "le quartier de Noailles")), 3, True),
    _arr(2, "2e", (_q("La Joliette", "à la Joliette", "le quartier de la Joliette"),
                   _q("Le Panier", "au Panier", "le quartier du Panier")), 2, True),
    _arr(3, "3e", (_q("Belle de Mai", "à la Belle de Mai", "le quartier de la Belle de Mai"),
                   _q("Saint-Mauront", "à Saint-Mauront", "le quartier de Saint-Mauront"),
                   _q("Saint-Lazare", "à Saint-Lazare", "le quartier Saint-Lazare"))),
    _arr(13, "13e", (_q("Malpassé", "à Malpassé", "le quartier de Malpassé"),
                     _q("Frais-Vallon", "à Frais-Vallon", "la cité de Frais-Vallon"),
                     _q("La Rose", "à la Rose", "le quartier de la Rose"))),
    _arr(14, "14e", (_q("Le Canet", "au Canet", "le quartier du Canet"),
                     _q("Saint-Barthélemy", "à Saint-Barthélemy", "le quartier de Saint-Barthélemy"),
                     _q("Sainte-Marthe", "à Sainte-Marthe", "le quartier de Sainte-Marthe"))),
    _arr(15, "15e", (_q("La Cabucelle", "à la Cabucelle", "le quartier de la Cabucelle"),
                     _q("Saint-Louis", "à Saint-Louis", "le quartier de Saint-Louis"),
                     _q("La Viste", "à la Viste", "le quartier de la Viste"),
                     _q("Les Aygalades", "aux Aygalades", "le quartier des Aygalades"))),
    _arr(16, "16e", (_q("L'Estaque", "à l'Estaque", "le quartier de l'Estaque"),
                     _q("Saint-Henri", "à Saint-Henri", "le quartier de Saint-Henri"),
                     _q("Saint-André", "à Saint-André", "le quartier de Saint-André")), 3, True),
    Place("13005", "Aubagne", "Aubagne", "à Aubagne", "d'Aubagne", "13400",
          (_q("Le Charrel", "au Charrel", "le quartier du Charrel"), *_centre("d'Aubagne"))),
    Place("13117", "Vitrolles", "Vitrolles", "à Vitrolles", "de Vitrolles", "13127",
          (_q("Les Pins", "aux Pins", "le quartier des Pins"), _q("Le Liourat", "au Liourat", "le quartier du Liourat"))),
    Place("13056", "Martigues", "Martigues", "à Martigues", "de Martigues", "13500",
          (_q("Canto-Perdrix", "à Canto-Perdrix", "le quartier de Canto-Perdrix"),
           _q("Paradis Saint-Roch", "à Paradis Saint-Roch", "le quartier de Paradis Saint-Roch")), 1, True),
    Place("13028", "La Ciotat", "La Ciotat", "à La Ciotat", "de La Ciotat", "13600",
          (_q("Fardeloup", "à Fardeloup", "le quartier de Fardeloup"), *_centre("de La Ciotat")), 1, True),
    Place("84007", "Avignon", "Avignon", "à Avignon", "d'Avignon", "84000",
          (_q("Monclar", "à Monclar", "le quartier de Monclar"),
           _q("Saint-Chamand", "à Saint-Chamand", "le quartier de Saint-Chamand"),
           _q("La Rocade", "à la Rocade", "le quartier de la Rocade"),
           _q("Champfleury", "à Champfleury", "le quartier de Champfleury"),
           _q("intra-muros", "dans l'intra-muros", "le centre historique d'Avignon", False)), 7),
    Place("84031", "Carpentras", "Carpentras", "à Carpentras", "de Carpentras", "84200",
          (_q("Le Pous du Plan", "au Pous du Plan", "le quartier du Pous du Plan"), *_centre("de Carpentras"))),
    Place("84035", "Cavaillon", "Cavaillon", "à Cavaillon", "de Cavaillon", "84300",
          (_q("Docteur Ayme", "au Docteur Ayme", "le quartier du Docteur Ayme"), *_centre("de Cavaillon"))),
    Place("84087", "Orange", "Orange", "à Orange", "d'Orange", "84100",
          (_q("Fourchevieilles", "à Fourchevieilles", "le quartier de Fourchevieilles"), *_centre("d'Orange")), 1),
    Place("84092", "Le Pontet", "Le Pontet", "au Pontet", "du Pontet", "84130", _centre("du Pontet"), 1),
    Place("84129", "Sorgues", "Sorgues", "à Sorgues", "de Sorgues", "84700", _centre("de Sorgues"), 1),
    Place("84003", "Apt", "Apt", "à Apt", "d'Apt", "84400",
          (_q("Saint-Michel", "à Saint-Michel", "le quartier Saint-Michel"), *_centre("d'Apt")), 1),
    Place("30351", "Villeneuve-lès-Avignon", "Villeneuve-lès-Avignon", "à Villeneuve-lès-Avignon",
          "de Villeneuve-lès-Avignon", "30400", _centre("de Villeneuve-lès-Avignon"), 1),
    Place("13004", "Arles", "Arles", "à Arles", "d'Arles", "13200",
          (_q("Barriol", "à Barriol", "le quartier de Barriol"),
           _q("Griffeuille", "à Griffeuille", "le quartier de Griffeuille"),
           _q("Le Trébon", "au Trébon", "le quartier du Trébon"),
           _q("Salin-de-Giraud", "à Salin-de-Giraud", "le village de Salin-de-Giraud", False)), 7),
    Place("13108", "Tarascon", "Tarascon", "à Tarascon", "de Tarascon", "13150",
          (_q("Les Ferrages", "aux Ferrages", "le quartier des Ferrages"), *_centre("de Tarascon"))),
    Place("13097", "Saint-Martin-de-Crau", "Saint-Martin-de-Crau", "à Saint-Martin-de-Crau",
          "de Saint-Martin-de-Crau", "13310", _centre("de Saint-Martin-de-Crau"), 1),
    Place("13078", "Port-Saint-Louis-du-Rhône", "Port-Saint-Louis-du-Rhône", "à Port-Saint-Louis-du-Rhône",
          "de Port-Saint-Louis-du-Rhône", "13230", _centre("de Port-Saint-Louis-du-Rhône"), 1, True),
    Place("30032", "Beaucaire", "Beaucaire", "à Beaucaire", "de Beaucaire", "30300", _centre("de Beaucaire"), 1),
    Place("13027", "Châteaurenard", "Châteaurenard", "à Châteaurenard", "de Châteaurenard", "13160",
          _centre("de Châteaurenard"), 1),
    Place("13103", "Salon-de-Provence", "Salon-de-Provence", "à Salon-de-Provence", "de Salon-de-Provence", "13300",
          (_q("Les Canourgues", "aux Canourgues", "le quartier des Canourgues"),
           _q("La Monaque", "à la Monaque", "le quartier de la Monaque"))),
    Place("13047", "Istres", "Istres", "à Istres", "d'Istres", "13800",
          (_q("Le Prépaou", "au Prépaou", "le quartier du Prépaou"), *_centre("d'Istres")), 1),
]
PLACES_BY_INSEE = {p.insee: p for p in PLACES}


def postal_code(place: Place, gazetteer_codes: str) -> str:
    """The place's usual postal code if the gazetteer knows it, else the gazetteer's first one."""
    codes = gazetteer_codes.split()
    if place.postal in codes or not codes:
        return place.postal
    return codes[0]


def jitter(rng: random.Random, lat: float, lon: float, coastal: bool = False) -> tuple[float, float]:
    """A point a few hundred metres (never 1.5 km) from a commune centre, kept on land.

    On the coast the offset is short and points between north-north-east and east-south-east: the
    Mediterranean lies south or west of every coastal centre used here, so the point stays in France.
    """
    if coastal:
        distance_km = rng.uniform(0.1, 0.6)
        bearing = math.radians(rng.uniform(20, 110))
    else:
        distance_km = rng.uniform(0.15, 1.2)
        bearing = math.radians(rng.uniform(0, 360))
    dlat = distance_km * math.cos(bearing) / 111.2
    dlon = distance_km * math.sin(bearing) / (111.2 * math.cos(math.radians(lat)))
    return round(lat + dlat, 6), round(lon + dlon, 6)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine), used by the tests to check the jitter."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))
