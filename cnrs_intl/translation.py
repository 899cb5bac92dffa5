"""Translated fields of key figures and the site information; their history and that
of staff profiles."""

from modeltranslation.translator import TranslationOptions, register

from cnrs_intl.models import KeyFigure, SiteInformation, StaffProfile
from partners.publication import keep_history


@register(KeyFigure)
class KeyFigureTranslationOptions(TranslationOptions):
    fields = ("label", "source")
    required_languages = ("fr",)


@register(SiteInformation)
class SiteInformationTranslationOptions(TranslationOptions):
    # Names and roles as each language says them; postal addresses are written as
    # on an envelope, the same in both.
    fields = ("publisher_name", "publication_director", "host_name", "data_licence")
    required_languages = ("fr",)


keep_history(KeyFigure, app=__package__)
# A new director of publication or host is dated, and can be reverted, as any edit.
keep_history(SiteInformation, app=__package__)
# Who may change what: a change of scope is kept, and can be reverted, as any edit.
keep_history(StaffProfile, app=__package__, relations=("institutes",))
