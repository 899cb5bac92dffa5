from django import template
from django.conf import settings
from django.utils import translation
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def fallback_lang(record, field_name):
    """Return ` lang="xx"` when ``record.field_name`` is shown in another language.

    modeltranslation falls back to the other language when a text is missing in the
    active one; screen readers must then be told which language they are reading.
    """
    current = translation.get_language()
    if getattr(record, f"{field_name}_{current}", None):
        return ""
    for code, _name in settings.LANGUAGES:
        if code != current and getattr(record, f"{field_name}_{code}", None):
            return format_html(' lang="{}"', code)
    return ""
