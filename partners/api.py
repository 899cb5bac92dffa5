"""JSON endpoints of the partners app: the autocomplete of the site's own pages,
and the public data API's shared pieces and partner endpoints."""

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.paginator import InvalidPage
from django.http import (
    Http404,
    HttpResponse,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.formats import number_format
from django.utils.text import format_lazy
from django.utils.translation import get_language, gettext as _, gettext_lazy
from django.views.decorators.cache import cache_control
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
    extend_schema_view,
)
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.relations import ManyRelatedField
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils.urls import remove_query_param, replace_query_param

from partners.addresses import with_query
from partners.country_names import country_name
from partners.csv_renderer import CSV_PAGE_SIZE, asks_spreadsheet
from partners.filters import (
    TEXT_MAX_LENGTH,
    PartnerFilterSet,
    has_enough_letters,
    repeated,
    shown_value,
)
from partners.models import (
    Agreement,
    MovableAddressMixin,
    Office,
    Partner,
    PartnerStatus,
    slug_in_other_case,
)
from partners.search import found_spans, visible
from partners.views import (
    CachedCountPaginator,
    page_error,
    partner_paginator,
    safe_only,
)

# As long as the partners list's text field: a name it takes is suggested for too.
AUTOCOMPLETE_MAX_LENGTH = TEXT_MAX_LENGTH
AUTOCOMPLETE_LIMIT = 10


@safe_only
@cache_control(public=True, max_age=60)
def partner_autocomplete(request):
    """Suggest published partners whose name, acronym or city holds ``q``.

    Answer ``{"query", "results", "close"}``: at most ten partners, names starting
    with ``q`` first (``PartnerQuerySet.suggestions``), named in the active language;
    fewer than two letters or digits ("a.") suggest nothing. ``close``: no partner
    holds every word of ``q``, the results are close names ("univresity", or
    "universités de tokyo" where no university is in Tokyo), which the field
    says. Stop words alone ("de", "DE", "who") suggest the names starting so and
    the partners whose code they are, as the list finds them, not every name
    holding them. A missing or over-long ``q`` gets a 400 with ``{"error"}``.
    """
    if "q" not in request.GET:
        return JsonResponse(
            {"error": _("Give the text to search for in the “q” parameter.")},
            status=400,
        )
    # As a search field takes it: without the characters that show nothing.
    query = visible(request.GET["q"]).strip()
    if len(query) > AUTOCOMPLETE_MAX_LENGTH:
        message = _("The search text is too long: %(max)s characters at most.") % {
            "max": AUTOCOMPLETE_MAX_LENGTH
        }
        return JsonResponse({"error": message}, status=400)
    partners, close = [], False
    # Letters or digits, as the lists count them: "a." suggested every name
    # holding a word starting with "a".
    if has_enough_letters(query):
        partners, close = Partner.objects.public().suggestions(
            query, AUTOCOMPLETE_LIMIT
        )
        close = close and bool(partners)
    return JsonResponse(
        {
            "query": query,
            "results": [suggestion(partner, query) for partner in partners],
            "close": close,
        }
    )


def suggestion(partner: Partner, query: str) -> dict:
    """Return what the autocomplete shows of ``partner``, in the active language.

    ``name_marks``: where the name holds the words of ``query``, as [start, end]
    offsets in UTF-16 code units, JavaScript's string positions.
    """
    return {
        "name": partner.name,
        "name_marks": utf16_spans(partner.name, found_spans(partner.name, query)),
        "lang": shown_language(partner, "name"),
        "acronym": partner.acronym,
        # As the result cards: a city-state's city left out ("Singapore,
        # Singapore" said it twice).
        "city": partner.city_beside_country,
        "country": str(partner.country.name),
        "country_code": partner.country.code,
        "url": partner.get_absolute_url(),
    }


def shown_language(record, field_name: str) -> str:
    """Return the language ``record.field_name`` is shown in (it may fall back)."""
    current = get_language()
    if getattr(record, f"{field_name}_{current}", None):
        return current
    for code, _name in settings.LANGUAGES:
        if getattr(record, f"{field_name}_{code}", None):
            return code
    return current


def utf16_spans(text: str, spans: list[tuple[int, int]]) -> list[list[int]]:
    """Return ``spans`` of ``text`` (Python's character offsets) in UTF-16 units."""

    def units(end: int) -> int:
        return len(text[:end].encode("utf-16-le")) // 2

    return [[units(start), units(end)] for start, end in spans]


# The public data API (/api/, cnrs_intl/urls.py): read-only, published records only,
# the lists filtered by the FilterSets of the pages (DESIGN.md). What every app's
# endpoints share is here, in the lowest layer; each app declares its own below or
# in its api.py.


TRANSLATED_SCHEMA = {
    "type": "object",
    "properties": {
        code: {"type": "string"} for code in settings.MODELTRANSLATION_LANGUAGES
    },
}


@extend_schema_field(TRANSLATED_SCHEMA)
class TranslatedField(serializers.Field):
    """A translated text in each of the site's languages: ``{"fr": …, "en": …}``.

    Each language as stored, "" where it is not written yet: a client chooses its
    own fallback, where the pages fall back to the other language.
    """

    def __init__(self, text_name: str | None = None, **kwargs):
        self.text_name = text_name
        super().__init__(source="*", read_only=True, **kwargs)

    def bind(self, field_name, parent):
        super().bind(field_name, parent)
        self.text_name = self.text_name or field_name

    def to_representation(self, record):
        return in_every_language(record, self.text_name)


def in_every_language(record, text_name: str) -> dict[str, str]:
    """``{"fr": …, "en": …}``: the text ``text_name`` of ``record`` as stored."""
    return {
        code: getattr(record, f"{text_name}_{code}") or ""
        for code in settings.MODELTRANSLATION_LANGUAGES
    }


@extend_schema_field(
    {
        "type": "object",
        "properties": {
            code: {"type": "string", "format": "uri"}
            for code in settings.MODELTRANSLATION_LANGUAGES
        },
    }
)
class PageField(serializers.Field):
    """The addresses of a record's public page, one per language."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, record):
        request = self.context["request"]
        pages = {}
        for code in settings.MODELTRANSLATION_LANGUAGES:
            with translation.override(code):
                pages[code] = request.build_absolute_uri(record.get_absolute_url())
        return pages


class CountryCodeField(serializers.CharField):
    """A country as its ISO 3166 code ("JP"); "" for none."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return getattr(value, "code", value) or ""

    def label_of(self, value) -> str:
        code = self.to_representation(value)
        return country_name(code) if code else ""


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class CountryCodesField(serializers.Field):
    """Countries as their ISO 3166 codes, sorted (from countries or codes)."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return sorted(getattr(country, "code", country) for country in value)

    def label_of(self, value) -> list[str]:
        return [country_name(code) for code in self.to_representation(value)]


class PublicPagination(PageNumberPagination):
    """Pages of 20 records (``page_size`` up to 100), each list counted once per
    content version and paged through its first 500 pages, as the pages' lists
    (``CachedCountPaginator``).

    A view may give its own paginator (``django_paginator``): the partners sorted
    by country are read country by country. A ``page`` or ``page_size`` that is no
    number (digits 0-9) from 1, or is given twice with different values, is refused
    (400), a page past the last is not found (404), each with a message, never a
    default.
    """

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    csv_page_size = CSV_PAGE_SIZE
    django_paginator_class = CachedCountPaginator

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.view = view
        page_size = self.get_page_size(request)
        make = getattr(view, "django_paginator", None) or self.django_paginator_class
        paginator = make(queryset, page_size)
        number = self.asked_number(
            request,
            self.page_query_param,
            default=1,
            message=_("Give the page as a number from 1."),
        )
        try:
            self.page = paginator.page(number)
        except InvalidPage as error:
            raise NotFound(page_error(paginator, number)) from error
        return list(self.page)

    def get_page_size(self, request):
        spreadsheet = asks_spreadsheet(request)
        most = self.csv_page_size if spreadsheet else self.max_page_size
        return self.asked_number(
            request,
            self.page_size_query_param,
            default=most if spreadsheet else self.page_size,
            message=_("Give a number of records from 1 to %(max)s.")
            % {"max": number_format(most, force_grouping=True)},
            most=most,
        )

    @staticmethod
    def asked_number(request, name, *, default, message, most=None) -> int:
        """Return the number the parameter ``name`` gives, ``default`` if empty.

        Digits 0-9 only: Python's int() also reads "1_0", "１" and "١". Given
        twice with different values, refused (``repeated``).
        """
        if refusal := repeated(request.query_params, name):
            raise ValidationError({name: [refusal]})
        asked = request.query_params.get(name) or ""
        if not asked:
            return default
        number = int(asked) if asked.isascii() and asked.isdigit() else 0
        if number < 1 or (most is not None and number > most):
            raise ValidationError({name: [message]})
        return number

    def get_paginated_response(self, data):
        count = self.page.paginator.count
        filterset = getattr(self.view, "filterset", None)
        # With nothing even close, there is no near miss to tell of.
        near_misses = bool(count and getattr(filterset, "near_misses", False))
        response = Response(
            {
                "count": count,
                "near_misses": near_misses,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )
        # What a CSV file, its records alone, cannot say (RFC 8288's Link): the
        # last page is the last served (``CachedCountPaginator.MAX_PAGES``), as
        # the next links stop there.
        links = [
            f'<{address}>; rel="{relation}"'
            for address, relation in (
                (self.page_link(1), "first"),
                (self.get_previous_link(), "prev"),
                (self.get_next_link(), "next"),
                (self.page_link(self.page.paginator.num_pages), "last"),
            )
            if address
        ]
        response["Link"] = ", ".join(links)
        response["X-Total-Count"] = str(count)
        response["X-Near-Misses"] = "true" if near_misses else "false"
        return response

    def page_link(self, number: int) -> str:
        """The address of the page ``number`` of the list, as the next and
        previous links name it (the first without ``page``)."""
        url = self.request.build_absolute_uri()
        if number == 1:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, number)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        # Both refused below 1 (``asked_number``); the most records a page holds
        # depends on the format asked (100, 1,000 in a spreadsheet), which the
        # refusal says.
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
        return parameters

    def get_paginated_response_schema(self, schema):
        described = super().get_paginated_response_schema(schema)
        described["description"] = gettext_lazy(
            "A page of records: how many in all, the addresses of the next and "
            "previous pages, and the records."
        )
        described["properties"]["near_misses"] = {
            "type": "boolean",
            "description": gettext_lazy(
                "True when no record held every word of the text searched (q) "
                "and the results are the closest records instead."
            ),
        }
        return described


class PublicFilterBackend(DjangoFilterBackend):
    """The view's FilterSet, as its page uses it; kept on the view as ``filterset``
    (the text filter tells whether it kept the closest records, ``near_misses``)."""

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        # Its messages name a parameter as typed ("scheme"), the page's by the
        # label shown ("Scheme").
        filterset.form.names_parameters = True
        if not filterset.is_valid():
            # A form's errors between fields (a span of years running backwards)
            # are under Django's "__all__": the API says "non_field_errors", as
            # its serializers do.
            errors = dict(filterset.errors)
            if NON_FIELD_ERRORS in errors:
                errors[api_settings.NON_FIELD_ERRORS_KEY] = errors.pop(NON_FIELD_ERRORS)
            raise ValidationError(errors)
        view.filterset = filterset
        return filterset.qs


# How long a browser may keep a preflight's answer (Firefox keeps it a day at
# most, Chromium two hours): the answer never changes.
PREFLIGHT_MAX_AGE_SECONDS = 86400
READ_METHODS = "GET, HEAD, OPTIONS"


class ReadOnlyApiMixin:
    """An API view as the public pages: GET and HEAD only, and OPTIONS, which
    answers the CORS preflight a browser sends before another site's script reads
    it with a header of its own (the CORS header of every answer is
    cnrs_intl.middleware.ApiMiddleware's)."""

    http_method_names = ["get", "head", "options"]

    def options(self, request, *args, **kwargs):
        # Django REST framework's would describe the view in JSON; a preflight
        # asks which methods and headers a script may use. Any header: nothing
        # is written and no cookie is read, so none can do harm.
        response = HttpResponse(status=204)
        response["Allow"] = READ_METHODS
        response["Access-Control-Allow-Methods"] = READ_METHODS
        asked = request.headers.get("Access-Control-Request-Headers")
        if asked:
            response["Access-Control-Allow-Headers"] = asked
            patch_vary_headers(response, ["Access-Control-Request-Headers"])
        response["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE_SECONDS)
        return response

    @property
    def default_response_headers(self):
        # The format comes from the address alone (AddressNegotiation): REST
        # framework's "Vary: Accept" would make a shared cache keep one copy per
        # browser's Accept header, of the same answer.
        headers = super().default_response_headers
        headers.pop("Vary", None)
        return headers

    def finalize_response(self, request, response, *args, **kwargs):
        # An error is no record: written in a spreadsheet, as a file to save
        # ("units.xlsx"), its message read as a row of data. JSON, whatever the
        # format asked, as the OpenAPI description gives the errors.
        if getattr(response, "exception", False) and asks_spreadsheet(request):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


LANG_PARAMETER = OpenApiParameter(
    "lang",
    str,
    enum=[code for code, _name in settings.LANGUAGES],
    description=format_lazy(
        gettext_lazy(
            "The language of the messages, of the sorts by name and of the labels "
            "beside the codes in spreadsheets (format=csv or xlsx); {default} by "
            "default. Texts come in every language."
        ),
        default=settings.LANGUAGE_CODE,
    ),
)
SLUG_PARAMETER = OpenApiParameter(
    "slug",
    str,
    OpenApiParameter.PATH,
    description=gettext_lazy("The record's slug: the last part of its page's address."),
)


def described(listed, one=None, *, lookup=SLUG_PARAMETER):
    """Describe a viewset's list (``listed``) and one of its records (``one``) in
    the OpenAPI description, in the language it is asked in (its docstring, read
    otherwise, is the developers', in English)."""
    actions = {"list": extend_schema(description=listed)}
    if one is not None:
        actions["retrieve"] = extend_schema(description=one, parameters=[lookup])
    return extend_schema_view(**actions)


class LanguageMixin:
    """An API view in the language of ``lang``.

    Texts are given in every language; ``lang`` ("fr", the default, or "en")
    chooses the language of the messages and of the sorts by name, so that an
    answer depends on its address only, as the pages (cached by address).
    """

    def initial(self, request, *args, **kwargs):
        # Activated by cnrs_intl.middleware.ApiMiddleware, the default language
        # for a value that names none, which is refused here; a method not
        # allowed is refused first, as Django's views do, and a preflight
        # (OPTIONS) reads no parameter.
        language = request.query_params.get("lang") or settings.LANGUAGE_CODE
        reads = request.method in ("GET", "HEAD")
        if reads and language not in dict(settings.LANGUAGES):
            raise ValidationError({"lang": [_("Give the language as fr or en.")]})
        if reads and (refusal := repeated(request.query_params, "lang")):
            raise ValidationError({"lang": [refusal]})
        super().initial(request, *args, **kwargs)


@extend_schema(parameters=[LANG_PARAMETER])
class PublicViewSet(LanguageMixin, ReadOnlyApiMixin, viewsets.ReadOnlyModelViewSet):
    """Published records, listed and one by one (``slug``), in the pages' order."""

    lookup_field = "slug"
    filter_backends = [PublicFilterBackend]
    pagination_class = PublicPagination
    # What one record gives, when it gives more than the list's rows.
    detail_serializer_class = None

    def get_queryset(self):
        if self.action == "retrieve":
            return self.detail_queryset()
        return self.list_queryset()

    def list_queryset(self):
        """The records of the list, in its order."""
        return self.queryset.all()

    def detail_queryset(self):
        """The records one is read from, with what it gives: the list's by default."""
        return self.list_queryset()

    def get_serializer_class(self):
        if self.action == "retrieve" and self.detail_serializer_class:
            return self.detail_serializer_class
        return self.serializer_class

    def get_object(self):
        try:
            return super().get_object()
        except Http404 as missing:
            # Django's message names the model in English ("No Partner matches…").
            raise NotFound(
                _("No published record has the slug “%(slug)s”.")
                % {"slug": shown_value(self.kwargs[self.lookup_field])}
            ) from missing

    def retrieve(self, request, *args, **kwargs):
        try:
            return super().retrieve(request, *args, **kwargs)
        except NotFound:
            # A former address, an identifier or the slug in another case
            # (MovableAddressMixin.page_for), as the record's page redirects; an
            # institute's slug in another case (/api/institutes/INSB/).
            records = self.get_queryset()
            asked = self.kwargs[self.lookup_field]
            if issubclass(records.model, MovableAddressMixin):
                moved_to = records.model.page_for(asked, records)
            else:
                moved_to = slug_in_other_case(asked, records)
            if moved_to is None:
                raise
            address = reverse(
                f"{request.resolver_match.namespace}:{self.basename}-detail",
                kwargs={self.lookup_field: moved_to.slug},
            )
            return HttpResponsePermanentRedirect(with_query(address, request))

    def filter_queryset(self, queryset):
        # A record is found by its slug alone: the list's filters do not apply.
        if self.action == "retrieve":
            return queryset
        return super().filter_queryset(queryset)


# A coded value's label is named as its column with this after it:
# "country_label" beside "country".
LABEL_SUFFIX = "_label"


class LabelledChoiceField(serializers.ChoiceField):
    """A choice given by its value ("active"); its label ("Active") beside it in
    spreadsheets."""

    def label_of(self, value) -> str:
        return str(self.choices.get(value, value))


def choice_field(choices) -> LabelledChoiceField:
    """A choice given by its value, described by its values only.

    The OpenAPI description would name an enumeration by its values and labels:
    a partner's and a unit's statuses, "Active" and "Closed" in English, would be
    one enumeration in English and two in French.
    """
    # Described on a class of its own: REST framework copies a serializer's
    # declared fields by building them again, which loses what was set on the
    # instance (the statuses were described as any string).
    described = extend_schema_field({"type": "string", "enum": list(choices.values)})(
        type(f"{choices.__name__}Field", (LabelledChoiceField,), {})
    )
    return described(choices=choices.choices, read_only=True)


class LabelledSlugRelatedField(serializers.SlugRelatedField):
    """A related record by its code (an institute's "INSB"); its name beside it
    in spreadsheets."""

    def label_of(self, record) -> str:
        return record.name


class LabelField(serializers.Field):
    """The label of a coded value, for the column beside it in spreadsheets: the
    value of ``coded`` read again ("JP") and named in the active language, that
    of ``lang`` ("Japon")."""

    def __init__(self, coded):
        self.coded = coded
        super().__init__(read_only=True)

    def get_attribute(self, instance):
        return self.coded.get_attribute(instance)

    def to_representation(self, value):
        if isinstance(self.coded, ManyRelatedField):
            return [self.coded.child_relation.label_of(item) for item in value]
        return self.coded.label_of(value)


def is_coded(field) -> bool:
    """Tell whether ``field`` gives a code a person looks up (a country, a kind,
    an institute): one whose values it can label (``label_of``)."""
    if isinstance(field, ManyRelatedField):
        field = field.child_relation
    return hasattr(field, "label_of")


def spreadsheet_fields(fields: dict) -> dict:
    """Return a serializer's ``fields`` as spreadsheets give them: each coded
    value followed by its label (``LabelField``), and dates as dates, which the
    workbook types and the CSV file writes as the JSON does.

    For spreadsheets only: the JSON gives its texts in every language, whatever
    ``lang``, and its codes are described in the OpenAPI description.
    """
    shown = {}
    for name, field in fields.items():
        if isinstance(field, serializers.DateField):
            # None: the date itself, not its text (REST framework's DateField).
            field.format = None
        shown[name] = field
        if is_coded(field):
            shown[f"{name}{LABEL_SUFFIX}"] = LabelField(field)
    return shown


class RecordSerializer(serializers.ModelSerializer):
    """A record as the API gives it: every field read-only; in a spreadsheet, its
    coded values labelled (``spreadsheet_fields``)."""

    serializer_choice_field = LabelledChoiceField

    def get_fields(self):
        fields = super().get_fields()
        if asks_spreadsheet(self.context.get("request")):
            return spreadsheet_fields(fields)
        return fields

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        # A bound given as a function (the latest plausible year), which the
        # OpenAPI description cannot write as a number.
        for bound in ("max_value", "min_value"):
            if callable(kwargs.get(bound)):
                del kwargs[bound]
        kwargs["read_only"] = True
        return field_class, kwargs


@extend_schema_serializer(
    description=gettext_lazy(
        "A cooperation agreement, as the pages of its partners and office list it."
    )
)
class AgreementSerializer(RecordSerializer):
    title = TranslatedField()
    description = TranslatedField()
    countries = CountryCodesField()

    class Meta:
        model = Agreement
        fields = [
            "title",
            "kind",
            "reference",
            "countries",
            "signed_on",
            "ends_on",
            "description",
        ]


@extend_schema_serializer(
    description=gettext_lazy(
        "A partner institution as the list gives it, with its published links counted."
    )
)
class PartnerSerializer(RecordSerializer):
    page = PageField()
    status = choice_field(PartnerStatus)
    name = TranslatedField()
    city = TranslatedField()
    country = CountryCodeField()
    unit_count = serializers.IntegerField(read_only=True)
    agreement_count = serializers.IntegerField(read_only=True)
    project_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Partner
        fields = [
            "slug",
            "page",
            "name",
            "original_name",
            "original_name_language",
            "acronym",
            "kind",
            "status",
            "country",
            "city",
            "latitude",
            "longitude",
            "website",
            "ror_id",
            "pic",
            "established",
            "unit_count",
            "agreement_count",
            "project_count",
        ]


class PublishedSlugField(serializers.CharField):
    """A related record as its slug; null when it is not published."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            gettext_lazy(
                "The slug of a published record; null for one not published, "
                "named only."
            ),
        )
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, record):
        return record.slug if record.is_published else None


class LabelledPublishedSlugField(PublishedSlugField):
    """Another record as its slug (a grant's programme); its name beside it in
    spreadsheets, even when not published."""

    def label_of(self, record) -> str:
        return record.name


@extend_schema_serializer(
    description=gettext_lazy(
        "Another partner named by a partner: its parent or one of its children."
    )
)
class PartnerLinkSerializer(RecordSerializer):
    slug = PublishedSlugField(source="*")
    name = TranslatedField()

    class Meta:
        model = Partner
        fields = ["slug", "name"]


class LinkedRecordsField(serializers.Field):
    """The published records a partner is linked to through ``attribute`` (its units
    or projects as prefetched), each with the partner's role in it:
    ``[{"unit": {…}, "role": …}]``, as a unit gives its partners.

    They belong to apps further up the layers: read through the relations, with
    ``keys`` as they are and the translated ``texts`` in every language.
    """

    def __init__(self, attribute, record, keys, texts, **kwargs):
        self.attribute, self.record = attribute, record
        self.keys, self.texts = keys, texts
        super().__init__(source="*", read_only=True, **kwargs)
        properties = {key: {"type": "string"} for key in keys}
        properties.update({text: TRANSLATED_SCHEMA for text in texts})
        item = {
            "type": "object",
            "properties": {
                record: {"type": "object", "properties": properties},
                "role": {"type": "string"},
            },
        }
        extend_schema_field({"type": "array", "items": item})(self)

    def to_representation(self, partner):
        return [
            {self.record: self.linked(getattr(link, self.record)), "role": link.role}
            for link in getattr(partner, self.attribute)
        ]

    def linked(self, record) -> dict:
        return {
            **{key: getattr(record, key) for key in self.keys},
            **{text: in_every_language(record, text) for text in self.texts},
        }


@extend_schema_serializer(
    description=gettext_lazy(
        "A partner institution with what links it to the CNRS, as its page shows it."
    )
)
class PartnerDetailSerializer(PartnerSerializer):
    parent = PartnerLinkSerializer(read_only=True, allow_null=True)
    children = PartnerLinkSerializer(source="public_children", many=True)
    units = LinkedRecordsField(
        "public_unit_partnerships", "unit", ("slug", "code", "acronym"), ("name",)
    )
    agreements = AgreementSerializer(source="public_agreements", many=True)
    projects = LinkedRecordsField(
        "public_project_participations", "project", ("slug", "acronym"), ("title",)
    )

    class Meta(PartnerSerializer.Meta):
        # The list's counts kept: a record's row of a spreadsheet has its list's
        # values, so that rows read one by one add up to the list's file.
        fields = [
            *PartnerSerializer.Meta.fields,
            "parent",
            "children",
            "units",
            "agreements",
            "projects",
        ]


@described(
    gettext_lazy(
        "Partner institutions, filtered by country, kind and text as on the "
        "partners page."
    ),
    gettext_lazy(
        "A partner institution with its joint units, agreements and projects, as "
        "its page shows it."
    ),
)
class PartnerViewSet(PublicViewSet):
    filterset_class = PartnerFilterSet
    serializer_class = PartnerSerializer
    detail_serializer_class = PartnerDetailSerializer

    def list_queryset(self):
        return Partner.objects.public().for_list().with_links().order_by_name()

    def detail_queryset(self):
        # Counted as in the list (subqueries of the same query).
        return Partner.objects.public().for_detail().with_links()

    def django_paginator(self, queryset, per_page):
        return partner_paginator(self.filterset, queryset, per_page)


@extend_schema_serializer(
    description=gettext_lazy("A CNRS office abroad and the countries it covers.")
)
class OfficeSerializer(RecordSerializer):
    page = PageField()
    name = TranslatedField()
    city = TranslatedField()
    role = TranslatedField()
    country = CountryCodeField()
    # As the pages and the countries' counts: the host country is covered too.
    countries = CountryCodesField(
        source="area",
        help_text=gettext_lazy("The countries it covers, its host country included."),
    )

    class Meta:
        model = Office
        fields = [
            "slug",
            "page",
            "name",
            "kind",
            "country",
            "city",
            "countries",
            "latitude",
            "longitude",
            "address",
            "email",
            "phone",
            "website",
            "opening_year",
            "head",
            "role",
        ]


@extend_schema_serializer(
    description=gettext_lazy(
        "A CNRS office abroad, with the published agreements it follows."
    )
)
class OfficeDetailSerializer(OfficeSerializer):
    agreements = AgreementSerializer(source="public_agreements", many=True)

    class Meta(OfficeSerializer.Meta):
        fields = [*OfficeSerializer.Meta.fields, "agreements"]


@described(
    gettext_lazy("The CNRS's offices abroad, by city, on one page."),
    gettext_lazy("A CNRS office abroad with the agreements it follows."),
)
class OfficeViewSet(PublicViewSet):
    pagination_class = None
    filter_backends = []
    serializer_class = OfficeSerializer
    detail_serializer_class = OfficeDetailSerializer

    def list_queryset(self):
        return Office.objects.public().order_by_city()

    def detail_queryset(self):
        return Office.objects.public().for_detail()
