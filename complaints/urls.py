from django.urls import path

from complaints import views

app_name = "complaints"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("export.csv", views.export, name="export"),
    path("new/", views.log, name="log"),
    path("new/guests/", views.guest_picker, name="guest_search"),
    path("<int:pk>/", views.ticket, name="ticket"),
    path("<int:pk>/timeline/", views.timeline, name="timeline"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/step/", views.step, name="step"),
    path("<int:pk>/departments/", views.bring_in, name="bring_in"),
    path("<int:pk>/escalation/", views.escalate, name="escalate"),
    path("<int:pk>/recovery/", views.recovery, name="recovery"),
    path("<int:pk>/feedback/", views.feedback, name="feedback"),
    path("<int:pk>/feedback/send/", views.feedback_resend, name="feedback_resend"),
    # acknowledge, start, resolve, close, reopen (the view answers 404 to anything else)
    path("<int:pk>/<slug:action>/", views.transition, name="transition"),
    path("recovery/<int:pk>/decision/", views.decide, name="decide"),
    path("feedback/<str:token>/", views.feedback_public, name="feedback_public"),
]
