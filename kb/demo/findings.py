"""Material for what the observatory records about an action: effects, barriers, levers, co-built tools."""

from __future__ import annotations

# (description, indicator, expected): the indicator uses {k} of {n} people, {s} of {m} sessions, {c} (2-6),
# {copies}, {pct}, {months} and {annee_suiv}; `expected` names the effect for actions not started yet.
EFFECTS = {
    "individuel": [
        ("Les participant·es disent avoir repris confiance dans leur capacité à s'exprimer en groupe.",
         "{k} participant·es sur {n} l'expriment dans le questionnaire de fin de cycle",
         "la confiance retrouvée des participant·es pour s'exprimer en groupe"),
        ("Plusieurs personnes ont ouvert ou rétabli des droits auprès de la CAF ou de l'assurance maladie.",
         "{k} dossiers ouverts ou régularisés en {months} mois",
         "l'ouverture ou le rétablissement de droits auprès de la CAF ou de l'assurance maladie"),
        ("Des participant·es ont repris des démarches de formation ou d'emploi.",
         "{k} personnes entrées en formation ou en emploi dans les six mois",
         "la reprise de démarches de formation ou d'emploi"),
        ("Les personnes connaissent mieux les services et les lieux ressources du territoire.",
         "questionnaire à 6 mois : {pct} % citent au moins trois lieux ressources",
         "une meilleure connaissance des services et des lieux ressources du territoire"),
        ("Les participant·es sont sorti·es de l'isolement et ont élargi leur réseau.",
         "{k} participant·es sur {n} présent·es à toutes les séances",
         "la sortie de l'isolement et l'élargissement du réseau de chacun·e"),
        ("Les parents se disent plus à l'aise dans le dialogue avec l'école.",
         "entretiens individuels à 3 mois avec {k} parents", "un dialogue plus serein entre les parents et l'école"),
        ("Plusieurs personnes réalisent désormais seules leurs démarches en ligne.",
         "{k} personnes sur {n} font seules leur déclaration trimestrielle",
         "l'autonomie des personnes dans leurs démarches en ligne"),
        ("Une meilleure estime de soi, visible dans la façon de se présenter et de prendre la parole.",
         "observation des animateur·rice·s consignée dans le journal de bord", "une meilleure estime de soi"),
        ("Des personnes ont osé solliciter un service qu'elles évitaient jusque-là.",
         "{k} premières demandes auprès du CCAS ou de la CAF recensées",
         "le recours à des services jusque-là évités"),
    ],
    "groupe": [
        ("Un collectif autonome s'est constitué, qui se réunit sans les professionnel·les.",
         "réunions mensuelles tenues sans animateur depuis {annee_suiv}",
         "la constitution d'un collectif capable de se réunir sans les professionnel·les"),
        ("Des solidarités concrètes se sont développées entre participant·es, de la garde d'enfants au covoiturage.",
         "{k} échanges de services recensés dans le cahier de bord du groupe",
         "des solidarités concrètes entre participant·es"),
        ("Les participant·es ont pris la parole collectivement devant les élu·es.",
         "interpellation en conseil de quartier ; compte rendu de séance",
         "une prise de parole collective devant les élu·es"),
        ("Une association d'habitant·es a été créée.", "statuts déposés en préfecture en {annee_suiv}",
         "la création d'une association d'habitant·es"),
        ("Les participant·es co-animent désormais certaines séances.",
         "{s} séances sur {m} co-animées par des participant·es", "la co-animation de séances par des participant·es"),
        ("Les membres ont élaboré leurs propres règles de fonctionnement.", "charte signée par {k} membres",
         "des règles de fonctionnement élaborées par le groupe"),
        ("Une production collective, livret, exposition ou film, a été réalisée et diffusée.",
         "{copies} exemplaires diffusés ; deux présentations publiques",
         "une production collective diffusée dans le quartier"),
    ],
    "territoire": [
        ("Un nouveau partenariat durable s'est noué entre le CCAS et le centre social.",
         "convention signée ; comité de pilotage réuni {c} fois par an",
         "un partenariat durable entre le CCAS et le centre social"),
        ("Le bailleur a pris en compte les demandes des habitant·es.",
         "{c} interventions réalisées dans les parties communes",
         "la prise en compte des demandes des habitant·es par le bailleur"),
        ("L'action a été intégrée au contrat de ville.", "fiche-action inscrite dans la programmation {annee_suiv}",
         "l'inscription de l'action dans le contrat de ville"),
        ("Un service public a modifié ses horaires d'ouverture.", "permanence du samedi matin ouverte depuis {annee_suiv}",
         "des horaires de services publics adaptés aux habitant·es"),
        ("L'ISIC est reconnue dans le projet de service.",
         "projet de service révisé ; temps dédié à l'ISIC dans {c} fiches de poste",
         "la reconnaissance de l'ISIC dans le projet de service"),
        ("La démarche a été reprise dans une autre commune.", "deux équipes voisines formées à la méthode",
         "l'essaimage de la démarche dans une commune voisine"),
        ("Les partenaires du territoire orientent davantage vers l'action collective.",
         "{k} orientations par des partenaires en {months} mois",
         "davantage d'orientations des partenaires vers l'action collective"),
        ("Un aménagement de l'espace public a été réalisé à la demande des habitant·es.",
         "éclairage, bancs ou abribus installés ; visite de contrôle avec le groupe",
         "un aménagement de l'espace public demandé par les habitant·es"),
    ],
}

# Effects that only make sense for some themes (an action on housing does not change school relations).
EFFECT_THEMES = {
    "Des participant·es ont repris des démarches de formation ou d'emploi.": (
        "Insertion professionnelle", "Mobilité", "Citoyenneté", "Numérique", "Accès aux droits"),
    "Les parents se disent plus à l'aise dans le dialogue avec l'école.": ("Parentalité", "Scolarité"),
    "Plusieurs personnes réalisent désormais seules leurs démarches en ligne.": ("Numérique", "Accès aux droits"),
    "Le bailleur a pris en compte les demandes des habitant·es.": ("Logement", "Cadre de vie"),
    "Un aménagement de l'espace public a été réalisé à la demande des habitant·es.": (
        "Cadre de vie", "Citoyenneté", "Mobilité", "Lien social"),
}


def effect_fits(description: str, themes: tuple[str, ...]) -> bool:
    """Whether an effect suits an action on these themes."""
    required = EFFECT_THEMES.get(description)
    return required is None or any(theme in required for theme in themes)


# (actor category, barrier kind, description): every category sees several kinds of barriers.
BARRIERS = [
    ("direction", "institutionnel", "Le temps consacré à l'action collective n'entre pas dans les indicateurs "
     "d'activité du financeur principal, qui ne comptent que les accompagnements individuels."),
    ("direction", "financier", "Le financement repose sur des appels à projets annuels : impossible de garantir "
     "la poursuite de l'action d'une année sur l'autre."),
    ("direction", "financier", "Les temps de préparation et de bilan ne sont pas couverts par la subvention, qui "
     "ne finance que les heures d'animation."),
    ("direction", "institutionnel", "La commande politique a changé après les élections municipales, et l'action "
     "n'était plus une priorité affichée."),
    ("direction", "organisationnel", "Il faut arbitrer entre l'urgence des situations individuelles et le temps "
     "long du collectif, avec des postes vacants."),
    ("direction", "partenarial", "Les conventions entre institutions mettent des mois à être signées, ce qui "
     "décourage les partenaires associatifs."),
    ("direction", "posture", "La crainte de perdre la maîtrise de ce que les habitant·es pourraient revendiquer, "
     "notamment face aux élu·es."),
    ("direction", "institutionnel", "Les questions de responsabilité (assurances, sorties, transport des "
     "participant·es) freinent la prise d'initiative."),
    ("chef_service", "organisationnel", "Les plannings ne prévoient pas de temps pour préparer et débriefer les "
     "séances collectives."),
    ("chef_service", "organisationnel", "Le turn-over de l'équipe a obligé à présenter plusieurs fois le projet "
     "aux nouveaux arrivants."),
    ("chef_service", "institutionnel", "Il est difficile de faire reconnaître l'ISIC dans les fiches de poste, "
     "centrées sur l'accompagnement individuel."),
    ("chef_service", "posture", "Accompagner une équipe partagée entre enthousiasme et scepticisme, sans imposer "
     "le collectif d'en haut, demande beaucoup de doigté."),
    ("chef_service", "partenarial", "Les partenaires n'ont pas la même définition de la participation, ce qui "
     "crée des malentendus en comité technique."),
    ("chef_service", "financier", "Le budget de fonctionnement ne permet pas de rembourser les frais de transport "
     "ou de garde des participant·es."),
    ("chef_service", "organisationnel", "Les horaires des services (fermeture à 17 heures, rien le samedi) sont "
     "mal adaptés aux disponibilités des habitant·es."),
    ("intervenant", "posture", "Il est difficile de lâcher prise et de laisser le groupe décider, par peur de "
     "l'échec ou du conflit."),
    ("intervenant", "posture", "Le sentiment d'être isolé·e dans cette pratique, sans collègue avec qui partager "
     "ses doutes."),
    ("intervenant", "public", "La mobilisation des personnes reste fragile : beaucoup viennent une fois puis ne "
     "reviennent pas."),
    ("intervenant", "public", "Une partie des habitant·es se méfie des institutions, associées au contrôle des "
     "aides."),
    ("intervenant", "organisationnel", "Les situations individuelles urgentes passent toujours en priorité et "
     "grignotent le temps prévu pour le collectif."),
    ("intervenant", "institutionnel", "La formation à la méthodologie de l'ISIC manque : la formation initiale y a "
     "consacré très peu de temps."),
    ("intervenant", "public", "La barrière de la langue pour une partie des personnes, sans budget pour "
     "l'interprétariat."),
    ("intervenant", "partenarial", "Des partenaires orientent des personnes vers l'action sans rester "
     "impliqué·es ensuite."),
    ("intervenant", "public", "Les contraintes de vie des personnes (horaires décalés, enfants à garder, santé) "
     "rendent la présence irrégulière."),
    ("intervenant", "posture", "La tension entre le secret professionnel et la dynamique d'un groupe où chacun·e "
     "parle de sa situation."),
    ("intervenant", "organisationnel", "Le local est inadapté : salle trop petite, disponible seulement quelques "
     "heures par semaine."),
    ("autre", "public", "Les habitant·es engagé·es s'épuisent : ce sont toujours les mêmes qui portent le "
     "collectif."),
    ("autre", "institutionnel", "Pour les élu·es, l'action manque de visibilité et de résultats chiffrés à court "
     "terme."),
    ("autre", "partenarial", "Les bénévoles associatifs se sentent parfois instrumentalisés par les "
     "institutions."),
    ("autre", "financier", "Le collectif d'habitant·es n'a pas de statut et ne peut pas recevoir directement de "
     "financement."),
    ("autre", "autre", "La rénovation urbaine a dispersé une partie des familles mobilisées, relogées dans "
     "d'autres quartiers."),
    ("autre", "public", "De vieilles rivalités entre groupes d'habitant·es, ou entre cages d'escalier, ont "
     "resurgi."),
    ("autre", "partenarial", "Le bailleur social, sollicité à plusieurs reprises, tarde à répondre aux demandes "
     "du collectif."),
    ("autre", "autre", "Des travaux dans le bâtiment ont interrompu l'action pendant plusieurs mois."),
    ("autre", "organisationnel", "Les bénévoles ne sont disponibles qu'en soirée, quand les professionnel·les ont "
     "terminé leur journée."),
]

LEVERS = [
    "Le soutien explicite de la direction, qui a dégagé une demi-journée par semaine pour l'action.",
    "Un binôme de professionnel·les de deux institutions différentes, qui se complètent.",
    "La participation au séminaire de formation de l'observatoire des pratiques de l'ISIC.",
    "Un local accessible au cœur du quartier, bien identifié par les habitant·es.",
    "L'appui d'habitant·es relais qui connaissent tout le monde.",
    "Un financement pluriannuel qui a permis de prendre le temps.",
    "Les ateliers de mutualisation de l'observatoire, où l'équipe a présenté l'action et reçu des conseils.",
    "La garde d'enfants proposée pendant les séances.",
    "Un comité de pilotage impliqué, réuni régulièrement.",
    "Des temps d'analyse des pratiques animés par un intervenant extérieur.",
    "La souplesse des horaires, adaptés aux disponibilités des personnes.",
    "La reconnaissance de l'action dans le projet social du centre social.",
    "Le recours à l'interprétariat professionnel.",
    "Des outils d'animation simples (photolangage, cartes) qui facilitent la prise de parole.",
    "La présence régulière des professionnel·les dans l'espace public, hors des bureaux.",
    "La convivialité : un café, un repas partagé, une sortie.",
    "Le soutien des élu·es de secteur, venu·es écouter sans prendre la parole.",
    "Une convention de partenariat qui précise le rôle de chacun.",
    "Le journal de bord tenu tout au long de l'action.",
    "La valorisation publique du travail du groupe (exposition, article dans le journal municipal).",
]

# (title, kind, description): tools co-built by practitioners, trainers and participants.
TOOLS = [
    ("Grille d'évaluation des effets de l'ISIC", "grille",
     "Une grille pour repérer, avec les participant·es, les changements individuels, collectifs et territoriaux "
     "produits par une action, avec des exemples d'indicateurs et de preuves."),
    ("Guide du diagnostic partagé de territoire", "guide",
     "Les étapes d'un diagnostic partagé : constituer le groupe de pilotage, recueillir la parole des "
     "habitant·es, croiser les données, restituer publiquement et choisir des priorités."),
    ("Fiche de préparation d'un atelier collectif", "fiche",
     "Une fiche d'une page pour préparer une séance : objectifs, déroulé minuté, rôles des co-animateur·rices, "
     "matériel, points de vigilance, éléments à noter pour le bilan."),
    ("Questionnaire d'effets à six mois", "questionnaire",
     "Un questionnaire court, rédigé en français facile à lire et à comprendre, passé en fin d'action puis six "
     "mois plus tard pour repérer ce qui est resté."),
    ("Grille d'analyse des freins et des leviers", "grille",
     "Une grille qui croise les types de freins (institutionnels, financiers, organisationnels, partenariaux, "
     "de posture, de mobilisation) et les points de vue des cadres, chefs de service et intervenant·es."),
    ("Photolangage « Mon quartier, mes ressources »", "support_animation",
     "Quarante photographies du quartier et de ses lieux, pour lancer la discussion sur ce qui aide et ce qui "
     "manque dans la vie quotidienne."),
    ("Guide de la co-construction avec les habitant·es", "guide",
     "Repères pour associer les habitant·es à toutes les étapes d'un projet, de l'idée à l'évaluation, et pour "
     "parler ouvertement des relations de pouvoir."),
    ("Fiche « Constituer un comité de pilotage »", "fiche",
     "Qui inviter, comment préparer la première réunion, quelle place donner aux habitant·es, comment rédiger "
     "un relevé de décisions."),
    ("Carte des ressources du territoire", "support_animation",
     "Une carte murale à compléter en groupe pour repérer les services, associations et personnes ressources "
     "du quartier."),
    ("Questionnaire d'auto-évaluation de la posture professionnelle", "questionnaire",
     "Vingt questions pour réfléchir à sa posture en intervention collective : place de la parole, partage du "
     "pouvoir, juste distance, travail en équipe."),
    ("Trame de bilan intermédiaire partagé", "fiche",
     "Une trame pour conduire un bilan à mi-parcours avec le groupe et les partenaires et ajuster l'action."),
    ("Jeu de cartes « Paroles de pouvoir d'agir »", "support_animation",
     "Un jeu de cartes-situations pour débattre, en groupe ou en équipe, de ce que signifie agir ensemble sur "
     "sa situation."),
    ("Guide d'écriture d'une fiche d'expérience pour l'observatoire", "guide",
     "Comment raconter une action collective pour la partager : contexte, genèse, déroulement, rôle des "
     "professionnel·les, effets, freins et perspectives."),
    ("Charte de fonctionnement d'un groupe", "autre",
     "Un modèle de charte à construire avec le groupe : confidentialité, respect de la parole, décisions, "
     "accueil des nouveaux membres."),
    ("Grille d'observation de la participation", "grille",
     "Une grille pour observer, séance après séance, qui parle, qui décide et qui propose, et suivre "
     "l'évolution de la participation."),
]
