"""The Surveys list, its CSV export, the Guest voice figures and the praise for the team."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from complaints.views.queues import CappedPaginator, csv_cell
from core.replicas import for_heavy_read
from surveys import selectors
from surveys.forms import PraiseFilter, SurveyFilter, VoiceFilter
from surveys.models import Area

PAGE_SIZE = 25


@permission_required("surveys.view_surveyresponse", raise_exception=True)
@require_GET
def survey_list(request: HttpRequest) -> HttpResponse:
    """The answers the user may read, filtered and paged; a constant number of queries."""
    filters = SurveyFilter.from_request(request)
    responses = selectors.survey_list(user=request.user, **filters.values)
    page = CappedPaginator(responses, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        "filtering": filters.active,
        "page": page,
        "can_export": request.user.has_perm("surveys.export_responses"),
        "can_voice": request.user.has_perm("surveys.view_guest_voice"),
    }
    return render(request, "surveys/list.html", context, status=filters.status)


def _csv_rows(responses) -> Iterator[list]:
    yield [
        _("Answered at"),
        _("Guest"),
        _("Arrival"),
        _("Departure"),
        _("Channel"),
        _("Overall satisfaction"),
        _("Likelihood to recommend"),
        *[str(label) for label in Area.labels],
        _("What should we do better?"),
        _("Anyone who deserved thanks?"),
        _("Department"),
        _("Complaint ticket"),
    ]
    zone = timezone.get_current_timezone()
    for r in responses.iterator(chunk_size=2000):
        yield [
            r.submitted_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
            csv_cell(r.guest.display_name),
            r.stay.arrival.isoformat(),
            r.stay.departure.isoformat(),
            str(r.get_channel_display()),
            r.overall,
            r.recommend,
            *["" if score is None else score for _a, _l, score in r.area_scores],
            csv_cell(r.improve),
            csv_cell(r.praise),
            csv_cell(r.department.display_name if r.department else ""),
            r.ticket.number if r.ticket else "",
        ]


class _Echo:
    def write(self, value: str) -> str:
        return value


@permission_required("surveys.export_responses", raise_exception=True)
@require_GET
def survey_export(request: HttpRequest) -> StreamingHttpResponse:
    """The filtered list as CSV, streamed from a server-side cursor."""
    filters = SurveyFilter.from_request(request).values
    responses = for_heavy_read(selectors.survey_list(user=request.user, **filters))
    writer = csv.writer(_Echo())

    def rows() -> Iterator[str]:
        yield "\ufeff"  # so spreadsheet programs read the Chinese as UTF-8
        for row in _csv_rows(responses):
            yield writer.writerow(row)

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="surveys-{stamp}.csv"'
    return response


@permission_required("surveys.view_guest_voice", raise_exception=True)
@require_GET
def guest_voice(request: HttpRequest) -> HttpResponse:
    """Response rate, CSAT, NPS and area averages by week or month, with the counts behind
    them, and the latest thanks (managers)."""
    filters = VoiceFilter.from_request(request)
    start, end, period = filters.range()
    voice = selectors.guest_voice(start=start, end=end, period=period)
    praise = list(selectors.survey_praise(user=request.user, date_from=start, date_to=end)[:10])
    context = {
        "filters": filters,
        "voice": voice,
        "areas": Area.choices,
        "praise": praise,
    }
    return render(request, "surveys/voice.html", context, status=filters.status)


@permission_required("surveys.view_surveyresponse", raise_exception=True)
@require_GET
def praise(request: HttpRequest) -> HttpResponse:
    """Guests' thanks: all of them for managers, their own team's for a department head."""
    filters = PraiseFilter.from_request(request)
    responses = selectors.survey_praise(user=request.user, **filters.values)
    page = CappedPaginator(responses, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "surveys/praise.html", {"filters": filters, "page": page}, status=filters.status
    )
