from django.views.generic import DetailView

from partners.models import Office, Partner


class PreviewMixin:
    """Show published records to visitors, and drafts too to staff (preview)."""

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.request.user.is_staff:
            return queryset
        return queryset.public()


class PartnerDetailView(PreviewMixin, DetailView):
    queryset = Partner.objects.for_list()


class OfficeDetailView(PreviewMixin, DetailView):
    model = Office
