from django.urls import path

from units import views

app_name = "units"
urlpatterns = [
    path("<slug:slug>/", views.UnitDetailView.as_view(), name="detail"),
]
