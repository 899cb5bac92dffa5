from django.urls import path

from partners import api, views

app_name = "partners"
urlpatterns = [
    path("partners/", views.PartnerListView.as_view(), name="list"),
    # ".json" can be no partner's slug: the address never hides a partner's page.
    path("partners/names.json", api.partner_autocomplete, name="autocomplete"),
    path("partners/<slug:slug>/", views.PartnerDetailView.as_view(), name="detail"),
    path("offices/", views.OfficeListView.as_view(), name="office-list"),
    path(
        "offices/<slug:slug>/", views.OfficeDetailView.as_view(), name="office-detail"
    ),
]
