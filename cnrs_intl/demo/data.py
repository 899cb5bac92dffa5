"""The demo data: every fact of the CNRS "International" page, in French and English.

Facts, figures, names and quotations come from the source page
(``/work/shared/source/cnrs-international.txt``); descriptions are written afresh.
Identifiers are given only when known for certain, otherwise left blank:

* unit codes are IRL codes: the UMIs were renamed IRLs in 2020 and kept their
  numbers, so each unit's code when the page was written ("UMI 3218") is its
  predecessor code;
* ROR ids are given for the institutions whose id was checked; Thales, Solvay,
  Saint-Gobain and IMPA are left blank;
* coordinates are those of the campus when known, otherwise of the city
  (marked "city" below); companies' coordinates are those of their head office city.

Translated values are ``T(fr, en)``; the loader writes them to ``<field>_fr`` and
``<field>_en``. Relations are given by natural key (institute code, partner slug…).
"""

import datetime
from decimal import Decimal
from typing import NamedTuple

from units.institutes import CNRS_INSTITUTES


class T(NamedTuple):
    """A text in French and in English."""

    fr: str
    en: str


def lines(*themes: tuple[str, str]) -> T:
    """Join ``(fr, en)`` theme pairs into one theme per line in each language."""
    return T("\n".join(fr for fr, _ in themes), "\n".join(en for _, en in themes))


def coords(latitude: str, longitude: str) -> dict:
    return {"latitude": Decimal(latitude), "longitude": Decimal(longitude)}


# --- The ten CNRS institutes: the CNRS's own reference data, kept in units/ --------

INSTITUTES = CNRS_INSTITUTES

# --- Partner institutions, keyed on their slug ----------------------------------------

PARTNERS = [
    {
        "slug": "nanyang-technological-university",
        "name": T(
            "Université technologique de Nanyang", "Nanyang Technological University"
        ),
        "original_name": "Nanyang Technological University",
        "original_name_language": "en",
        "acronym": "NTU",
        "kind": "university",
        "country": "SG",
        "city": T("Singapour", "Singapore"),
        **coords("1.3483", "103.6831"),
        "website": "https://www.ntu.edu.sg/",
        "ror_id": "02e7b5302",
        "established": 1991,
    },
    {
        "slug": "thales",
        "name": T("Thales", "Thales"),
        "original_name": "Thales",
        "original_name_language": "fr",
        "acronym": "",
        "kind": "company",
        "country": "FR",
        # Head office city left blank: the group has several Paris-area sites.
        "city": T("", ""),
        "website": "https://www.thalesgroup.com/",
        "ror_id": "",
    },
    {
        "slug": "solvay",
        "name": T("Solvay", "Solvay"),
        "original_name": "Solvay",
        "original_name_language": "fr",
        "acronym": "",
        "kind": "company",
        "country": "BE",
        "city": T("Bruxelles", "Brussels"),
        **coords("50.8503", "4.3517"),  # city
        "website": "https://www.solvay.com/",
        "ror_id": "",
        "established": 1863,
    },
    {
        "slug": "saint-gobain",
        "name": T("Saint-Gobain", "Saint-Gobain"),
        "original_name": "Saint-Gobain",
        "original_name_language": "fr",
        "acronym": "",
        "kind": "company",
        "country": "FR",
        "city": T("Courbevoie", "Courbevoie"),
        **coords("48.8973", "2.2531"),  # city
        "website": "https://www.saint-gobain.com/",
        "ror_id": "",
        "established": 1665,
    },
    {
        "slug": "massachusetts-institute-of-technology",
        "name": T(
            "Massachusetts Institute of Technology",
            "Massachusetts Institute of Technology",
        ),
        "original_name": "Massachusetts Institute of Technology",
        "original_name_language": "en",
        "acronym": "MIT",
        "kind": "university",
        "country": "US",
        "city": T("Cambridge (Massachusetts)", "Cambridge, Massachusetts"),
        **coords("42.3601", "-71.0942"),
        "website": "https://www.mit.edu/",
        "ror_id": "042nb2s44",
        "established": 1861,
    },
    {
        "slug": "aix-marseille-universite",
        # Its own name in English too, as the university writes it.
        "name": T("Aix-Marseille Université", "Aix-Marseille Université"),
        "original_name": "Aix-Marseille Université",
        "original_name_language": "fr",
        "acronym": "AMU",
        "kind": "university",
        "country": "FR",
        "city": T("Marseille", "Marseille"),
        **coords("43.2965", "5.3698"),  # city
        "website": "https://www.univ-amu.fr/",
        "ror_id": "035xkbk20",
        "established": 2012,
    },
    {
        "slug": "impa",
        "name": T(
            "Institut de mathématiques pures et appliquées",
            "Institute for Pure and Applied Mathematics",
        ),
        "original_name": "Instituto de Matemática Pura e Aplicada",
        "original_name_language": "pt",
        "acronym": "IMPA",
        "kind": "research_organisation",
        "country": "BR",
        "city": T("Rio de Janeiro", "Rio de Janeiro"),
        **coords("-22.9628", "-43.2265"),
        "website": "https://impa.br/",
        "ror_id": "",
        "established": 1952,
    },
    {
        "slug": "tel-aviv-university",
        "name": T("Université de Tel-Aviv", "Tel Aviv University"),
        "original_name": "אוניברסיטת תל אביב",
        "original_name_language": "he",
        "acronym": "TAU",
        "kind": "university",
        "country": "IL",
        "city": T("Tel-Aviv", "Tel Aviv"),
        **coords("32.1133", "34.8044"),
        "website": "https://english.tau.ac.il/",
        "ror_id": "04mhzgx49",
        "established": 1956,
    },
    {
        "slug": "university-of-pennsylvania",
        "name": T("Université de Pennsylvanie", "University of Pennsylvania"),
        "original_name": "University of Pennsylvania",
        "original_name_language": "en",
        "acronym": "Penn",
        "kind": "university",
        "country": "US",
        "city": T("Philadelphie", "Philadelphia"),
        **coords("39.9522", "-75.1932"),
        "website": "https://www.upenn.edu/",
        "ror_id": "00b30xv10",
        "established": 1740,
    },
    {
        "slug": "aist",
        "name": T(
            "Institut national des sciences et technologies industrielles avancées",
            "National Institute of Advanced Industrial Science and Technology",
        ),
        "original_name": "産業技術総合研究所",
        "original_name_language": "ja",
        "acronym": "AIST",
        "kind": "research_organisation",
        "country": "JP",
        "city": T("Tsukuba", "Tsukuba"),
        **coords("36.0605", "140.1280"),
        "website": "https://www.aist.go.jp/",
        "ror_id": "01703db54",
        "established": 2001,
    },
    {
        "slug": "nims",
        "name": T(
            "Institut national de science des matériaux",
            "National Institute for Materials Science",
        ),
        "original_name": "物質・材料研究機構",
        "original_name_language": "ja",
        "acronym": "NIMS",
        "kind": "research_organisation",
        "country": "JP",
        "city": T("Tsukuba", "Tsukuba"),
        **coords("36.0835", "140.0764"),  # city
        "website": "https://www.nims.go.jp/",
        "ror_id": "026v1ze26",
        "established": 2001,
    },
]

# --- People, keyed on their first and last names --------------------------------------

PEOPLE = [
    {
        "first_name": "Abderrahmane",  # misspelt "Adberrahmane" in the source
        "last_name": "Kheddar",
        "title": T(
            "Directeur du Joint Robotics Laboratory (JRL), Tsukuba",
            "Director of the Joint Robotics Laboratory (JRL), Tsukuba",
        ),
    },
    {
        "first_name": "Roland",
        "last_name": "Pellenq",
        "title": T(
            "Directeur de l’unité mixte internationale <MSE>2 (CNRS/MIT/Aix-Marseille "
            "Université)",
            "Director of the <MSE>2 international joint unit (CNRS/MIT/Aix-Marseille "
            "Université)",
        ),
    },
    {
        "first_name": "Antoine",
        "last_name": "Petit",
        "title": T(
            "Président-directeur général du CNRS", "Chairman and CEO of the CNRS"
        ),
    },
    {
        "first_name": "Patrick",  # misspelt "Patick" in the source
        "last_name": "Nédellec",
        "title": T(
            "Directeur de la DERCI (Direction Europe de la recherche et coopération "
            "internationale du CNRS)",
            "Director of the DERCI (CNRS European Research and International "
            "Cooperation Department)",
        ),
    },
    {
        "first_name": "Artur",
        "last_name": "Ávila",
        "title": T(
            "Mathématicien, lauréat de la médaille Fields 2014",
            "Mathematician, 2014 Fields Medal laureate",
        ),
    },
]

# --- Joint units, keyed on their slug -------------------------------------------------
# partners: (partner slug, role) in display order.

UNITS = [
    {
        "slug": "cintra",
        "kind": "irl",
        "code": "IRL 3288",
        "predecessor_code": "UMI 3288",
        "acronym": "CINTRA",
        "name": T(
            "CNRS International – NTU – Thales Research Alliance",
            "CNRS International – NTU – Thales Research Alliance",
        ),
        "description": T(
            "Laboratoire commun installé sur le campus de la Nanyang Technological "
            "University, où des équipes du CNRS, de l’université et du groupe Thales "
            "préparent ensemble les composants de demain — nanomatériaux, dispositifs "
            "électroniques et photoniques — et les conduisent vers des usages "
            "industriels. C’est l’une des quatre unités mixtes internationales du "
            "CNRS à Singapour et l’une des quatre menées avec un industriel.",
            "A joint laboratory on the Nanyang Technological University campus where "
            "teams from the CNRS, the university and the Thales group develop "
            "tomorrow’s components together — nanomaterials, electronic and photonic "
            "devices — and take them towards industrial use. It is one of the CNRS’s "
            "four international joint units in Singapore and one of the four run with "
            "industry.",
        ),
        "themes": lines(
            ("Nanotechnologies", "Nanotechnology"),
            ("Électronique", "Electronics"),
            ("Photonique", "Photonics"),
        ),
        "city": T("Singapour", "Singapore"),
        "country": "SG",
        **coords("1.3483", "103.6831"),
        "lead_institute": "INSIS",
        "partners": [
            ("nanyang-technological-university", "host"),
            ("thales", "industrial"),
        ],
    },
    {
        "slug": "e2p2l",
        "kind": "irl",
        "code": "IRL 3464",
        "predecessor_code": "UMI 3464",
        "acronym": "E2P2L",
        "name": T(
            "Laboratoire des produits et procédés éco-efficaces",
            "Eco-Efficient Products and Processes Laboratory",
        ),
        "description": T(
            "Laboratoire commun du CNRS et du chimiste Solvay à Shanghai. Il met au "
            "point des produits et des procédés plus sobres en énergie et en matières "
            "premières, dans l’esprit de la chimie verte. C’est l’une des quatre "
            "unités mixtes internationales du CNRS menées avec un industriel.",
            "A joint laboratory of the CNRS and the chemical company Solvay in "
            "Shanghai. It develops products and processes that need less energy and "
            "fewer raw materials, in the spirit of green chemistry. It is one of the "
            "CNRS’s four international joint units run with industry.",
        ),
        "themes": lines(
            ("Chimie verte", "Green chemistry"),
            (
                "Produits et procédés éco-efficaces",
                "Eco-efficient products and processes",
            ),
        ),
        "city": T("Shanghai", "Shanghai"),
        "country": "CN",
        **coords("31.2304", "121.4737"),  # city
        "lead_institute": "INC",
        "partners": [("solvay", "industrial")],
    },
    {
        "slug": "link",
        "kind": "irl",
        "code": "IRL 3629",
        "predecessor_code": "UMI 3629",
        "acronym": "LINK",
        "name": T(
            "Laboratoire des matériaux et structures clés innovants",
            "Laboratory for Innovative Key Materials and Structures",
        ),
        "description": T(
            "À Tsukuba, au Japon, le CNRS, Saint-Gobain et l’Institut national de "
            "science des matériaux (NIMS) étudient ensemble des matériaux innovants "
            "et les structures qui leur donnent leurs propriétés, avec en vue des "
            "applications pour l’habitat. C’est l’une des quatre unités mixtes "
            "internationales du CNRS menées avec un industriel.",
            "In Tsukuba, Japan, the CNRS, Saint-Gobain and the National Institute for "
            "Materials Science (NIMS) jointly study innovative materials and the "
            "structures that give them their properties, with applications for "
            "buildings in view. It is one of the CNRS’s four international joint "
            "units run with industry.",
        ),
        "themes": lines(
            ("Matériaux innovants", "Innovative materials"),
            ("Structures clés", "Key structures"),
        ),
        "city": T("Tsukuba", "Tsukuba"),
        "country": "JP",
        **coords("36.0835", "140.0764"),  # city
        "lead_institute": "INC",
        "partners": [("nims", "host"), ("saint-gobain", "industrial")],
    },
    {
        "slug": "compass",
        "kind": "irl",
        "code": "IRL 3254",
        "predecessor_code": "UMI 3254",
        "acronym": "COMPASS",
        "name": T(
            "Laboratoire des assemblages complexes de matière molle",
            "Complex Assemblies of Soft Matter Laboratory",
        ),
        "description": T(
            "Laboratoire du CNRS et de Solvay à Bristol, en Pennsylvanie, près de "
            "Philadelphie, associé à l’université de Pennsylvanie. Ses chercheurs "
            "conçoivent, manipulent et cherchent à comprendre la matière molle et les "
            "assemblages complexes qu’elle forme. C’est l’une des quatre unités mixtes "
            "internationales du CNRS menées avec un industriel.",
            "A CNRS–Solvay laboratory in Bristol, Pennsylvania, near Philadelphia, "
            "working with the University of Pennsylvania. Its researchers design, "
            "handle and seek to understand soft matter and the complex assemblies it "
            "forms. It is one of the CNRS’s four international joint units run with "
            "industry.",
        ),
        "themes": lines(
            ("Matière molle", "Soft matter"),
            (
                "Conception et manipulation d’assemblages complexes",
                "Design and handling of complex assemblies",
            ),
        ),
        "city": T("Bristol (Pennsylvanie)", "Bristol, Pennsylvania"),
        "country": "US",
        **coords("40.1007", "-74.8518"),  # city
        "lead_institute": "INC",
        "partners": [
            ("solvay", "industrial"),
            ("university-of-pennsylvania", "partner"),
        ],
    },
    {
        "slug": "mse2",
        "kind": "irl",
        "code": "IRL 3466",
        "predecessor_code": "UMI 3466",
        "acronym": "<MSE>2",
        "name": T(
            "Matériaux multi-échelles pour l’énergie et l’environnement",
            "Multi-Scale Materials Science for Energy and Environment",
        ),
        "description": T(
            "Unité du CNRS, du MIT et d’Aix-Marseille Université installée sur le "
            "campus du MIT à Cambridge (Massachusetts). Elle relie la structure des "
            "matériaux, de l’atome à l’ouvrage, à leur comportement, pour des "
            "questions d’énergie et d’environnement — le ciment et les schistes en "
            "premier lieu — avec d’importants financements industriels et des "
            "doctorants des deux pays.",
            "A unit of the CNRS, MIT and Aix-Marseille Université on the MIT campus "
            "in Cambridge, Massachusetts. It links the structure of materials, from "
            "the atom to the built structure, to their behaviour for energy and "
            "environmental questions — cement and shales first of all — with "
            "substantial industrial funding and doctoral students from both countries.",
        ),
        "themes": lines(
            ("Matériaux multi-échelles", "Multi-scale materials"),
            ("Ciment", "Cement"),
            ("Schistes", "Shales"),
            ("Énergie et environnement", "Energy and environment"),
        ),
        "city": T("Cambridge (Massachusetts)", "Cambridge, Massachusetts"),
        "country": "US",
        **coords("42.3601", "-71.0942"),
        "lead_institute": "INC",
        "director": ("Roland", "Pellenq"),
        "partners": [
            ("massachusetts-institute-of-technology", "host"),
            ("aix-marseille-universite", "partner"),
        ],
    },
    {
        "slug": "jrl",
        "kind": "irl",
        "code": "IRL 3218",
        "predecessor_code": "UMI 3218",
        "acronym": "JRL",
        "name": T(
            "CNRS-AIST Joint Robotics Laboratory", "CNRS-AIST Joint Robotics Laboratory"
        ),
        "description": T(
            "Laboratoire franco-japonais de robotique hébergé par l’AIST à Tsukuba. "
            "Ses équipes élargissent ce que savent faire les robots humanoïdes — se "
            "déplacer, manipuler des objets, interagir avec les humains — en croisant "
            "les approches des deux pays.",
            "A French-Japanese robotics laboratory hosted by AIST in Tsukuba. Its "
            "teams extend what humanoid robots can do — moving about, handling "
            "objects, interacting with people — by combining the approaches of both "
            "countries.",
        ),
        "themes": lines(
            ("Robotique humanoïde", "Humanoid robotics"),
            ("Planification et commande du mouvement", "Motion planning and control"),
            ("Interaction humain-robot", "Human-robot interaction"),
        ),
        "city": T("Tsukuba", "Tsukuba"),
        "country": "JP",
        **coords("36.0605", "140.1280"),
        "lead_institute": "INSIS",
        "director": ("Abderrahmane", "Kheddar"),
        # His role at this unit, as the source page gives it; his own title names
        # the JRL, which its page leaves out.
        "director_title": T("directeur de l’unité", "director of the unit"),
        "partners": [("aist", "host")],
    },
    {
        "slug": "cnrs-impa",
        "kind": "irl",
        "code": "IRL 2924",
        "predecessor_code": "UMI 2924",
        "acronym": "CNRS-IMPA",
        "name": T(
            "Unité mixte internationale CNRS-IMPA", "CNRS-IMPA International Joint Unit"
        ),
        "description": T(
            "Née en 2006 au sein de l’IMPA à Rio de Janeiro, dans le prolongement du "
            "réseau franco-brésilien de mathématiques, l’unité rassemble 50 "
            "mathématiciens et compte parmi les meilleures en systèmes dynamiques, en "
            "équations aux dérivées partielles et en géométrie. Chercheurs du CNRS et "
            "enseignants-chercheurs des universités françaises peuvent y passer un an "
            "en détachement. Artur Ávila, médaille Fields 2014, témoigne de la "
            "tradition commune de repérage des jeunes talents.",
            "Set up in 2006 at IMPA in Rio de Janeiro, building on the "
            "French-Brazilian mathematics network, the unit brings together 50 "
            "mathematicians and ranks among the best in dynamical systems, partial "
            "differential equations and geometry. CNRS researchers and French "
            "university academics can spend a year there on secondment. Artur Ávila, "
            "2014 Fields medallist, reflects the shared tradition of spotting young "
            "talent.",
        ),
        "themes": lines(
            ("Systèmes dynamiques", "Dynamical systems"),
            ("Équations aux dérivées partielles", "Partial differential equations"),
            ("Géométrie", "Geometry"),
        ),
        "city": T("Rio de Janeiro", "Rio de Janeiro"),
        "country": "BR",
        **coords("-22.9628", "-43.2265"),
        "lead_institute": "INSMI",
        "creation_year": 2006,
        "partners": [("impa", "host")],
    },
]

# --- Offices abroad, keyed on their slug ----------------------------------------------

SOUTH_AMERICA = ["AR", "BO", "BR", "CL", "CO", "EC", "GY", "PE", "PY", "SR", "UY", "VE"]
SOUTH_EAST_ASIA = ["BN", "ID", "KH", "LA", "MM", "MY", "PH", "SG", "TH", "TL", "VN"]
OCEANIA = [
    "AU", "FJ", "FM", "KI", "MH", "NR", "NZ", "PG", "PW", "SB", "TO", "TV", "VU", "WS",
]  # fmt: skip
SOUTH_ASIA = ["AF", "BD", "BT", "IN", "LK", "MV", "NP", "PK"]
# Sub-Saharan Africa as the United Nations geoscheme draws it (sovereign states).
SUB_SAHARAN_AFRICA = [
    "AO", "BF", "BI", "BJ", "BW", "CD", "CF", "CG", "CI", "CM", "CV", "DJ", "ER", "ET",
    "GA", "GH", "GM", "GN", "GQ", "GW", "KE", "KM", "LR", "LS", "MG", "ML", "MR", "MU",
    "MW", "MZ", "NA", "NE", "NG", "RW", "SC", "SL", "SN", "SO", "SS", "ST", "SZ", "TD",
    "TG", "TZ", "UG", "ZA", "ZM", "ZW",
]  # fmt: skip

OFFICES = [
    {
        "slug": "brussels",
        "kind": "eu_branch",
        "name": T(
            "Bureau du CNRS à Bruxelles, antenne auprès de l’Union européenne",
            "CNRS Brussels Office, branch at the European Union",
        ),
        "city": T("Bruxelles", "Brussels"),
        "country": "BE",
        "countries": [],
        **coords("50.8427", "4.3806"),  # the European quarter
        "role": T(
            "L’antenne du CNRS auprès des institutions européennes suit la politique "
            "de recherche de l’Union, aide les laboratoires à répondre aux appels "
            "européens et fait entendre la voix de l’organisme à Bruxelles. Elle "
            "prend part aux instances où se concertent les organismes de recherche, "
            "comme Science Europe ou le CLORA.",
            "The CNRS’s branch at the European institutions follows EU research "
            "policy, helps laboratories answer European calls and makes the "
            "organisation’s voice heard in Brussels. It takes part in the bodies "
            "where research organisations work together, such as Science Europe and "
            "CLORA.",
        ),
    },
    {
        "slug": "washington",
        "kind": "office",
        "name": T("Bureau du CNRS à Washington", "CNRS Washington Office"),
        "city": T("Washington", "Washington, D.C."),
        "country": "US",
        "countries": ["US", "CA"],
        **coords("38.9072", "-77.0369"),  # city
        "role": T(
            "Suit les partenariats du CNRS aux États-Unis et au Canada, accompagne "
            "les chercheurs expatriés ou en mission et veille aux accords de "
            "coopération, aux côtés du service scientifique de l’ambassade de France.",
            "Follows the CNRS’s partnerships in the United States and Canada, supports "
            "researchers posted there or on assignment, and oversees cooperation "
            "agreements alongside the French embassy’s science department.",
        ),
    },
    {
        "slug": "rio-de-janeiro",
        "kind": "office",
        "name": T("Bureau du CNRS à Rio de Janeiro", "CNRS Rio de Janeiro Office"),
        "city": T("Rio de Janeiro", "Rio de Janeiro"),
        "country": "BR",
        "countries": SOUTH_AMERICA,
        **coords("-22.9068", "-43.1729"),  # city
        "role": T(
            "Point d’appui du CNRS en Amérique du Sud\u00a0: relations avec les "
            "universités, instituts et agences de financement du continent, soutien "
            "aux chercheurs sur place, suivi des accords et des unités mixtes comme "
            "CNRS-IMPA.",
            "The CNRS’s base in South America: relations with the continent’s "
            "universities, institutes and funding agencies, support for researchers on "
            "site, follow-up of agreements and of joint units such as CNRS-IMPA.",
        ),
    },
    {
        "slug": "tokyo",
        "kind": "office",
        "name": T("Bureau du CNRS à Tokyo", "CNRS Tokyo Office"),
        "city": T("Tokyo", "Tokyo"),
        "country": "JP",
        "countries": ["JP", "KR", "TW"],
        **coords("35.6762", "139.6503"),  # city
        "role": T(
            "Couvre le Japon, la Corée du Sud et Taïwan\u00a0: dialogue avec les "
            "universités et les grands organismes de recherche, appui aux "
            "laboratoires communs comme "
            "le JRL et LINK à Tsukuba, suivi des accords en vigueur.",
            "Covers Japan, South Korea and Taiwan: dialogue with universities and "
            "major research organisations, support for joint laboratories such as "
            "JRL and LINK in Tsukuba, follow-up of the agreements in force.",
        ),
    },
    {
        "slug": "beijing",
        "kind": "office",
        "name": T("Bureau du CNRS à Pékin", "CNRS Beijing Office"),
        "city": T("Pékin", "Beijing"),
        "country": "CN",
        "countries": ["CN", "MN"],
        **coords("39.9042", "116.4074"),  # city
        "role": T(
            "Représente le CNRS en Chine et en Mongolie\u00a0; suit la coopération "
            "avec "
            "les académies, universités et agences de ces pays et les laboratoires "
            "communs, comme E2P2L à Shanghai.",
            "Represents the CNRS in China and Mongolia; follows cooperation with their "
            "academies, universities and agencies and with joint laboratories such as "
            "E2P2L in Shanghai.",
        ),
    },
    {
        "slug": "singapore",
        "kind": "office",
        "name": T("Bureau du CNRS à Singapour", "CNRS Singapore Office"),
        "city": T("Singapour", "Singapore"),
        "country": "SG",
        "countries": SOUTH_EAST_ASIA + OCEANIA,
        **coords("1.3521", "103.8198"),  # city
        "role": T(
            "Couvre l’Asie du Sud-Est et l’Océanie depuis Singapour, où le CNRS compte "
            "quatre unités mixtes internationales, dont CINTRA\u00a0; appui aux "
            "équipes et "
            "suivi des partenariats de la région.",
            "Covers South-East Asia and Oceania from Singapore, where the CNRS has "
            "four international joint units, CINTRA among them; supports teams and "
            "follows partnerships across the region.",
        ),
    },
    {
        "slug": "new-delhi",
        "kind": "office",
        "name": T("Bureau du CNRS à New Delhi", "CNRS New Delhi Office"),
        "city": T("New Delhi", "New Delhi"),
        "country": "IN",
        "countries": SOUTH_ASIA,
        **coords("28.6139", "77.2090"),  # city
        "role": T(
            "Suit la coopération scientifique avec l’Inde et l’Asie du Sud\u00a0: "
            "relations avec les institutions de recherche et les agences de "
            "financement, appui aux chercheurs en mission.",
            "Follows scientific cooperation with India and South Asia: relations with "
            "research institutions and funding agencies, support for researchers on "
            "assignment.",
        ),
    },
    {
        "slug": "pretoria",
        "kind": "office",
        "name": T("Bureau du CNRS à Pretoria", "CNRS Pretoria Office"),
        "city": T("Pretoria", "Pretoria"),
        "country": "ZA",
        "countries": SUB_SAHARAN_AFRICA,
        **coords("-25.7479", "28.2293"),  # city
        "role": T(
            "Représente le CNRS en Afrique subsaharienne\u00a0: développement des "
            "partenariats avec les universités et organismes de recherche de la "
            "région, appui aux chercheurs, suivi des accords.",
            "Represents the CNRS in sub-Saharan Africa: developing partnerships with "
            "the region’s universities and research organisations, supporting "
            "researchers, following agreements.",
        ),
    },
]

# --- Programmes, keyed on their slug (parents before children) ------------------------

PROGRAMMES = [
    {
        "slug": "fp7",
        "kind": "framework",
        # FP7 in both languages, as the EU writes it; the French usual name, the
        # 7ᵉ PCRD, is given in the description.
        "name": T(
            "7ᵉ programme-cadre de recherche et de développement technologique",
            "Seventh Framework Programme",
        ),
        "acronym": "FP7",
        "start_year": 2007,
        "end_year": 2013,
        "description": T(
            "Programme-cadre de l’Union européenne pour la recherche et le "
            "développement technologique de 2007 à 2013 (7ᵉ PCRD), qui a précédé "
            "Horizon 2020. "
            "Il a vu naître le Conseil européen de la recherche et finançait les "
            "actions Marie Curie.",
            "The European Union’s framework programme for research and technological "
            "development for 2007–2013, before Horizon 2020. The European Research "
            "Council was born under it, and it funded the Marie Curie Actions.",
        ),
    },
    {
        "slug": "horizon-2020",
        "kind": "framework",
        "name": T("Horizon 2020", "Horizon 2020"),
        "acronym": "H2020",
        "start_year": 2014,
        "end_year": 2020,
        "description": T(
            "Programme-cadre de l’Union européenne pour la recherche et l’innovation "
            "de 2014 à 2020. Il poursuivait trois objectifs\u00a0: l’excellence "
            "scientifique, l’innovation industrielle et les grands défis sociétaux. "
            "Le CNRS y a pris part comme à tous les programmes-cadres précédents.",
            "The European Union’s research and innovation framework programme for "
            "2014–2020. It pursued three aims: scientific excellence, industrial "
            "innovation and the major societal challenges. The CNRS took part in it, "
            "as in every earlier framework programme.",
        ),
    },
    {
        "slug": "horizon-europe",
        "kind": "framework",
        "name": T("Horizon Europe", "Horizon Europe"),
        "acronym": "",
        "start_year": 2021,
        "end_year": 2027,
        "description": T(
            "Programme-cadre de l’Union européenne pour la recherche et l’innovation "
            "de 2021 à 2027, qui succède à Horizon 2020. Il finance notamment le "
            "Conseil européen de la recherche, les actions Marie Skłodowska-Curie et "
            "des projets collaboratifs.",
            "The European Union’s research and innovation framework programme for "
            "2021–2027, following Horizon 2020. Among other things it funds the "
            "European Research Council, the Marie Skłodowska-Curie Actions and "
            "collaborative projects.",
        ),
    },
    {
        "slug": "erc",
        "kind": "eu_scheme",
        "name": T("Conseil européen de la recherche", "European Research Council"),
        "acronym": "ERC",
        "start_year": 2007,
        "website": "https://erc.europa.eu/",
        "description": T(
            "Créé en 2007, le Conseil européen de la recherche finance des recherches "
            "exploratoires et risquées, à la frontière des connaissances. Ses bourses "
            "individuelles, de quatre à cinq ans, sont ouvertes aux scientifiques du "
            "monde entier, pourvu que le projet soit mené dans une institution "
            "européenne. Dispositifs\u00a0: Starting, Consolidator, Advanced, Synergy "
            "et Proof of Concept.",
            "Set up in 2007, the European Research Council funds exploratory, "
            "risk-taking research at the frontier of knowledge. Its individual grants "
            "run for four to five years and are open to scientists from anywhere, "
            "provided the work is done in a European institution. Schemes: Starting, "
            "Consolidator, Advanced, Synergy and Proof of Concept.",
        ),
    },
    {
        "slug": "msca",
        "kind": "eu_scheme",
        "name": T("Actions Marie Skłodowska-Curie", "Marie Skłodowska-Curie Actions"),
        "acronym": "MSCA",
        "former_name": T("Actions Marie Curie", "Marie Curie Actions"),
        "website": "https://marie-sklodowska-curie-actions.ec.europa.eu/",
        "description": T(
            "Les actions Marie Skłodowska-Curie (AMSC) financent les carrières, la "
            "formation et la mobilité des chercheurs, dans le monde académique comme "
            "en entreprise et dans toutes les disciplines\u00a0: bourses "
            "postdoctorales, réseaux doctoraux, échanges de personnel et "
            "cofinancement de programmes (COFUND).",
            "The Marie Skłodowska-Curie Actions (MSCA) fund researchers’ careers, "
            "training and mobility, in "
            "academia and industry alike and in every field: postdoctoral "
            "fellowships, doctoral networks, staff exchanges and co-funding of "
            "programmes (COFUND).",
        ),
    },
    {
        "slug": "irl",
        "kind": "cnrs_tool",
        "name": T(
            "Laboratoire de recherche international",
            "International Research Laboratory",
        ),
        "acronym": "IRL",
        "former_name": T("UMI", "UMI"),
        "description": T(
            "L’outil de coopération le plus structurant du CNRS\u00a0: un laboratoire "
            "commun implanté chez un partenaire à l’étranger, avec ses équipes, son "
            "directeur et une perspective de long terme. Les IRL ont pris la suite "
            "des unités mixtes internationales (UMI).",
            "The CNRS’s most structuring cooperation tool: a joint laboratory set up "
            "at a partner institution abroad, with its own teams, director and "
            "long-term outlook. IRLs took over from the international joint units "
            "(UMI).",
        ),
    },
    {
        "slug": "irp",
        "kind": "cnrs_tool",
        "name": T(
            "Projet de recherche international", "International Research Project"
        ),
        "acronym": "IRP",
        "former_name": T("LIA / PRC", "LIA / PRC"),
        "description": T(
            "Collaboration de plusieurs années entre des équipes du CNRS et celles "
            "d’un partenaire étranger autour d’un projet commun, avec missions et "
            "séminaires. Il remplace les laboratoires internationaux associés (LIA) "
            "et les projets de recherche conjoints (PRC).",
            "A collaboration of several years between CNRS teams and teams at a "
            "partner abroad on a shared project, with missions and seminars. It "
            "replaces the international associated laboratories (LIA) and joint "
            "research projects (PRC).",
        ),
    },
    {
        "slug": "irn",
        "kind": "cnrs_tool",
        "name": T(
            "Réseau de recherche international", "International Research Network"
        ),
        "acronym": "IRN",
        "former_name": T("GDRI", "GDRI"),
        "description": T(
            "Réseau qui rassemble des laboratoires français et étrangers autour d’une "
            "thématique commune, par des ateliers, des écoles et des missions. Il "
            "remplace les groupements de recherche internationaux (GDRI).",
            "A network bringing French and foreign laboratories together around a "
            "shared theme through workshops, schools and missions. It replaces the "
            "international research groups (GDRI).",
        ),
    },
    {
        "slug": "iea",
        "kind": "cnrs_tool",
        "name": T("Action internationale émergente", "International Emerging Action"),
        "acronym": "IEA",
        "former_name": T("PICS", "PICS"),
        "description": T(
            "Soutien court à une première collaboration entre une équipe du CNRS et "
            "des collègues à l’étranger, pour explorer une piste nouvelle. Elle "
            "remplace les projets internationaux de coopération scientifique (PICS).",
            "Short-term support for a first collaboration between a CNRS team and "
            "colleagues abroad, to explore a new line of research. It replaces the "
            "international scientific cooperation projects (PICS).",
        ),
    },
]

# --- Projects, keyed on their slug ----------------------------------------------------
# participants: (partner slug, role); the CNRS coordinates it (cnrs_role) and is not a
# partner record itself.

PROJECTS = [
    {
        "slug": "tascmar",
        "kind": "eu_project",
        "programme": "horizon-2020",
        "acronym": "Tascmar",
        "title": T(
            "Outils et stratégies d’accès à des composés bioactifs originaux par la "
            "culture d’invertébrés marins et de leurs symbiotes",
            "Tools And Strategies to access to original bioactive compounds from "
            "Cultivation of MARine invertebrates and associated symbionts",
        ),
        "summary": T(
            "Éponges, polypes et autres invertébrés marins, comme les "
            "micro-organismes qu’ils abritent, fabriquent des molécules actives "
            "utiles à la médecine, à la nutrition et à la cosmétique. Tascmar a "
            "cherché à les cultiver, du laboratoire à une échelle industrielle, pour "
            "obtenir ces composés sans épuiser les milieux naturels. Coordonné par le "
            "CNRS, le projet a réuni 110 chercheurs de 8 pays et 6 partenaires "
            "industriels\u00a0; parmi ses ressources figure une gorgone des récifs "
            "mésophotiques d’Eilat, en Israël, étudiée avec l’université de Tel-Aviv.",
            "Sponges, polyps and other marine invertebrates, like the microorganisms "
            "they harbour, make active molecules useful for medicine, nutrition and "
            "cosmetics. Tascmar set out to grow them, from the laboratory to "
            "industrial scale, so as to obtain these compounds without depleting "
            "natural habitats. Coordinated by the CNRS, the project brought together "
            "110 researchers from 8 countries and 6 industrial partners; its "
            "resources include a gorgonian from the mesophotic reefs of Eilat, "
            "Israel, studied with Tel Aviv University.",
        ),
        "societal_challenge": "bioeconomy",
        "cnrs_role": "coordinator",
        # CORDIS: started 1 April 2015, ended 30 September 2019 (after an extension;
        # the source page gives no dates).
        "start_date": datetime.date(2015, 4, 1),
        "end_date": datetime.date(2019, 9, 30),
        "eu_contribution": Decimal("6700000.00"),
        "researcher_count": 110,
        "country_count": 8,
        "industrial_partner_count": 6,
        "cordis_id": "634674",
        "participants": [("tel-aviv-university", "participant")],
    },
]

# --- Key figures, keyed on their French label -----------------------------------------

# A figure's year is shown beside its source: the source does not repeat it.
SOURCE_CNRS = T("CNRS", "CNRS")
SOURCE_PAGE = T("CNRS, page «\u00a0International\u00a0»", "CNRS, “International” page")

KEY_FIGURES = [
    {
        "value": Decimal("60"),
        "suffix": "%",
        "label": T(
            "des publications du CNRS impliquent au moins un laboratoire étranger",
            "of CNRS publications involve at least one foreign laboratory",
        ),
        "year": 2017,
        "source": SOURCE_PAGE,
    },
    {
        "value": Decimal("3"),
        "suffix": "",
        # After its value: "3 principaux pays partenaires…", where "3 premiers pays
        # partenaires en copublication" read as a count of countries, unexplained.
        "label": T(
            "principaux pays partenaires en copublication\u00a0: les États-Unis, "
            "l’Allemagne et le Royaume-Uni",
            "main co-publication partner countries: the United States, Germany and "
            "the United Kingdom",
        ),
        "former_labels_fr": (
            "premiers pays partenaires en copublication\u00a0: États-Unis, Allemagne, "
            "Royaume-Uni",
        ),
        "year": 2017,
        "source": SOURCE_PAGE,
    },
    {
        # "près de 4 000" in the source.
        "approximation": "nearly",
        "value": Decimal("4000"),
        "suffix": "",
        "label": T(
            "chercheurs, doctorants et post-doctorants étrangers dans les "
            "laboratoires français du CNRS",
            "foreign researchers, PhD students and postdocs in the CNRS’s French "
            "laboratories",
        ),
        "former_labels_fr": (
            "chercheurs, doctorants et post-doctorants étrangers environ dans les "
            "laboratoires français du CNRS",
        ),
        "year": 2016,
        "source": SOURCE_CNRS,
    },
    {
        "value": Decimal("34"),
        "suffix": "%",
        "label": T(
            "des chercheurs recrutés en 2016 étaient étrangers",
            "of the researchers recruited in 2016 were foreign",
        ),
        "year": 2016,
        "source": SOURCE_CNRS,
    },
    {
        # "environ 60 000" in the source.
        "approximation": "about",
        "value": Decimal("60000"),
        "suffix": "",
        "label": T(
            "missions à l’étranger chaque année pour les personnels des unités mixtes "
            "de recherche",
            "missions abroad a year by staff of joint research units",
        ),
        "former_labels_fr": (
            "missions à l’étranger environ chaque année pour les personnels des unités "
            "mixtes de recherche",
        ),
        "year": 2016,
        "source": SOURCE_CNRS,
    },
    {
        "value": Decimal("37"),
        "suffix": "",
        "label": T(
            "unités mixtes internationales (UMI) dans le monde",
            "international joint units (UMI) worldwide",
        ),
        "year": 2017,
        "source": SOURCE_PAGE,
    },
    {
        "value": Decimal("4"),
        "suffix": "",
        "label": T(
            "unités mixtes internationales menées avec un industriel (CINTRA, E2P2L, "
            "LINK, COMPASS)",
            "international joint units run with industry (CINTRA, E2P2L, LINK, "
            "COMPASS)",
        ),
        "year": 2017,
        "source": SOURCE_PAGE,
    },
    {
        "value": Decimal("26"),
        "suffix": "",
        "label": T(
            "unités mixtes des instituts français de recherche à l’étranger (Umifre) "
            "en sciences humaines et sociales",
            "joint units of French research institutes abroad (Umifre) in the "
            "humanities and social sciences",
        ),
        "year": 2017,
        "source": SOURCE_PAGE,
    },
    {
        "value": Decimal("8"),
        "suffix": "",
        "label": T(
            "bureaux du CNRS à l’étranger, dont une antenne auprès de l’Union "
            "européenne",
            "CNRS offices abroad, including a branch at the European Union",
        ),
        "year": 2017,
        "source": SOURCE_PAGE,
    },
    {
        "value": Decimal("4"),
        "suffix": "",
        "label": T(
            "unités mixtes internationales à Singapour, où le CNRS a aussi un bureau",
            "international joint units in Singapore, where the CNRS also has an office",
        ),
        "year": 2017,
        "source": SOURCE_PAGE,
    },
    {
        "value": Decimal("440"),
        "suffix": "",
        "label": T(
            "lauréats ERC au CNRS de 2007 à 2016\u00a0: première institution de "
            "recherche "
            "européenne bénéficiaire",
            "ERC laureates at the CNRS from 2007 to 2016: Europe’s leading research "
            "institution for ERC grants",
        ),
        "year": 2016,
        "source": SOURCE_PAGE,
    },
]

# --- Testimonies, kept in their original language, keyed on author and quotation -----

TESTIMONIES = [
    {
        "person": ("Abderrahmane", "Kheddar"),
        "unit": "jrl",
        "language": "fr",
        "quote": (
            "Pour un passionné de robotique comme moi, il était naturel d’aller "
            "travailler au Japon. La coopération internationale génère des échanges "
            "uniques entre scientifiques\u00a0: nous sommes aiguillonnés par l’envie "
            "de "
            "nous comprendre, stimulés par toutes nos différences. Cela inspire mes "
            "travaux depuis dix ans\u00a0!"
        ),
        "role": T(
            "Directeur de l’unité mixte internationale Joint Robotics Laboratory",
            "Director of the Joint Robotics Laboratory (JRL), an international joint "
            "unit",
        ),
    },
    {
        "person": ("Roland", "Pellenq"),
        "unit": "mse2",
        "language": "fr",
        "quote": (
            "Grâce à notre partenariat avec le MIT (Massachusetts Institute of "
            "Technology) situé à Cambridge aux États-Unis, nous copilotons "
            "d’ambitieux programmes de recherche autour de matériaux comme le ciment "
            "et les schistes. Financements industriels importants, sujets à la pointe "
            "de l’innovation, excellents doctorants et post-doctorants américains et "
            "français… ce sont des conditions idéales pour mener des recherches au "
            "plus haut niveau."
        ),
        "role": T(
            "Directeur de l’unité mixte internationale <MSE>2 (matériaux "
            "multi-échelles pour l’énergie et l’environnement) CNRS/MIT/Aix-Marseille "
            "Université",
            "Director of the <MSE>2 international joint unit (multi-scale materials "
            "for energy and the environment), CNRS/MIT/Aix-Marseille Université",
        ),
    },
    {
        "person": ("Antoine", "Petit"),
        "unit": None,
        "language": "fr",
        "quote": (
            "En se donnant la possibilité de collaborer avec le monde entier, les "
            "équipes ont toutes les chances d’élever le niveau de leur recherche. La "
            "recherche est de niveau mondial ou elle n’existe pas."
        ),
        "role": T(
            "Président-directeur général du CNRS", "Chairman and CEO of the CNRS"
        ),
    },
    {
        "person": ("Patrick", "Nédellec"),
        "unit": None,
        "language": "fr",
        "quote": (
            "Avec 440 lauréats (2007-2016) le CNRS est la première institution de "
            "recherche européenne bénéficiaire de l’ERC."
        ),
        "role": T("Directeur de la DERCI", "Director of the DERCI"),
    },
]

# --- The site information: the legal notice's facts, the CNRS's public ones -----------

CNRS_HEAD_OFFICE = "3 rue Michel-Ange\n75794 Paris cedex 16\nFrance"

SITE_INFORMATION = {
    "publisher_name": T(
        "Centre national de la recherche scientifique (CNRS)",
        "French National Centre for Scientific Research (CNRS)",
    ),
    "publisher_address": CNRS_HEAD_OFFICE,
    # The role, not its holder's name: the notice outlasts a term of office.
    "publication_director": T(
        "Président-directeur général du CNRS", "Chairman and CEO of the CNRS"
    ),
    # No real DERCI address is known to the demo: a reserved domain's (example.org,
    # RFC 2606), which no one can mistake for the CNRS's, until staff enter theirs.
    "contact_email": "demo-contact@example.org",
    "host_name": T(
        "Centre national de la recherche scientifique (CNRS)",
        "French National Centre for Scientific Research (CNRS)",
    ),
    "host_address": CNRS_HEAD_OFFICE,
    # The French administration's open licence, which the CNRS's open data use.
    "data_licence": T(
        "Licence Ouverte version 2.0 (Etalab)", "Open Licence version 2.0 (Etalab)"
    ),
    "data_licence_url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    # The statement's text was last reviewed that day.
    "accessibility_statement_date": datetime.date(2026, 12, 7),
    "accessibility_audit_date": None,
    "accessibility_auditor": "",
}
