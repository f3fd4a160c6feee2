"""The import pages: who may use them, and the upload → map → check → import → progress path."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from guests.models import Guest
from imports import services
from imports.models import ImportRun
from tests.factories import make_import_run, pms_file

ROWS = [
    {
        "Guest name": "Anna Smith",
        "Cell": "+44 7911 123456",
        "Res no": "R-1",
        "Arrival": "2026-03-01",
        "Departure": "2026-03-04",
    },
    {
        "Guest name": "Ben Jones",
        "Cell": "12",
        "Res no": "R-2",
        "Arrival": "2026-03-01",
        "Departure": "2026-03-04",
    },
]


def upload(client, content: bytes, name: str = "export.csv"):
    return client.post(reverse("imports:list"), {"file": SimpleUploadedFile(name, content)})


@pytest.mark.parametrize("role", ["front_desk", "officer", "account_manager", "department_head"])
def test_only_managers_and_administrators_may_import(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("imports:list")).status_code == 403
    assert upload(client, pms_file(ROWS)).status_code == 403
    assert not ImportRun.objects.exists()


def test_a_manager_uploads_corrects_the_mapping_checks_and_imports(client, manager):
    client.force_login(manager)
    response = upload(client, pms_file(ROWS))
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "imports:mapping", args=[run.pk]
    )
    # "Cell" is not a header we know: it is offered as "not imported" and the user picks it.
    assert "phone" not in run.mapping
    page = client.get(response["Location"])
    assert page.status_code == 200 and "Anna Smith" in page.content.decode()

    data = {
        "action": "mapping",
        "column_0": "name",
        "column_1": "phone",
        "column_2": "stay_ref",
        "column_3": "arrival",
        "column_4": "departure",
    }
    response = client.post(reverse("imports:mapping", args=[run.pk]), data)
    assert response["Location"] == reverse("imports:preview", args=[run.pk])
    preview = client.get(response["Location"]).content.decode()
    assert "1 of 2 rows can be imported; 1 refused." in preview
    assert "“12” is not a possible phone number." in preview
    assert not Guest.objects.exists()

    response = client.post(reverse("imports:preview", args=[run.pk]))
    assert response["Location"] == reverse("imports:progress", args=[run.pk])
    run.refresh_from_db()
    assert run.status == ImportRun.Status.QUEUED
    services.run_execute(run_id=run.pk)  # what the worker does
    fragment = client.get(reverse("imports:progress", args=[run.pk]), HTTP_HX_REQUEST="true")
    text = fragment.content.decode()
    assert "100 %" in text and "2 of 2 rows done" in text and "hx-trigger" not in text
    assert Guest.objects.get().phones.get().number == "+447911123456"


def test_a_mapping_that_picks_a_field_twice_keeps_the_choices_and_says_why(client, manager):
    client.force_login(manager)
    run = make_import_run(by=manager, content=pms_file(ROWS))
    data = {"action": "mapping", "column_0": "name", "column_1": "name"}
    response = client.post(reverse("imports:mapping", args=[run.pk]), data)
    assert response.status_code == 422
    assert "is chosen for two columns" in response.content.decode()
    run.refresh_from_db()
    assert run.status == ImportRun.Status.UPLOADED


def test_a_file_that_cannot_be_read_is_refused_with_a_message(client, manager):
    client.force_login(manager)
    response = upload(client, b"\x00\x01garbage", name="export.xlsx")
    assert response.status_code == 422
    assert "not a readable Excel" in response.content.decode()


def test_the_progress_page_polls_while_the_import_runs_and_can_cancel(client, manager):
    client.force_login(manager)
    run = make_import_run(by=manager, content=pms_file(ROWS))
    services.run_check(run=run, mapping=run.mapping)
    services.run_start(run=run, by=manager)
    page = client.get(reverse("imports:progress", args=[run.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page and "Cancel the import" in page

    client.post(reverse("imports:cancel", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == ImportRun.Status.CANCELLED
    page = client.get(reverse("imports:progress", args=[run.pk])).content.decode()
    assert "Resume the import" in page


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_template_downloads_and_reads_back_as_every_column(client, manager, fmt):
    from imports.columns import COLUMNS

    client.force_login(manager)
    response = client.get(reverse("imports:template", args=[fmt]))
    assert response.status_code == 200
    run = make_import_run(by=manager, content=response.content, name=f"template.{fmt}")
    assert run.mapping == {column.key: i for i, column in enumerate(COLUMNS)}


def test_the_list_of_imports_takes_a_fixed_number_of_queries(
    client, manager, django_assert_max_num_queries
):
    for _n in range(5):
        make_import_run(by=manager, content=pms_file(ROWS))
    client.force_login(manager)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("imports:list"))
    assert response.content.decode().count("export.csv") == 5


def test_a_failed_import_shows_its_line_and_offers_to_resume(client, manager):
    client.force_login(manager)
    run = make_import_run(by=manager, content=pms_file(ROWS))
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportRun.Status.FAILED, error_line=27, error_text="ValueError: out of range"
    )
    page = client.get(reverse("imports:progress", args=[run.pk])).content.decode()
    assert "The import stopped at line 27" in page and "Resume the import" in page
    client.post(reverse("imports:resume", args=[run.pk]))
    assert ImportRun.objects.get(pk=run.pk).status == ImportRun.Status.QUEUED


def test_a_mapping_page_whose_file_is_gone_says_so_instead_of_failing(client, manager):
    client.force_login(manager)
    run = make_import_run(by=manager, content=pms_file(ROWS))
    services.import_path(run).unlink()
    assert client.get(reverse("imports:mapping", args=[run.pk])).status_code == 200
    response = client.post(
        reverse("imports:mapping", args=[run.pk]), {"action": "mapping", "column_0": "name"}
    )
    assert response.status_code == 422
    assert "The uploaded file is gone: upload it again." in response.content.decode()


def test_an_import_whose_worker_died_offers_to_resume(client, manager):
    from datetime import timedelta

    from django.utils import timezone

    client.force_login(manager)
    run = make_import_run(by=manager, content=pms_file(ROWS))
    lost = timezone.now() - services.STALE_AFTER - timedelta(minutes=1)
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.RUNNING, updated_at=lost)
    page = client.get(reverse("imports:progress", args=[run.pk])).content.decode()
    assert "the worker importing this file has stopped" in page and "Resume the import" in page
    client.post(reverse("imports:resume", args=[run.pk]))
    assert ImportRun.objects.get(pk=run.pk).status == ImportRun.Status.QUEUED
