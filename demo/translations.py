"""French and Spanish for the demo's recorded texts: the framework's pillars, indicators and
units, the GCG's constituencies and seats, the action and working groups, and the two events
taken from the Alliance's own documents (the December 2022 strategy workshop and the 2017
Pacific consultation), translated from demo/data. Each text is found by its English wording (or
an indicator by its code) and given its translations: running the seed again writes the same
values and adds nothing."""

from django.db.models import Model

from financing.models import SecretariatFunction
from governance.models import ActionGroup, Constituency, Seat
from pathfinders.models import Indicator
from workshops.models import AgendaItem, Event, EventObjective, Output

from .workshops import PACIFIC_OBJECTIVES, PACIFIC_TITLE, STRATEGY_OBJECTIVES, STRATEGY_TITLE

# English -> (French, Spanish)
PILLARS = {
    "Policy and legal framework": ("Cadre politique et juridique", "Marco político y jurídico"),
    "Prevention and protection": ("Prévention et protection", "Prevención y protección"),
    "Law enforcement and access to justice": (
        "Application de la loi et accès à la justice",
        "Aplicación de la ley y acceso a la justicia",
    ),
    "Data, research and monitoring": (
        "Données, recherche et suivi",
        "Datos, investigación y seguimiento",
    ),
    "Partnerships and resources": ("Partenariats et ressources", "Alianzas y recursos"),
}

# Indicator code -> (French, Spanish) title
INDICATOR_TITLES = {
    "PL1": (
        "Plan d'action national sur la cible 8.7 adopté et chiffré",
        "Plan de acción nacional sobre la meta 8.7 adoptado y presupuestado",
    ),
    "PL2": (
        "Liste des travaux dangereux interdits aux enfants révisée",
        "Lista de trabajos peligrosos para niños y niñas revisada",
    ),
    "PL3": (
        "Part du budget de la feuille de route financée par le budget national",
        "Proporción del presupuesto de la hoja de ruta financiada con el presupuesto nacional",
    ),
    "PR1": (
        "Enfants de 5 à 17 ans astreints au travail des enfants",
        "Niños y niñas de 5 a 17 años en situación de trabajo infantil",
    ),
    "PR2": (
        "Enfants retirés du travail des enfants et orientés vers des services",
        "Niños y niñas retirados del trabajo infantil y derivados a servicios",
    ),
    "PR3": (
        "Ménages des districts ciblés couverts par la protection sociale",
        "Hogares de los distritos destinatarios cubiertos por la protección social",
    ),
    "EN1": (
        "Inspecteurs du travail pour 10 000 travailleurs",
        "Inspectores de trabajo por cada 10 000 trabajadores",
    ),
    "EN2": (
        "Inspections du travail portant sur le travail des enfants et le travail forcé",
        "Inspecciones de trabajo que abarcan el trabajo infantil y el trabajo forzoso",
    ),
    "EN3": (
        "Poursuites pour traite des personnes",
        "Procesamientos por trata de personas",
    ),
    "DA1": (
        "Enquête nationale sur le travail des enfants réalisée au cours des cinq dernières années",
        "Encuesta nacional sobre trabajo infantil realizada en los últimos cinco años",
    ),
    "DA2": (
        "Districts couverts par un système de suivi du travail des enfants",
        "Distritos cubiertos por un sistema de seguimiento del trabajo infantil",
    ),
    "DA3": (
        "Victimes du travail forcé et de la traite identifiées et assistées",
        "Víctimas del trabajo forzoso y de la trata identificadas y asistidas",
    ),
    "PA1": (
        "Les organisations de travailleurs et d'employeurs siègent au mécanisme national de "
        "coordination",
        "Las organizaciones de trabajadores y de empleadores participan en el mecanismo "
        "nacional de coordinación",
    ),
    "PA2": (
        "Réunions du mécanisme national de coordination au cours de la période",
        "Reuniones del mecanismo nacional de coordinación en el período",
    ),
    "PA3": (
        "Enseignements partagés avec d'autres pays pionniers",
        "Lecciones compartidas con otros países pioneros",
    ),
}

UNITS = {
    "%": ("%", "%"),
    "% of age group": ("% de la tranche d'âge", "% del grupo de edad"),
    "children": ("enfants", "niños y niñas"),
    "inspectors": ("inspecteurs", "inspectores"),
    "inspections": ("inspections", "inspecciones"),
    "cases": ("affaires", "casos"),
    "districts": ("districts", "distritos"),
    "people": ("personnes", "personas"),
    "meetings": ("réunions", "reuniones"),
}

# The events: English title -> {field: (French, Spanish)}
EVENTS = {
    STRATEGY_TITLE: {
        "title": ("Atelier stratégique de l'Alliance 8.7", "Taller estratégico de la Alianza 8.7"),
        "purpose": (
            "L'Alliance 8.7 a très bien réussi à nouer des partenariats et a fait des progrès "
            "importants vers la mise en œuvre nationale. Il reste cependant beaucoup à faire. "
            "Nous avons besoin de davantage d'engagement multipartite et de coordination au "
            "niveau national pour accélérer les progrès, en particulier dans les pays pionniers. "
            "Nous devons en outre mobiliser un appui technique et financier accru pour soutenir "
            "la mise en œuvre des initiatives des pays pionniers et assurer la pérennité des "
            "services fournis par le Secrétariat. D'autres points restent à améliorer : mettre "
            "en place des systèmes de suivi solides pour garantir la redevabilité des pays "
            "pionniers et la crédibilité de l'Alliance, et revoir notre structure de "
            "gouvernance en y apportant les changements nécessaires pour qu'elle soit « adaptée "
            "à sa mission » et aux défis à venir.\n\n"
            "L'atelier stratégique offre l'occasion d'examiner ces questions avec les membres "
            "et les observateurs du Groupe de coordination mondial de l'Alliance 8.7 et les "
            "points focaux des pays pionniers.",
            "La Alianza 8.7 ha tenido mucho éxito en la creación de alianzas y ha dado pasos "
            "importantes hacia la aplicación nacional. Sin embargo, queda mucho por hacer. "
            "Necesitamos más participación de múltiples partes interesadas y más coordinación a "
            "nivel nacional para acelerar los avances, en particular en los países pioneros. "
            "Además, debemos movilizar más apoyo técnico y financiero para respaldar la "
            "ejecución de las iniciativas de los países pioneros y garantizar la sostenibilidad "
            "de los servicios que presta la Secretaría. Otros aspectos por mejorar son: "
            "establecer sistemas de seguimiento sólidos que garanticen la rendición de cuentas "
            "de los países pioneros y la credibilidad de la Alianza, así como revisar nuestra "
            "estructura de gobernanza e introducir los cambios necesarios para que sea "
            "«adecuada para su propósito» y para los retos futuros.\n\n"
            "El taller estratégico ofrece la oportunidad de debatir estas cuestiones con los "
            "miembros y observadores del Grupo de Coordinación Mundial de la Alianza 8.7 y los "
            "puntos focales de los países pioneros.",
        ),
        "expected_outcomes": (
            "Les conclusions de l'atelier seront soumises pour adoption à une réunion distincte "
            "du GCM qui suivra immédiatement l'atelier.",
            "Los resultados del taller se someterán a aprobación en una reunión separada del "
            "GCM inmediatamente posterior al taller.",
        ),
    },
    PACIFIC_TITLE: {
        "title": (
            "Consultation du Pacifique sur l'Alliance 8.7",
            "Consulta del Pacífico sobre la Alianza 8.7",
        ),
        "purpose": (
            "Mettre fin au travail des enfants, au travail forcé, à l'esclavage moderne et à la "
            "traite des êtres humains, et préparer la IVe Conférence mondiale sur l'élimination "
            "durable du travail des enfants.\n\n"
            "La réunion de consultation contribuera à accélérer la réalisation de la cible 8.7 "
            "des ODD, compte tenu du rôle important des gouvernements, des partenaires sociaux "
            "et des autres organisations. Elle offrira aux parties prenantes l'occasion "
            "d'échanger et de partager leurs connaissances, et d'élaborer des modèles "
            "d'intervention novateurs, notamment l'inspection du travail stratégique, ainsi que "
            "les méthodes de collaboration nécessaires pour atteindre la cible 8.7 du "
            "Programme 2030. Elle favorisera la coopération tripartite et public-privé sur "
            "cette cible des ODD et proposera des actions prioritaires claires pour soutenir la "
            "réalisation de la cible 8.7 des ODD dans la région.",
            "Poner fin al trabajo infantil, el trabajo forzoso, la esclavitud moderna y la "
            "trata de personas, y preparar la IV Conferencia Mundial sobre la Erradicación "
            "Sostenida del Trabajo Infantil.\n\n"
            "La reunión de consulta contribuirá a acelerar el ritmo hacia el logro de la meta "
            "8.7 de los ODS, teniendo en cuenta el importante papel de los gobiernos, los "
            "interlocutores sociales y otras organizaciones. Ofrecerá a las partes interesadas "
            "la oportunidad de intercambiar y compartir conocimientos, y de desarrollar modelos "
            "de intervención innovadores, entre ellos la inspección del trabajo estratégica, y "
            "los métodos de colaboración necesarios para alcanzar la meta 8.7 de la Agenda "
            "2030. Promoverá la cooperación tripartita y público-privada en esta meta de los "
            "ODS y propondrá acciones prioritarias claras para apoyar el logro de la meta 8.7 "
            "de los ODS en la región.",
        ),
        "expected_outcomes": (
            "Les conclusions de la consultation régionale devraient alimenter la IVe "
            "Conférence mondiale sur l'élimination durable du travail des enfants, à Buenos "
            "Aires (Argentine), du 14 au 16 novembre 2017, par les domaines d'action "
            "prioritaires d'une alliance multipartite sur la cible 8.7. Surtout, elles devraient "
            "alimenter les initiatives nationales visant à accélérer la réalisation de la cible "
            "8.7 dans les 11 États membres de l'OIT des îles du Pacifique.",
            "Se espera que los resultados de la consulta regional alimenten la IV Conferencia "
            "Mundial sobre la Erradicación Sostenida del Trabajo Infantil, en Buenos Aires "
            "(Argentina), del 14 al 16 de noviembre de 2017, a través de las áreas prioritarias "
            "de acción de una alianza de múltiples partes interesadas sobre la meta 8.7. Sobre "
            "todo, se espera que alimenten las iniciativas nacionales para acelerar el logro de "
            "la meta 8.7 en los 11 Estados miembros de la OIT de las islas del Pacífico.",
        ),
    },
}

OBJECTIVES = dict(
    zip(
        STRATEGY_OBJECTIVES + PACIFIC_OBJECTIVES,
        [
            (
                "Davantage d'engagement multipartite et de coordination au niveau national pour "
                "accélérer les progrès, en particulier dans les pays pionniers.",
                "Más participación de múltiples partes interesadas y más coordinación a nivel "
                "nacional para acelerar los avances, en particular en los países pioneros.",
            ),
            (
                "Mobiliser un appui technique et financier accru pour la mise en œuvre des "
                "initiatives des pays pionniers et la pérennité des services fournis par le "
                "Secrétariat.",
                "Movilizar más apoyo técnico y financiero para la ejecución de las iniciativas "
                "de los países pioneros y la sostenibilidad de los servicios que presta la "
                "Secretaría.",
            ),
            (
                "Mettre en place des systèmes de suivi solides pour garantir la redevabilité "
                "des pays pionniers et la crédibilité de l'Alliance.",
                "Establecer sistemas de seguimiento sólidos que garanticen la rendición de "
                "cuentas de los países pioneros y la credibilidad de la Alianza.",
            ),
            (
                "Revoir la structure de gouvernance et y apporter les changements nécessaires "
                "pour qu'elle soit « adaptée à sa mission » et aux défis à venir.",
                "Revisar la estructura de gobernanza e introducir los cambios necesarios para "
                "que sea «adecuada para su propósito» y para los retos futuros.",
            ),
            (
                "Recenser les défis communs, les priorités et les bonnes pratiques en matière "
                "d'élimination du travail des enfants et du travail forcé dans les îles du "
                "Pacifique,",
                "Determinar los retos comunes, las prioridades y las buenas prácticas para "
                "eliminar el trabajo infantil y el trabajo forzoso en las islas del Pacífico,",
            ),
            (
                "Consolider les engagements régionaux dans le Pacifique pour accélérer "
                "l'élimination du travail des enfants d'ici à 2025 et du travail forcé d'ici à "
                "2030, comme le prévoit la cible 8.7 du Programme de développement durable à "
                "l'horizon 2030.",
                "Consolidar los compromisos regionales en el Pacífico para acelerar la "
                "eliminación del trabajo infantil para 2025 y del trabajo forzoso para 2030, "
                "como exige la meta 8.7 de la Agenda 2030 para el Desarrollo Sostenible.",
            ),
            (
                "Développer le respect stratégique de la législation par l'inspection du travail",
                "Desarrollar el cumplimiento estratégico mediante la inspección del trabajo",
            ),
            (
                "Préparer la IVe Conférence mondiale sur l'élimination durable du travail des "
                "enfants (et du travail forcé) en Argentine en novembre 2017",
                "Preparar la IV Conferencia Mundial sobre la Erradicación Sostenida del Trabajo "
                "Infantil (y del trabajo forzoso) en Argentina en noviembre de 2017",
            ),
            (
                "Offrir un forum tripartite+ pour débattre de la mise en œuvre de l'Alliance 8.7 "
                "dans les îles du Pacifique et formuler des recommandations concrètes pour la "
                "suite.",
                "Ofrecer un foro tripartito+ para debatir la puesta en marcha de la Alianza 8.7 "
                "en las islas del Pacífico y formular recomendaciones concretas para el futuro.",
            ),
            (
                "Renforcer les capacités des participants en favorisant les échanges "
                "d'expérience entre pays.",
                "Fortalecer la capacidad de los participantes fomentando el intercambio de "
                "experiencias entre países.",
            ),
        ],
        strict=True,
    )
)

# The strategy workshop's agenda: English title -> {field: (French, Spanish)}
AGENDA_ITEMS = {
    "Vision and progress": {
        "title": ("Vision et progrès", "Visión y avances"),
        "description": (
            "Discussion de la vision et des objectifs de l'Alliance 8.7, notamment au regard de "
            "l'Appel à l'action de Durban et de l'échéance prochaine de la cible 8.7 des ODD, "
            "qui vise à mettre fin au travail des enfants sous toutes ses formes d'ici à 2025.",
            "Debate sobre la visión y los objetivos de la Alianza 8.7, en particular a la luz "
            "del Llamamiento a la Acción de Durban y del próximo plazo de la meta 8.7 de los "
            "ODS para poner fin al trabajo infantil en todas sus formas para 2025.",
        ),
    },
    "Pathfinder Country Accountability Framework": {
        "title": (
            "Cadre de redevabilité des pays pionniers",
            "Marco de rendición de cuentas de los países pioneros",
        ),
        "description": (
            "Le nombre de pays pionniers augmentant régulièrement, discussion sur la situation "
            "actuelle, sur ce qu'implique le fait de devenir pays pionnier et sur les "
            "possibilités et responsabilités qui en découlent. Discussion du cadre de suivi et "
            "de redevabilité des pays pionniers et accord sur les prochaines étapes clés.",
            "Ante el aumento constante del número de países pioneros, debate sobre la situación "
            "actual, lo que implica convertirse en país pionero y las oportunidades y "
            "responsabilidades asociadas. Debate sobre el marco de seguimiento y rendición de "
            "cuentas de los países pioneros y acuerdo sobre los próximos pasos clave.",
        ),
        "expected_output": (
            "Cadre de redevabilité adopté et discussion sur le plan de mise en œuvre.",
            "Marco de rendición de cuentas acordado y debate sobre el plan de aplicación.",
        ),
    },
    "Financing SDG Target 8.7": {
        "title": ("Financer la cible 8.7 des ODD", "Financiación de la meta 8.7 de los ODS"),
        "description": (
            "Discussion des déficits de financement actuels pour la réalisation de la cible 8.7 "
            "des ODD et du rôle que l'Alliance 8.7 pourrait jouer pour aider à les combler.",
            "Debate sobre los actuales déficits de financiación para el logro de la meta 8.7 de "
            "los ODS y el posible papel de la Alianza 8.7 para ayudar a cubrirlos.",
        ),
        "expected_output": (
            "Analyse collective des déficits de financement du développement pour la cible 8.7",
            "Análisis colectivo de los déficits de financiación para el desarrollo de la meta 8.7",
        ),
    },
    "Partnership model: Action/working groups, how to move forward?": {
        "title": (
            "Modèle de partenariat : groupes d'action et groupes de travail, comment avancer ?",
            "Modelo de alianza: grupos de acción y grupos de trabajo, ¿cómo avanzar?",
        ),
        "description": (
            "Discussion constructive pour repenser les groupes d'action et les groupes de travail.",
            "Debate constructivo para replantear los grupos de acción y los grupos de trabajo.",
        ),
        "expected_output": (
            "Accord sur la clôture des groupes inactifs et sur les modalités de création et de "
            "fonctionnement des groupes d'action et de travail actuels et futurs.",
            "Acuerdo sobre el cierre de los grupos inactivos y sobre las modalidades de creación "
            "y funcionamiento de los grupos de acción y de trabajo actuales y futuros.",
        ),
    },
    "Governance: Optimising the structure of the GCG": {
        "title": (
            "Gouvernance : optimiser la structure du GCM",
            "Gobernanza: optimizar la estructura del GCM",
        ),
        "description": (
            "Examen de la structure de gouvernance du GCM et des mécanismes de rotation, et "
            "accord à leur sujet.",
            "Examen de la estructura de gobernanza del GCM y de los mecanismos de rotación, y "
            "acuerdo al respecto.",
        ),
        "expected_output": (
            "Accord sur une structure révisée du GCM et sur les mécanismes de rotation.",
            "Acuerdo sobre una estructura revisada del GCM y sobre los mecanismos de rotación.",
        ),
    },
    "Partnership model: Refining partner engagement in Alliance 8.7": {
        "title": (
            "Modèle de partenariat : affiner l'engagement des partenaires dans l'Alliance 8.7",
            "Modelo de alianza: perfeccionar la participación de los asociados en la Alianza 8.7",
        ),
        "description": (
            "Examen de l'engagement et des attentes des partenaires. Analyse des moyens de "
            "tirer le meilleur parti des possibilités d'engagement des partenaires.",
            "Examen de la participación y las expectativas de los asociados. Análisis de cómo "
            "aprovechar al máximo las oportunidades de participación de los asociados.",
        ),
        "expected_output": (
            "Analyse collective de l'engagement des partenaires et des services fournis par "
            "l'Alliance.",
            "Análisis colectivo de la participación de los asociados y de los servicios que "
            "presta la Alianza.",
        ),
    },
    "Sustaining Alliance 8.7 operations": {
        "title": (
            "Pérenniser le fonctionnement de l'Alliance 8.7",
            "Sostener el funcionamiento de la Alianza 8.7",
        ),
        "description": (
            "Examen des fonds nécessaires au maintien des mécanismes d'appui technique de "
            "l'Alliance et analyse des principaux déficits.",
            "Examen de los fondos necesarios para mantener los mecanismos de apoyo técnico de "
            "la Alianza y análisis de los principales déficits.",
        ),
        "expected_output": (
            "Examen des fonctions actuelles du Secrétariat de l'Alliance 8.7 et des besoins de "
            "financement pour sa pérennité à moyen terme.",
            "Examen de las funciones actuales de la Secretaría de la Alianza 8.7 y de las "
            "necesidades de financiación para su sostenibilidad a medio plazo.",
        ),
    },
    "Conclusions and next steps": {
        "title": ("Conclusions et prochaines étapes", "Conclusiones y próximos pasos"),
    },
}

# The strategy workshop's outputs: English title -> {field: (French, Spanish)}
OUTPUTS = {
    "Pathfinder Country accountability framework": {
        "title": (
            "Cadre de redevabilité des pays pionniers",
            "Marco de rendición de cuentas de los países pioneros",
        ),
        "text": (
            "Le cadre de suivi et de redevabilité des pays pionniers est adopté : rapports "
            "annuels sur les progrès au regard des indicateurs de la feuille de route, examen "
            "par le groupe de travail du GCM sur le suivi de la cible 8.7, et plan de mise en "
            "œuvre à préparer par le Secrétariat.",
            "Se acuerda el marco de seguimiento y rendición de cuentas de los países pioneros: "
            "informes anuales de avance con respecto a los indicadores de la hoja de ruta, "
            "examen por el grupo de trabajo del GCM sobre el seguimiento de la meta 8.7 y un "
            "plan de aplicación que preparará la Secretaría.",
        ),
    },
    "Collective analysis of Target 8.7 development finance gaps": {
        "title": (
            "Analyse collective des déficits de financement du développement pour la cible 8.7",
            "Análisis colectivo de los déficits de financiación para el desarrollo de la meta 8.7",
        ),
        "text": (
            "Les participants ont recensé les principaux déficits de financement du "
            "développement pour la cible 8.7 et le rôle que l'Alliance peut jouer pour aider à "
            "les combler (texte de démonstration).",
            "Los participantes identificaron los principales déficits de financiación para el "
            "desarrollo de la meta 8.7 y el papel que la Alianza puede desempeñar para ayudar a "
            "cubrirlos (texto de demostración).",
        ),
    },
    "Closure of inactive groups and modalities for action and working groups": {
        "title": (
            "Clôture des groupes inactifs et modalités des groupes d'action et de travail",
            "Cierre de los grupos inactivos y modalidades de los grupos de acción y de trabajo",
        ),
        "text": (
            "Les groupes d'action et de travail inactifs sont clos ; les nouveaux groupes sont "
            "créés par le GCM sur la base d'un mandat, avec au moins deux membres parrains, et "
            "rendent compte chaque année (texte de démonstration).",
            "Se cierran los grupos de acción y de trabajo inactivos; el GCM crea los nuevos "
            "grupos sobre la base de un mandato, con al menos dos miembros patrocinadores, y "
            "estos informan cada año (texto de demostración).",
        ),
    },
    "Revised GCG structure and rotation mechanisms": {
        "title": (
            "Structure révisée du GCM et mécanismes de rotation",
            "Estructura revisada del GCM y mecanismos de rotación",
        ),
        "text": (
            "Le GCM compte cinq sièges de plus pour les représentants des pays pionniers (en "
            "principe un par région) et cinq sièges pour les gouvernements des partenaires de "
            "développement, avec rotation.",
            "El GCM suma cinco puestos para representantes de los países pioneros (en principio "
            "uno por región) y cinco puestos para gobiernos de asociados para el desarrollo, "
            "con rotación.",
        ),
    },
    "Collective analysis of partner engagement and services": {
        "title": (
            "Analyse collective de l'engagement des partenaires et des services",
            "Análisis colectivo de la participación de los asociados y de los servicios",
        ),
        "text": (
            "Une analyse de l'engagement et des attentes des partenaires, et des moyens de "
            "tirer le meilleur parti des services que l'Alliance leur fournit (texte de "
            "démonstration).",
            "Un análisis de la participación y las expectativas de los asociados, y de cómo "
            "aprovechar al máximo los servicios que la Alianza les presta (texto de "
            "demostración).",
        ),
    },
    "Review of the Secretariat's functions and funding needs": {
        "title": (
            "Examen des fonctions du Secrétariat et de ses besoins de financement",
            "Examen de las funciones de la Secretaría y de sus necesidades de financiación",
        ),
        "text": (
            "Les fonctions du Secrétariat (appui aux pays pionniers, plateforme de "
            "connaissances, communication, organisation de réunions, services aux partenaires) "
            "et le financement dont elles ont besoin pour leur pérennité à moyen terme (texte "
            "de démonstration).",
            "Las funciones de la Secretaría (apoyo a los países pioneros, plataforma de "
            "conocimientos, comunicación, convocatoria de reuniones, servicios a los asociados) "
            "y la financiación que necesitan para su sostenibilidad a medio plazo (texto de "
            "demostración).",
        ),
    },
}

# The GCG's constituencies and seats, English -> (French, Spanish)
CONSTITUENCIES = {
    "Pathfinder Country representatives": (
        "Représentants des pays pionniers",
        "Representantes de los países pioneros",
    ),
    "Development-partner governments": (
        "Gouvernements partenaires de développement",
        "Gobiernos asociados para el desarrollo",
    ),
    "Workers' organisations": ("Organisations de travailleurs", "Organizaciones de trabajadores"),
    "Employers' organisations": ("Organisations d'employeurs", "Organizaciones de empleadores"),
    "UN and intergovernmental agencies": (
        "Organismes des Nations Unies et intergouvernementaux",
        "Organismos de las Naciones Unidas e intergubernamentales",
    ),
    "Civil society organisations": (
        "Organisations de la société civile",
        "Organizaciones de la sociedad civil",
    ),
}
SEAT_REGIONS = {
    "Africa": ("Afrique", "África"),
    "Americas": ("Amériques", "Américas"),
    "Asia and the Pacific": ("Asie et Pacifique", "Asia y el Pacífico"),
    "Europe and Central Asia": ("Europe et Asie centrale", "Europa y Asia Central"),
    "Arab States": ("États arabes", "Estados Árabes"),
}
# How the seed events' organisers are written (the source documents' words)
ORGANISERS = {
    "GCG members and Pathfinder Countries": (
        "Les membres du GCG et les pays pionniers",
        "Los miembros del GCG y los países pioneros",
    ),
    "Alliance Chair (France)": (
        "Présidence de l'Alliance (France)",
        "Presidencia de la Alianza (Francia)",
    ),
    "Alliance 8.7 Secretariat": ("Secrétariat de l'Alliance 8.7", "Secretaría de la Alianza 8.7"),
    "The ILO with the support of ILO Constituents in Fiji": (
        "L'OIT avec l'appui des mandants de l'OIT aux Fidji",
        "La OIT con el apoyo de los mandantes de la OIT en Fiyi",
    ),
}

# The action and working groups: English name -> their name and purpose in (French, Spanish)
GROUPS = {
    "Supply Chains": {
        "name": ("Chaînes d'approvisionnement", "Cadenas de suministro"),
        "purpose": (
            "Lutter contre le travail des enfants, le travail forcé, l'esclavage moderne et la traite des êtres humains dans les chaînes d'approvisionnement mondiales.",
            "Abordar el trabajo infantil, el trabajo forzoso, la esclavitud moderna y la trata de personas en las cadenas de suministro mundiales.",
        ),
    },
    "Supply Chains: Knowledge Gaps and Research": {
        "name": (
            "Chaînes d'approvisionnement\u00a0: lacunes de connaissances et recherche",
            "Cadenas de suministro: lagunas de conocimiento e investigación",
        ),
        "purpose": (
            "Recenser et combler les lacunes de connaissances sur les violations de la cible 8.7 dans les chaînes d'approvisionnement.",
            "Detectar y colmar las lagunas de conocimiento sobre las violaciones de la meta 8.7 en las cadenas de suministro.",
        ),
    },
    "Supply Chains: Capacity Building and Tools": {
        "name": (
            "Chaînes d'approvisionnement\u00a0: renforcement des capacités et outils",
            "Cadenas de suministro: fortalecimiento de capacidades y herramientas",
        ),
        "purpose": (
            "Partager des outils et renforcer les capacités des gouvernements, des entreprises et des travailleurs.",
            "Compartir herramientas y fortalecer las capacidades de los gobiernos, las empresas y los trabajadores.",
        ),
    },
    "Supply Chains: Priority Countries and Supply Chains": {
        "name": (
            "Chaînes d'approvisionnement\u00a0: pays et chaînes d'approvisionnement prioritaires",
            "Cadenas de suministro: países y cadenas de suministro prioritarios",
        ),
        "purpose": (
            "Concentrer l'action commune sur les pays et les secteurs prioritaires.",
            "Centrar la acción conjunta en los países y sectores prioritarios.",
        ),
    },
    "Supply Chains: Advocacy and Partnerships": {
        "name": (
            "Chaînes d'approvisionnement\u00a0: plaidoyer et partenariats",
            "Cadenas de suministro: promoción y alianzas",
        ),
        "purpose": (
            "Plaider pour le devoir de diligence et nouer des partenariats tout au long des chaînes d'approvisionnement.",
            "Promover la diligencia debida y forjar alianzas a lo largo de las cadenas de suministro.",
        ),
    },
    "Migration": {
        "name": ("Migrations", "Migración"),
        "purpose": (
            "Protéger les migrants du travail forcé, de l'esclavage moderne et de la traite des êtres humains.",
            "Proteger a las personas migrantes del trabajo forzoso, la esclavitud moderna y la trata de personas.",
        ),
    },
    "Migration: Research and Knowledge": {
        "name": (
            "Migrations\u00a0: recherche et connaissances",
            "Migración: investigación y conocimiento",
        ),
        "purpose": (
            "Recherche et connaissances sur les migrations et la cible 8.7.",
            "Investigación y conocimiento sobre la migración y la meta 8.7.",
        ),
    },
    "Migration: Resource Mobilisation": {
        "name": (
            "Migrations\u00a0: mobilisation des ressources",
            "Migración: movilización de recursos",
        ),
        "purpose": (
            "Mobiliser des ressources pour les travaux communs du groupe.",
            "Movilizar recursos para el trabajo conjunto del grupo.",
        ),
    },
    "Migration: Strategy and Policy": {
        "name": ("Migrations\u00a0: stratégie et politiques", "Migración: estrategia y políticas"),
        "purpose": (
            "Conseils politiques et stratégie sur le recrutement équitable et la migration sûre.",
            "Asesoramiento normativo y estrategia sobre la contratación equitativa y la migración segura.",
        ),
    },
    "Migration: Tools and Technical Cooperation": {
        "name": (
            "Migrations\u00a0: outils et coopération technique",
            "Migración: herramientas y cooperación técnica",
        ),
        "purpose": (
            "Outils et coopération technique pour les partenaires et les pays pionniers.",
            "Herramientas y cooperación técnica para los asociados y los países pioneros.",
        ),
    },
    "Rule of Law and Governance": {
        "name": ("État de droit et gouvernance", "Estado de derecho y gobernanza"),
        "purpose": (
            "Renforcer l'état de droit, l'accès à la justice et la gouvernance face aux violations de la cible 8.7.",
            "Fortalecer el estado de derecho, el acceso a la justicia y la gobernanza frente a las violaciones de la meta 8.7.",
        ),
    },
    "Conflict and Humanitarian Settings": {
        "name": (
            "Situations de conflit et de crise humanitaire",
            "Contextos de conflicto y humanitarios",
        ),
        "purpose": (
            "Prévenir le travail des enfants, le travail forcé et la traite dans les conflits et les crises humanitaires, et y répondre.",
            "Prevenir el trabajo infantil, el trabajo forzoso y la trata en los conflictos y las crisis humanitarias, y responder a ellos.",
        ),
    },
    "Rural Development": {
        "name": ("Développement rural", "Desarrollo rural"),
        "purpose": (
            "Lutter contre le travail des enfants et le travail forcé dans les économies rurales et l'agriculture.",
            "Abordar el trabajo infantil y el trabajo forzoso en las economías rurales y la agricultura.",
        ),
    },
    "Commercial Sexual Exploitation": {
        "name": ("Exploitation sexuelle à des fins commerciales", "Explotación sexual comercial"),
        "purpose": (
            "Lutter contre l'exploitation sexuelle des enfants et des adultes à des fins commerciales.",
            "Abordar la explotación sexual comercial de niños, niñas y personas adultas.",
        ),
    },
}

# The Secretariat's functions (demo/financing.py): name, description
FUNCTIONS = {
    "Pathfinder support": (
        ("Appui aux pays pionniers", "Apoyo a los países pioneros"),
        (
            "Conseil et appui aux pays pionniers tout au long de leur parcours.",
            "Asesoramiento y apoyo a los países pioneros a lo largo de su trayectoria.",
        ),
    ),
    "Knowledge platform": (
        ("Plateforme de connaissances", "Plataforma de conocimientos"),
        (
            "La plateforme de connaissances de l'Alliance : recherche, données et outils sur la "
            "cible 8.7.",
            "La plataforma de conocimientos de la Alianza: investigación, datos y herramientas "
            "sobre la meta 8.7.",
        ),
    ),
    "Communications": (
        ("Communication", "Comunicación"),
        (
            "Campagnes, site web, lettres d'information et événement annuel du FPHN.",
            "Campañas, sitio web, boletines y el evento anual del FPAN.",
        ),
    ),
    "Convening the GCG and action groups": (
        ("Réunir le GCG et les groupes d'action", "Convocar el GCG y los grupos de acción"),
        (
            "Réunions, documents et suivi du GCG et des groupes d'action et de travail.",
            "Reuniones, documentos y seguimiento del GCG y de los grupos de acción y de trabajo.",
        ),
    ),
    "Partner services": (
        ("Services aux partenaires", "Servicios a los socios"),
        (
            "Accueil des partenaires, réseau des partenaires et ses rapports.",
            "Incorporación de socios, la red de socios y sus informes.",
        ),
    ),
}

LANGUAGES = ("fr", "es")


def _translate(model: type[Model], key: str, english: str, texts: dict, **within) -> int:
    """Give the rows whose `key` reads `english` in English (among those `within` selects)
    their French and Spanish texts."""
    values = {
        f"{name}_{language}": text
        for name, pair in texts.items()
        for language, text in zip(LANGUAGES, pair, strict=True)
    }
    rows = model._default_manager.filter(**{f"{key}_en": english}, **within)
    return rows.update(**values)


def seed(*, stdout=None) -> None:
    rows = 0
    for english, pair in PILLARS.items():
        rows += _translate(Indicator, "pillar", english, {"pillar": pair})
    for english, pair in UNITS.items():
        rows += _translate(Indicator, "unit", english, {"unit": pair})
    for code, pair in INDICATOR_TITLES.items():
        values = dict(zip(("title_fr", "title_es"), pair, strict=True))
        rows += Indicator.objects.filter(code=code).update(**values)
    ours = {"event__title_en__in": list(EVENTS)}
    for english, texts in EVENTS.items():
        rows += _translate(Event, "title", english, texts)
    for english, pair in OBJECTIVES.items():
        rows += _translate(EventObjective, "text", english, {"text": pair}, **ours)
    workshop = {"event__title_en": STRATEGY_TITLE}
    for english, texts in AGENDA_ITEMS.items():
        rows += _translate(AgendaItem, "title", english, texts, **workshop)
    for english, texts in OUTPUTS.items():
        rows += _translate(Output, "title", english, texts, **workshop)
    for english, names in ORGANISERS.items():
        for field in ("organised_by", "led_by", "supported_by"):
            rows += _translate(
                Event, field, english, {field: names}, **{"title_en__in": list(EVENTS)}
            )
    rows += _translate_gcg()
    for english, texts in GROUPS.items():
        rows += _translate(ActionGroup, "name", english, texts)
    for english, (names, descriptions) in FUNCTIONS.items():
        texts = {"name": names, "description": descriptions}
        rows += _translate(SecretariatFunction, "name", english, texts)
    if stdout is not None:
        stdout.write(
            f"Translated the texts of {rows} framework, event, GCG, group and Secretariat "
            "function records."
        )


def _translate_gcg() -> int:
    """The constituencies' names and their seats' labels ("Pathfinder Country seat – Africa",
    "Development-partner governments – seat 1"), as the governance seed writes them."""
    rows = 0
    for english, names in CONSTITUENCIES.items():
        rows += _translate(Constituency, "name", english, {"name": names})
        for number in range(1, 6):
            seat = (
                f"{names[0]} – siège {number}",
                f"{names[1]} – puesto {number}",
            )
            rows += _translate(Seat, "label", f"{english} – seat {number}", {"label": seat})
    for english, (french, spanish) in SEAT_REGIONS.items():
        seat = (f"Siège de pays pionnier – {french}", f"Puesto de país pionero – {spanish}")
        rows += _translate(Seat, "label", f"Pathfinder Country seat – {english}", {"label": seat})
    return rows
