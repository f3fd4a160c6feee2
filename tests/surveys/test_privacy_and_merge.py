"""The surveys providers of the guest merge and the privacy export and erasure, called directly
with the contracts of core/seams.py."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from core import seams
from surveys.links import survey_link_issue
from surveys.models import SurveyLink, SurveyResponse
from tests.factories import make_guest, make_stay, make_survey_response

pytestmark = pytest.mark.django_db


def test_surveys_registers_in_every_seam_it_provides():
    assert seams.survey_links.get("surveys") is not None
    assert seams.card_panels.get("surveys") is not None
    assert seams.guest_merge_hooks.get("surveys") is not None
    assert seams.privacy_export_contributors.get("surveys") is not None
    assert seams.privacy_erase_contributors.get("surveys") is not None


def test_merging_moves_the_duplicates_answers_and_links_to_the_guest_kept(manager):
    kept, duplicate = make_guest(family="Chen"), make_guest(family="Chen", given="W.")
    kept_stay = make_stay(kept, arrival=date(2026, 3, 1))
    dup_stay = make_stay(duplicate, arrival=date(2026, 4, 1))
    make_survey_response(kept_stay, overall=5)
    make_survey_response(dup_stay, overall=2, recommend=8)
    survey_link_issue(stay=dup_stay)
    merge = seams.guest_merge_hooks.get("surveys")
    merge(kept_guest_id=kept.pk, merged_guest_id=duplicate.pk, by=manager)
    assert SurveyResponse.objects.filter(guest=kept).count() == 2
    assert not SurveyResponse.objects.filter(guest=duplicate).exists()
    assert SurveyLink.objects.get(stay=dup_stay).guest_id == kept.pk


def test_the_export_holds_the_guests_answers_in_the_readers_language():
    guest = make_guest()
    make_survey_response(
        make_stay(guest, arrival=date(2026, 3, 1)),
        overall=4,
        recommend=9,
        room=5,
        improve="Softer pillows",
        praise="Lily at the desk",
    )
    make_survey_response(make_stay(make_guest(family="Other")), overall=1)
    export = seams.privacy_export_contributors.get("surveys")
    with translation.override("en"):
        sections = export(guest)
    [rows] = sections.values()
    assert list(sections) == ["Satisfaction surveys"]
    assert len(rows) == 1
    row = rows[0]
    assert row["Overall satisfaction"] == 4 and row["Likelihood to recommend"] == 9
    assert row["Room"] == 5 and row["Value for money"] is None
    assert row["What should we do better?"] == "Softer pillows"
    assert row["Anyone who deserved thanks?"] == "Lily at the desk"
    with translation.override("zh-hans"):
        assert list(export(guest)) == ["满意度问卷"]


def test_erasure_blanks_the_guests_words_and_keeps_the_scores(manager):
    guest = make_guest()
    other = make_survey_response(make_stay(make_guest(family="Other")), improve="Keep me")
    response = make_survey_response(
        make_stay(guest), overall=2, recommend=3, improve="Rude staff", praise="Nobody"
    )
    erase = seams.privacy_erase_contributors.get("surveys")
    erase(guest_id=guest.pk, by=manager)
    response.refresh_from_db()
    assert (response.improve, response.praise, response.has_comment) == ("", "", False)
    assert (response.overall, response.recommend) == (2, 3)
    other.refresh_from_db()
    assert other.improve == "Keep me"
