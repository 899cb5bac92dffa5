"""Translated fields of key figures; their history and that of staff profiles."""

from modeltranslation.translator import TranslationOptions, register

from cnrs_intl.models import KeyFigure, StaffProfile
from partners.publication import keep_history


@register(KeyFigure)
class KeyFigureTranslationOptions(TranslationOptions):
    fields = ("label", "source")
    required_languages = ("fr",)


keep_history(KeyFigure, app=__package__)
# Who may change what: a change of scope is kept, and can be reverted, as any edit.
keep_history(StaffProfile, app=__package__, relations=("institutes",))
