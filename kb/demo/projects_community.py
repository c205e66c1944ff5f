"""Kinds of community-work actions (travail social communautaire) the demo draws from."""

from __future__ import annotations

from kb.demo.vocab import Project

COMMUNITY_PROJECTS = [
    Project(
        "jardin", "communautaire", ("Cadre de vie", "Alimentation", "Lien social"),
        ("Habitants d'un quartier prioritaire", "Familles"),
        ("Jardin partagé {ou}", "Le jardin des voisin·es {ou}"), "le jardin partagé",
        "Un jardin partagé créé et géré par les habitant·es sur une friche du bailleur, devenu un lieu de "
        "rencontre entre générations.",
        ("La friche a été défrichée lors de trois chantiers collectifs un samedi sur deux.",
         "Un règlement du jardin a été rédigé en assemblée : parcelles familiales, parcelle collective, "
         "arrosage tournant.",
         "Les enfants de l'accueil de loisirs cultivent une parcelle avec les jardiniers les plus ancien·nes.")),
    Project(
        "locataires", "communautaire", ("Logement", "Cadre de vie", "Citoyenneté"),
        ("Habitants d'un quartier prioritaire",),
        ("Collectif de locataires {ou}", "« Nos immeubles, notre affaire » : collectif de locataires {ou}"),
        "le collectif de locataires",
        "Des locataires se sont organisé·es en collectif pour obtenir des travaux (ascenseurs, humidité, "
        "éclairage) et un dialogue régulier avec le bailleur.",
        ("Une enquête en porte-à-porte a recensé les problèmes dans chaque cage d'escalier.",
         "Le collectif a obtenu une réunion trimestrielle avec le bailleur, avec un ordre du jour préparé par les "
         "habitant·es.",
         "Des tensions sont apparues entre porte-parole et locataires plus discrets, travaillées en réunion.")),
    Project(
        "epicerie", "communautaire", ("Alimentation", "Accès aux droits"), ("Familles", "Allocataires du RSA"),
        ("Épicerie solidaire co-gérée {ou}", "Le panier du quartier : une épicerie solidaire {ou}"),
        "l'épicerie solidaire",
        "Une épicerie solidaire gérée avec ses usager·es, qui en sont aussi les bénévoles et décident des "
        "produits et des règles d'accès.",
        ("Le comité d'usager·es se réunit chaque mois pour fixer les prix et choisir les produits.",
         "Un partenariat avec des maraîchers voisins permet d'avoir des légumes frais deux fois par semaine.",
         "Des ateliers cuisine ont lieu dans l'arrière-boutique avec les produits invendus.")),
    Project(
        "femmes_relais", "communautaire", ("Accès aux droits", "Santé"),
        ("Femmes isolées", "Habitants d'un quartier prioritaire"),
        ("Femmes-relais et médiation sociale {ou}", "Les femmes-relais du quartier {ou}"),
        "le réseau de femmes-relais",
        "Des habitantes formées à la médiation font le lien entre les familles du quartier et les institutions "
        "(école, CAF, hôpital, bailleur).",
        ("Les femmes-relais tiennent une permanence dans le hall de la mairie annexe et accompagnent physiquement "
         "les familles.",
         "Une formation de quarante heures a été co-construite avec elles : interprétariat, secret partagé, "
         "droits sociaux.",
         "La reconnaissance de leur rôle par les institutions a pris plusieurs années.")),
    Project(
        "fete_quartier", "communautaire", ("Lien social", "Culture", "Citoyenneté"),
        ("Habitants d'un quartier prioritaire", "Familles"),
        ("Fête de quartier co-organisée {ou}", "La fête des voisin·es réinventée {ou}"),
        "la fête de quartier",
        "Une fête de quartier préparée pendant six mois par un comité d'habitant·es, des associations et le "
        "centre social.",
        ("Le comité d'organisation a été ouvert à toutes et tous, et s'est réuni chaque mois au pied des "
         "immeubles.",
         "Les habitant·es ont tenu la buvette, le programme musical et les jeux pour les enfants.",
         "Un conflit sur la place du marché a été l'occasion d'une médiation avec les commerçants.")),
    Project(
        "junior_asso", "communautaire", ("Citoyenneté", "Culture"), ("Jeunes de 16 à 25 ans",),
        ("Junior association et conseil de jeunes {ou}", "Des jeunes qui s'organisent : junior association {ou}"),
        "la junior association",
        "Un groupe de jeunes a créé sa junior association pour organiser des tournois, des sorties et des "
        "actions solidaires dans le quartier.",
        ("Les jeunes ont rédigé leurs statuts et élu un bureau, avec un animateur en soutien.",
         "Leur première action a été une collecte de fournitures scolaires pour les familles du quartier.",
         "Ils ont présenté leur projet devant la commission jeunesse de la Ville.")),
    Project(
        "voisins_seniors", "communautaire", ("Lien social", "Santé"), ("Personnes âgées",),
        ("Réseau d'entraide entre voisin·es et seniors {ou}", "Bonjour voisin·e : veille solidaire {ou}"),
        "le réseau d'entraide",
        "Un réseau de voisin·es qui veille sur les personnes âgées isolées, passe les voir et organise des "
        "moments conviviaux.",
        ("Les canicules successives ont fait naître l'idée d'une liste de personnes à appeler en priorité.",
         "Un goûter mensuel réunit les voisin·es veilleur·ses et les personnes âgées.",
         "Le réseau a élaboré une charte pour éviter que l'entraide ne devienne une charge ou une intrusion.")),
    Project(
        "autorehab", "communautaire", ("Logement", "Cadre de vie"), ("Familles",),
        ("Autoréhabilitation accompagnée des logements {ou}", "Bricoler ensemble son logement {ou}"),
        "l'autoréhabilitation accompagnée",
        "Des familles rénovent leur logement avec l'appui d'un animateur technique et l'entraide des voisin·es, "
        "dans un projet partagé avec le bailleur.",
        ("Chaque chantier familial mobilise au moins deux autres familles, selon le principe « je viens chez toi, "
         "tu viens chez moi ».",
         "Une outilthèque a été installée dans un local du bailleur, ouverte deux soirs par semaine.",
         "Les familles ont choisi elles-mêmes les peintures et les revêtements.")),
    Project(
        "voyage_sante", "communautaire", ("Santé", "Accès aux droits"), ("Gens du voyage",),
        ("Médiation santé avec les familles du voyage {ou}", "La santé sur l'aire : médiation avec les voyageurs "
         "{ou}"), "la médiation santé",
        "Une démarche de médiation en santé avec les familles du voyage : vaccination, dépistages, ouverture des "
        "droits et lien avec les soignant·es.",
        ("Une médiatrice issue de la communauté fait le lien avec les soignant·es de la maison de santé.",
         "Les familles ont organisé elles-mêmes une matinée de vaccination sur l'aire.",
         "Les questions posées ont été recueillies dans un cahier, puis portées au comité de pilotage.")),
    Project(
        "marches_exploratoires", "communautaire", ("Cadre de vie", "Citoyenneté", "Violences faites aux femmes"),
        ("Femmes isolées", "Habitants d'un quartier prioritaire"),
        ("Marches exploratoires de femmes {ou}", "Marcher pour transformer le quartier {ou}"),
        "les marches exploratoires",
        "Des habitantes parcourent le quartier de jour et de nuit pour repérer ce qui entrave leur liberté de "
        "circuler et formulent des propositions aux décideurs.",
        ("Quatre marches ont été réalisées, dont deux à la tombée de la nuit.",
         "Les propositions (éclairage, banc, abribus) ont été présentées aux élu·es lors d'une restitution "
         "publique.",
         "Une partie des aménagements demandés a été réalisée l'année suivante.")),
    Project(
        "repair_cafe", "communautaire", ("Cadre de vie", "Lien social"), ("Habitants d'un quartier prioritaire",),
        ("Repair café et recyclerie de quartier {ou}", "On répare ensemble : le repair café {ou}"),
        "le repair café",
        "Un repair café mensuel animé par des habitant·es bricoleur·ses, qui s'est étendu à une petite recyclerie "
        "de quartier.",
        ("Les réparateur·rices bénévoles sont presque tous des habitant·es retraité·es du quartier.",
         "Une charte précise que l'on répare avec la personne, pas à sa place.",
         "La recyclerie a ouvert dans un ancien local commercial mis à disposition par le bailleur.")),
    Project(
        "asile_accueil", "communautaire", ("Accès aux droits", "Lien social"), ("Demandeurs d'asile", "Familles"),
        ("Collectif d'accueil solidaire des personnes exilées {ou}", "Cuisine et hospitalité : collectif d'accueil "
         "{ou}"), "le collectif d'accueil",
        "Un collectif réunissant habitant·es, bénévoles et personnes exilées pour organiser l'accueil, "
        "l'orientation et des repas partagés ; sa localisation n'est pas publiée.",
        ("Le collectif a établi une carte des ressources (soins, domiciliation, cours de français), traduite en "
         "cinq langues.",
         "Les repas partagés sont préparés à tour de rôle par les familles accueillies.",
         "Les professionnel·les ont dû trouver leur place à côté de bénévoles très engagé·es."),
        sensitive=True),
    Project(
        "sante_habitants", "communautaire", ("Santé",), ("Habitants d'un quartier prioritaire", "Familles"),
        ("Groupe d'habitant·es pour la santé {ou}", "La santé, c'est aussi notre affaire {ou}"),
        "le groupe santé",
        "Des habitant·es se sont réuni·es pour agir sur les questions de santé du quartier : accès aux médecins, "
        "alimentation, sport, souffrance psychique.",
        ("Le groupe a réalisé un micro-trottoir sur le marché, puis une soirée-débat avec des médecins.",
         "Une marche santé hebdomadaire est désormais animée par deux habitantes.",
         "Le groupe a interpellé l'agence régionale de santé sur l'absence de médecin généraliste.")),
    Project(
        "transport_solidaire", "communautaire", ("Mobilité", "Lien social"), ("Personnes âgées",),
        ("Transport solidaire entre habitant·es {ou}", "Roulons ensemble : un transport solidaire {ou}"),
        "le transport solidaire",
        "Des habitant·es conducteur·rices bénévoles accompagnent des personnes âgées sans voiture à leurs "
        "rendez-vous médicaux et à leurs courses.",
        ("Une plateforme téléphonique tenue par des bénévoles met en relation conducteur·rices et passager·es.",
         "Les règles d'indemnisation des frais ont été discutées longuement avec l'assureur.",
         "Les trajets sont devenus l'occasion de conversations et parfois d'amitiés.")),
    Project(
        "cafe_parents", "communautaire", ("Parentalité", "Scolarité"), ("Familles", "Parents de jeunes enfants"),
        ("Café des parents à la sortie de l'école {ou}", "Le café des parents {ou}"), "le café des parents",
        "Un café des parents installé devant l'école, tenu par des parents du quartier, pour créer du lien entre "
        "familles et avec l'équipe enseignante.",
        ("Le café est ouvert deux matins par semaine, avec une table, un thermos et des chaises pliantes.",
         "Les parents ont organisé une rencontre avec le directeur de l'école sur la cantine.",
         "Des parents non francophones ont trouvé là un premier lieu où parler de l'école.")),
]
