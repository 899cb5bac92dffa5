from django.urls import path

from programmes import views

app_name = "programmes"
urlpatterns = [
    path("programmes/", views.ProgrammeListView.as_view(), name="list"),
    path("programmes/<slug:slug>/", views.ProgrammeDetailView.as_view(), name="detail"),
    path("grants/", views.GrantListView.as_view(), name="grant-list"),
    path("grants/<slug:slug>/", views.GrantDetailView.as_view(), name="grant-detail"),
    path("projects/", views.ProjectListView.as_view(), name="project-list"),
    path(
        "projects/<slug:slug>/",
        views.ProjectDetailView.as_view(),
        name="project-detail",
    ),
]
