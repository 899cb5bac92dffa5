"""``manage.py load_institutes``: the CNRS institutes a new database lacks."""

from io import StringIO

import pytest
from django.core.management import call_command

from tests.factories import InstituteFactory
from units.institutes import CNRS_INSTITUTES
from units.models import Institute

pytestmark = pytest.mark.django_db


def load() -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("load_institutes", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_new_database_gets_the_ten_institutes_in_both_languages(settings):
    settings.PRODUCTION = True  # the CNRS's own, not demo data
    out, _err = load()
    assert "Created 10 institutes" in out
    assert Institute.objects.count() == len(CNRS_INSTITUTES) == 10
    insmi = Institute.objects.get(code="INSMI")
    assert insmi.name_fr.startswith("Institut national des sciences mathématiques")
    assert insmi.name_en
    assert insmi.slug == "insmi"


def test_those_already_there_are_left_as_staff_keep_them():
    InstituteFactory(code="INSB", slug="biology", name_fr="Biologie (renommé)")
    InstituteFactory(code="NEW", slug="inc")  # INC's address, taken
    out, err = load()
    assert "Created 8 institutes" in out
    assert "INC" in err
    assert Institute.objects.get(code="INSB").name_fr == "Biologie (renommé)"
    assert not Institute.objects.filter(code="INC").exists()

    out, err = load()
    assert (out, "INC" in err) == ("", True)
    InstituteFactory(code="INC", slug="chemistry")
    out, err = load()
    assert (out, err) == ("The 10 institutes are already there.\n", "")
