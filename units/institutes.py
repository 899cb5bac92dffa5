"""The CNRS's ten institutes: reference data every database needs.

Every joint unit is led by one, so staff can add no unit to a database without
them; ``manage.py load_institutes`` creates those missing and the demo loads them
too. Their codes, names and websites are the CNRS's own, not demo data.
"""

CNRS_INSTITUTES = [
    {
        "code": "INSB",
        "slug": "insb",
        "name_fr": "Institut des sciences biologiques",
        "name_en": "Institute of Biological Sciences",
        "website": "https://www.insb.cnrs.fr/",
    },
    {
        "code": "INC",
        "slug": "inc",
        "name_fr": "Institut de chimie",
        "name_en": "Institute of Chemistry",
        "website": "https://www.inc.cnrs.fr/",
    },
    {
        "code": "INEE",
        "slug": "inee",
        "name_fr": "Institut écologie et environnement",
        "name_en": "Institute of Ecology and Environment",
        "website": "https://www.inee.cnrs.fr/",
    },
    {
        "code": "INSHS",
        "slug": "inshs",
        "name_fr": "Institut des sciences humaines et sociales",
        "name_en": "Institute for Humanities and Social Sciences",
        "website": "https://www.inshs.cnrs.fr/",
    },
    {
        "code": "INSIS",
        "slug": "insis",
        "name_fr": "Institut des sciences de l’ingénierie et des systèmes",
        "name_en": "Institute for Engineering and Systems Sciences",
        "website": "https://www.insis.cnrs.fr/",
    },
    {
        "code": "INSMI",
        "slug": "insmi",
        "name_fr": (
            "Institut national des sciences mathématiques et de leurs interactions"
        ),
        "name_en": (
            "National Institute for Mathematical Sciences and their Interactions"
        ),
        "website": "https://www.insmi.cnrs.fr/",
    },
    {
        "code": "INP",
        "slug": "inp",
        "name_fr": "Institut de physique",
        "name_en": "Institute of Physics",
        "website": "https://www.inp.cnrs.fr/",
    },
    {
        "code": "IN2P3",
        "slug": "in2p3",
        "name_fr": (
            "Institut national de physique nucléaire et de physique des particules"
        ),
        "name_en": "National Institute of Nuclear and Particle Physics",
        "website": "https://www.in2p3.cnrs.fr/",
    },
    {
        "code": "INSU",
        "slug": "insu",
        "name_fr": "Institut national des sciences de l’Univers",
        "name_en": "National Institute for Earth Sciences and Astronomy",
        "website": "https://www.insu.cnrs.fr/",
    },
    {
        "code": "INS2I",
        "slug": "ins2i",
        "name_fr": "Institut des sciences de l’information et de leurs interactions",
        "name_en": "Institute for Information Sciences and Technologies",
        "website": "https://www.ins2i.cnrs.fr/",
    },
]
