"""The joint units named by the phrases people use for them ("laboratoires
internationaux au Japon", "unités mixtes internationales", the UMIs' name before
they became IRLs, "joint units in Japan", "international joint unit"), whatever
their own texts say (``UnitQuerySet.kind_words`` in units/models.py). On both
databases."""

import pytest

from cnrs_intl.search import global_search
from tests.factories import UnitFactory
from tests.search_groups import by_key
from units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def units():
    def unit(acronym, name, kind=UnitKind.IRL, country="JP", description=""):
        return UnitFactory(
            acronym=acronym,
            kind=kind,
            country=country,
            name_fr=name,
            name_en=name,
            description_fr=description,
            description_en=description,
        )

    return {
        # Its description says what it is, the JRL's does not.
        "LINK": unit(
            "LINK",
            "Laboratory for Innovative Key Materials",
            description="An international joint unit with Saint-Gobain.",
        ),
        "JRL": unit("JRL", "Joint Robotics Laboratory", description="Robots."),
        "CINTRA": unit("CINTRA", "CNRS-NTU-Thales", country="SG"),
        "IFRJ": unit(
            "IFRJ", "Maison franco-japonaise", kind=UnitKind.UMIFRE, country="JP"
        ),
    }


@pytest.mark.parametrize(
    "text, acronyms",
    [
        ("laboratoire international Japon", {"LINK", "JRL"}),
        ("laboratoires internationaux au Japon", {"LINK", "JRL"}),
        ("unités mixtes internationales Japon", {"LINK", "JRL"}),
        ("unité mixte internationale au Japon", {"LINK", "JRL"}),
        ("international laboratories in Japan", {"LINK", "JRL"}),
        ("international research laboratories in Japan", {"LINK", "JRL"}),
        ("international joint unit", {"LINK", "JRL", "CINTRA"}),
        ("international joint units", {"LINK", "JRL", "CINTRA"}),
        ("laboratoires internationaux", {"LINK", "JRL", "CINTRA"}),
        # The Umifre are joint units too, with a French research institute.
        ("joint units in Japan", {"LINK", "JRL", "IFRJ"}),
        ("joint unit Japan", {"LINK", "JRL", "IFRJ"}),
        ("unités mixtes au Japon", {"LINK", "JRL", "IFRJ"}),
        ("joint units", {"LINK", "JRL", "CINTRA", "IFRJ"}),
    ],
)
def test_joint_units_are_found_by_the_phrases_naming_them(units, text, acronyms):
    found = Unit.objects.public().search(text)
    assert found is not None, text
    assert {unit.acronym for unit in found} == acronyms, text


def test_the_former_name_finds_the_irls(units):
    found = {unit.acronym for unit in Unit.objects.public().search("UMI Japon")}
    # The Umifre's code ("UMIFRE 10003") starts with the word typed, as before.
    assert found >= {"LINK", "JRL"}
    assert "CINTRA" not in found


def test_the_global_search_finds_the_joint_units_in_a_country(units):
    groups = by_key(global_search("laboratoires internationaux au Japon"))
    assert {unit.acronym for unit in groups["units"].records} == {"LINK", "JRL"}


def test_the_units_list_finds_them(client, units):
    response = client.get("/fr/units/", {"q": "laboratoire international Japon"})
    assert response.status_code == 200
    assert "Joint Robotics Laboratory" in response.text
    assert "CNRS-NTU-Thales" not in response.text
