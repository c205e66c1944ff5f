"""Sentence material for how an action ran and what the professionals did (déroulement, posture)."""

from __future__ import annotations

PROCESS_OPENINGS = [
    "Le démarrage a eu lieu en {mois} {annee} avec {n} {participants} ; les rencontres se sont tenues "
    "{frequence} dans {lieu}.",
    "Tout a commencé en {mois} {annee} : {n} {participants} étaient présent·es à la première rencontre, "
    "organisée dans {lieu}.",
    "À partir de {mois} {annee}, {activite} a réuni {n} {participants}, {frequence}, dans {lieu}.",
]

PROCESS = [
    "Au total, {n_seances} rencontres ont eu lieu sur {duree}.",
    "Les premières séances ont été consacrées à faire connaissance et à définir ensemble des règles de "
    "fonctionnement.",
    "Très vite, les {participants} ont proposé des thèmes et des activités que nous n'avions pas imaginés.",
    "Une période de flottement a suivi les vacances d'été : moins de présences, des tensions entre ancien·nes "
    "et nouveaux venus.",
    "Chaque rencontre donnait lieu à un court compte rendu, rédigé à tour de rôle et affiché dans {lieu}.",
    "La présence a varié selon les périodes, avec un noyau stable de {n_fideles} personnes.",
    "La garde des enfants, assurée par une animatrice, a été une condition indispensable de la participation de "
    "plusieurs mères.",
    "Des temps conviviaux (repas partagés, sorties) ont ponctué l'action et ont beaucoup compté dans la "
    "cohésion.",
    "L'interprétariat, assuré d'abord par des habitant·es bilingues puis par un service professionnel, a "
    "permis d'ouvrir l'action aux personnes non francophones.",
    "Le calendrier a dû s'adapter au ramadan, aux vacances scolaires et aux saisons de travail agricole.",
    "À mi-parcours, un bilan intermédiaire réalisé avec les participant·es a conduit à modifier le rythme et "
    "le contenu des rencontres.",
    "Certaines séances ont été annulées faute de salle, le local étant réquisitionné pour d'autres activités.",
    "L'action s'est progressivement ouverte à d'autres personnes, orientées par les partenaires ou amenées par "
    "d'autres participant·es.",
    "Le groupe a préparé et animé lui-même une rencontre publique pour présenter son travail.",
    "Les moments informels, avant et après les séances, se sont révélés aussi importants que les séances "
    "elles-mêmes.",
    "Nous avons appris à ne pas remplir tous les silences : c'est souvent après un long moment sans parole que "
    "quelqu'un osait dire ce qui comptait.",
    "Un cahier de bord, accessible à toutes et tous, recueillait les idées, les désaccords et les décisions.",
    "Plusieurs participant·es ont pris des responsabilités au fil du temps : accueil des nouveaux, tenue du "
    "planning, relations avec les partenaires.",
]

PROCESS_BY_MODE = {
    "groupe": [
        "Le groupe est resté fermé pendant les six premières séances pour permettre la confiance, puis s'est "
        "ouvert à de nouveaux membres.",
        "Chaque séance suivait le même déroulé : un temps d'accueil, un tour de parole, une activité, puis "
        "quelques minutes de bilan.",
        "Nous avons été attentif·ves aux phases de la vie d'un groupe : constitution, affirmation, cohésion, puis "
        "préparation de la fin.",
        "La co-animation en binôme a permis de partager l'observation du groupe et de réguler les prises de "
        "parole.",
        "La séparation a été préparée pendant deux séances spécifiques, car plusieurs personnes redoutaient la "
        "fin du groupe.",
        "Un contrat de groupe, écrit et signé par chacun·e, précisait les règles : confidentialité, respect de "
        "la parole, ponctualité.",
        "Les conflits entre participant·es ont été repris en groupe, comme matière de travail, plutôt qu'évités.",
    ],
    "communautaire": [
        "La mobilisation s'est faite par le porte-à-porte, des affiches dans les halls et surtout le "
        "bouche-à-oreille.",
        "Plusieurs habitant·es « moteurs » ont émergé, et il a fallu veiller à ce qu'ils ne parlent pas à la "
        "place des autres.",
        "Les assemblées d'habitant·es, tenues tous les deux mois en pied d'immeuble, ont permis de prendre les "
        "décisions importantes.",
        "Les professionnel·les se sont progressivement mis en retrait, passant de l'animation à l'appui "
        "logistique et au conseil.",
        "Le collectif a appris à négocier avec les institutions : préparer une réunion, choisir des porte-parole, "
        "obtenir un compte rendu écrit.",
        "Les relations de pouvoir entre le collectif et les institutions ont été un sujet de travail explicite.",
        "Un local mis à disposition par le bailleur a donné au collectif un lieu à lui, ce qui a changé sa place "
        "dans le quartier.",
    ],
    "dsl": [
        "Un comité de pilotage réunissant élu·es, financeurs et directions se réunit deux fois par an ; un "
        "comité technique des professionnel·les se réunit chaque mois.",
        "Le diagnostic partagé a été actualisé chaque année, en associant des habitant·es au recueil et à "
        "l'analyse des données.",
        "L'action a été inscrite dans le contrat de ville, ce qui lui a donné une légitimité mais aussi des "
        "contraintes de reporting.",
        "La transversalité entre services (social, jeunesse, santé, urbanisme) a été le principal enjeu, et la "
        "principale difficulté.",
        "Des groupes de travail thématiques ont été constitués, chacun animé en binôme par une institution et une "
        "association.",
        "Les habitant·es ont été associé·es aux instances de pilotage, avec une préparation en amont pour que leur "
        "parole ne soit pas de pure forme.",
        "Une fonction de coordination, financée à mi-temps, a été indispensable pour faire vivre le réseau.",
    ],
}

# Actions still at the project stage: what is planned, in the future tense.
PLANNED = [
    "Le démarrage est prévu en {mois} {annee}, après une phase de préparation avec les partenaires.",
    "Les rencontres auront lieu {frequence} dans {lieu}, pour un groupe d'une quinzaine de personnes.",
    "Une phase d'aller-vers de trois mois précédera le lancement, pour rencontrer les personnes là où elles "
    "sont.",
    "Les premières séances seront consacrées à la définition des règles et des attentes de chacun·e.",
    "Le contenu ne sera pas fixé à l'avance : il sera construit avec les participant·es.",
    "Une réunion d'information publique est programmée pour présenter le projet aux habitant·es.",
    "Un comité de pilotage sera installé dès le lancement, avec une place réservée aux habitant·es.",
    "Une convention entre {org} et {partenaire} est en cours de rédaction.",
    "Le budget prévisionnel a été déposé auprès {financeur_de}, dont la réponse est attendue.",
]

ROLE = [
    "{porteur} a assuré la coordination de l'action, en lien étroit avec sa hiérarchie.",
    "Notre posture a beaucoup évolué : nous sommes passé·es d'une position d'expert à une position "
    "d'accompagnement, en acceptant de ne pas tout maîtriser.",
    "Il a fallu apprendre à se taire, à laisser les silences s'installer et à faire confiance au groupe pour "
    "trouver ses propres réponses.",
    "Le travail en équipe a été essentiel : chaque séance était préparée et débriefée à deux, et les "
    "difficultés reprises en analyse des pratiques.",
    "La question de la juste distance s'est posée souvent : comment être proche des personnes sans renoncer à "
    "sa place de professionnel·le ?",
    "Nous avons dû expliquer à nos collègues, parfois sceptiques, que le temps passé en collectif n'était pas "
    "du temps perdu pour l'accompagnement individuel.",
    "Les relations de pouvoir entre professionnel·les et habitant·es n'ont pas disparu ; nous avons tenté de les "
    "rendre visibles et discutables.",
    "Reconnaître le pouvoir d'agir des personnes suppose d'accepter qu'elles fassent des choix différents de "
    "ceux que nous aurions faits.",
    "Chaque métier a apporté sa culture : l'accès aux droits pour les assistant·es de service social, la "
    "relation éducative pour les éducateur·rice·s, l'animation pour les animateur·rice·s.",
    "Le soutien de la direction a été déterminant, notamment pour dégager du temps et reconnaître l'ISIC comme "
    "une mission à part entière.",
    "Faire de l'ISIC, c'est aussi accepter d'être bousculé·e, de travailler en soirée ou le samedi, et de "
    "sortir de son bureau.",
    "La posture professionnelle a été discutée à chaque réunion d'équipe : animer sans diriger, soutenir sans "
    "faire à la place.",
    "Le secret professionnel a fait l'objet d'une réflexion particulière : ce qui se dit dans le groupe n'est "
    "pas transmis aux référent·es sans l'accord des personnes.",
    "L'empowerment n'est pas un slogan : il se joue dans des détails, comme laisser un·e participant·e tenir "
    "le stylo au tableau ou présider une réunion.",
    "La co-construction avec les habitant·es ne se décrète pas : il a fallu partager l'information, les "
    "décisions et parfois le budget.",
    "Le travail en réseau nous a obligé·es à sortir d'une logique de guichet pour penser en termes de "
    "développement social local.",
    "La cheffe de service a participé à deux séances, ce qui a été vécu comme une reconnaissance par l'équipe "
    "comme par les participant·es.",
    "Les stagiaires accueilli·es pendant l'action ont apporté un regard neuf et posé des questions qui nous ont "
    "obligé·es à expliciter nos choix.",
]

ROLE_OBSERVATORY = [
    "Nous avons présenté l'action aux ateliers de mutualisation de l'observatoire des pratiques de l'ISIC, ce "
    "qui nous a aidé·es à prendre du recul.",
    "Les échanges avec d'autres équipes lors des ateliers de l'observatoire nous ont rassuré·es : nos doutes "
    "étaient partagés.",
]
