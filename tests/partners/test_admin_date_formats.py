"""The admin's date and time fields say the format they are typed in, linked to
them for screen readers (partners.admin_forms.FormatHint): a French date is
01/02/2025, an English one in the admin 2025-02-01, and neither was said."""

import re

import pytest
from django import forms
from django.contrib.auth.models import User
from django.utils import translation

from partners.admin_forms import HintedDateWidget
from partners.dates import typed_format
from programmes.models import Grant
from tests.admin_forms import admin_url
from tests.factories import GrantFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "input_format", "typed"),
    [
        ("fr", "%d/%m/%Y", "jj/mm/aaaa"),
        ("fr", "%d/%m/%y %H:%M:%S", "jj/mm/aa hh:mm:ss"),
        ("en", "%Y-%m-%d", "yyyy-mm-dd"),
        ("en", "%H:%M", "hh:mm"),
    ],
)
def test_a_format_is_written_in_the_languages_letters(language, input_format, typed):
    with translation.override(language):
        assert typed_format(input_format) == typed


@pytest.mark.parametrize(
    ("language", "hint", "value"),
    [
        ("fr", "Format\u00a0: jj/mm/aaaa", "01/02/2025"),
        ("en", "Format: yyyy-mm-dd", "2025-02-01"),
    ],
)
def test_a_date_field_says_the_format_it_shows_its_date_in(
    admin_client, language, hint, value
):
    grant = GrantFactory(start_date="2025-02-01", end_date="2030-01-31")
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = language

    html = admin_client.get(admin_url(Grant, "change", grant.pk)).content.decode()

    [field] = re.findall(r'<input type="text" name="start_date"[^>]*>', html)
    assert f'value="{value}"' in field
    assert 'aria-describedby="id_start_date_format"' in field
    assert f'<div class="help format-hint" id="id_start_date_format">{hint}</div>' in (
        html
    )


def test_the_format_is_said_after_the_help_text():
    class DatedForm(forms.Form):
        day = forms.DateField(
            help_text="The day it was signed.", widget=HintedDateWidget
        )

    with translation.override("fr"):
        html = str(DatedForm(auto_id="id_%s")["day"])

    assert 'aria-describedby="id_day_helptext id_day_format"' in html
    assert '<div class="help format-hint" id="id_day_format">' in html


def test_a_moments_date_and_time_each_say_their_format(admin_client):
    user = User.objects.create_user("someone", last_login="2025-02-01T09:30:00Z")
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"

    html = admin_client.get(admin_url(User, "change", user.pk)).content.decode()

    for index, hint in enumerate(["jj/mm/aaaa", "hh:mm:ss"]):
        described = f'aria-describedby="id_last_login_{index}_format"'
        assert re.search(
            rf'<input [^>]*name="last_login_{index}"[^>]*{described}', html
        )
        assert (
            f'<span id="id_last_login_{index}_format">Format\u00a0: {hint}</span>'
            in (html)
        )
