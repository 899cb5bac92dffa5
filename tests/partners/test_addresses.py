"""detail_url gives the addresses reverse() gives, in each language."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import translation

from partners.addresses import detail_url


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize(
    ("view_name", "argument", "value"),
    [
        ("units:detail", "slug", "cnrs-jfli"),
        ("partners:detail", "slug", "universidade-de-sao-paulo_2"),
        ("partners:office-detail", "slug", "tokyo"),
        ("programmes:grant-detail", "slug", "erc-2024-stg-101"),
        ("country-detail", "code", "JP"),
    ],
)
def test_the_address_is_the_one_reverse_gives(language, view_name, argument, value):
    with translation.override(language):
        assert detail_url(view_name, argument, value) == reverse(
            view_name, kwargs={argument: value}
        )
        assert detail_url(view_name, argument, value).startswith(f"/{language}/")


def test_the_script_prefix_is_kept():
    set_script_prefix("/cooperation/")
    try:
        with translation.override("en"):
            assert detail_url("units:detail", "slug", "jfli") == (
                "/cooperation/en/units/jfli/"
            )
    finally:
        set_script_prefix("/")


@pytest.mark.parametrize("value", ["", "no/slash", "espace ici"])
def test_what_reverse_refuses_it_refuses(value):
    with pytest.raises(NoReverseMatch):
        detail_url("units:detail", "slug", value)
