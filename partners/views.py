from django.contrib import admin
from django.core.paginator import InvalidPage, Paginator
from django.db.models import Q
from django.http import Http404, HttpResponsePermanentRedirect, QueryDict
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.functional import cached_property
from django.utils.translation import get_language, gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView
from django_countries.fields import Country
from django_filters.views import FilterView

from partners.addresses import with_query
from partners.admin_forms import scoped_rows
from partners.caching import cached_count
from partners.country_names import in_name_order
from partners.csv_renderer import CSV_PAGE_SIZE
from partners.filters import PartnerFilterSet, repeated, shown_value
from partners.models import Office, Partner
from partners.pagination import IdsFirstPaginator
from partners.publication import has_place
from partners.search import written_words
from partners.structured_data import office_description, partner_description


def safe_only(view):
    """Answer GET and HEAD only (``require_safe``), without the CSRF check.

    The check runs before the view, and answered a POST or a PUT with 403 and a
    page about an expired form, where the view answers 405: a view that accepts no
    write has no forged write to refuse. Views that take a form (the admin's,
    ``set_language``) keep the check.
    """
    return csrf_exempt(require_safe(view))


class RequireSafeMixin:
    """Answer GET and HEAD only, as the function views do (``safe_only``).

    Django's views also answer OPTIONS (200, an empty page); public pages are read,
    nothing is sent to them. Other methods get 405, with the page of
    cnrs_intl.middleware.MethodNotAllowedPageMiddleware, rather than the CSRF
    check's 403.
    """

    http_method_names = ["get", "head"]

    @classmethod
    def as_view(cls, **initkwargs):
        return csrf_exempt(super().as_view(**initkwargs))


class PreviewMixin(RequireSafeMixin):
    """Show published records to visitors, and to staff the drafts they may see in
    the admin too (preview): those of their scope, as its lists and change pages.
    """

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        if request.user.is_staff:
            # What staff see may hold drafts: kept by no cache, even a proxy that
            # ignores Vary: Cookie, nor by their browser once they have signed out.
            add_never_cache_headers(response)
        return response

    def get_queryset(self):
        queryset = super().get_queryset()
        user = self.request.user
        if not user.is_staff:
            return queryset.public()
        model_admin = (
            admin.site.get_model_admin(queryset.model)
            if admin.site.is_registered(queryset.model)
            else None
        )
        if model_admin is None or not model_admin.has_view_permission(self.request):
            return queryset.public()
        shown = scoped_rows(model_admin, self.request)
        if shown is None:
            return queryset  # every record: a role without a scope
        return queryset.public_and(shown)


class RecordPageView(PreviewMixin, DetailView):
    """A record's public page, found by its slug, or at one of its former addresses
    (a partner merged into another, a slug changed) or by an identifier ("irl-3757",
    a ROR id: MovableAddressMixin.page_for). Bookmarks, links and search engines
    asking for those follow a permanent redirection.

    Context, besides the record: ``structured_data``, the record as schema.org
    describes it (``describe``, from its app's structured_data.py), if any, and
    ``canonical_url``, the page's address without its query ("?from=newsletter").
    """

    # (request, record) -> the record's schema.org description (JSON-LD).
    describe = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.describe is not None:
            context["structured_data"] = self.describe(self.request, self.object)
        context["canonical_url"] = self.request.build_absolute_uri(self.request.path)
        return context

    def get(self, request, *args, **kwargs):
        try:
            self.object = self.get_object()
        except Http404:
            records = self.get_queryset()
            moved_to = records.model.page_for(self.kwargs[self.slug_url_kwarg], records)
            if moved_to is None:
                raise
            return HttpResponsePermanentRedirect(
                with_query(moved_to.get_absolute_url(), request)
            )
        return self.render_to_response(self.get_context_data(object=self.object))


class CachedCountPaginator(IdsFirstPaginator):
    """A paginator that counts each list once until content changes, and pages
    through its first ``MAX_PAGES`` pages only.

    Paging through a million partners would otherwise COUNT them on every page.
    A page is read after every row before it (OFFSET): at a million partners page
    500 took 48 ms, page 5,000 0.2 s and the last one 1 s, and a crawler following
    the "next" links would read them all. Past that, visitors narrow the list.
    """

    MAX_PAGES = 500

    def __init__(self, object_list, per_page, *, known_count=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.known_count = known_count

    @cached_property
    def count(self):
        if self.known_count is not None:
            return self.known_count
        return cached_count(self.object_list)

    @cached_property
    def num_pages(self):
        return min(self.all_pages, self.MAX_PAGES)

    @cached_property
    def all_pages(self) -> int:
        """How many pages the list would have without the limit."""
        # Django's count of pages, without its caching under the name num_pages.
        return Paginator.num_pages.func(self)

    @property
    def is_cut_short(self) -> bool:
        return self.all_pages > self.num_pages


class CountryOrderPaginator(CachedCountPaginator):
    """Pages of partners sorted by country name, each read from the countries it spans.

    Country names are translated, not stored: sorted by their rank
    (``order_by_countries``), the list had no index to read in order, and
    PostgreSQL sorted every partner for each page (1.9 s at a million). The
    partners of each country are counted once per content version, in one
    aggregated query that also gives the list's count; a page then holds whole the
    countries it covers, and the first or last rows of those it cuts, read from
    the (country, shown name) index.
    """

    def __init__(
        self,
        object_list,
        per_page,
        *,
        country_codes,
        searched=False,
        country_counts=None,
        **kwargs,
    ):
        super().__init__(object_list, per_page, **kwargs)
        self.country_codes = country_codes
        self.searched = searched
        if country_counts is not None:
            self.country_counts = country_counts

    @cached_property
    def country_counts(self) -> dict[str, int]:
        return self.object_list.cached_country_counts()

    @cached_property
    def count(self):
        return sum(self.country_counts.values())

    def codes_in_order(self) -> list[str]:
        """The codes of the list's countries, as ``order_by_countries`` sorts them."""
        ranked = set(self.country_codes)
        others = sorted(code for code in self.country_counts if code not in ranked)
        return [*self.country_codes, *others]

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(self.rows_between(bottom, top), number, self)

    def rows_between(self, bottom: int, top: int):
        """Return the rows of the list from position ``bottom`` up to ``top``."""
        rows = self.object_list
        spanned, condition = [], Q(pk__in=[])
        first = 0  # the position of each country's first row in the list
        for code in self.codes_in_order():
            if first >= top:
                break
            count = self.country_counts.get(code, 0)
            start, stop = max(bottom - first, 0), min(top - first, count)
            if start < stop:
                spanned.append(code)
                if start == 0 and stop == count:
                    condition |= Q(country=code)
                else:
                    cut = rows.filter(country=code).order_by_name(
                        searched=self.searched
                    )
                    condition |= Q(pk__in=cut.values("pk")[start:stop])
            first += count
        return rows.filter(condition).order_by_countries(spanned)


def page_error(paginator, number) -> str:
    """The message of a page that a list does not have (``number``, as asked)."""
    if getattr(paginator, "is_cut_short", False):
        return _(
            "Only the first %(last)s pages of a list are shown: narrow it "
            "with the filters or a search."
        ) % {"last": paginator.num_pages}
    if paginator.num_pages <= 1:
        # Not "pages run from 1 to 1".
        return _("There is no page “%(page)s”: this list has only one page.") % {
            "page": shown_value(number)
        }
    return _("There is no page “%(page)s”: pages run from 1 to %(last)s.") % {
        "page": shown_value(number),
        "last": paginator.num_pages,
    }


class FilteredListView(RequireSafeMixin, FilterView):
    """A public list filtered by a FilterSet, paginated, answering bad input with 400.

    django-filter answers an invalid value with an empty 200 page and Django's
    paginator an invalid page with a 404: visitors and crawlers get a 400 instead,
    with the form's errors (or the page error) shown above the first page of results.
    Unknown parameters are ignored; a filter or the page given twice with different
    values is refused (``repeated``), never read as the last.
    """

    paginate_by = 20
    paginator_class = CachedCountPaginator
    page_error = None
    # The filters the page's title names itself; the others follow it.
    titled_by = ()
    # The data API's list of the same records, by the same filters
    # ("api:partner-list"): the page offers it as a spreadsheet (CSV).
    api_list: str | None = None

    def get(self, request, *args, **kwargs):
        self.filterset = self.get_filterset(self.get_filterset_class())
        self.filterset.offers_most_words = True
        filters_valid = not self.filterset.is_bound or self.filterset.is_valid()
        if filters_valid:
            self.object_list = self.filterset.qs
        else:
            self.object_list = self.filterset.queryset.none()
        context = self.get_context_data(
            filter=self.filterset, object_list=self.object_list
        )
        status = 200 if filters_valid and not self.page_error else 400
        return self.render_to_response(context, status=status)

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size, allow_empty_first_page=True)
        number = self.request.GET.get(self.page_kwarg) or 1
        if message := repeated(self.request.GET, self.page_kwarg):
            self.page_error, number = message, 1
        try:
            page = paginator.page(number)
        except InvalidPage:
            self.page_error = page_error(paginator, number)
            page = paginator.page(1)
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_error"] = self.page_error
        # What the rows mark in the records found (the ``marked`` filter): not in
        # near misses, which hold corrections of the words typed.
        context["searched"] = ""
        # Set by the FilterSet's text filter when nothing held every word typed.
        if getattr(self.filterset, "near_misses", False):
            context["near_misses_of"] = self.filterset.form.cleaned_data.get("q")
        else:
            cleaned = getattr(self.filterset.form, "cleaned_data", {})
            context["searched"] = cleaned.get("q") or ""
        # Set by the text filter when nothing held every word, nor nearly: the
        # records holding all but one, and the words some of them lack.
        if getattr(self.filterset, "most_words", False):
            context["most_words_of"] = context["searched"]
            # Corrected ("Universty of Tokyo Kyoto"): the words the records
            # hold are the correction's, marked as such.
            if (meant := self.filterset.most_words_text) != context["searched"]:
                context["most_words_corrected"] = context["searched"] = meant
            context["words_left_out"] = words_left_out(self.object_list, meant)
        context["result_count"] = (
            context["paginator"].count if context.get("paginator") else None
        )
        context["countries_named"] = self.countries_named()
        context["chosen_summary"] = self.filterset.chosen_summary(
            leave_out=self.titled_by
        )
        # The title then says how many records the filters kept: what a screen
        # reader reads first on the new page.
        context["narrowed"] = self.filterset.is_narrowed()
        # Out of search engines' results, its links still followed ("partners in
        # Japan" stays in; "?q=tokyo" does not).
        if not self.filterset.indexed():
            context["robots"] = "noindex, follow"
        elif not self.page_error:
            context["canonical_url"] = self.canonical_url(context.get("page_obj"))
        if context.get("is_paginated"):
            # 1 2 [3] 4 5 … 40: the first and last pages, and two on each side.
            context["page_range"] = context["paginator"].get_elided_page_range(
                context["page_obj"].number, on_each_side=2, on_ends=1
            )
        context.update(self.suggestion(context))
        # Not for the records holding most words: the data API gives none. Nor
        # for near misses: a file saved holds rows alone, read later as matches
        # (only a header of the answer, X-Near-Misses, says they are not).
        if (
            context["result_count"]
            and not self.filterset.errors
            and not context.get("most_words_of")
            and not context.get("near_misses_of")
        ):
            context["spreadsheet_url"] = self.spreadsheet_url()
            context["workbook_url"] = self.spreadsheet_url("xlsx")
            context["spreadsheet_limit"] = CSV_PAGE_SIZE
        return context

    def spreadsheet_url(self, file_format: str = "csv") -> str | None:
        """Return the address of the list's records as CSV (or ``xlsx``, an Excel
        workbook), the filters kept, the messages in the page's language; None
        for a list the API does not give."""
        if self.api_list is None:
            return None
        query = self.request.GET.copy()
        query.pop(self.page_kwarg, None)
        query["format"] = file_format
        query["lang"] = get_language()
        return f"{reverse(self.api_list)}?{query.urlencode()}"

    def countries_named(self) -> list[tuple[Country, str]]:
        """Return the countries the list offers as its filter for the text
        searched (``country_offers``), each with the query string of the list so
        filtered, the other filters chosen kept (and the offers made within
        them); none when a country is chosen or the filters are invalid."""
        codes = getattr(self.filterset, "country_codes", None)
        if (
            codes is None
            or not self.filterset.is_bound
            or not self.filterset.is_valid()
        ):
            return []
        cleaned = self.filterset.form.cleaned_data
        text = cleaned.get("q") or ""
        if not text or cleaned.get("country"):
            return []
        records = self.filterset.queryset
        # "japan" among the units of the INC: its units in Japan, not all.
        if kept := self.parameters_without("q", "country"):
            narrowed = self.filtered_by(kept)
            if narrowed.is_valid():
                records = narrowed.qs
        offers = records.country_offers(
            text,
            within=codes,
            filter_names=self.filterset.filters,
        )
        named = []
        for code, filters in offers:
            query = kept.copy()
            for name, value in filters.items():
                query[name] = value
            named.append((Country(code), query.urlencode()))
        return named

    def canonical_url(self, page) -> str:
        """Return the list's address as search engines should know it: its filters
        chosen as the form reads them ("?country=jp&utm_source=x" is
        "?country=JP"), in the form's order, then the page past the first."""
        chosen = self.filterset.chosen()
        query = QueryDict(mutable=True)
        for name in self.filterset.form.fields:
            if name not in chosen:
                continue
            value = chosen[name]
            if isinstance(value, (str, int)):
                query[name] = str(value)
            else:  # a value the form reads into an object: as it was given
                query.setlist(name, self.request.GET.getlist(name))
        if page is not None and page.number > 1:
            query[self.page_kwarg] = str(page.number)
        query_string = f"?{query.urlencode()}" if query else ""
        return self.request.build_absolute_uri(self.request.path + query_string)

    def parameters_without(self, *names):
        """Return the query's parameters but ``names`` and the page number."""
        kept = self.request.GET.copy()
        for name in (*names, self.page_kwarg):
            kept.pop(name, None)
        return kept

    def filtered_by(self, parameters):
        """Return the list's FilterSet of ``parameters``: the records they keep."""
        return self.get_filterset_class()(
            parameters, queryset=self.filterset.queryset, request=self.request
        )

    def suggestion(self, context) -> dict:
        """Return the words a search likely meant (``suggestion``) and the list so
        searched (``suggestion_url``), when nothing held every word typed.

        Only words that the list, its other filters kept, then holds: a word left
        as typed (no known word is a slip of it) may be in no record.
        """
        searched = context.get("near_misses_of") or context["searched"]
        if not searched or (context["searched"] and context["result_count"]):
            return {}
        suggestions = self.filterset.suggested_texts(searched)
        if not suggestions:
            return {}
        filtered = self.filtered_by(self.parameters_without("q"))
        if not filtered.is_valid():
            return {}
        # The likeliest that the list holds ("Institut de chimie", else
        # "Institute de chimie"): ``suggested_texts``.
        suggestion = next(
            (text for text in suggestions if filtered.qs.finds(text)), None
        )
        if suggestion is None:
            return {}
        query = self.request.GET.copy()
        query.pop(self.page_kwarg, None)
        query["q"] = suggestion
        return {
            "suggestion": suggestion,
            "suggestion_url": f"{self.request.path}?{query.urlencode()}",
        }


# The words left out of what the records holding most words hold that a page
# names ("without “Garching”"): more are no longer what they lack but a list.
WORDS_LEFT_OUT_NAMED = 2


def words_left_out(records, text: str) -> list[str]:
    """Return the words of ``text`` that some of ``records`` (those holding most
    of its words: ``most_words``) lack, as a page names them (``named_left_out``)."""
    return named_left_out(
        text, records.words_left_out(text), records.words_held_apart(text)
    )


def named_left_out(text: str, left_out, words) -> list[str]:
    """Return ``left_out``, words of ``text`` (folded) that records holding the
    others lack, as typed and in the order typed, when a page may name them: at
    most ``WORDS_LEFT_OUT_NAMED``, and not every one of ``words`` (those a
    record holds apart: each record lacks a different one); else none."""
    left_out = [word for word in words if word in set(left_out)]
    if len(left_out) > WORDS_LEFT_OUT_NAMED or len(left_out) == len(words):
        return []
    written = written_words(text)
    return [written.get(word, word) for word in left_out]


class PartnerDetailView(RecordPageView):
    """A partner and what links it to the CNRS: units, agreements, projects, office.

    Context: ``partner``, ``offices`` (the published offices covering its country)
    and ``map_data`` (its marker, when it has coordinates).
    """

    model = Partner
    describe = staticmethod(partner_description)

    def get_queryset(self):
        # Built per request: the children are sorted in the active language.
        return super().get_queryset().for_detail()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        partner = self.object
        context["offices"] = Office.objects.public().covering(partner.country.code)
        context["map_data"] = map_data([partner])
        return context


class OfficeDetailView(RecordPageView):
    """An office, the countries it covers and the agreements it follows.

    Context: ``office``, ``covered_countries`` (sorted by name) and ``map_data``
    (its marker; the countries it covers, which the map sets apart and frames).
    """

    model = Office
    describe = staticmethod(office_description)

    def get_queryset(self):
        return super().get_queryset().for_detail()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["covered_countries"] = sorted_countries(self.object.area)
        context["map_data"] = {
            **map_data([self.object]),
            "focus": [country.code for country in self.object.area],
        }
        return context


# A text names a few countries at most ("guinee": Guinea, Equatorial Guinea…).


# The partner list's filters that its country choices' counts take into account.
class PartnerListView(FilteredListView):
    """Partner institutions searched by country, kind and name (shareable by URL).

    Context, besides FilteredListView's: ``country``, the country chosen (or None),
    and ``countries_named``: with no country chosen, the countries with partners
    that the text searched for names ("japon"), offered as that filter.
    """

    filterset_class = PartnerFilterSet
    titled_by = ("country",)
    api_list = "api:partner-list"
    template_name = "partners/partner_list.html"

    def get_queryset(self):
        return Partner.objects.public().for_list().with_links().order_by_name()

    def get_paginator(self, queryset, per_page, **kwargs):
        return partner_paginator(self.filterset, queryset, per_page, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The country, when valid, whatever the other filters: an error page's
        # title still names it ("Error: Partner institutions: Japan").
        chosen = self.filterset.chosen(leave_out=(), despite_errors=True)
        code = chosen.get("country") or ""
        context["country"] = Country(code) if code else None
        return context


def partner_paginator(filterset, queryset, per_page, **kwargs):
    """Return the paginator of a list of partners filtered by ``filterset``.

    Sorted by country, a page is read country by country (CountryOrderPaginator);
    otherwise the list's count is read from its country counts where it has them.
    The partner page's list and the API's share it.
    """
    cleaned = filterset.form.cleaned_data if chosen_validly(filterset) else {}
    counts = list_country_counts(filterset)
    if cleaned.get("ordering") == "country":
        return CountryOrderPaginator(
            queryset,
            per_page,
            country_codes=filterset.country_codes,
            searched=bool(cleaned.get("q")),
            country_counts=counts,
            **kwargs,
        )
    if counts is not None:
        kwargs["known_count"] = sum(counts.values())
    return CachedCountPaginator(queryset, per_page, **kwargs)


def chosen_validly(filterset) -> bool:
    return filterset.is_bound and filterset.is_valid()


def list_country_counts(filterset) -> dict[str, int] | None:
    """Return a partner list's partners per country, as its country choices count
    them, or None when the list shows the closest records to a text.

    Within the other filters chosen (a kind, a text), counted once per content
    version; else all published partners'. The list's count is read from them:
    a COUNT of its own cost 140 ms at a million, the first time after a change.
    """
    counts = filterset.country_counts
    if not filterset.is_bound:
        return counts
    if not filterset.is_valid():
        return None  # the list is empty
    if filterset.others_chosen():
        counts = filterset.others_country_counts()
        filterset.count_country_choices(counts)
        # Near misses in one country may be matches in others: not counted;
        # nor the records holding most words.
        if filterset.near_misses or filterset.most_words:
            return None
    code = filterset.form.cleaned_data.get("country") or ""
    if not code:
        return counts
    return {code: counts[code]} if code in counts else {}


class OfficeListView(RequireSafeMixin, ListView):
    """Every published office, on a map and in a table.

    Context: ``offices`` (each with ``covered_countries`` sorted by name) and
    ``map_data``.
    """

    template_name = "partners/office_list.html"
    context_object_name = "offices"

    def get_queryset(self):
        offices = list(Office.objects.public().order_by_city())
        for office in offices:
            office.covered_countries = sorted_countries(office.area)
        return offices

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["map_data"] = map_data(context["offices"])
        return context


def sorted_countries(country_list) -> list[Country]:
    """Return django-countries ``Country`` objects sorted by name, active language."""
    by_code = {country.code: country for country in country_list}
    return [by_code[code] for code in in_name_order(by_code)]


def map_data(records) -> dict:
    """Return the markers of the map component for the records with coordinates."""
    return {
        "markers": [
            {
                "lat": float(record.latitude),
                "lng": float(record.longitude),
                "title": str(record.name),
                "url": record.get_absolute_url(),
            }
            for record in records
            if has_place(record)
        ]
    }
