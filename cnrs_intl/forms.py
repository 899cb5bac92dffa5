import hashlib

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from partners.filters import SearchTextField, enough_letters, searchable_words

# Wrong passwords allowed for one username, and how long the next are refused.
LOGIN_FAILURES_ALLOWED = 10
LOGIN_LOCKOUT_SECONDS = 15 * 60


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
        text = self.cleaned_data["q"]
        # "a%" or "'" passed the length check, then searched for one letter, or none.
        enough_letters(text)
        # "the", "de la", "a b": as the lists refuse them, unless a record's code
        # ("who", "E U").
        searchable_words(text)
        return text


def login_failures_key(username: str) -> str:
    digest = hashlib.sha256(username.casefold().encode()).hexdigest()
    return f"login-failures:{digest}"


class ThrottledLoginForm(AdminAuthenticationForm):
    """The back-office's login form, closed to a username guessed too often.

    After ``LOGIN_FAILURES_ALLOWED`` wrong passwords for one username, counted from
    the first for ``LOGIN_LOCKOUT_SECONDS``, every attempt is refused, the right
    password too, until that time is over. Counted by username, not address: behind
    the proxy every visitor has the proxy's. The count is in the cache: shared by
    every worker with Redis (``DJANGO_REDIS_URL``), each worker's own otherwise.
    """

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        key = login_failures_key(username)
        # Counted before the password is checked, which takes time on purpose:
        # attempts sent at once would all pass a count read before.
        if username and self.count_attempt(key) > LOGIN_FAILURES_ALLOWED:
            raise ValidationError(
                _(
                    "Too many wrong passwords for this username: try again in a "
                    "quarter of an hour."
                ),
                code="too_many_attempts",
            )
        cleaned_data = super().clean()
        cache.delete(key)
        return cleaned_data

    @staticmethod
    def count_attempt(key: str) -> int:
        cache.add(key, 0, LOGIN_LOCKOUT_SECONDS)
        try:
            return cache.incr(key)
        except ValueError:  # expired between the two calls
            cache.set(key, 1, LOGIN_LOCKOUT_SECONDS)
            return 1
