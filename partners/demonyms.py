"""What the people and things of a country are called ("japonais", "Brazilian"),
in French and English: a search for "universités japonaises" or "French companies"
names Japan or France (partners/country_names.py, ``_country_word_runs``).

The countries the CNRS works with most, not every one: a word two countries share
("congolais", "dominican") names neither, and words that are mostly something else
are left out ("anglais", "English": the language).
"""

# Each country's words: the French ones in the masculine singular, whose other forms
# ``french_forms`` makes, then the English ones.
DEMONYMS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "AR": (("argentin",), ("Argentine", "Argentinian")),
    "AM": (("arménien",), ("Armenian",)),
    "AO": (("angolais",), ("Angolan",)),
    "AT": (("autrichien",), ("Austrian",)),
    "AU": (("australien",), ("Australian",)),
    "BD": (("bangladais",), ("Bangladeshi",)),
    "BE": (("belge",), ("Belgian",)),
    "BF": (("burkinabé",), ("Burkinabe",)),
    "BG": (("bulgare",), ("Bulgarian",)),
    "BJ": (("béninois",), ("Beninese",)),
    "BO": (("bolivien",), ("Bolivian",)),
    "BR": (("brésilien",), ("Brazilian",)),
    "CA": (("canadien",), ("Canadian",)),
    "CH": (("suisse",), ("Swiss",)),
    "CI": (("ivoirien",), ("Ivorian",)),
    "CL": (("chilien",), ("Chilean",)),
    "CM": (("camerounais",), ("Cameroonian",)),
    "CN": (("chinois",), ("Chinese",)),
    "CO": (("colombien",), ("Colombian",)),
    "CR": (("costaricien",), ("Costa Rican",)),
    "CU": (("cubain",), ("Cuban",)),
    "CY": (("chypriote",), ("Cypriot",)),
    "CZ": (("tchèque",), ("Czech",)),
    "DE": (("allemand",), ("German",)),
    "DK": (("danois",), ("Danish",)),
    "DZ": (("algérien",), ("Algerian",)),
    "EC": (("équatorien",), ("Ecuadorian",)),
    "EE": (("estonien",), ("Estonian",)),
    "EG": (("égyptien",), ("Egyptian",)),
    "ES": (("espagnol",), ("Spanish",)),
    "ET": (("éthiopien",), ("Ethiopian",)),
    "FI": (("finlandais",), ("Finnish",)),
    "FR": (("français",), ("French",)),
    "GA": (("gabonais",), ("Gabonese",)),
    "GB": (("britannique",), ("British",)),
    "GE": (("géorgien",), ("Georgian",)),
    "GH": (("ghanéen",), ("Ghanaian",)),
    "GR": (("grec",), ("Greek",)),
    "GT": (("guatémaltèque",), ("Guatemalan",)),
    "HR": (("croate",), ("Croatian",)),
    "HT": (("haïtien",), ("Haitian",)),
    "HU": (("hongrois",), ("Hungarian",)),
    "ID": (("indonésien",), ("Indonesian",)),
    "IE": (("irlandais",), ("Irish",)),
    "IL": (("israélien",), ("Israeli",)),
    "IN": (("indien",), ("Indian",)),
    "IR": (("iranien",), ("Iranian",)),
    "IS": (("islandais",), ("Icelandic",)),
    "IT": (("italien",), ("Italian",)),
    "JO": (("jordanien",), ("Jordanian",)),
    "JP": (("japonais",), ("Japanese",)),
    "KE": (("kényan",), ("Kenyan",)),
    "KP": (("nord-coréen",), ("North Korean",)),
    "KR": (("coréen", "sud-coréen"), ("Korean", "South Korean")),
    "KZ": (("kazakh",), ("Kazakh",)),
    "LB": (("libanais",), ("Lebanese",)),
    "LT": (("lituanien",), ("Lithuanian",)),
    "LU": (("luxembourgeois",), ("Luxembourgish",)),
    "LV": (("letton",), ("Latvian",)),
    "MA": (("marocain",), ("Moroccan",)),
    "MG": (("malgache",), ("Malagasy",)),
    "ML": (("malien",), ("Malian",)),
    "MN": (("mongol",), ("Mongolian",)),
    "MT": (("maltais",), ("Maltese",)),
    "MX": (("mexicain",), ("Mexican",)),
    "MY": (("malaisien",), ("Malaysian",)),
    "MZ": (("mozambicain",), ("Mozambican",)),
    "NA": (("namibien",), ("Namibian",)),
    "NE": (("nigérien",), ("Nigerien",)),
    "NG": (("nigérian",), ("Nigerian",)),
    "NL": (("néerlandais", "hollandais"), ("Dutch",)),
    "NO": (("norvégien",), ("Norwegian",)),
    "NP": (("népalais",), ("Nepalese", "Nepali")),
    "NZ": (("néo-zélandais",), ("New Zealander",)),
    "PA": (("panaméen",), ("Panamanian",)),
    "PE": (("péruvien",), ("Peruvian",)),
    "PH": (("philippin",), ("Filipino", "Philippine")),
    "PK": (("pakistanais",), ("Pakistani",)),
    "PL": (("polonais",), ("Polish",)),
    "PT": (("portugais",), ("Portuguese",)),
    "PY": (("paraguayen",), ("Paraguayan",)),
    "QA": (("qatarien",), ("Qatari",)),
    "RO": (("roumain",), ("Romanian",)),
    "RS": (("serbe",), ("Serbian",)),
    "RU": (("russe",), ("Russian",)),
    "RW": (("rwandais",), ("Rwandan",)),
    "SA": (("saoudien",), ("Saudi",)),
    "SE": (("suédois",), ("Swedish",)),
    "SG": (("singapourien",), ("Singaporean",)),
    "SI": (("slovène",), ("Slovenian",)),
    "SK": (("slovaque",), ("Slovak",)),
    "SN": (("sénégalais",), ("Senegalese",)),
    "TG": (("togolais",), ("Togolese",)),
    "TH": (("thaïlandais",), ("Thai",)),
    "TN": (("tunisien",), ("Tunisian",)),
    "TR": (("turc",), ("Turkish",)),
    "TW": (("taïwanais",), ("Taiwanese",)),
    "TZ": (("tanzanien",), ("Tanzanian",)),
    "UA": (("ukrainien",), ("Ukrainian",)),
    "UG": (("ougandais",), ("Ugandan",)),
    "US": (("américain", "états-unien"), ("American",)),
    "UY": (("uruguayen",), ("Uruguayan",)),
    "VE": (("vénézuélien",), ("Venezuelan",)),
    "VN": (("vietnamien",), ("Vietnamese",)),
    "ZA": (("sud-africain",), ("South African",)),
    "ZW": (("zimbabwéen",), ("Zimbabwean",)),
}


# French words whose other forms follow no rule of ``french_forms``.
IRREGULAR_FRENCH = {
    "français": ("français", "française", "françaises"),
    "grec": ("grec", "grecque", "grecs", "grecques"),
    "turc": ("turc", "turque", "turcs", "turques"),
    "burkinabé": ("burkinabé", "burkinabè", "burkinabés", "burkinabès"),
}


def french_forms(masculine: str) -> tuple[str, ...]:
    """Return the forms of a French word in the masculine singular: "brésilien",
    "brésilienne", "brésiliens", "brésiliennes"; "belge", "belges"; "japonais",
    "japonaise", "japonaises"."""
    if masculine in IRREGULAR_FRENCH:
        return IRREGULAR_FRENCH[masculine]
    if masculine.endswith(("ien", "éen")):
        return masculine, masculine + "ne", masculine + "s", masculine + "nes"
    if masculine.endswith("e"):
        return masculine, masculine + "s"
    if masculine.endswith("s"):
        return masculine, masculine + "e", masculine + "es"
    return masculine, masculine + "e", masculine + "s", masculine + "es"


def english_forms(word: str) -> tuple[str, ...]:
    """Return an English word and, when it names people too, its plural:
    "Brazilian", "Brazilians"; "Israeli", "Israelis"; "Chinese" alone."""
    if word.endswith(("an", "i", "o", "ot")):
        return word, word + "s"
    return (word,)


def demonyms() -> dict[str, tuple[str, ...]]:
    """Return every form of the words of each country (``DEMONYMS``)."""
    return {
        code: (
            *(form for word in french for form in french_forms(word)),
            *(form for word in english for form in english_forms(word)),
        )
        for code, (french, english) in DEMONYMS.items()
    }
