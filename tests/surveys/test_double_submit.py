"""Two submissions of the same stay's survey at the same moment (a double tap on a slow phone):
the database keeps one, and both requests answer with it."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from surveys import services
from surveys.models import SurveyResponse
from tests.factories import make_guest, make_stay


@pytest.mark.django_db(transaction=True)
def test_two_submissions_at_once_keep_one_answer():
    stay = make_stay(make_guest())
    barrier = threading.Barrier(2)
    results: list[tuple[int, bool]] = []
    errors: list[BaseException] = []

    def submit(overall: int) -> None:
        try:
            barrier.wait(timeout=10)
            response, created = services.survey_record(
                stay=stay, answers=services.Answers(overall=overall, recommend=9)
            )
            results.append((response.pk, created))
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(n,)) for n in (4, 5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert SurveyResponse.objects.filter(stay=stay).count() == 1
    kept = SurveyResponse.objects.get(stay=stay).pk
    assert sorted(created for _pk, created in results) == [False, True]
    assert {pk for pk, _created in results} == {kept}
