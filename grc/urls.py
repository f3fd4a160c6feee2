from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from grc import views
from grc.messaging import views as messaging_views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("language/", views.language_set, name="language_set"),
    path("departments/", views.department_list, name="departments"),
    path("departments/new/", views.department_create, name="department_create"),
    path("departments/<int:pk>/", views.department_edit, name="department_edit"),
    path("notifications/", messaging_views.notification_list, name="notifications"),
    path(
        "notifications/<int:pk>/retry/",
        messaging_views.notification_retry_view,
        name="notification_retry",
    ),
    path("follow-ups/", views.caretask_list, name="caretasks"),
    path("follow-ups/<int:pk>/", views.caretask_detail, name="caretask_detail"),
    path("loyalty/", include("loyalty.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("guests/", include("guests.urls")),
    path("complaints/", include("complaints.urls")),
    path("admin/", admin.site.urls),
]
