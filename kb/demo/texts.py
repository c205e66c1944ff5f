"""Sentence material for the opening sections of a write-up: context, genesis, objectives."""

from __future__ import annotations

# Placeholders are filled from the action (see writeups.context_for); each sentence stands alone so
# the composer can pick any subset in any order.
# The first sentence names the place, so that later ones may say "y" (there).
CONTEXT_OPENERS = [
    "{quartier_le} compte environ {pop} habitant·es, dont une forte proportion de familles nombreuses et de "
    "familles monoparentales.",
    "L'action se déroule {dans_quartier}, où vivent environ {pop} habitant·es.",
    "Nous intervenons {dans_quartier}, qui compte environ {pop} habitant·es et où {org} travaille depuis "
    "longtemps.",
    "{quartier_le}, environ {pop} habitant·es, concentre une grande partie des demandes reçues par les services "
    "sociaux {de_commune}.",
]

CONTEXT = [
    "Le taux de chômage y dépasse largement la moyenne départementale, en particulier chez les jeunes et chez "
    "les femmes.",
    "Les services publics se sont raréfiés ces dernières années : le bureau de poste a fermé et la permanence "
    "de la CAF n'ouvre plus qu'une demi-journée par semaine.",
    "Une grande partie {public_des} que nous rencontrons vit une forme d'isolement : peu de réseau familial, "
    "peu de sorties, une méfiance envers les institutions.",
    "Les professionnel·les du secteur faisaient tous le même constat : des accompagnements individuels qui "
    "s'enchaînent, sans prise sur les causes collectives des difficultés.",
    "Dans les échanges avec les habitant·es comme avec les partenaires, la question {theme_de} revenait de "
    "façon insistante.",
    "{org} intervient sur le secteur depuis une vingtaine d'années et connaît bien les familles, leurs "
    "ressources comme leurs difficultés.",
    "Les institutions y sont présentes, mais souvent perçues comme lointaines ou contrôlantes, et la "
    "confiance est à reconstruire.",
    "Les données de la CAF montrent une part importante d'allocataires dont les revenus dépendent pour plus de "
    "moitié des prestations sociales.",
    "Le tissu associatif est riche mais fragile, suspendu à des appels à projets annuels qui rendent difficile "
    "toute action dans la durée.",
    "Les équipes avaient le sentiment de « courir après les situations » sans jamais avoir le temps de "
    "travailler avec les personnes sur ce qu'elles vivent en commun.",
    "L'intervention sociale d'intérêt collectif reste peu pratiquée dans notre service, où domine "
    "l'accompagnement individuel, malgré la volonté affichée dans le projet de service.",
    "Les transports en commun desservent mal le secteur après 19 heures et le week-end, ce qui limite les "
    "déplacements de celles et ceux qui n'ont pas de voiture.",
    "Le secteur dispose pourtant de ressources : des commerces de proximité, des associations actives, des "
    "habitant·es engagé·es de longue date.",
    "Beaucoup de personnes concernées vivent là depuis plusieurs générations, d'autres sont arrivées récemment, "
    "et les deux mondes se croisent peu.",
    "Les travailleurs sociaux de la polyvalence de secteur recevaient de plus en plus de demandes liées "
    "{theme_a}, sans solution satisfaisante à proposer.",
    "À {ville}, les listes d'attente des services spécialisés s'allongent, et les personnes se découragent "
    "avant même d'avoir obtenu un rendez-vous.",
    "La précarité énergétique, les loyers élevés et l'endettement pèsent lourdement sur les budgets des "
    "ménages que nous accompagnons.",
    "Les habitant·es disent volontiers que « tout se décide ailleurs », et que leur avis n'est jamais demandé.",
    "Les équipements de proximité existent, mais leurs horaires et leurs conditions d'accès ne correspondent "
    "pas toujours aux rythmes de vie des personnes.",
]

CONTEXT_QPV = [
    "{quartier_le} fait partie des quartiers prioritaires de la politique de la ville (QPV), et concentre une "
    "part importante des difficultés sociales {de_commune}.",
    "Le revenu médian y est inférieur de moitié à celui de l'ensemble de la commune, et près d'un ménage sur "
    "deux vit sous le seuil de pauvreté.",
    "Comme dans beaucoup de quartiers prioritaires, la part des moins de 25 ans y est très élevée et les "
    "équipements pour la jeunesse sont insuffisants.",
    "Le secteur a connu plusieurs opérations de rénovation urbaine qui ont bouleversé les repères des "
    "habitant·es : démolitions, relogements, chantiers interminables.",
]

# The observatory was founded in 2012: early write-ups mention its first seminars and workshops.
CONTEXT_EARLY = [
    "En {annee}, la création de l'observatoire des pratiques de l'ISIC par l'IMF nous a encouragé·es à "
    "formaliser une pratique qui restait jusque-là informelle.",
    "À l'époque, peu de professionnel·les du secteur se reconnaissaient dans le terme d'intervention sociale "
    "d'intérêt collectif, même si beaucoup en faisaient sans le dire.",
]

CONTEXT_RECENT = [
    "La crise sanitaire a renforcé l'isolement de nombreuses personnes et fragilisé les liens de voisinage, "
    "tout en faisant naître des solidarités nouvelles.",
    "La dématérialisation des démarches administratives a éloigné de leurs droits une partie des personnes "
    "que nous accompagnons.",
    "L'inflation des prix de l'alimentation et de l'énergie a fait basculer dans la précarité des ménages qui "
    "ne s'adressaient jusque-là à aucun service social.",
]

GENESIS = [
    "L'idée est née en {annee} lors d'une réunion d'équipe, à partir d'un constat partagé : plusieurs personnes "
    "reçues en entretien individuel évoquaient les mêmes difficultés.",
    "C'est une habitante, rencontrée lors d'une permanence, qui a la première proposé de « faire quelque chose "
    "ensemble plutôt que chacun dans son coin ».",
    "Le projet est issu du diagnostic partagé réalisé l'année précédente avec les partenaires du territoire, qui "
    "avait fait {theme_de} une priorité.",
    "{porteur} a proposé à sa hiérarchie d'expérimenter une action collective, après avoir suivi le séminaire "
    "de formation de l'observatoire des pratiques de l'ISIC.",
    "La demande est venue d'un groupe d'habitant·es déjà mobilisé·es de façon informelle, qui souhaitaient être "
    "soutenu·es sans être dépossédé·es de leur initiative.",
    "L'appel à projets du contrat de ville a servi de déclencheur, mais l'équipe a pris le temps de vérifier "
    "que le projet répondait bien à une attente des personnes.",
    "Avant de lancer quoi que ce soit, nous avons passé trois mois à aller vers les habitant·es : porte-à-porte, "
    "présence à la sortie des écoles, discussions au marché.",
    "Le projet a d'abord suscité des réserves dans l'équipe : certain·es craignaient de perdre le lien "
    "individuel avec les personnes, d'autres doutaient de la capacité du public à s'engager.",
    "Un premier groupe de travail réunissant {org} et {partenaire} a rédigé une note d'intention, validée par "
    "les directions au printemps {annee}.",
    "Plusieurs réunions préparatoires ont permis de clarifier les objectifs, les rôles de chacun·e et les "
    "moyens disponibles.",
    "Les premières rencontres ont surtout servi à écouter : qu'est-ce qui pose problème, pour qui, et "
    "qu'est-ce que les personnes ont déjà essayé ?",
    "Le choix du {mode_label} s'est imposé : les difficultés rencontrées n'étaient pas seulement "
    "individuelles, elles tenaient aussi au fonctionnement des institutions et du territoire.",
    "Nous avons rédigé une fiche-projet présentée en réunion de service, puis au comité de direction, ce qui a "
    "pris plus de temps que prévu.",
    "Le projet a bénéficié d'un contexte favorable : une nouvelle direction attentive aux démarches collectives "
    "et un financement {financeur_de} sur trois ans.",
    "Au départ, il s'agissait simplement de réunir quelques personnes autour d'un café ; c'est le groupe "
    "lui-même qui a donné une direction au projet.",
    "Une situation particulièrement difficile, vécue par une famille du secteur, a servi de révélateur : "
    "d'autres vivaient la même chose sans oser le dire.",
    "Nous nous sommes appuyé·es sur une expérience voisine, présentée lors d'un atelier de mutualisation, en "
    "l'adaptant à notre territoire.",
    "{partenaire} nous a sollicité·es après avoir repéré, de son côté, une hausse des demandes liées {theme_a}.",
]

OBJECTIVES_INTROS = [
    "Les objectifs, définis avec les premier·es participant·es, étaient les suivants :",
    "Nous nous étions fixé plusieurs objectifs :",
    "L'action poursuivait les objectifs suivants :",
    "Le comité de pilotage a validé les objectifs suivants :",
]

OBJECTIVES = [
    "permettre {public_aux} de sortir de l'isolement et de créer des liens durables",
    "favoriser le pouvoir d'agir des personnes sur les questions qui les concernent",
    "améliorer l'accès aux droits et aux services du territoire",
    "faire reconnaître les savoirs d'expérience des {participants}",
    "construire une réponse collective à une difficulté vécue individuellement",
    "renforcer le travail en réseau entre les professionnel·les du territoire",
    "faire évoluer les pratiques de nos institutions à partir de la parole des personnes",
    "soutenir l'émergence d'un collectif capable de s'organiser de façon autonome",
    "agir sur {theme_le} à l'échelle du quartier",
    "valoriser les compétences des personnes et renforcer leur estime de soi",
    "créer un espace de dialogue entre habitant·es, élu·es et institutions",
    "expérimenter une manière de travailler transposable à d'autres territoires",
]
