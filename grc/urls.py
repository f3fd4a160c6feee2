from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts import views as account_views
from grc import views
from guests import care_views
from notifications import views as notification_views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("language/", views.language_set, name="language_set"),
    path("departments/", account_views.department_list, name="departments"),
    path("departments/new/", account_views.department_create, name="department_create"),
    path("departments/<int:pk>/", account_views.department_edit, name="department_edit"),
    path("security/", account_views.security_log, name="security_log"),
    path("notifications/", notification_views.notification_list, name="notifications"),
    path(
        "notifications/<int:pk>/retry/",
        notification_views.notification_retry_view,
        name="notification_retry",
    ),
    path("follow-ups/", care_views.caretask_list, name="caretasks"),
    path("follow-ups/<int:pk>/", care_views.caretask_detail, name="caretask_detail"),
    path("loyalty/", include("loyalty.urls")),
    path("guest-value/", include("retention.urls")),
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
    path("surveys/", include("surveys.urls")),
    path("imports/", include("imports.urls")),
    path("admin/", admin.site.urls),
]
