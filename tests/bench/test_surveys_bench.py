"""The surveys benchmark at a tiny size: seeds, then times every case (not asserted)."""

from __future__ import annotations

from bench import surveys


def test_surveys_bench_tiny(db):
    figures = surveys.run(400, repeats=2)
    cases = [f.case for f in figures]
    assert cases[0] == "seeding 400 responses"
    assert "Guest voice, 365 days by month" in cases
    from surveys.models import SurveyLink, SurveyResponse

    assert SurveyResponse.objects.count() == 400
    assert SurveyLink.objects.count() == 500
    assert SurveyLink.objects.filter(responded_at__isnull=False).count() == 400
    # run again: the bench rows are replaced, not added to
    surveys.run(400, repeats=1)
    assert SurveyResponse.objects.count() == 400
