"""Closed vocabularies: stored keys (English-ish, stable) and the French labels users read."""

from __future__ import annotations

INTERVENTION_MODES = {
    "groupe": "Travail social de groupe",
    "communautaire": "Travail social communautaire",
    "dsl": "Développement social local",
}

ACTION_STATUSES = {
    "projet": "En projet",
    "en_cours": "En cours",
    "terminee": "Terminée",
}

PUBLICATION_STATUSES = {
    "brouillon": "Brouillon",
    "en_attente": "En attente de validation",
    "publiee": "Publiée",
    "archivee": "Archivée",
}

LOCATION_PRECISIONS = {
    "exacte": "Adresse exacte",
    "commune": "Commune seulement (action sensible)",
}

ACTION_ROLES = {
    "porteur": "Porteur·euse",
    "co_animateur": "Co-animateur·rice",
    "partenaire": "Partenaire",
    "referent": "Référent·e",
    "observateur": "Observateur·rice",
}

ACTOR_CATEGORIES = {
    "direction": "Cadre de direction",
    "chef_service": "Chef·fe de service",
    "intervenant": "Intervenant·e social·e",
    "autre": "Autre acteur",
}

FUNCTIONS = {
    "ass": "Assistant·e de service social",
    "es": "Éducateur·rice spécialisé·e",
    "cesf": "Conseiller·ère en économie sociale et familiale",
    "animateur": "Animateur·rice",
    "eje": "Éducateur·rice de jeunes enfants",
    "mediateur": "Médiateur·rice social·e",
    "chef_service": "Chef·fe de service",
    "directeur": "Directeur·rice",
    "coordinateur": "Coordinateur·rice de projet",
    "formateur": "Formateur·rice",
    "autre": "Autre fonction",
}

ISIC_EXPERIENCE = {
    "debutant": "Débutant·e en ISIC",
    "experimente": "Expérimenté·e en ISIC",
}

ORGANISATION_KINDS = {
    "association": "Association",
    "centre_social": "Centre social",
    "ccas": "CCAS",
    "service_departemental": "Service départemental",
    "etablissement": "Établissement médico-social",
    "collectivite": "Collectivité territoriale",
    "bailleur": "Bailleur social",
    "etat": "Service de l'État",
    "autre": "Autre",
}

EFFECT_DIMENSIONS = {
    "individuel": "Individuelle",
    "groupe": "Groupe",
    "territoire": "Territoire et institutions",
}

EVIDENCE_KINDS = {
    "observe": "Observé",
    "declare": "Déclaré par les personnes",
    "mesure": "Mesuré",
}

BARRIER_KINDS = {
    "institutionnel": "Institutionnel",
    "financier": "Financier",
    "organisationnel": "Organisationnel",
    "partenarial": "Partenarial",
    "posture": "Posture professionnelle",
    "public": "Mobilisation des publics",
    "autre": "Autre",
}

TOOL_KINDS = {
    "grille": "Grille d'analyse",
    "guide": "Guide méthodologique",
    "fiche": "Fiche pratique",
    "support_animation": "Support d'animation",
    "questionnaire": "Questionnaire d'évaluation",
    "autre": "Autre outil",
}

TOOL_LICENCES = {
    "cc-by": "Creative Commons Attribution 4.0 (CC BY)",
    "cc-by-sa": "Creative Commons Attribution – Partage dans les mêmes conditions 4.0 (CC BY-SA)",
    "cc-by-nc-sa": "Creative Commons Attribution – Pas d'utilisation commerciale – Partage dans les mêmes conditions "
                   "4.0 (CC BY-NC-SA)",
    "licence-ouverte": "Licence Ouverte 2.0 (Etalab)",
    "tous-droits": "Tous droits réservés (diffusion sur demande)",
}

TAG_KINDS = {
    "theme": "Thème",
    "public": "Public",
    "atelier": "Atelier",
}


def label(vocabulary: dict[str, str], key: str | None) -> str:
    """French label of a key, or the key itself when it is unknown."""
    if key is None:
        return ""
    return vocabulary.get(key, key)

ROLES = {
    "etudiant": "Étudiant·e",
    "professionnel": "Professionnel·le",
    "formateur": "Formateur·rice",
    "admin": "Administrateur·rice",
}

REPORT_REASONS = {
    "n_existe_plus": "L'action n'existe plus",
    "erronee": "Informations erronées",
    "inappropriee": "Contenu inapproprié",
    "doublon": "Doublon d'une autre action",
}

REVISION_KINDS = {
    "creation": "Création",
    "modification": "Modification",
    "accord_cahiers": "Accord pour les cahiers",
    "proposition": "Modification proposée",
    "moderation": "Décision de modération",
}

REVISION_STATUSES = {
    "appliquee": "Appliquée",
    "en_attente": "En attente de validation",
    "approuvee": "Approuvée",
    "refusee": "Refusée",
}

HALF_DAYS = {
    "am": "Matin",
    "pm": "Après-midi",
}

SESSION_STATUSES = {
    "prevue": "Prévue",
    "tenue": "Tenue",
    "annulee": "Annulée",
}
