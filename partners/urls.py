from django.urls import path

from partners import views

app_name = "partners"
urlpatterns = [
    path(
        "offices/<slug:slug>/", views.OfficeDetailView.as_view(), name="office-detail"
    ),
    path("<slug:slug>/", views.PartnerDetailView.as_view(), name="detail"),
]
