"""Translated fields of programmes, and their history (after the translations)."""

from modeltranslation.translator import TranslationOptions, register

from partners.publication import keep_history
from programmes.models import Grant, Programme, Project, ProjectParticipant


@register(Programme)
class ProgrammeTranslationOptions(TranslationOptions):
    # The former name too: "Actions Marie Curie" in French, "Marie Curie Actions".
    fields = ("name", "description", "former_name")
    required_languages = ("fr",)


@register(Grant)
class GrantTranslationOptions(TranslationOptions):
    fields = ("title", "summary")
    # CORDIS publishes English titles only: either language may come first.
    required_languages = ()


@register(Project)
class ProjectTranslationOptions(TranslationOptions):
    fields = ("title", "summary")
    required_languages = ()


for model in (Programme, Grant, ProjectParticipant):
    keep_history(model, app=__package__)
keep_history(Project, app=__package__, relations=("participants", "units"))
