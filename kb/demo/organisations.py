"""Invented organisations of the demo and how to build their rows (addresses, contacts, coordinates)."""

from __future__ import annotations

import random
from dataclasses import dataclass

from kb.demo.names import NameMaker, fiction_phone, street_address
from kb.demo.places import PLACES_BY_INSEE, jitter, postal_code
from kb.models import Commune, Organisation, Territory


@dataclass(frozen=True)
class OrgSpec:
    """An invented organisation: name, kind, commune, how a sentence names it, its e-mail domain label."""

    name: str
    kind: str
    insee: str
    phrase: str  # "le centre social Les Amandiers"
    domain: str  # "cs-amandiers" -> cs-amandiers.example.org


def _o(name: str, kind: str, insee: str, phrase: str, domain: str) -> OrgSpec:
    return OrgSpec(name, kind, insee, phrase, domain)


# Names are invented; a CCAS or a town department is named after its commune, its people are not real.
ORGANISATIONS = [
    _o("Centre social Les Amandiers", "centre_social", "13214", "le centre social Les Amandiers", "cs-amandiers"),
    _o("Centre social La Calade", "centre_social", "13203", "le centre social La Calade", "cs-lacalade"),
    _o("Centre social Les Micocouliers", "centre_social", "13213", "le centre social Les Micocouliers",
       "cs-micocouliers"),
    _o("Centre social L'Escale Saint-Louis", "centre_social", "13215", "le centre social L'Escale Saint-Louis",
       "cs-escale"),
    _o("Association Trait d'Union Nord Littoral", "association", "13215",
       "l'association Trait d'Union Nord Littoral", "traitdunion-nl"),
    _o("Association Passerelles Méditerranée", "association", "13201", "l'association Passerelles Méditerranée",
       "passerelles-med"),
    _o("Association Femmes en Relais", "association", "13203", "l'association Femmes en Relais", "femmes-relais"),
    _o("Association Horizon Jeunesse Estaque", "association", "13216", "l'association Horizon Jeunesse",
       "horizon-jeunesse"),
    _o("Maison de la solidarité Les Cèdres", "service_departemental", "13214",
       "la Maison de la solidarité Les Cèdres", "mds-cedres"),
    _o("Habitat Calanques et Collines", "bailleur", "13213", "le bailleur Habitat Calanques et Collines",
       "habitat-calanques"),
    _o("CCAS d'Aubagne", "ccas", "13005", "le CCAS d'Aubagne", "ccas-aubagne"),
    _o("CCAS de Vitrolles", "ccas", "13117", "le CCAS de Vitrolles", "ccas-vitrolles"),
    _o("Centre d'hébergement L'Abri du Port", "etablissement", "13202", "le centre d'hébergement L'Abri du Port",
       "abri-du-port"),
    _o("Ville de Martigues – service Politique de la ville", "collectivite", "13056",
       "le service Politique de la ville de Martigues", "pdv-martigues"),
    _o("Association Graines de Liens", "association", "13028", "l'association Graines de Liens", "graines-de-liens"),
    _o("Collectif d'habitant·es Le Canet Debout", "autre", "13214", "le collectif Le Canet Debout",
       "canet-debout"),
    _o("Délégation Cohésion et Solidarités 13", "etat", "13201", "la délégation Cohésion et Solidarités",
       "cohesion-solidarites13"),
    _o("Centre social Le Grand Platane", "centre_social", "84007", "le centre social Le Grand Platane",
       "cs-grandplatane"),
    _o("Centre social Les Ramières", "centre_social", "84007", "le centre social Les Ramières", "cs-ramieres"),
    _o("Association Rempart des Solidarités", "association", "84007", "l'association Rempart des Solidarités",
       "rempart-solidarites"),
    _o("CCAS de Carpentras", "ccas", "84031", "le CCAS de Carpentras", "ccas-carpentras"),
    _o("CCAS du Pontet", "ccas", "84092", "le CCAS du Pontet", "ccas-lepontet"),
    _o("Association Durance Insertion", "association", "84035", "l'association Durance Insertion",
       "durance-insertion"),
    _o("Espace départemental des solidarités du Comtat", "service_departemental", "84031",
       "l'Espace départemental des solidarités du Comtat", "eds-comtat"),
    _o("Rhône Durance Logement", "bailleur", "84007", "le bailleur Rhône Durance Logement", "rhone-durance-logement"),
    _o("Foyer de vie Les Cyprès", "etablissement", "84129", "le foyer de vie Les Cyprès", "foyer-cypres"),
    _o("Association Voisins Solidaires du Luberon", "association", "84003",
       "l'association Voisins Solidaires du Luberon", "voisins-luberon"),
    _o("Centre social intercommunal Rive Droite", "centre_social", "30351", "le centre social Rive Droite",
       "cs-rivedroite"),
    _o("Groupe d'entraide mutuelle L'Envol", "association", "84007", "le groupe d'entraide mutuelle L'Envol",
       "gem-envol"),
    _o("Association Trait d'Union Camargue", "association", "13004", "l'association Trait d'Union Camargue",
       "traitdunion-camargue"),
    _o("Centre social Les Saladelles", "centre_social", "13004", "le centre social Les Saladelles",
       "cs-saladelles"),
    _o("CCAS de Tarascon", "ccas", "13108", "le CCAS de Tarascon", "ccas-tarascon"),
    _o("Espace solidarité Crau-Camargue", "service_departemental", "13004", "l'Espace solidarité Crau-Camargue",
       "espace-crau-camargue"),
    _o("Association Roulottes et Chemins", "association", "13097", "l'association Roulottes et Chemins",
       "roulottes-chemins"),
    _o("Centre social Le Mas des Alpilles", "centre_social", "13027", "le centre social Le Mas des Alpilles",
       "cs-masdesalpilles"),
    _o("CCAS de Beaucaire", "ccas", "30032", "le CCAS de Beaucaire", "ccas-beaucaire"),
    _o("Association Les Ailes du Delta", "association", "13078", "l'association Les Ailes du Delta",
       "ailes-du-delta"),
    _o("Centre social Les Cigalons", "centre_social", "13103", "le centre social Les Cigalons", "cs-cigalons"),
    _o("Ville d'Istres – mission Développement social", "collectivite", "13047",
       "la mission Développement social d'Istres", "dsl-istres"),
    _o("Résidences de la Crau", "bailleur", "13097", "le bailleur Résidences de la Crau", "residences-crau"),
]

# Public bodies get example.fr, associations example.org: both are reserved, nobody receives the mail.
_PUBLIC_KINDS = {"ccas", "service_departemental", "collectivite", "etat"}


def domain_of(spec: OrgSpec) -> str:
    """The reserved e-mail domain of an organisation."""
    tld = "fr" if spec.kind in _PUBLIC_KINDS else "org"
    return f"{spec.domain}.example.{tld}"


def build_organisation(rng: random.Random, names: NameMaker, spec: OrgSpec, commune: Commune,
                       territory: Territory | None) -> Organisation:
    """An Organisation row with an invented address, director and contacts near its commune centre."""
    place = PLACES_BY_INSEE[spec.insee]
    lat, lon = jitter(rng, commune.latitude, commune.longitude, place.coastal)
    domain = domain_of(spec)
    has_site = spec.kind not in {"autre", "etat"}
    return Organisation(
        name=spec.name, kind=spec.kind, director_name=names.full_name(), address=street_address(rng),
        postal_code=postal_code(place, commune.postal_codes), commune_insee=commune.insee, territory=territory,
        phone=fiction_phone(rng), fax=fiction_phone(rng) if rng.random() < 0.4 else "",
        email=f"{rng.choice(['contact', 'accueil', 'secretariat'])}@{domain}",
        website=f"https://www.{domain}" if has_site else "", latitude=lat, longitude=lon,
    )
