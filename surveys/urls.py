from django.urls import path

from surveys.views import lists, public, staff

app_name = "surveys"

urlpatterns = [
    path("", lists.survey_list, name="list"),
    path("export.csv", lists.survey_export, name="export"),
    path("voice/", lists.guest_voice, name="voice"),
    path("thanks/", lists.praise, name="praise"),
    path("stays/<int:pk>/", staff.stay_survey, name="stay"),
    path("stays/<int:pk>/record/", staff.stay_survey_record, name="stay_record"),
    path("stays/<int:pk>/send/", staff.stay_survey_send, name="stay_send"),
    path("stays/<int:pk>/thanked/", staff.stay_survey_thanked, name="stay_thanked"),
    path("answer/<str:token>/", public.survey_public, name="survey_public"),
]
