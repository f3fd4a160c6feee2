"""A manager imports a PMS export: corrects a column, sees the bad rows, imports, watches it end."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from guests.models import Guest
from tests.browser.test_shell import choose
from tests.factories import pms_file

ROWS = [
    {
        "姓名": "陈伟",
        "Handy": "138 0013 8000",
        "预订号": "R-1",
        "入住日期": "2026-03-01",
        "离店日期": "2026-03-04",
        "房型": "Deluxe King",
    },
    {
        "姓名": "王芳",
        "Handy": "139 1234 5678",
        "预订号": "R-2",
        "入住日期": "2026-03-02",
        "离店日期": "2026-02-28",
        "房型": "Deluxe King",
    },  # line 3: departs before arriving
    {
        "姓名": "李娜",
        "Handy": "12345",
        "预订号": "R-3",
        "入住日期": "2026-03-02",
        "离店日期": "2026-03-05",
        "房型": "Deluxe King",
    },  # line 4: impossible phone
    {
        "姓名": "张伟",
        "Handy": "137 0000 1111",
        "预订号": "R-4",
        "入住日期": "2026-03-02",
        "离店日期": "2026-03-05",
        "房型": "Penthouse",
    },  # line 5: unknown room type
    {
        "姓名": "刘洋",
        "Handy": "136 0000 2222",
        "预订号": "R-5",
        "入住日期": "2026-03-03",
        "离店日期": "2026-03-06",
        "房型": "Junior Suite",
    },
]


@pytest.fixture
def import_dir(settings, tmp_path):
    """Where the live server keeps the upload and the worker reads it."""
    settings.IMPORT_FILE_DIR = tmp_path / "imports"
    return settings.IMPORT_FILE_DIR


@pytest.mark.django_db(transaction=True)
def test_a_manager_corrects_a_column_sees_the_bad_rows_and_watches_the_import_finish(
    page, login, manager, celery_workers, import_dir
):
    celery_workers.start(env={"IMPORT_FILE_DIR": str(import_dir), "IMPORT_CHUNK_ROWS": "2"})
    login(manager)
    page.goto("/imports/")
    expect(page.get_by_role("heading", name="Import guests and stays from the PMS")).to_be_visible()
    page.get_by_label("PMS export file").set_input_files(
        files=[
            {"name": "opera.csv", "mimeType": "text/csv", "buffer": pms_file(ROWS, encoding="gbk")}
        ]
    )
    page.get_by_role("button", name="Upload and read the columns").click()

    # "Handy" is not a header the app knows: the manager says it is the mobile phone.
    expect(page.get_by_role("heading", name="Map the columns of opera.csv")).to_be_visible()
    expect(page.get_by_label("姓名")).to_have_value("name")
    expect(page.get_by_label("Handy")).to_have_value("")
    expect(page.get_by_role("row", name=re.compile("Handy"))).to_contain_text("138 0013 8000")
    page.get_by_label("Handy").select_option(label="Mobile phone")
    page.get_by_role("button", name="Check every row").click()

    expect(page.get_by_test_id("check-summary")).to_have_text(
        "2 of 5 rows can be imported; 3 refused."
    )
    refused = page.get_by_test_id("refused-rows")
    expect(refused.get_by_role("row")).to_have_count(4)  # the header and three rows
    expect(refused.get_by_role("row", name=re.compile("^3 "))).to_contain_text(
        "The departure (2026-02-28) is not after the arrival (2026-03-02)."
    )
    expect(refused.get_by_role("row", name=re.compile("^4 "))).to_contain_text(
        "“12345” is not a possible phone number."
    )
    expect(refused.get_by_role("row", name=re.compile("^5 "))).to_contain_text(
        "“Penthouse” is not a room type of this hotel."
    )
    assert not Guest.objects.exists()

    page.get_by_role("button", name="Import 2 valid rows").click()
    bar = page.get_by_role("progressbar", name="Rows imported")
    expect(bar).to_have_attribute("aria-valuenow", "100", timeout=60_000)
    expect(bar).to_have_text("100 %")
    expect(page.get_by_test_id("rows-done")).to_have_text("5 of 5 rows done")
    expect(page.get_by_text("Done", exact=True)).to_be_visible()
    expect(page.get_by_test_id("counts")).to_contain_text(re.compile(r"New\s*2"))
    expect(page.get_by_test_id("counts")).to_contain_text(re.compile(r"Refused\s*3"))
    assert set(Guest.objects.values_list("family_name", flat=True)) == {"陈", "刘"}
    assert Guest.objects.get(family_name="陈").phones.get().number == "+8613800138000"

    # The refused rows read in the reader's language.
    page.get_by_role("link", name="Rows refused").click()
    page.wait_for_url("**/preview/")
    page.get_by_role("button", name="Menu").click()  # 1280 px: the bar folds into a menu
    choose(page, "Language: English", "简体中文")
    refused = page.get_by_test_id("refused-rows")
    expect(refused.get_by_role("row", name=re.compile("^4 "))).to_contain_text(
        "“12345”不是可能的电话号码。"
    )
    expect(refused.get_by_role("row", name=re.compile("^5 "))).to_contain_text(
        "“Penthouse”不是本酒店的房型。"
    )
