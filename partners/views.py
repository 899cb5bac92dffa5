from django.core.paginator import InvalidPage
from django.utils.translation import gettext as _
from django.views.generic import DetailView
from django_filters.views import FilterView

from partners.models import Office, Partner


class PreviewMixin:
    """Show published records to visitors, and drafts too to staff (preview)."""

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.request.user.is_staff:
            return queryset
        return queryset.public()


class FilteredListView(FilterView):
    """A public list filtered by a FilterSet, paginated, answering bad input with 400.

    django-filter answers an invalid value with an empty 200 page and Django's
    paginator an invalid page with a 404: visitors and crawlers get a 400 instead,
    with the form's errors (or the page error) shown above the first page of results.
    Unknown parameters are ignored.
    """

    paginate_by = 20
    page_error = None

    def get(self, request, *args, **kwargs):
        self.filterset = self.get_filterset(self.get_filterset_class())
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
        try:
            page = paginator.page(number)
        except InvalidPage:
            self.page_error = _(
                "There is no page “%(page)s”: pages run from 1 to %(last)s."
            ) % {"page": number, "last": paginator.num_pages}
            page = paginator.page(1)
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_error"] = self.page_error
        context["result_count"] = (
            context["paginator"].count if context.get("paginator") else None
        )
        return context


class PartnerDetailView(PreviewMixin, DetailView):
    queryset = Partner.objects.for_list()


class OfficeDetailView(PreviewMixin, DetailView):
    model = Office
