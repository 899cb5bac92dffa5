from django.urls import path

from programmes import views

app_name = "programmes"
urlpatterns = [
    path("programmes/<slug:slug>/", views.ProgrammeDetailView.as_view(), name="detail"),
    path("grants/<slug:slug>/", views.GrantDetailView.as_view(), name="grant-detail"),
    path(
        "projects/<slug:slug>/",
        views.ProjectDetailView.as_view(),
        name="project-detail",
    ),
]
