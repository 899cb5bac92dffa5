"""Translated fields of partners, and their history.

History is registered here, after modeltranslation has added ``name_fr`` and
``name_en``, so that the historical tables keep both languages.
"""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from partners.models import Agreement, Office, Partner


@register(Partner)
class PartnerTranslationOptions(TranslationOptions):
    fields = ("name", "city")
    required_languages = ("fr",)


@register(Office)
class OfficeTranslationOptions(TranslationOptions):
    fields = ("name", "city", "role")
    required_languages = ("fr",)


@register(Agreement)
class AgreementTranslationOptions(TranslationOptions):
    fields = ("title", "description")
    required_languages = ("fr",)


for model in (Partner, Office, Agreement):
    register_history(model, app=__package__)
