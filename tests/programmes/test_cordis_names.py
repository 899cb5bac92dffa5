"""A partner the CORDIS import creates is named in a readable case, where CORDIS
writes most names in capitals ("UNIVERSITE DE BORDEAUX"): ``readable_name`` in
programmes/cordis.py. A name not all in capitals, and a known partner's, are left
as they are."""

import pytest

from partners.models import Partner
from programmes.cordis import readable_name
from programmes.services import import_cordis
from tests.factories import PartnerFactory
from tests.programmes.test_cordis_import import (
    ORGANIZATIONS,
    PROJECTS,
    full_import,
    organizations_with,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "short_name", "readable"),
    [
        # The institutions of the tests' organization.csv, in CORDIS's layout.
        (
            "HELLENIC EXAMPLE RESEARCH CENTRE",
            "HERC",
            "Hellenic Example Research Centre",
        ),
        ("EXAMPLE COATINGS; LTD", "", "Example Coatings; Ltd"),
        ("UNIVERSIDAD DE EJEMPLO", "UDE", "Universidad de Ejemplo"),
        ("AGENCE PUBLIQUE D’EXEMPLE", "EPA", "Agence Publique d’Exemple"),
        ("EXAMPLE GMBH", "", "Example GmbH"),
        ("EXAMPLE UNIVERSITY OF TEL AVIV", "EUTA", "Example University of Tel Aviv"),
        (
            "CENTRE NATIONAL DE LA RECHERCHE SCIENTIFIQUE CNRS",
            "CNRS",
            "Centre National de la Recherche Scientifique CNRS",
        ),
        # Names as CORDIS writes them.
        ("UNIVERSITE DE BORDEAUX", "", "Universite de Bordeaux"),
        ("UNIVERSITE D'AIX-MARSEILLE", "AMU", "Universite d'Aix-Marseille"),
        (
            "COMMISSARIAT A L ENERGIE ATOMIQUE ET AUX ENERGIES ALTERNATIVES",
            "CEA",
            "Commissariat a l Energie Atomique et aux Energies Alternatives",
        ),
        (
            "MAX-PLANCK-GESELLSCHAFT ZUR FORDERUNG DER WISSENSCHAFTEN EV",
            "MPG",
            "Max-Planck-Gesellschaft zur Forderung der Wissenschaften eV",
        ),
        (
            "THE CHANCELLOR, MASTERS AND SCHOLARS OF THE UNIVERSITY OF CAMBRIDGE",
            "UCAM",
            "The Chancellor, Masters and Scholars of the University of Cambridge",
        ),
        (
            "UNIVERSITA DEGLI STUDI DI MILANO",
            "UMIL",
            "Universita degli Studi di Milano",
        ),
        (
            "TELEFONICA INVESTIGACION Y DESARROLLO SA",
            "TID",
            "Telefonica Investigacion y Desarrollo SA",
        ),
        ("UNIVERSITEIT VAN AMSTERDAM", "UvA", "Universiteit van Amsterdam"),
        (
            "L'AIR LIQUIDE SOCIETE ANONYME POUR L'ETUDE ET L'EXPLOITATION DES "
            "PROCEDES GEORGES CLAUDE",
            "AIR LIQUIDE",
            "L'Air Liquide Societe Anonyme pour l'Etude et l'Exploitation des "
            "Procedes Georges Claude",
        ),
        ("KING'S COLLEGE LONDON", "KCL", "King's College London"),
        # Acronyms: the short name, no vowel, digits, Roman numerals, dots, "&".
        (
            "INSTITUT NATIONAL DU CANCER INCA",
            "INCA",
            "Institut National du Cancer INCA",
        ),
        (
            "DEUTSCHES ZENTRUM FUR LUFT - UND RAUMFAHRT EV",
            "DLR",
            "Deutsches Zentrum fur Luft - und Raumfahrt eV",
        ),
        (
            "KTH ROYAL INSTITUTE OF TECHNOLOGY",
            "KTH",
            "KTH Royal Institute of Technology",
        ),
        ("CNRS ALPES DELEGATION", "", "CNRS Alpes Delegation"),
        (
            "UNIVERSITE CLAUDE BERNARD LYON 1",
            "UCBL",
            "Universite Claude Bernard Lyon 1",
        ),
        (
            "UNIVERSITE TOULOUSE III - PAUL SABATIER",
            "UT3",
            "Universite Toulouse III - Paul Sabatier",
        ),
        ("H2020 EXAMPLE CONSORTIUM", "", "H2020 Example Consortium"),
        ("AIX-EN-PROVENCE TECHNOLOGIES S.A.", "", "Aix-en-Provence Technologies S.A."),
        ("TEXAS A&M UNIVERSITY", "TAMU", "Texas A&M University"),
        # A linking word starting or ending a name is capitalised.
        ("DE MONTFORT UNIVERSITY", "DMU", "De Montfort University"),
        ("UNIVERSITY OF THE ARTS, THE", "", "University of the Arts, The"),
    ],
)
def test_a_name_in_capitals_is_given_a_readable_case(name, short_name, readable):
    assert readable_name(name, acronyms=[short_name]) == readable


@pytest.mark.parametrize(
    ("city", "readable"),
    [
        ("GIF SUR YVETTE", "Gif sur Yvette"),
        ("SAINT-MARTIN-D'HERES", "Saint-Martin-d'Heres"),
        ("LES ULIS", "Les Ulis"),
        ("NEW YORK", "New York"),
        ("Heidelberg", "Heidelberg"),
    ],
)
def test_a_city_in_capitals_is_written_as_a_name(city, readable):
    assert readable_name(city) == readable


@pytest.mark.parametrize(
    "name",
    [
        "Université de Bordeaux",
        "Universite de BORDEAUX",
        "CNRS",  # an acronym alone, kept
        "12345",
    ],
)
def test_a_name_not_all_in_capitals_is_left_as_it_is(name):
    assert readable_name(name, acronyms=["CNRS"]) == name


def test_the_import_names_new_partners_in_a_readable_case():
    full_import()

    names = dict(Partner.objects.values_list("pic", "name_fr"))
    assert names == {
        "900000001": "Hellenic Example Research Centre",
        "900000002": "Example Coatings; Ltd",
        "900000003": "Universidad de Ejemplo",
        "900000005": "Example GmbH",
        "900000006": "Agence Publique d’Exemple",
        "900000008": "Example University of Tel Aviv",
        "900000007": "Example Foundation",
    }
    assert Partner.objects.get(pic="900000006").name_en == "Agence Publique d’Exemple"
    # Their cities too, which CORDIS writes in capitals as well.
    cities = dict(Partner.objects.values_list("pic", "city_en"))
    assert cities["900000001"] == "Athina"
    assert cities["900000003"] == "Madrid"
    # The short name stays the acronym, as CORDIS writes it.
    assert Partner.objects.get(pic="900000001").acronym == "HERC"


def test_a_name_cordis_writes_in_mixed_case_is_kept():
    import_cordis(
        PROJECTS,
        organizations_with(
            ";HELLENIC EXAMPLE RESEARCH CENTRE;", ";Hellenic Example Research CENTRE;"
        ),
    )

    greek = Partner.objects.get(pic="900000001")
    assert greek.name_fr == greek.name_en == "Hellenic Example Research CENTRE"


def test_a_known_partner_keeps_its_name_in_capitals():
    known = PartnerFactory(
        pic="900000001",
        name_fr="HELLENIC EXAMPLE RESEARCH CENTRE",
        name_en="HELLENIC EXAMPLE RESEARCH CENTRE",
    )

    import_cordis(PROJECTS, ORGANIZATIONS)

    known.refresh_from_db()
    assert known.name_fr == known.name_en == "HELLENIC EXAMPLE RESEARCH CENTRE"
    assert known.history.count() == 1  # not saved by the import


def test_the_acronym_kept_in_capitals_is_the_short_name_of_the_row():
    organizations = organizations_with(
        ";HELLENIC EXAMPLE RESEARCH CENTRE;HERC;",
        ";HELLENIC EXAMPLE RESEARCH CENTRE HERC;HERC;",
    )

    import_cordis(PROJECTS, organizations)

    greek = Partner.objects.get(pic="900000001")
    assert greek.name_en == "Hellenic Example Research Centre HERC"
