"""Translated fields of key figures, and their history (after the translations)."""

from modeltranslation.translator import TranslationOptions, register

from cnrs_intl.models import KeyFigure
from partners.publication import keep_history


@register(KeyFigure)
class KeyFigureTranslationOptions(TranslationOptions):
    fields = ("label", "source")
    required_languages = ("fr",)


keep_history(KeyFigure, app=__package__)
