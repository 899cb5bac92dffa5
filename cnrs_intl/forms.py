from axes.helpers import get_lockout_message
from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from partners.country_names import country_code_typed
from partners.filters import (
    SearchTextField,
    enough_letters,
    repeated,
    searchable_words,
)


class SearchForm(forms.Form):
    # Without the characters that show nothing (``SearchTextField``), as the lists'.
    q = SearchTextField(
        label=_("Search"),
        min_length=2,
        max_length=200,
        strip=True,
        help_text=_(
            "Names, acronyms, cities, countries or titles, in French or English."
        ),
        # As the lists say it (``enough_letters``), not Django's count of characters.
        error_messages={"min_length": _("Type at least 2 letters or digits.")},
    )

    def clean_q(self):
        # "?q=ab&q=cd" searched "cd" alone, where the lists refuse it (``repeated``).
        if message := repeated(self.data, "q", self.fields["q"].label):
            raise ValidationError(message, code="repeated")
        text = self.cleaned_data["q"]
        # "a%" or "'" passed the length check, then searched for one letter, or none.
        enough_letters(text)
        # "the", "de la", "a b": as the lists refuse them, unless a record's code
        # ("who", "E U"), or, in capitals alone, a country's ("DE", "IN":
        # Germany, India; ``country_code_typed``): the search names the country
        # where the CNRS works (``country_coded``), else says that nothing is
        # published about it (``unpublished_country_coded``).
        if country_code_typed(text) is None:
            searchable_words(text)
        return text


class AdminLoginForm(AdminAuthenticationForm):
    """The back-office's login form, which says so when django-axes refused a
    username guessed too often (settings.AXES_*), rather than "wrong password".

    Its page is then answered with a 429 (``admin_site.login_refused``).
    """

    def get_invalid_login_error(self):
        if getattr(self.request, "axes_locked_out", False):
            return ValidationError(get_lockout_message(), code="too_many_attempts")
        return super().get_invalid_login_error()
