"""The project's reference data: facts from public United Nations material.

Only what is known is here. Session times that were never published stay empty
("time not announced"), and so does a session's access (open or closed) and its room;
a conference whose last day is not known has none.
"""

import datetime

UN_DOCUMENTS = "https://undocs.org/"
NEW_YORK = "America/New_York"

PILLARS = [
    {
        "number": 1,
        "slug": "conditions-conducive",
        "short_name": "Conditions conducive to terrorism",
        "title": "Measures to address the conditions conducive to the spread of terrorism.",
    },
    {
        "number": 2,
        "slug": "prevent-and-combat",
        "short_name": "Preventing and combating terrorism",
        "title": "Measures to prevent and combat terrorism.",
    },
    {
        "number": 3,
        "slug": "capacity-building",
        "short_name": "Building States' capacity",
        "title": (
            "Measures to build States' capacity to prevent and combat terrorism and to strengthen "
            "the role of the United Nations system in that regard."
        ),
    },
    {
        "number": 4,
        "slug": "human-rights-rule-of-law",
        "short_name": "Human rights and the rule of law",
        "title": (
            "Measures to ensure respect for human rights for all and the rule of law as the "
            "fundamental basis of the fight against terrorism."
        ),
    },
]

# The pillars in the other official languages: titles as the Plan of Action annexed to
# A/RES/60/288 gives them in each language; short names ours, to the same sense.
PILLAR_TRANSLATIONS = {
    1: {
        "ar": ("الظروف المؤدية إلى الإرهاب", "التدابير الرامية إلى معالجة الظروف المؤدية إلى انتشار الإرهاب."),
        "zh_hans": ("助长恐怖主义的条件", "消除有利于恐怖主义蔓延的条件的措施。"),
        "fr": (
            "Conditions propices au terrorisme",
            "Mesures visant à éliminer les conditions propices à la propagation du terrorisme.",
        ),
        "ru": (
            "Условия, способствующие терроризму",
            "Меры по устранению условий, способствующих распространению терроризма.",
        ),
        "es": (
            "Condiciones que propician el terrorismo",
            "Medidas para hacer frente a las condiciones que propician la propagación del terrorismo.",
        ),
    },
    2: {
        "ar": ("منع الإرهاب ومكافحته", "تدابير منع الإرهاب ومكافحته."),
        "zh_hans": ("防止和打击恐怖主义", "防止和打击恐怖主义的措施。"),
        "fr": ("Prévenir et combattre le terrorisme", "Mesures visant à prévenir et combattre le terrorisme."),
        "ru": ("Предупреждение терроризма и борьба с ним", "Меры по предупреждению терроризма и борьбе с ним."),
        "es": ("Prevenir y combatir el terrorismo", "Medidas para prevenir y combatir el terrorismo."),
    },
    3: {
        "ar": (
            "بناء قدرات الدول",
            "التدابير الرامية إلى بناء قدرات الدول على منع الإرهاب ومكافحته وتعزيز دور منظومة الأمم المتحدة "
            "في هذا الصدد.",
        ),
        "zh_hans": ("建设各国能力", "建立各国防止和打击恐怖主义的能力以及加强联合国系统在这方面的作用的措施。"),
        "fr": (
            "Renforcer les capacités des États",
            "Mesures destinées à étoffer les moyens dont les États disposent pour prévenir et combattre le "
            "terrorisme et à renforcer le rôle joué en ce sens par le système des Nations Unies.",
        ),
        "ru": (
            "Наращивание потенциала государств",
            "Меры по наращиванию потенциала государств в области предупреждения терроризма и борьбы с ним и по "
            "укреплению роли системы Организации Объединенных Наций в этой области.",
        ),
        "es": (
            "Aumentar la capacidad de los Estados",
            "Medidas destinadas a aumentar la capacidad de los Estados para prevenir el terrorismo y luchar "
            "contra él, y a fortalecer el papel del sistema de las Naciones Unidas a ese respecto.",
        ),
    },
    4: {
        "ar": (
            "حقوق الإنسان وسيادة القانون",
            "التدابير الرامية إلى ضمان احترام حقوق الإنسان للجميع وسيادة القانون بوصفه الركيزة الأساسية "
            "لمكافحة الإرهاب.",
        ),
        "zh_hans": ("人权和法治", "确保尊重所有人的人权和实行法治作为反恐斗争根基的措施。"),
        "fr": (
            "Droits de l'homme et état de droit",
            "Mesures garantissant le respect des droits de l'homme pour tous et la primauté du droit en tant "
            "que base fondamentale de la lutte antiterroriste.",
        ),
        "ru": (
            "Права человека и верховенство права",
            "Меры по обеспечению всеобщего уважения прав человека и верховенства права в качестве "
            "фундаментальной основы борьбы с терроризмом.",
        ),
        "es": (
            "Derechos humanos y estado de derecho",
            "Medidas para asegurar el respeto de los derechos humanos para todos y el imperio de la ley como "
            "base fundamental de la lucha contra el terrorismo.",
        ),
    },
}

ORDINAL_WORDS = ["", "First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth"]

REVIEWS = [
    {
        "ordinal": 0,
        "resolution": "A/RES/60/288",
        "adopted_on": datetime.date(2006, 9, 8),
        "title": "Adoption of the United Nations Global Counter-Terrorism Strategy",
        "summary": (
            "The General Assembly adopted the Strategy by consensus, as a resolution with an annexed "
            "Plan of Action. It is reviewed by the General Assembly, usually every two years, which "
            "makes it a living document."
        ),
    },
    *(
        {
            "ordinal": ordinal,
            "resolution": resolution,
            "adopted_on": adopted_on,
            "title": f"{ORDINAL_WORDS[ordinal]} Review of the United Nations Global Counter-Terrorism Strategy",
            "summary": summary,
        }
        for ordinal, resolution, adopted_on, summary in [
            (1, "A/RES/62/272", datetime.date(2008, 9, 5), ""),
            (2, "A/RES/64/297", datetime.date(2010, 9, 8), ""),
            (3, "A/RES/66/282", datetime.date(2012, 6, 29), ""),
            (4, "A/RES/68/276", datetime.date(2014, 6, 13), ""),
            (5, "A/RES/70/291", datetime.date(2016, 7, 1), ""),
            (
                6,
                "A/RES/72/284",
                datetime.date(2018, 6, 26),
                "The review (26-27 June 2018) ran back to back with the First High-Level Conference, "
                "which made the first Counter-Terrorism Week at United Nations Headquarters.",
            ),
            (
                7,
                "A/RES/75/291",
                datetime.date(2021, 6, 30),
                "Planned for mid-2020, the review was postponed by the General Assembly to its 75th "
                "session because of COVID-19. It was adopted on the last day of the Second "
                "High-Level Conference.",
            ),
            (
                8,
                "A/RES/77/298",
                datetime.date(2023, 6, 22),
                "Adopted during the Counter-Terrorism Week of the Third High-Level Conference.",
            ),
        ]
    ),
]

UN_HEADQUARTERS = {"name": "United Nations Headquarters", "city": "New York", "country": "US"}


def session(title, kind, day, start=None, end=None, *, is_open=None, description="", room=None):
    """A session of the reference programme; start and end are local "HH:MM", and is_open True (open,
    webcast) or False (closed), each None when the programme did not say."""
    return {
        "title": title,
        "kind": kind,
        "date": day,
        "start": start,
        "end": end,
        "is_open": is_open,
        "description": description,
        "room": room,
    }


DAY_2018_1 = datetime.date(2018, 6, 28)
DAY_2018_2 = datetime.date(2018, 6, 29)

CONFERENCES = [
    {
        "slug": "first-high-level-conference-2018",
        "title": "First United Nations High-Level Conference of Heads of Counter-Terrorism Agencies of Member States",
        "edition": 1,
        "theme": "Strengthening international cooperation to combat the evolving threat of terrorism",
        "description": (
            "Convened by the Secretary-General in the General Assembly Hall at United Nations Headquarters "
            "and organized by the United Nations Office of Counter-Terrorism (UNOCT), the Conference opened "
            "the first Counter-Terrorism Week, back to back with the sixth review of the Strategy.\n\n"
            "Attendance reported afterwards: over 1,000 participants from 150 Member States, "
            "30 international and regional organizations, 55 civil society organizations and "
            "31 United Nations entities; 25 side events were held during the week."
        ),
        "start_date": DAY_2018_1,
        "end_date": DAY_2018_2,
        "time_zone": NEW_YORK,
        "format": "in_person",
        "venue": UN_HEADQUARTERS,
        "review": 6,
        "sessions": [
            session(
                "Opening Session",
                "opening",
                DAY_2018_1,
                "10:00",
                "10:30",
                is_open=True,
                description="Opening statement by the Secretary-General.",
            ),
            session(
                "Session I: Opportunities and challenges in strengthening international cooperation "
                "through the sharing of information, expertise and resources",
                "thematic",
                DAY_2018_1,
                "10:30",
                "13:00",
                is_open=False,
            ),
            session(
                "Session II: Combatting the evolving threat from Foreign Terrorist Fighters",
                "thematic",
                DAY_2018_1,
                "15:00",
                "18:00",
                is_open=False,
            ),
            session(
                "Session III: Strengthening global action to prevent violent extremism, including by "
                "engaging youth and preventing misuse of new technologies and the Internet by terrorists",
                "thematic",
                DAY_2018_2,
            ),
            session(
                "Session IV: Strengthening the role and capacity of the United Nations to support Member "
                "States to implement the United Nations Global Counter-Terrorism Strategy",
                "thematic",
                DAY_2018_2,
            ),
            session(
                "Closing Session",
                "closing",
                DAY_2018_2,
                description="Closing remarks by the Secretary-General.",
            ),
        ],
        "resources": [
            {
                "kind": "report",
                "title": "Report of the First United Nations High-Level Conference of Heads of "
                "Counter-Terrorism Agencies of Member States",
                "description": (
                    "Contents: the opening session, sessions I to IV and the closing session; a summary "
                    "of side events; a list of participants; a table of side events."
                ),
            },
        ],
    },
    {
        "slug": "virtual-counter-terrorism-week-2020",
        "title": "2020 Virtual Counter-Terrorism Week",
        "edition": None,
        "theme": "Strategic and Practical Challenges of Countering Terrorism in a Global Pandemic Environment",
        "description": (
            "Held fully online, in webinars and interactive discussions, the Virtual Counter-Terrorism "
            "Week replaced the Counter-Terrorism Week planned for 29 June-3 July 2020 at United Nations "
            "Headquarters.\n\n"
            "The opening high-level session was followed by nine further webinars and interactive "
            "discussions, on topics that included bio and cyber terrorism, victims of terrorism, human "
            "rights, countering the financing of terrorism, youth, civil society and media."
        ),
        "start_date": datetime.date(2020, 7, 6),
        "end_date": datetime.date(2020, 7, 10),
        "time_zone": NEW_YORK,
        "format": "virtual",
        "venue": None,
        "review": None,
        "sessions": [
            session(
                "Post COVID-19 World: Contours and Pivot Points and Benefits of Multilateral Collaboration",
                "high_level",
                datetime.date(2020, 7, 6),
                "10:00",
                "12:00",
            ),
        ],
        "resources": [],
    },
    {
        "slug": "second-high-level-conference-2021",
        "title": "Second United Nations High-Level Conference of Heads of Counter-Terrorism Agencies of Member States",
        "edition": 2,
        "theme": (
            "Countering and Preventing Terrorism in the Age of Transformative Technologies: "
            "Addressing the Challenges of the New Decade"
        ),
        "description": (
            "The Conference provides a platform for Member States, United Nations entities, international "
            "and regional organizations, civil society organizations, and the private sector to exchange "
            "information, experiences, and good practices, as well as to explore further cooperation on key "
            "counter-terrorism priorities under the four pillars of the United Nations Global "
            "Counter-Terrorism Strategy.\n\n"
            "UNOCT’s commitment to promote full respect for human rights and gender equality in the "
            "context of implementing the Global Counter-Terrorism Strategy is in focus throughout the "
            "Conference.\n\n"
            "34 online side events were held from 24 to 30 June 2021, hosted by Member States, United "
            "Nations Global Counter-Terrorism Coordination Compact entities, partners and civil society. "
            "The meetings were covered in the six official languages: Arabic, Chinese, English, French, "
            "Russian and Spanish."
        ),
        "start_date": datetime.date(2021, 6, 28),
        "end_date": datetime.date(2021, 6, 30),
        "time_zone": NEW_YORK,
        "format": "hybrid",
        "venue": UN_HEADQUARTERS,
        "review": 7,
        "sessions": [],
        "resources": [],
    },
    {
        "slug": "third-high-level-conference-2023",
        "title": "Third United Nations High-Level Conference of Heads of Counter-Terrorism Agencies of Member States",
        "edition": 3,
        "theme": "",
        "description": (
            "Opened on 19 June 2023 at United Nations Headquarters, fully in person, during the "
            "Counter-Terrorism Week in which the General Assembly adopted the eighth review of the "
            "Strategy (A/RES/77/298, 22 June 2023)."
        ),
        "start_date": datetime.date(2023, 6, 19),
        "end_date": None,
        "time_zone": NEW_YORK,
        "format": "in_person",
        "venue": UN_HEADQUARTERS,
        "review": 8,
        "sessions": [],
        "resources": [],
    },
]
