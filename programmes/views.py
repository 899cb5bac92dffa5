from django.views.generic import DetailView

from partners.views import PreviewMixin
from programmes.models import Grant, Programme, Project


class ProgrammeDetailView(PreviewMixin, DetailView):
    queryset = Programme.objects.for_list()


class GrantDetailView(PreviewMixin, DetailView):
    queryset = Grant.objects.for_list()


class ProjectDetailView(PreviewMixin, DetailView):
    queryset = Project.objects.for_detail()
