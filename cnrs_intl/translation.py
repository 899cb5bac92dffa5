"""Translated fields of key figures, and their history (after the translations)."""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from cnrs_intl.models import KeyFigure


@register(KeyFigure)
class KeyFigureTranslationOptions(TranslationOptions):
    fields = ("label", "source")
    required_languages = ("fr",)


register_history(KeyFigure, app=__package__)
