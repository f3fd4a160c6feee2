from django.urls import path

from retention import views

app_name = "retention"

urlpatterns = [
    path("", views.value_list, name="list"),
    path("export.csv", views.value_export, name="export"),
    path("keep-in-touch/", views.keep_in_touch, name="keep_in_touch"),
    path("segments/", views.segment_rules, name="segments"),
    path("guests/<int:guest_id>/recompute/", views.value_recompute, name="recompute"),
    path("distribute/", views.distribute, name="distribute"),
    path("win-back/<int:task_pk>/", views.win_back_detail, name="win_back"),
    path("lost/", views.lost_report, name="lost_report"),
]
