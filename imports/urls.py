from django.urls import path

from imports import views

app_name = "imports"

urlpatterns = [
    path("", views.run_list, name="list"),
    path("template.<str:fmt>", views.template_download, name="template"),
    path("<int:pk>/", views.run_mapping, name="mapping"),
    path("<int:pk>/preview/", views.run_preview, name="preview"),
    path("<int:pk>/progress/", views.run_progress, name="progress"),
    path("<int:pk>/cancel/", views.run_cancel, name="cancel"),
    path("<int:pk>/resume/", views.run_resume, name="resume"),
]
