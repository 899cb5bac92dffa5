"""The back-office's changelists as drawn by Chromium: the title and its buttons,
the table's width."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from programmes.models import GrantScheme
from tests.browser.conftest import log_in
from tests.factories import (
    AgreementFactory,
    GrantFactory,
    OfficeFactory,
    PartnerFactory,
    PersonFactory,
    ProjectFactory,
    UnitFactory,
)
from units.models import UnitKind

pytestmark = pytest.mark.browser


TEXT_BOX = """element => {
    const range = document.createRange();
    range.selectNodeContents(element);
    const box = range.getBoundingClientRect();
    return {x: box.x, y: box.y, width: box.width, height: box.height};
}"""


def overlap(box: dict, other: dict) -> bool:
    return not (
        box["x"] + box["width"] <= other["x"]
        or other["x"] + other["width"] <= box["x"]
        or box["y"] + box["height"] <= other["y"]
        or other["y"] + other["height"] <= box["y"]
    )


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_buttons_never_cover_the_title(page, language):
    # Five buttons (import, export, ROR, add, deleted records) beside the longest
    # title: Django's negative margin laid them over it at 1,024-1,440 px.
    PartnerFactory()
    User.objects.create_superuser("lists", password="lists-password")
    page.set_extra_http_headers({"Accept-Language": language})
    log_in(page, "lists", "lists-password")

    for width in (1024, 1280, 1440, 1920):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/admin/partners/partner/")

        # The title's text, not its box (a block as wide as the page, in Django's).
        title = page.locator("#content h1").evaluate(TEXT_BOX)
        buttons = page.locator(".object-tools li")
        assert buttons.count() == 5
        for button in buttons.all():
            assert not overlap(button.bounding_box(), title), (width, button)
        if width == 1920:  # room for both: one row, as Django draws it
            assert buttons.first.bounding_box()["y"] < title["y"] + title["height"]


OVERFLOW = """() => {
    const table = document.querySelector('#result_list');
    const page = document.documentElement;
    return {
        table: table.scrollWidth - table.parentElement.clientWidth,
        page: page.scrollWidth - page.clientWidth,
    };
}"""

CHANGELISTS = (
    "units/unit",
    "partners/partner",
    "programmes/grant",
    "programmes/project",
    "units/person",
    "partners/agreement",
    "partners/office",
)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_big_changelists_fit_the_window_without_scrolling_sideways(page, language):
    # Records as long as the real ones get: the columns' widths come from their
    # longest words and from the headers ("Dernière modification").
    UnitFactory(
        kind=UnitKind.UMIFRE,
        acronym="CNRS-IMPA",
        name_fr="Institut français de recherche en Afrique, Nairobi",
        name_en="French Institute for Research in Africa, Nairobi",
        country="US",
        director=PersonFactory(
            first_name="Jean-Christophe",
            last_name="Magalhães",
            title_en="Research director, CNRS",
            orcid="0000-0002-1825-0097",
        ),
    )
    PartnerFactory(
        name_fr="Universidade Federal do Rio Grande do Sul",
        acronym="UFRGS",
        country="US",
        city_fr="Porto Alegre",
        city_en="Porto Alegre",
    )
    GrantFactory(
        scheme=GrantScheme.MSCA_COFUND,
        acronym="IMMUNWAVE6",
        panel="",
        start_date=datetime.date(2025, 9, 1),
        end_date=datetime.date(2029, 8, 31),
        amount=Decimal("12345678.90"),
    )
    GrantFactory(
        acronym="HYDROCELL7",
        panel="PE10",
        start_date=datetime.date(2026, 8, 1),
        end_date=datetime.date(2031, 7, 31),
    )
    ProjectFactory(
        acronym="TASCMAR",
        start_date=datetime.date(2016, 11, 1),
        end_date=datetime.date(2020, 10, 31),
    )
    office = OfficeFactory(
        city_fr="Rio de Janeiro",
        city_en="Rio de Janeiro",
        country="BR",
        countries=["AR", "BR", "CL", "CO", "PE", "UY"],
    )
    AgreementFactory(
        title_fr="Accord-cadre de coopération scientifique et technologique",
        title_en="Framework agreement for scientific and technological cooperation",
        countries=["BR", "AR"],
        office=office,
    )
    User.objects.create_superuser("lists", password="lists-password")
    page.set_extra_http_headers({"Accept-Language": language})
    log_in(page, "lists", "lists-password")

    # Beside the open navigation sidebar (Django's default) in a window 1,440 px
    # wide, less the 17 px of a scrollbar (Chromium here draws none): the units'
    # table went 8 to 27 px past its box. And at 1,280 px with the sidebar closed.
    for width, sidebar_open in ((1440 - 17, "true"), (1280, "false")):
        page.set_viewport_size({"width": width, "height": 900})
        page.evaluate(
            f"localStorage.setItem('django.admin.navSidebarIsOpen', '{sidebar_open}')"
        )
        for changelist in CHANGELISTS:
            page.goto(f"/admin/{changelist}/")
            assert page.locator("#result_list tbody tr").count() >= 1
            overflow = page.evaluate(OVERFLOW)
            assert max(overflow.values()) <= 0, (width, sidebar_open, changelist)
