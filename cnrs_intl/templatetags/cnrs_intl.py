import html
import json
import re

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.template.defaultfilters import floatformat
from django.templatetags.static import static
from django.utils import translation
from django.utils.html import conditional_escape, format_html, strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import get_text_list
from django.utils.translation import gettext as _, ngettext

from partners import dates
from partners.addresses import detail_url
from partners.filters import field_group as python_field_group
from partners.models import acronym_beside
from partners.publication import choice_label, has_place
from partners.search import found_spans, phrase_words
from units.models import PARTNER_NAMES, UnitStatus

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


@register.filter(expects_localtime=True)
def long_date(value):
    """Format ``value`` as DATE_FORMAT, the first of a month "1er" in French."""
    return dates.long_date(value)


@register.filter
def filters_chosen(form) -> bool:
    """Whether the address chooses a value for one of ``form``'s fields."""
    return form.is_bound and any(form.data.get(name) for name in form.fields)


@register.filter
def field_group(field):
    """``{{ field.as_field_group }}``, written in Python (partners.filters)."""
    return python_field_group(field)


@register.filter
def euros(amount):
    """Format ``amount`` in whole euros: "2 160 676 €" in French, "€2,160,676" in
    English."""
    if amount in (None, ""):
        return ""
    number = floatformat(amount, "0g")
    if translation.get_language() == "en":
        return format_html("€{}", number)
    return format_html("{}&nbsp;€", number)


@register.simple_tag
def partner_links(partner) -> str:
    """Say what links ``partner`` (read ``for_detail``) with the CNRS, counted:
    "2 joint units and 1 project with the CNRS." Its page's description, which
    search engines and shared links show, said "units, agreements and projects"
    of a partner with none."""
    units = len(partner.public_unit_partnerships)
    agreements = len(partner.public_agreements)
    projects = len(partner.public_project_participations)
    counted = [
        text % {"count": count}
        for count, text in (
            (units, ngettext("%(count)d joint unit", "%(count)d joint units", units)),
            (
                agreements,
                ngettext("%(count)d agreement", "%(count)d agreements", agreements),
            ),
            (projects, ngettext("%(count)d project", "%(count)d projects", projects)),
        )
        if count
    ]
    if not counted:
        return _("No joint unit, agreement or project with the CNRS is published yet.")
    return _("%(links)s with the CNRS.") % {"links": get_text_list(counted, _("and"))}


@register.filter
def country_url(code):
    """Return the address of the country page of ISO code ``code``.

    ``{% url 'country-detail' code=… %}`` for lists that link many countries.
    """
    return detail_url("country-detail", "code", code)


@register.simple_tag
def grant_badge(grant):
    """A grant's scheme as a badge (ERC or MSCA colours), for lists of grants."""
    family = "erc" if grant.is_erc else "msca"
    return format_html(
        '<span class="grant-badge grant-badge--{}">{}</span>',
        family,
        choice_label(type(grant)._meta.get_field("scheme"), grant.scheme),
    )


@register.simple_tag
def place_data(record):
    """Return ` data-lat="…" data-lng="…"` for a list item the map reads, if placed.

    static/js/map.js makes a marker of each such item (components/map.html's
    ``markers_from``). The numbers are not localised: "35,6" would not parse.
    """
    if not has_place(record):
        return ""
    return format_html(
        ' data-lat="{}" data-lng="{}"', str(record.latitude), str(record.longitude)
    )


@register.simple_tag
def home_unit_cards(units):
    """The home page's units, a card each (its list's items), as its template
    wrote them: a loop of the template took half of the page's time for its 150
    units, written here a third of that. The map reads its unit markers from
    them (``place_data``, the ``data-marker-title`` texts)."""
    cards = []
    for unit in units:
        city = ""
        if unit.city_beside_country:
            city = format_html(
                "<span{}>{}</span>, ", fallback_lang(unit, "city"), unit.city
            )
        country = unit.country
        cards.append(
            format_html(
                '<li class="card"{}><h4 class="card__title"><a href="{}" '
                "data-marker-title>{}</a></h4>\n"
                "      <p data-marker-title{}>{}</p>\n"
                '      <p class="card__meta">{}<a href="{}">{}</a>{}{}</p></li>\n    ',
                place_data(unit),
                unit.get_absolute_url(),
                unit.acronym,
                fallback_lang(unit, "name"),
                unit.name,
                city,
                country_url(country.code),
                country.name,
                format_html(" · {}", unit.code) if unit.code else "",
                # Listed beside the active ones, which the figure above counts.
                (
                    format_html(" · {}", unit.get_status_display())
                    if unit.status == UnitStatus.CLOSED
                    else ""
                ),
            )
        )
    return mark_safe("".join(cards))


@register.filter
def holds_words(text, query) -> bool:
    """Tell whether ``text`` holds words searched for (``query``), as ``marked``
    would mark them: a card shows a unit's director when the search found them."""
    return bool(text and query and found_spans(str(text), query))


@register.filter
def lowerfirst(label):
    """Return a label (a kind's) as written within a sentence, after a colon: its
    first letter lower-cased ("Bureau du CNRS à Tokyo : bureau à l’étranger"),
    unless the label is a name, its first word an acronym ("EU framework
    programme", "CNRS cooperation tool") or its second capitalised
    ("International Research Laboratory (IRL, formerly UMI)")."""
    text = str(label)
    words = text.split()
    if not words:
        return text
    first = words[0]
    if any(char.isupper() or char.isdigit() for char in first[1:]):
        return text
    if len(words) > 1 and words[1][:1].isupper():
        return text
    return text[:1].lower() + text[1:]


# A word whose case is its spelling: a capital after a small letter ("CoG",
# "PoC", "StG").
MIXED_CASE_WORD = re.compile(r"\b\w*[a-z]\w*[A-Z]\w*\b")


@register.filter(needs_autoescape=True)
def case_kept(label, autoescape=True):
    """Return ``label`` with its mixed-case words in ``<span class="case-kept">``:
    a label the style writes in capitals (an eyebrow) keeps "(CoG)", not "(COG)"."""
    escape = conditional_escape if autoescape else str
    text = str(label)
    parts, shown = [], 0
    for found in MIXED_CASE_WORD.finditer(text):
        parts.append(escape(text[shown : found.start()]))
        parts.append(format_html('<span class="case-kept">{}</span>', found[0]))
        shown = found.end()
    parts.append(escape(text[shown:]))
    return mark_safe("".join(parts))


@register.filter
def acronym_shown(record) -> str:
    """The acronym a record's name is followed by, in brackets: none when the name
    already holds it (``partners.models.acronym_beside``)."""
    return acronym_beside(str(record.name or ""), record.acronym)


@register.filter
def says_kind(name, kind) -> bool:
    """Tell whether a record's ``name`` says its ``kind`` already: every word of
    the kind's label, stop words aside, is one of the name's ("Tel Aviv
    University": University; "CNRS Brussels Office, branch at the European
    Union": Branch office at the European Union). A description then gives the
    name alone, not "name: kind"."""
    kind_words = set(phrase_words(str(kind)))
    return bool(kind_words) and kind_words <= set(phrase_words(str(name or "")))


@register.filter
def names_unit(text, unit) -> bool:
    """Tell whether ``text`` (a person's role or title) names ``unit``
    (``Unit.named_in``): its page, or a caption that links it, need not add it."""
    return bool(unit and unit.named_in(str(text or "")))


@register.filter(needs_autoescape=True)
def unit_linked(text, unit, autoescape=True):
    """Return ``text`` with the words naming ``unit`` (``Unit.named_in``) linked to
    its page if published: a testimony's role that names the unit ("Director of
    the <MSE>2 international joint unit") is not followed by its acronym too."""
    escape = conditional_escape if autoescape else str
    text = str(text or "")
    span = unit.named_in(text) if unit and unit.is_published else None
    if span is None:
        return escape(text)
    start, end = span
    return format_html(
        '{}<a href="{}">{}</a>{}',
        text[:start],
        unit.get_absolute_url(),
        text[start:end],
        text[end:],
    )


@register.filter
def partners_holding(unit, query) -> list:
    """Return the published partner institutions of a unit whose names or
    acronyms hold words searched for (``query``): why a search found it.

    Reads ``public_partnerships`` (``UnitQuerySet.with_public_partners``), else none.
    """
    return [
        partnership.partner
        for partnership in getattr(unit, "public_partnerships", ())
        # In any language: "Université de Pennsylvanie" typed on the English
        # pages found the unit of the University of Pennsylvania.
        if any(
            holds_words(getattr(partnership.partner, field), query)
            for field in PARTNER_NAMES
        )
    ]


@register.filter
def quoted_holding(unit, query) -> list:
    """Return the people a unit's published testimonies quote whose names hold
    words searched for (``query``), its director left out: why a search found it.

    Reads ``quoting_testimonies`` (``UnitQuerySet.with_quoted_people``), else none.
    """
    people = {
        testimony.person_id: testimony.person
        for testimony in getattr(unit, "quoting_testimonies", ())
    }
    return [
        person
        for person in people.values()
        if person.pk != unit.director_id and holds_words(person.full_name, query)
    ]


@register.filter(needs_autoescape=True)
def marked(text, query, autoescape=True):
    """Return ``text`` with the words searched for (``query``) in ``<mark>``.

    Found as the search finds them, accents, case and abbreviations ignored, so
    that a visitor sees why a record answers: "sao paulo" marks "São Paulo".
    """
    if text is None:
        return ""
    text = str(text)
    escape = conditional_escape if autoescape else str
    spans = found_spans(text, query or "")
    if not spans:
        return escape(text)
    parts, shown = [], 0
    for start, end in spans:
        parts.append(escape(text[shown:start]))
        parts.append(f"<mark>{escape(text[start:end])}</mark>")
        shown = end
    parts.append(escape(text[shown:]))
    return mark_safe("".join(parts))


# As json_script's: a "</script>" or "<!--" in a text cannot end the element.
_JSON_IN_HTML = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def json_ld(description):
    """Write ``description`` (partners/structured_data.py) as a JSON-LD element."""
    text = json.dumps(description, cls=DjangoJSONEncoder, ensure_ascii=False)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text.translate(_JSON_IN_HTML)),
    )


class CaptureNode(template.Node):
    def __init__(self, nodelist, name):
        self.nodelist, self.name = nodelist, name

    def render(self, context):
        context[self.name] = mark_safe(self.nodelist.render(context).strip())
        return ""


@register.tag
def capture(parser, token):
    """``{% capture as name %}…{% endcapture %}``: render what it holds into
    ``name`` rather than the page, to write it more than once (the page's title
    and description, in <title> and in the Open Graph tags). Blocks inside are
    still filled by the templates extending base.html."""
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Usage: {% capture as name %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])


@register.simple_tag(takes_context=True)
def page_address(context, number) -> str:
    """The link to page ``number`` of this list, its filters kept: ``{% querystring
    page=number %}``, but the first page without ``page``, so that it has one
    address ("?page=1" was a second one for search engines)."""
    request = context["request"]
    query = request.GET.copy()
    if str(number) == "1":
        query.pop("page", None)
    else:
        query["page"] = number
    return f"?{query.urlencode()}" if query else request.path


@register.simple_tag(takes_context=True)
def absolute_static(context, path) -> str:
    """The full address of the static file ``path`` on the page's own scheme and
    host, under its hashed name in production (ManifestStaticFilesStorage): what
    a social network fetches (og:image) must be absolute. The page cache keys a
    page by its scheme and host too, so no other host's address is replayed."""
    return context["request"].build_absolute_uri(static(path))


@register.simple_tag(takes_context=True)
def breadcrumb_list(context, breadcrumbs, current_title):
    """Write a page's ``breadcrumbs`` and ``current_title`` (HTML, as the trail
    shows it) as a schema.org BreadcrumbList: search engines show the way to a
    page beside its address."""
    request = context["request"]
    names = [str(crumb["label"]) for crumb in breadcrumbs]
    names.append(html.unescape(strip_tags(current_title)).strip())
    addresses = [crumb["url"] for crumb in breadcrumbs] + [request.path]
    return json_ld(
        {
            "@context": "https://schema.org",
            "@type": "BreadcrumbList",
            "itemListElement": [
                {
                    "@type": "ListItem",
                    "position": position,
                    "name": name,
                    "item": request.build_absolute_uri(address),
                }
                for position, (name, address) in enumerate(
                    zip(names, addresses, strict=True), start=1
                )
            ],
        }
    )
