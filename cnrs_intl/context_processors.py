from django.conf import settings
from django.urls import translate_url
from django.utils import translation


def alternates(request):
    """Give every page the same page's address in each language (switcher, hreflang)."""
    current = translation.get_language()
    languages = []
    for code, name in settings.LANGUAGES:
        with translation.override(code):
            label = translation.gettext(name)
        url = translate_url(request.get_full_path(), code)
        languages.append(
            {
                "code": code,
                "name": label,
                "url": url,
                "absolute_url": request.build_absolute_uri(url),
                "is_current": code == current,
            }
        )
    return {"alternate_languages": languages}
