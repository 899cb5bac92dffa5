from django.views.generic import DetailView

from partners.views import PreviewMixin
from units.models import Unit


class UnitDetailView(PreviewMixin, DetailView):
    queryset = Unit.objects.for_detail()
