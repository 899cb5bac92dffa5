"""Translated fields of partners, and their history.

History is registered here, after modeltranslation has added ``name_fr`` and
``name_en``, so that the historical tables keep both languages.
"""

from modeltranslation.translator import TranslationOptions, register

from partners.models import Agreement, Office, Partner
from partners.publication import keep_history


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


for model in (Partner, Office):
    keep_history(model, app=__package__)
keep_history(Agreement, app=__package__, relations=("partners",))
