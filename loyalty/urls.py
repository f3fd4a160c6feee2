from django.urls import path

from loyalty import views

app_name = "loyalty"

urlpatterns = [
    path("", views.member_list, name="members"),
    path("members/<int:pk>/", views.member_detail, name="member"),
    path("members/<int:pk>/redeem/", views.redeem, name="redeem"),
    path("members/<int:pk>/adjust/", views.points_adjust, name="adjust"),
    path("enrol/<int:guest_id>/", views.member_enrol, name="enrol"),
    path("redemptions/<int:pk>/reverse/", views.redemption_reverse, name="reverse"),
    path("rewards/", views.reward_list, name="rewards"),
    path("expiring/", views.expiring_list, name="expiring"),
    path("liability/", views.liability, name="liability"),
]
