"""Kinds of local social development actions (développement social local) the demo draws from."""

from __future__ import annotations

from kb.demo.vocab import Project

LOCAL_PROJECTS = [
    Project(
        "diagnostic", "dsl", ("Évaluation", "Cadre de vie", "Lien social"), ("Habitants d'un quartier prioritaire",),
        ("Diagnostic partagé de territoire {ou}", "Regards croisés : diagnostic partagé {ou}"),
        "le diagnostic partagé",
        "Un diagnostic partagé mené avec les habitant·es, les associations et les institutions pour définir les "
        "priorités d'action du territoire.",
        ("Plus de deux cents habitant·es ont été rencontré·es lors de stands, de porte-à-porte et de réunions "
         "d'immeuble.",
         "Les résultats ont été restitués en assemblée publique sous forme d'affiches et de courtes vidéos.",
         "Trois priorités ont été retenues : la tranquillité, la jeunesse et l'accès aux services publics.")),
    Project(
        "acces_droits", "dsl", ("Accès aux droits", "Numérique"), ("Allocataires du RSA", "Familles"),
        ("Plateforme partenariale d'accès aux droits {ou}", "Réseau de l'accès aux droits {ou}"),
        "la plateforme d'accès aux droits",
        "Une plateforme qui coordonne les permanences d'accès aux droits du territoire et organise des temps "
        "collectifs d'information avec les usager·es.",
        ("Un annuaire partagé des permanences a été construit et mis à jour par les partenaires eux-mêmes.",
         "Des « rendez-vous des droits » collectifs sont organisés chaque trimestre avec la CAF et la CPAM.",
         "Les situations de non-recours sont analysées en réunion mensuelle, sans nommer les personnes.")),
    Project(
        "jeunesse", "dsl", ("Insertion professionnelle", "Citoyenneté"), ("Jeunes de 16 à 25 ans",),
        ("Coordination jeunesse de territoire {ou}", "Réseau jeunesse : agir ensemble pour les 16-25 ans {ou}"),
        "la coordination jeunesse",
        "Une coordination des acteurs jeunesse (prévention spécialisée, mission locale, centre social, collège) "
        "pour repérer les jeunes sans solution et construire des réponses communes.",
        ("Une réunion mensuelle des professionnel·les permet d'étudier les situations, avec l'accord des jeunes.",
         "Un forum « Job d'été » est coorganisé chaque printemps avec des jeunes du territoire.",
         "La coordination a produit un état des lieux partagé des besoins des 16-25 ans.")),
    Project(
        "abs", "dsl", ("Évaluation", "Accès aux droits"), ("Familles", "Personnes âgées"),
        ("Analyse des besoins sociaux participative {ou}", "Connaître pour agir : analyse des besoins sociaux {ou}"),
        "l'analyse des besoins sociaux",
        "Une analyse des besoins sociaux menée par le CCAS en associant les habitant·es et les partenaires, au-delà "
        "des seules statistiques.",
        ("Des groupes focus ont été organisés avec des personnes âgées, des familles monoparentales et des "
         "jeunes.",
         "Les données de la CAF et du CCAS ont été croisées avec les récits recueillis.",
         "L'analyse a débouché sur un plan d'action voté en conseil d'administration.")),
    Project(
        "conseil_citoyen", "dsl", ("Citoyenneté", "Cadre de vie"), ("Habitants d'un quartier prioritaire",),
        ("Accompagnement du conseil citoyen {ou}", "Faire vivre le conseil citoyen {ou}"),
        "l'accompagnement du conseil citoyen",
        "L'accompagnement d'un conseil citoyen de quartier prioritaire pour qu'il prenne une vraie place dans le "
        "pilotage du contrat de ville.",
        ("Des formations courtes ont été proposées aux membres : lire un budget, prendre la parole, animer une "
         "réunion.",
         "Le conseil citoyen a rendu un avis écrit sur la rénovation urbaine du quartier.",
         "La question de l'indépendance du conseil vis-à-vis de la Ville a été discutée à plusieurs reprises."),
        min_year=2015),
    Project(
        "sante_territoire", "dsl", ("Santé", "Accès aux droits"), ("Habitants d'un quartier prioritaire",
                                                                 "Personnes âgées"),
        ("Réseau santé de proximité {ou}", "Atelier santé ville : agir sur les inégalités de santé {ou}"),
        "le réseau santé de proximité",
        "Un réseau local qui réunit soignant·es, travailleur·ses sociaux et habitant·es pour réduire les "
        "inégalités de santé du territoire.",
        ("Un groupe de travail sur les refus de soins a recueilli des témoignages d'habitant·es.",
         "Des journées de dépistage ont été organisées au centre social avec la CPAM.",
         "Le réseau a contribué au contrat local de santé.")),
    Project(
        "mobilite_territoire", "dsl", ("Mobilité", "Insertion professionnelle"),
        ("Allocataires du RSA", "Jeunes de 16 à 25 ans"),
        ("Plateforme mobilité solidaire {ou}", "Bouger pour s'insérer : plateforme mobilité {ou}"),
        "la plateforme mobilité",
        "Une plateforme de mobilité solidaire (location de scooters, covoiturage, aide au permis) construite avec "
        "les employeurs et les habitant·es d'un territoire mal desservi.",
        ("Un diagnostic des trajets domicile-travail a été réalisé avec les personnes en insertion.",
         "Dix scooters sont loués un euro par jour aux personnes qui démarrent un emploi.",
         "Les horaires d'une ligne de car ont été modifiés après l'interpellation du comité de pilotage.")),
    Project(
        "alimentation_territoire", "dsl", ("Alimentation", "Santé"), ("Familles", "Allocataires du RSA"),
        ("Projet alimentaire solidaire de territoire {ou}", "Bien manger pour tous : projet alimentaire {ou}"),
        "le projet alimentaire solidaire",
        "Un projet alimentaire de territoire qui rapproche producteurs locaux, aide alimentaire et habitant·es "
        "pour une alimentation de qualité accessible.",
        ("Des paniers de légumes à prix solidaire sont distribués chaque semaine au centre social.",
         "Les associations d'aide alimentaire ont revu ensemble leurs critères d'accès.",
         "Des visites de fermes ont été organisées avec les familles.")),
    Project(
        "numerique_territoire", "dsl", ("Numérique", "Accès aux droits"), ("Personnes âgées", "Familles"),
        ("Réseau local de l'inclusion numérique {ou}", "Personne sans solution numérique : un réseau local {ou}"),
        "le réseau de l'inclusion numérique",
        "Un réseau local qui coordonne les lieux d'accompagnement au numérique et construit un parcours commun "
        "pour les personnes éloignées des démarches en ligne.",
        ("Une cartographie des lieux d'aide au numérique a été diffusée dans toutes les salles d'attente.",
         "Un « pass » permet d'orienter une personne d'un lieu à l'autre sans qu'elle répète son histoire.",
         "Les agents d'accueil des services publics ont été formés à l'orientation."),
        min_year=2016),
    Project(
        "bien_vieillir", "dsl", ("Lien social", "Santé"), ("Personnes âgées",),
        ("Bien vieillir dans le quartier {ou}", "Vieillir chez soi, vieillir ensemble {ou}"),
        "le projet bien vieillir",
        "Une démarche de territoire pour que les personnes âgées puissent bien vieillir dans le quartier : "
        "commerces, transports, logement adapté, lien social.",
        ("Un comité de seniors a été associé à toutes les étapes du projet.",
         "Les bailleurs ont recensé les logements adaptables en rez-de-chaussée.",
         "Des bancs ont été installés sur le trajet du marché après une marche diagnostic.")),
    Project(
        "aller_vers", "dsl", ("Accès aux droits", "Lien social"),
        ("Habitants d'un quartier prioritaire", "Familles"),
        ("Démarche coordonnée d'aller-vers {ou}", "Aller vers : permanences hors les murs {ou}"),
        "la démarche d'aller-vers",
        "Une démarche coordonnée d'aller-vers : permanences hors les murs, présence au pied des immeubles et sur "
        "les marchés, pour les personnes qui ne viennent plus dans les services.",
        ("Un triporteur aménagé sert de bureau mobile les jours de marché.",
         "Les travailleur·ses sociaux de plusieurs institutions tiennent la permanence à tour de rôle.",
         "Les demandes recueillies sont analysées chaque mois pour adapter les services.")),
    Project(
        "habitat_indigne", "dsl", ("Logement", "Santé"), ("Familles",),
        ("Commission partenariale habitat dégradé {ou}", "Agir ensemble contre l'habitat indigne {ou}"),
        "la commission habitat dégradé",
        "Une commission partenariale qui traite collectivement les situations d'habitat dégradé et soutient les "
        "locataires dans leurs démarches.",
        ("Des réunions d'information sur les droits des locataires ont été organisées dans les immeubles "
         "concernés.",
         "Le service d'hygiène de la Ville participe à chaque commission.",
         "Un collectif de locataires s'est constitué à l'issue des réunions.")),
    Project(
        "violences_reseau", "dsl", ("Violences faites aux femmes", "Accès aux droits"),
        ("Femmes victimes de violences", "Familles"),
        ("Réseau local contre les violences intrafamiliales {ou}", "Coordonner pour protéger : réseau violences "
         "{ou}"), "le réseau local",
        "Un réseau local qui coordonne les professionnel·les (social, santé, police, justice, associations) face aux "
        "violences intrafamiliales ; aucune adresse d'accueil n'est publiée.",
        ("Un protocole commun précise qui fait quoi dans les vingt-quatre heures suivant une révélation.",
         "Des formations croisées ont réuni gendarmes, assistantes sociales et soignant·es.",
         "Les femmes accompagnées ont été consultées sur le parcours, par l'intermédiaire d'une association."),
        sensitive=True),
    Project(
        "clsm", "dsl", ("Santé", "Citoyenneté"), ("Personnes vivant avec des troubles psychiques",),
        ("Conseil local de santé mentale {ou}", "Santé mentale et cité : un conseil local {ou}"),
        "le conseil local de santé mentale",
        "Un conseil local de santé mentale qui associe élu·es, psychiatrie de secteur, bailleurs, services sociaux "
        "et usager·es pour prévenir les situations de crise.",
        ("Une cellule de concertation étudie les situations complexes, avec l'accord des personnes.",
         "Des usager·es de la psychiatrie siègent à l'assemblée plénière.",
         "Une semaine d'information sur la santé mentale est organisée chaque année."),
        sensitive=True),
    Project(
        "evaluation_participative", "dsl", ("Évaluation",), ("Habitants d'un quartier prioritaire", "Familles"),
        ("Évaluation participative des actions collectives {ou}", "Évaluer avec les habitant·es {ou}"),
        "l'évaluation participative",
        "Une évaluation participative des actions collectives du territoire, menée par un groupe mixte "
        "d'habitant·es et de professionnel·les.",
        ("Le groupe a choisi lui-même les critères : « se sentir utile », « connaître du monde », « oser "
         "demander ».",
         "Les entretiens ont été menés en binôme habitant·e-professionnel·le.",
         "Les résultats ont été présentés au comité de pilotage du contrat de ville.")),
]
