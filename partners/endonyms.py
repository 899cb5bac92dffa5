"""Countries' names in their own languages ("Deutschland", "España", "日本"), as
people of those countries and their partners type them: a search names the
country by them as by its French or English name (partners/country_names.py,
``OTHER_NAMES``).

The countries the CNRS works with most, the native names that ISO 3166 and
Unicode's CLDR give them, in their scripts and, where the script is not Latin,
as written in Latin letters when that is common ("Nippon", "Bharat"). Those equal
to the French or English name once folded ("México", "Perú", "Türkiye",
"Argentina") need no line. Left out: names that are a common word of another
language once folded ("Ísland": "island"), and those a misspelt French or English
name starts ("Singapura": "singapur" would name Singapore rather than be
suggested as "Singapour"). A city of the country sharing its name is no
trouble: Arabic "تونس" is Tunisia and Tunis, both Tunisian.
"""

ENDONYMS: dict[str, tuple[str, ...]] = {
    # Europe.
    "AT": ("Österreich",),
    "BE": ("België", "Belgien"),
    "BG": ("България", "Bulgariya"),
    "CH": ("Schweiz", "Svizzera", "Svizra"),
    "CY": ("Κύπρος", "Kıbrıs"),
    "CZ": ("Česko", "Česká republika"),
    "DE": ("Deutschland",),
    "DK": ("Danmark",),
    "EE": ("Eesti",),
    "ES": ("España",),
    "FI": ("Suomi",),
    "GR": ("Ελλάδα", "Ελλάς", "Hellas"),
    "HR": ("Hrvatska",),
    "HU": ("Magyarország",),
    "IE": ("Éire",),
    "IT": ("Italia",),
    "LT": ("Lietuva",),
    "LU": ("Lëtzebuerg", "Luxemburg"),
    "LV": ("Latvija",),
    "NL": ("Nederland",),
    "NO": ("Norge", "Noreg"),
    "PL": ("Polska",),
    "RO": ("România",),
    "RS": ("Србија", "Srbija"),
    "RU": ("Россия", "Rossiya"),
    "SE": ("Sverige",),
    "SI": ("Slovenija",),
    "SK": ("Slovensko",),
    "UA": ("Україна", "Ukraina"),
    # Asia and Oceania.
    "AM": ("Հայաստան", "Hayastan"),
    "CN": ("中国", "中國", "Zhongguo"),
    "GE": ("საქართველო", "Sakartvelo"),
    "IL": ("ישראל", "Yisrael"),
    "IN": ("भारत", "Bharat"),
    "IR": ("ایران",),
    "JP": ("日本", "Nippon", "Nihon"),
    "KR": ("한국", "대한민국", "Hanguk"),
    "KZ": ("Қазақстан", "Qazaqstan"),
    "LB": ("لبنان", "Lubnan"),
    "NZ": ("Aotearoa",),
    "SG": ("新加坡",),
    "TH": ("ประเทศไทย", "Prathet Thai"),
    "TW": ("臺灣", "台灣", "台湾"),
    "VN": ("Việt Nam",),
    # The Americas.
    "BR": ("Brasil",),
    # Africa and the Middle East.
    "DZ": ("الجزائر", "Dzayer"),
    "EG": ("مصر", "Misr"),
    "MA": ("المغرب", "Al-Maghrib"),
    "SA": ("السعودية",),
    "TN": ("تونس", "Tounes"),
    "ZA": ("Suid-Afrika", "iNingizimu Afrika"),
}
