from django.urls import path

from surveys.views import public, staff

app_name = "surveys"

urlpatterns = [
    path("stays/<int:pk>/", staff.stay_survey, name="stay"),
    path("stays/<int:pk>/record/", staff.stay_survey_record, name="stay_record"),
    path("stays/<int:pk>/send/", staff.stay_survey_send, name="stay_send"),
    path("answer/<str:token>/", public.survey_public, name="public"),
]
