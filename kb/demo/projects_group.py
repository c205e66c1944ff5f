"""Kinds of group-work actions (travail social de groupe) the demo draws from."""

from __future__ import annotations

from kb.demo.vocab import Project

GROUP_PROJECTS = [
    Project(
        "cuisine", "groupe", ("Alimentation", "Santé", "Lien social"), ("Familles", "Femmes isolées"),
        ("Atelier « Cuisine et santé » {ou}", "Les mardis de la cuisine partagée {ou}"), "l'atelier cuisine",
        "Un atelier collectif où {public_les} préparent ensemble un repas équilibré avec un petit budget, puis "
        "le partagent.",
        ("Chaque séance commence par l'élaboration du menu à partir des courses faites la veille avec un budget "
         "de 3 euros par personne.",
         "Une diététicienne de la PMI est intervenue à quatre reprises, à la demande du groupe, sur le sucre et les "
         "boissons des enfants.",
         "Les recettes ont été rassemblées dans un livret illustré, écrit en français et traduit par les "
         "participantes en arabe et en comorien.")),
    Project(
        "parents_ados", "groupe", ("Parentalité", "Scolarité"), ("Parents d'adolescents", "Familles"),
        ("Groupe de parole « Parents d'ados » {ou}", "Être parent d'adolescent : un groupe d'échanges {ou}"),
        "le groupe de parole",
        "Un groupe de parole mensuel pour des parents inquiets du décrochage scolaire ou des sorties de leurs "
        "adolescent·es.",
        ("Les thèmes des soirées ont été choisis par les parents : les écrans, l'orientation en fin de troisième, "
         "les fréquentations, l'argent de poche.",
         "Deux soirées ont réuni parents et adolescent·es autour d'un jeu de cartes « Qui décide quoi ? ».",
         "La conseillère principale d'éducation du collège est venue écouter les parents, sans prendre la "
         "parole au début, ce qui a beaucoup compté pour eux.")),
    Project(
        "rsa_emploi", "groupe", ("Insertion professionnelle", "Mobilité"), ("Allocataires du RSA",),
        ("Dynamique collective vers l'emploi {ou}", "Le groupe « Cap vers l'emploi » {ou}"),
        "le groupe de remobilisation",
        "Un cycle de séances collectives pour des allocataires du RSA éloigné·es de l'emploi, fondé sur "
        "l'entraide et la valorisation des compétences.",
        ("Le « portefeuille de compétences » a permis à chacun·e de nommer ce qu'il ou elle sait faire, y compris "
         "hors du travail salarié : s'occuper d'un parent malade, tenir un budget serré, bricoler.",
         "Des employeurs du bassin sont venus présenter leurs métiers, et deux entreprises ont accueilli le "
         "groupe pour une visite.",
         "Les participant·es ont organisé eux-mêmes un covoiturage pour se rendre aux séances éloignées.")),
    Project(
        "cafe_femmes", "groupe", ("Lien social", "Accès aux droits"), ("Femmes isolées",),
        ("Le café des femmes {ou}", "« Entre nous » : un groupe de femmes {ou}"), "le café des femmes",
        "Un rendez-vous hebdomadaire où des femmes isolées se retrouvent, échangent et construisent ensemble des "
        "projets de sorties et d'ateliers.",
        ("Le groupe a choisi lui-même ses règles : confidentialité, pas de jugement, chacune parle à son tour.",
         "Des sorties à la mer, au musée et au marché de Noël ont été préparées et financées en partie par une "
         "vente de gâteaux.",
         "Une juriste du point d'accès au droit est venue répondre aux questions sur le divorce et la pension "
         "alimentaire.")),
    Project(
        "numerique_seniors", "groupe", ("Numérique", "Accès aux droits"), ("Personnes âgées",),
        ("Ateliers numériques et démarches en ligne pour les seniors {ou}", "Clic et lien : les seniors en ligne {ou}"),
        "l'atelier numérique",
        "Des ateliers en petit groupe pour que des personnes âgées apprennent à faire seules leurs démarches en "
        "ligne, et s'entraident entre elles.",
        ("Les premières séances ont porté sur la tablette elle-même : l'allumer, agrandir les caractères, "
         "reconnaître un faux message.",
         "Un espace personnel sur le site de la caisse de retraite a été créé par chaque participant·e, "
         "accompagné·e par un pair plus à l'aise.",
         "Des jeunes en service civique ont tenu le rôle de « tuteurs » sur les séances de visioconférence avec "
         "les petits-enfants.")),
    Project(
        "violences_groupe", "groupe", ("Violences faites aux femmes", "Santé", "Accès aux droits"),
        ("Femmes victimes de violences", "Femmes isolées"),
        ("Groupe de soutien pour femmes victimes de violences conjugales {ou}",
         "« Reprendre pied » : groupe de femmes après les violences {ou}"), "le groupe de soutien",
        "Un groupe fermé de femmes ayant subi des violences conjugales, co-animé par une travailleuse sociale et "
        "une psychologue ; le lieu n'est pas communiqué.",
        ("Le lieu et les horaires ne sont connus que des participantes ; une garde d'enfants est assurée sur "
         "place.",
         "Les séances alternent temps de parole, information juridique et activités corporelles proposées par une "
         "intervenante en sophrologie.",
         "Plusieurs femmes ont demandé à poursuivre sous la forme d'un groupe d'entraide autonome à la fin du "
         "cycle."),
        sensitive=True),
    Project(
        "asile_asl", "groupe", ("Accès aux droits", "Lien social"), ("Demandeurs d'asile",),
        ("Ateliers sociolinguistiques avec des personnes demandeuses d'asile {ou}",
         "Parler, comprendre, s'orienter : ateliers pour personnes en demande d'asile {ou}"),
        "l'atelier sociolinguistique",
        "Des ateliers sociolinguistiques pour des personnes en demande d'asile hébergées dans le secteur : la "
        "langue comme porte d'entrée vers les droits et la ville.",
        ("Les séances partent de situations concrètes : prendre rendez-vous chez le médecin, lire un courrier de "
         "l'OFII, acheter un titre de transport.",
         "Des sorties dans la ville ont été organisées pour repérer la permanence d'accès aux soins, la "
         "bibliothèque et les associations d'aide alimentaire.",
         "Des bénévoles d'une association d'interprètes ont rejoint le groupe pour les séances sur la procédure."),
        sensitive=True),
    Project(
        "permis_mobilite", "groupe", ("Mobilité", "Insertion professionnelle"),
        ("Jeunes de 16 à 25 ans", "Allocataires du RSA"),
        ("Atelier mobilité et code de la route {ou}", "En route vers l'emploi : groupe mobilité {ou}"),
        "l'atelier mobilité",
        "Un atelier collectif qui prépare au code de la route et travaille la mobilité (lire un plan, prendre le "
        "car, oser sortir du quartier) pour accéder à l'emploi.",
        ("Les séances de code sont animées en binôme avec une auto-école sociale, sur des supports simplifiés.",
         "Le groupe a testé à plusieurs reprises les trajets vers la zone d'activité, montre en main.",
         "Une sortie d'une journée en train a été entièrement organisée par les jeunes.")),
    Project(
        "budget_energie", "groupe", ("Logement", "Accès aux droits"), ("Familles", "Allocataires du RSA"),
        ("Atelier budget et économies d'énergie {ou}", "« Les factures, parlons-en » {ou}"),
        "l'atelier budget",
        "Un atelier animé par une conseillère en économie sociale et familiale pour comprendre ses factures, "
        "réduire ses consommations et faire valoir ses droits face aux fournisseurs.",
        ("Chaque participant·e a apporté ses factures, anonymisées, pour un travail de lecture collective.",
         "Un kit d'économies d'énergie a été fabriqué par le groupe puis présenté aux voisin·es lors d'un stand "
         "au pied des immeubles.",
         "Le groupe a rédigé une lettre collective au fournisseur d'énergie au sujet des relances "
         "incompréhensibles.")),
    Project(
        "chantier_jeunes", "groupe", ("Insertion professionnelle", "Citoyenneté", "Cadre de vie"),
        ("Jeunes de 16 à 25 ans",),
        ("Chantier éducatif et groupe de jeunes {ou}", "Chantier jeunes « Les murs ont la parole » {ou}"),
        "le chantier éducatif",
        "Un chantier éducatif rémunéré (rénovation de locaux communs) associé à des temps de groupe sur le projet "
        "professionnel et la vie du quartier.",
        ("Les jeunes ont été recruté·es après des rencontres de rue par les éducateur·rice·s de prévention.",
         "La fresque réalisée dans le hall a été inaugurée en présence des locataires et du gardien.",
         "Les temps de groupe du vendredi ont permis de parler des contrôles d'identité, de l'argent et du "
         "premier emploi.")),
    Project(
        "gem_sante_mentale", "groupe", ("Santé", "Lien social"),
        ("Personnes vivant avec des troubles psychiques", "Personnes en situation de handicap"),
        ("Groupe d'entraide et santé mentale {ou}", "Prendre soin ensemble : un groupe d'entraide {ou}"),
        "le groupe d'entraide",
        "Un groupe d'entraide entre personnes vivant avec des troubles psychiques, soutenu par une éducatrice et "
        "une infirmière de secteur, pour rompre l'isolement.",
        ("Les membres choisissent chaque mois un « animateur du jour » parmi eux.",
         "Une sortie hebdomadaire en ville a été maintenue même les semaines difficiles, ce que le groupe appelle "
         "« le fil ».",
         "Les adhérent·es ont témoigné devant des étudiant·es en travail social sur la stigmatisation."),
        sensitive=True),
    Project(
        "aidants", "groupe", ("Santé", "Parentalité"), ("Personnes en situation de handicap", "Familles"),
        ("Groupe de pairs pour aidant·es familiaux {ou}", "Les aidant·es ont la parole {ou}"), "le groupe d'aidant·es",
        "Un groupe de pairs pour les parents et proches aidant un enfant ou un adulte en situation de handicap.",
        ("Des solutions de répit ont été organisées pendant les séances avec le foyer de vie voisin.",
         "Les aidant·es ont élaboré un « guide des démarches qu'on aurait aimé connaître ».",
         "Une rencontre avec la maison départementale des personnes handicapées a été préparée collectivement.")),
    Project(
        "theatre_forum", "groupe", ("Culture", "Citoyenneté"), ("Jeunes de 16 à 25 ans",),
        ("Théâtre-forum sur les discriminations {ou}", "« Rejoue ta scène » : théâtre-forum {ou}"),
        "le théâtre-forum",
        "Un groupe de jeunes a écrit et joué des scènes de discrimination vécues, puis les a rejouées avec le "
        "public selon la méthode du théâtre-forum.",
        ("Les scènes viennent d'expériences réelles : un refus de stage, un contrôle, un entretien d'embauche.",
         "Les représentations ont eu lieu au lycée professionnel, au centre social et à la fête du quartier.",
         "Une comédienne professionnelle a accompagné le groupe sur douze séances.")),
    Project(
        "ecriture_memoire", "groupe", ("Culture", "Lien social"),
        ("Personnes âgées", "Habitants d'un quartier prioritaire"),
        ("Atelier d'écriture et mémoire du quartier {ou}", "Mémoires de quartier : un atelier d'écriture {ou}"),
        "l'atelier d'écriture",
        "Un atelier d'écriture où des habitant·es âgé·es racontent l'histoire du quartier, pour un recueil "
        "partagé avec les écoles.",
        ("Les récits ont été lus à voix haute à des élèves de CM2, qui ont posé leurs questions.",
         "Un recueil de textes et de photographies anciennes a été imprimé à deux cents exemplaires.",
         "L'atelier a fait se rencontrer des personnes qui vivaient dans la même tour depuis trente ans sans se "
         "parler.")),
    Project(
        "prostitution", "groupe", ("Santé", "Accès aux droits"), ("Personnes en situation de prostitution",),
        ("Groupe santé et accès aux droits avec des personnes en situation de prostitution {ou}",
         "Un espace collectif santé-droits pour personnes prostituées {ou}"), "l'espace collectif",
        "Un temps collectif d'information et d'échanges sur la santé et les droits, co-construit avec des "
        "personnes en situation de prostitution ; la localisation n'est pas publiée.",
        ("Les séances ont lieu dans un local discret, sur un créneau choisi par les personnes elles-mêmes.",
         "Des médiatrices paires, elles-mêmes concernées par le passé, co-animent les échanges.",
         "Une permanence de dépistage a été installée à la demande du groupe."),
        sensitive=True),
    Project(
        "parents_jeunes_enfants", "groupe", ("Parentalité",), ("Parents de jeunes enfants", "Familles"),
        ("Lieu d'échanges parents-enfants de 0 à 3 ans {ou}", "Les matinées des tout-petits {ou}"),
        "le lieu d'échanges parents-enfants",
        "Un accueil collectif parents-enfants de 0 à 3 ans, co-animé par une éducatrice de jeunes enfants et une "
        "puéricultrice de la PMI.",
        ("Les parents ont aménagé l'espace avec du matériel de récupération et des jeux fabriqués ensemble.",
         "Les pères ont été invités à un samedi matin sur trois, ce qui a doublé leur présence.",
         "Les thèmes (sommeil, colères, langues parlées à la maison) sont proposés par les parents.")),
    Project(
        "voyage_scolarite", "groupe", ("Scolarité", "Parentalité", "Accès aux droits"), ("Gens du voyage",),
        ("Ateliers scolarité et parentalité sur l'aire d'accueil {ou}", "L'école, parlons-en : familles du voyage "
         "{ou}"), "l'atelier scolarité",
        "Des ateliers sur l'aire d'accueil avec des familles du voyage autour de la scolarité des enfants et du "
        "lien avec l'école et le collège.",
        ("Les séances ont lieu dans un camion aménagé, stationné au centre de l'aire.",
         "Une directrice d'école est venue présenter la classe et le fonctionnement de la cantine.",
         "Les mères ont demandé une aide pour l'inscription au CNED, ce qui a donné lieu à trois séances "
         "spécifiques.")),
]
