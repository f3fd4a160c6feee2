from django.urls import path

from guests import views

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
]
