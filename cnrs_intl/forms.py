from django import forms
from django.utils.translation import gettext_lazy as _


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        min_length=2,
        max_length=200,
        strip=True,
        help_text=_("Names, acronyms, cities or titles, in French or English."),
    )
