from django.views.generic import ListView

from partners.caching import cached_rows
from partners.publication import has_place
from partners.views import FilteredListView, RecordPageView, RequireSafeMixin
from programmes.filters import GrantFilterSet, ProjectFilterSet
from programmes.models import Grant, Programme, Project, with_record_counts
from programmes.structured_data import (
    grant_description,
    programme_description,
    project_description,
)
from units.models import Unit

# Geometry of the grants-per-year bar chart, drawn as SVG by the template: one
# horizontal bar per call year; x positions in percent of the drawing's width, so
# that it fits any screen without scaling the text.
CHART_ROW_HEIGHT = 28
CHART_BAR_HEIGHT = 20
CHART_BAR_START = 16
CHART_BAR_MAX_WIDTH = 72
DETAIL_SAMPLE_SIZE = 20


def year_chart(rows) -> dict:
    """Lay out ``{"call_year", "count"}`` rows (oldest first) as bars for the SVG
    chart, a bar of 0 for each year between them without grants: bars for 2015,
    2018 and 2021 drawn next to each other read as a continuous series.

    Numbers reach the template as strings so that no locale turns "37.5" into
    "37,5" inside an SVG attribute.
    """
    counts = {row["call_year"]: row["count"] for row in rows}
    years = range(min(counts), max(counts) + 1) if counts else ()
    rows = [{"call_year": year, "count": counts.get(year, 0)} for year in years]
    top = max((row["count"] for row in rows), default=0)
    bars = []
    for index, row in enumerate(rows):
        width = CHART_BAR_MAX_WIDTH * row["count"] / top
        top_y = index * CHART_ROW_HEIGHT
        bars.append(
            {
                "year": row["call_year"],
                "count": row["count"],
                "bar_x": f"{CHART_BAR_START}%",
                "bar_y": str(top_y + (CHART_ROW_HEIGHT - CHART_BAR_HEIGHT) // 2),
                "bar_width": f"{width:.2f}%",
                "bar_height": str(CHART_BAR_HEIGHT),
                "text_y": str(top_y + CHART_ROW_HEIGHT * 2 // 3),
                "count_x": f"{CHART_BAR_START + width + 1:.2f}%",
            }
        )
    return {
        "bars": bars,
        "height": str(len(rows) * CHART_ROW_HEIGHT),
        "total": sum(row["count"] for row in rows),
    }


def participant_map(project) -> dict:
    """Return the map data of a project's participants (prefetched): markers, countries.

    A participation's own country, when recorded, wins over its institution's.
    """
    markers = []
    countries: dict[str, int] = {}
    for participation in project.participations.all():
        partner = participation.partner
        code = participation.country.code or partner.country.code
        countries[code] = countries.get(code, 0) + 1
        if not has_place(partner):
            continue
        markers.append(
            {
                "lat": float(partner.latitude),
                "lng": float(partner.longitude),
                "title": partner.name,
                "url": partner.get_absolute_url()
                if partner.is_published
                else "#participants",
            }
        )
    return {"markers": markers, "countries": countries}


class GrantListView(FilteredListView):
    """ERC and MSCA grants, filtered, with the number of grants per call year."""

    filterset_class = GrantFilterSet
    template_name = "programmes/grant_list.html"
    api_list = "api:grant-list"

    def get_queryset(self):
        return Grant.objects.public().for_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The same for every page of a list: grouping 100,000 grants took 60 ms.
        context["year_chart"] = year_chart(cached_rows(self.object_list.per_year()))
        return context


class GrantDetailView(RecordPageView):
    queryset = Grant.objects.for_list()
    describe = staticmethod(grant_description)


class ProjectListView(FilteredListView):
    """Projects, filtered; the country choices count the projects the other
    filters chosen keep."""

    filterset_class = ProjectFilterSet
    template_name = "programmes/project_list.html"
    api_list = "api:project-list"

    def get_queryset(self):
        return Project.objects.public().for_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        self.filterset.count_country_choices_within_others(self.object_list)
        return context


class ProjectDetailView(RecordPageView):
    queryset = Project.objects.for_public_detail()
    describe = staticmethod(project_description)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["map_data"] = participant_map(self.object)
        return context


class ProgrammeListView(RequireSafeMixin, ListView):
    """Published programmes grouped by kind, with their grant and project counts."""

    template_name = "programmes/programme_list.html"
    context_object_name = "programmes"

    def get_queryset(self):
        return Programme.objects.public().for_list().in_kind_order().with_counts()


class ProgrammeDetailView(RecordPageView):
    """A programme with its published sub-programmes, and a sample of its records."""

    queryset = Programme.objects.for_list()
    describe = staticmethod(programme_description)

    def get_object(self, queryset=None):
        [programme] = with_record_counts([super().get_object(queryset)])
        return programme

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        programme = self.object
        context["children"] = programme.children.public().in_time_order()
        context["grants"] = programme.public_grants().for_list()[:DETAIL_SAMPLE_SIZE]
        context["projects"] = programme.projects.public().for_list()[
            :DETAIL_SAMPLE_SIZE
        ]
        if programme.unit_kind:
            units = Unit.objects.public().filter(kind=programme.unit_kind)
            context["units"] = units[:DETAIL_SAMPLE_SIZE]
        return context
