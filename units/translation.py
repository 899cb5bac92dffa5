"""Translated fields of units, and their history (after the translations)."""

from modeltranslation.translator import TranslationOptions, register

from partners.publication import keep_history
from units.models import Institute, Person, Testimony, Unit, UnitPartnership


@register(Institute)
class InstituteTranslationOptions(TranslationOptions):
    fields = ("name",)
    required_languages = ("fr",)


@register(Person)
class PersonTranslationOptions(TranslationOptions):
    fields = ("title",)


@register(Unit)
class UnitTranslationOptions(TranslationOptions):
    fields = ("name", "description", "themes", "city", "director_title")
    # The fields blank=True (description, themes, the director's title) stay
    # optional in French too: modeltranslation keeps their blank.
    required_languages = ("fr",)


@register(Testimony)
class TestimonyTranslationOptions(TranslationOptions):
    # The quotation stays in its original language; only the role is translated.
    fields = ("role",)


for model in (Institute, Person, UnitPartnership, Testimony):
    keep_history(model, app=__package__)
keep_history(Unit, app=__package__, relations=("partners", "secondary_institutes"))
