from django.urls import path

from guests import data_views, views

app_name = "guests"

urlpatterns = [
    path("", views.guest_list, name="list"),
    path("search/", views.guest_search, name="search"),
    path("new/", views.guest_create, name="create"),
    path("<int:pk>/", views.guest_detail, name="detail"),
    path("<int:pk>/edit/", views.guest_edit, name="edit"),
    path("<int:pk>/stays/", views.stay_list, name="stays"),
    path("<int:pk>/stays/new/", views.stay_create, name="stay_create"),
    path("stays/<int:pk>/edit/", views.stay_edit, name="stay_edit"),
    path("companies/", views.company_list, name="companies"),
    path("companies/new/", views.company_create, name="company_create"),
    path("companies/<int:pk>/", views.company_detail, name="company"),
    path("companies/<int:pk>/edit/", views.company_edit, name="company_edit"),
    path("companies/<int:pk>/pause/", views.company_charge_pause, name="company_pause"),
    path("companies/<int:pk>/resume/", views.company_charge_resume, name="company_resume"),
    path("access-log/", views.access_log, name="access_log"),
    path("duplicates/", data_views.duplicate_list, name="duplicates"),
    path("duplicates/refresh/", data_views.duplicate_refresh, name="duplicates_refresh"),
    path(
        "<int:pk>/duplicates/<int:other>/dismiss/",
        data_views.duplicate_dismiss,
        name="duplicate_dismiss",
    ),
    path("<int:pk>/merge/<int:other>/", data_views.guest_merge, name="merge"),
    path("<int:pk>/privacy/", data_views.privacy_export, name="privacy_export"),
    path("<int:pk>/privacy/erase/", data_views.privacy_erase, name="privacy_erase"),
]
