"""Sentence material for partnerships, evaluation, participants' words and perspectives."""

from __future__ import annotations

PARTNERS = [
    "L'action s'est appuyée sur un partenariat entre {org} et {partenaire}, formalisé par une convention en "
    "{annee_suiv}.",
    "{partenaire} a mis à disposition des locaux et du temps de professionnel·les.",
    "Le travail en réseau a permis d'orienter des personnes vers l'action et, inversement, d'orienter les "
    "participant·es vers les services adaptés.",
    "Les relations avec {institution} ont été plus compliquées : changements d'interlocuteurs, délais de "
    "réponse, logiques administratives éloignées de celles du projet.",
    "Un comité de suivi réunissait les partenaires chaque trimestre pour faire le point et ajuster l'action.",
    "Le financement a été assuré par {financeur}, complété par des fonds propres {org_de}.",
    "Nous avons associé {institution2} dès la conception du projet, ce qui a facilité la suite.",
    "Le partenariat ne va pas de soi : il a fallu du temps pour construire un langage commun et dépasser les "
    "logiques de guichet.",
    "Les élu·es de secteur ont été tenu·es informé·es et sont venu·es à plusieurs temps forts.",
    "Des bénévoles d'associations du quartier ont rejoint l'action, apportant leur disponibilité et leur "
    "connaissance fine du terrain.",
    "La coopération avec {partenaire2} s'est construite pas à pas, à partir de situations concrètes plutôt que "
    "de grands principes.",
    "L'IMF a accueilli deux stagiaires en formation d'assistant·e de service social, qui ont participé à "
    "l'action et à son évaluation.",
    "Une rencontre annuelle a réuni l'ensemble des partenaires et des participant·es, ce qui a permis à chacun "
    "de mesurer le chemin parcouru.",
    "{institution} a accepté d'adapter ses horaires de permanence pour recevoir les participant·es en groupe.",
]

BARRIER_INTROS = [
    "Plusieurs freins ont été identifiés lors des bilans, selon la place de chacun·e dans l'action.",
    "L'action n'a pas été exempte de difficultés, et les points de vue sur ce qui a freiné divergent selon les "
    "acteurs.",
    "Les freins institutionnels ont pesé plus lourd que les difficultés de mobilisation du public.",
    "L'analyse des freins, menée avec la grille de l'observatoire, distingue le regard des cadres, des chefs "
    "de service, des intervenant·es et des autres acteurs.",
]

BARRIER_INTROS_PLANNED = [
    "Plusieurs freins sont déjà repérés, selon la place de chacun·e dans le projet.",
    "La préparation a mis en lumière des difficultés que chaque acteur formule à sa manière.",
]

# How a sentence introduces a barrier seen by each category of actor.
BARRIER_VOICES = {
    "direction": ["Du point de vue de la direction,", "Pour les cadres de direction,", "Côté direction,"],
    "chef_service": ["Pour l'encadrement intermédiaire,", "Du côté des chef·fes de service,",
                     "Selon la cheffe de service,"],
    "intervenant": ["Pour les intervenant·es de terrain,", "Du point de vue des professionnel·les de terrain,",
                    "Côté intervenant·es,"],
    "autre": ["Pour les habitant·es et les bénévoles,", "Du côté des partenaires,",
              "Selon les autres acteurs impliqués,"],
}

EVALUATION = [
    "L'évaluation a été pensée dès le départ, avec les participant·es, autour de trois questions : qu'est-ce "
    "qui a changé pour vous, pour le groupe, pour le quartier ?",
    "Nous avons utilisé la grille d'évaluation des effets construite dans le cadre de l'observatoire, qui "
    "distingue les effets individuels, collectifs et territoriaux.",
    "Au-delà des chiffres de fréquentation, nous avons cherché à repérer des processus de changement dans la "
    "situation des personnes.",
    "Un questionnaire a été rempli à la fin de l'action, puis six mois plus tard, pour mesurer ce qui était "
    "resté.",
    "Des entretiens individuels ont complété l'évaluation collective, pour recueillir la parole de celles et "
    "ceux qui s'expriment peu en groupe.",
    "La fréquentation a été régulière : {n_fideles} personnes sur {n} ont participé à plus des deux tiers des "
    "rencontres.",
    "Les effets les plus visibles concernent la confiance en soi et la capacité à prendre la parole en public.",
    "L'évaluation a aussi porté sur nos pratiques : qu'avons-nous appris, qu'est-ce que nous ferions "
    "autrement ?",
    "Certains effets sont difficiles à mesurer : un sourire retrouvé, une porte qui s'ouvre chez un voisin, une "
    "démarche faite seul·e pour la première fois.",
    "Le bilan a été présenté au comité de pilotage, puis restitué aux habitant·es lors d'une soirée "
    "conviviale.",
    "Les indicateurs demandés par les financeurs (nombre de participant·es, nombre de séances) rendent mal "
    "compte de ce qui s'est joué.",
    "Le journal de bord tenu tout au long de l'action a été précieux au moment du bilan.",
    "Une formatrice de l'IMF a apporté un regard extérieur et accompagné l'équipe dans l'analyse.",
    "Ce sont les participant·es qui ont choisi les indicateurs qui leur paraissaient importants.",
]

EFFECT_VOICES = {
    "individuel": ["Sur le plan individuel,", "Pour les personnes elles-mêmes,", "Côté individuel,"],
    "groupe": ["À l'échelle du groupe,", "Collectivement,", "Sur le plan collectif,"],
    "territoire": ["Sur le territoire,", "Du côté des institutions et du territoire,", "À l'échelle du quartier,"],
}

EVALUATION_PLANNED = [
    "L'évaluation sera conduite avec la grille des effets de l'observatoire, à mi-parcours et en fin d'action.",
    "Nous prévoyons un questionnaire à l'entrée et à six mois, construit avec les premier·es participant·es.",
    "Les indicateurs retenus portent autant sur les changements vécus que sur la fréquentation.",
    "Un temps de bilan collectif est prévu chaque trimestre, ouvert aux partenaires.",
    "Les effets attendus ont été formulés avec les personnes rencontrées pendant la phase d'aller-vers.",
]

# (quote, speaker's gender or "" when the words do not tell): the speaker must agree with the words.
QUOTES = [
    ("Avant, je ne sortais de chez moi que pour les courses. Maintenant, j'ai des rendez-vous.", ""),
    ("Ici, personne ne me demande mes papiers ou mes revenus. On me demande mon avis.", ""),
    ("J'ai compris que je n'étais pas la seule. Ça change tout.", "f"),
    ("On est allés à la mairie à dix. Tout seul, je n'y serais jamais allé.", "m"),
    ("Au début, je venais pour mes enfants. Maintenant, je viens aussi pour moi.", ""),
    ("Les assistantes sociales, on croyait qu'elles étaient là pour nous surveiller. Là, c'était différent.", ""),
    ("Le plus dur, c'était de parler devant tout le monde. La troisième fois, j'ai réussi.", ""),
    ("Maintenant, c'est nous qui accueillons les nouveaux.", ""),
    ("On nous a écoutés, et pour une fois on a vu le résultat.", ""),
    ("J'ai retrouvé l'envie de chercher du travail.", ""),
    ("Ce groupe, c'est un peu ma deuxième famille.", ""),
    ("Ce qui m'a plu, c'est qu'on décidait ensemble.", ""),
    ("Je connais mes voisins depuis vingt ans, mais je ne leur avais jamais vraiment parlé.", ""),
    ("On a appris à faire des réunions. Au début on parlait tous en même temps !", ""),
    ("Je me sentais bête avec les papiers. Maintenant, c'est moi qui aide ma voisine.", ""),
    ("Je suis venue une fois pour voir, et je ne suis plus jamais repartie.", "f"),
]
QUOTE_BY = {
    "f": ["confie une participante", "résume une mère de famille", "sourit une habitante",
          "dit une participante lors du bilan"],
    "m": ["raconte un habitant", "explique un participant", "note un jeune du quartier", "ajoute un père de famille"],
}

PERSPECTIVES = [
    "Le collectif souhaite se constituer en association pour gagner en autonomie.",
    "Nous souhaitons essaimer la démarche dans un autre quartier {de_commune}.",
    "La pérennité du financement reste la principale inquiétude.",
    "Un guide méthodologique, co-écrit avec les participant·es, est en cours de rédaction pour les cahiers de "
    "l'observatoire.",
    "Plusieurs participant·es se sont formé·es et pourraient à leur tour co-animer.",
    "L'enjeu est désormais d'inscrire l'action dans le projet de service, pour qu'elle ne repose plus sur "
    "quelques personnes motivées.",
    "Nous présenterons cette expérience lors de la prochaine journée débat de l'observatoire des pratiques de "
    "l'ISIC.",
    "Si c'était à refaire, nous prendrions plus de temps pour le diagnostic et associerions plus tôt les "
    "habitant·es aux instances de pilotage.",
    "Une évaluation à plus long terme, à deux ans, est prévue avec les partenaires.",
    "Les partenaires ont exprimé le souhait de reconduire l'action et d'y consacrer davantage de temps de "
    "professionnel·les.",
]
PERSPECTIVES_DONE = [
    "L'action s'est arrêtée en {annee_fin}, mais plusieurs de ses effets perdurent : des liens, des habitudes, "
    "un collectif qui se réunit encore.",
    "La fin de l'action a été préparée avec le groupe, et un temps de clôture festif a marqué la séparation.",
]
PERSPECTIVES_ONGOING = [
    "L'action se poursuit en {annee_suiv}, avec un groupe renouvelé pour moitié.",
    "La prochaine étape consiste à transmettre progressivement l'animation aux participant·es.",
]

LEVER_INTROS = [
    "Plusieurs leviers ont permis à l'action d'avancer malgré ces difficultés :",
    "Ce qui a aidé, de l'avis de toutes et tous :",
    "Parmi les leviers, nous retenons notamment :",
]

HEADINGS = {
    "contexte": ["Contexte", "Le contexte", "Contexte et constats de départ", "Le territoire et ses habitant·es"],
    "genese": ["Genèse du projet", "Naissance du projet", "D'où vient le projet ?", "Origine de l'action"],
    "objectifs": ["Objectifs", "Ce que nous voulions faire", "Objectifs de l'action"],
    "deroulement": ["Déroulement", "Mise en œuvre", "Le déroulement de l'action", "Comment l'action s'est déroulée"],
    "prevu": ["Déroulement prévu", "Ce qui est prévu", "Mise en œuvre envisagée"],
    "role": ["Rôle des professionnel·les", "Posture professionnelle", "La place des intervenant·es",
             "Travail en équipe et posture"],
    "partenariats": ["Partenariats", "Travail en réseau et partenariats", "Les partenaires"],
    "freins": ["Freins rencontrés", "Difficultés et freins", "Ce qui a freiné l'action"],
    "freins_prevus": ["Freins identifiés", "Difficultés anticipées"],
    "leviers": ["Leviers", "Ce qui a aidé"],
    "evaluation": ["Évaluation", "Effets observés et évaluation", "Bilan et évaluation"],
    "evaluation_prevue": ["Évaluation prévue", "Comment nous évaluerons l'action"],
    "paroles": ["Paroles de participant·es", "Ce qu'en disent les habitant·es", "Témoignages"],
    "perspectives": ["Perspectives", "Et maintenant ?", "Perspectives et enseignements"],
}
