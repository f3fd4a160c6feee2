"""Reading a file and checking every row before anything is written."""

from __future__ import annotations

import codecs

import pytest
from django.utils import translation

from guests.models import Guest, Stay
from imports import services
from imports.models import ImportRun
from imports.reading import encoding_detect
from imports.selectors import problems_list, refused_rows
from tests.factories import make_import_run, pms_file

CHINESE = [
    {
        "客人编号": "P-1",
        "姓名": "陈伟",
        "手机": "138 0013 8000",
        "证件号": "110101199003074477",
        "入住日期": "2026-03-01",
        "离店日期": "2026-03-04",
        "房号": "1208",
        "房型": "Deluxe King",
        "邮箱": "chen@example.com",
        "生日": "1990-03-07",
        "公司": "华为",
    },
    {
        "客人编号": "P-2",
        "姓名": "欧阳娜娜",
        "手机": "139 1234 5678",
        "证件号": "",
        "入住日期": "2026年3月2日",
        "离店日期": "2026/03/05",
        "房号": "0906",
        "房型": "Junior Suite",
        "邮箱": "",
        "生日": "",
        "公司": "",
    },
]


def refusals(run: ImportRun) -> dict[int, list[str]]:
    return {row.line: row.reasons for row in refused_rows(list(problems_list(run=run)))}


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [
        ("utf-8", "utf-8-sig"),
        ("utf-8-sig", "utf-8-sig"),
        ("gbk", "gb18030"),
        ("gb18030", "gb18030"),
        ("utf-16", "utf-16"),
    ],
)
def test_the_encoding_is_detected(tmp_path, encoding, expected):
    path = tmp_path / "export.csv"
    path.write_bytes(pms_file(CHINESE, encoding=encoding))
    assert encoding_detect(path) == expected


def test_a_utf16_file_without_bom_is_detected(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(pms_file(CHINESE, encoding="utf-16-le"))
    assert encoding_detect(path) == "utf-16-le"


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("gbk", ","), ("gb18030", ";"), ("utf-16", "\t"), ("utf-8-sig", ",")],
)
def test_chinese_headers_in_any_encoding_are_mapped_and_imported(
    manager, import_now, encoding, delimiter
):
    content = pms_file(CHINESE, encoding=encoding, delimiter=delimiter)
    run = make_import_run(by=manager, content=content)

    assert run.headers[1] == "姓名"
    assert run.mapping == {
        "guest_ref": 0,
        "name": 1,
        "phone": 2,
        "document": 3,
        "arrival": 4,
        "departure": 5,
        "room_number": 6,
        "room_type": 7,
        "email": 8,
        "birthday": 9,
        "company": 10,
    }
    run = import_now(run)
    assert run.created_count == 2 and run.refused_count == 0
    ouyang = Guest.objects.get(family_name="欧阳")
    assert ouyang.given_name == "娜娜"
    assert ouyang.stays.get().arrival.isoformat() == "2026-03-02"
    assert Guest.objects.get(family_name="陈").company.name == "华为"


def test_an_xlsx_file_is_read_with_its_dates_and_numbers(manager, import_now):
    rows = [dict(CHINESE[0], 手机=13800138000)]
    content = pms_file(rows, fmt="xlsx")
    run = import_now(make_import_run(by=manager, content=content, name="export.xlsx"))

    assert run.file_format == "xlsx" and run.created_count == 1
    assert Guest.objects.get().phones.get().number == "+8613800138000"


def test_the_user_can_override_the_encoding(manager):
    run = make_import_run(by=manager, content=pms_file(CHINESE, encoding="gbk"))
    assert run.encoding == "gb18030"
    for wrong in ("utf-16", "utf-8-sig"):  # GBK is neither: said so, nothing changed
        with pytest.raises(services.ImportRefused):
            services.run_encoding_set(run=run, encoding=wrong)
    run = services.run_encoding_set(run=run, encoding="gb18030")
    assert run.headers[1] == "姓名" and run.mapping["name"] == 1


def test_a_gbk_file_taken_for_utf8_says_so_and_reads_after_the_override(manager, import_now):
    # 140 KB of Latin names first: the start of the file is valid UTF-8.
    rows = [
        {
            "Name": f"Guest{n} Test",
            "Reservation": f"R-{n}",
            "Arrival": "2026-03-01",
            "Departure": "2026-03-02",
        }
        for n in range(3000)
    ]
    rows.append(
        {"Name": "陈伟", "Reservation": "R-CN", "Arrival": "2026-03-01", "Departure": "2026-03-02"}
    )
    run = make_import_run(by=manager, content=pms_file(rows, encoding="gbk"))
    assert run.encoding == "utf-8-sig"
    with pytest.raises(services.ImportRefused, match="not in the utf-8-sig encoding"):
        services.run_check(run=run, mapping=run.mapping)

    run = services.run_encoding_set(run=run, encoding="gb18030")
    run = import_now(run)
    assert run.created_count == 3001 and Guest.objects.filter(family_name="陈").exists()


def good(n: int, **extra) -> dict:
    row = {
        "Name": f"Guest{n} Test",
        "Mobile": "",
        "Reservation": f"R-{n}",
        "Arrival": "2026-03-01",
        "Departure": "2026-03-03",
        "Room type": "Deluxe King",
        "E-mail": "",
        "Birthday": "",
    }
    row.update(extra)
    return row


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_written_for_it(manager, import_now):
    rows = [
        good(1),
        good(2, Arrival="2026-02-30"),  # line 3
        good(3, Departure="2026-02-27"),  # line 4
        good(4, Mobile="12345"),  # line 5
        good(1),  # line 6: R-1 again
        good(6, **{"Room type": "Penthouse"}),  # line 7
        good(7, Name="", **{"E-mail": "not-an-email"}),  # line 8: two reasons
        good(8, Birthday="1990-02-30"),  # line 9
        good(9),
    ]
    run = make_import_run(by=manager, content=pms_file(rows))
    run = services.run_check(run=run, mapping=run.mapping)

    assert (run.total_rows, run.bad_rows) == (9, 7)
    assert Guest.objects.count() == 0  # the check writes nothing
    with translation.override("en"):
        found = refusals(run)
    assert sorted(found) == [3, 4, 5, 6, 7, 8, 9]
    assert found[3] == ["“2026-02-30” in “Arrival” is not a date (use 2026-03-01)."]
    assert found[4] == ["The departure (2026-02-27) is not after the arrival (2026-03-01)."]
    assert found[5] == ["“12345” is not a possible phone number."]
    assert found[6] == ["Reservation number R-1 is already on line 2 of this file."]
    assert found[7] == ["“Penthouse” is not a room type of this hotel."]
    assert found[8] == ["The name is missing.", "“not-an-email” is not an e-mail address."]
    assert found[9] == ["“1990-02-30” is not a possible birthday."]

    run = import_now(run)
    assert (run.created_count, run.refused_count) == (2, 7)
    assert set(Stay.objects.values_list("pms_reference", flat=True)) == {"R-1", "R-9"}


def test_the_reasons_are_read_in_the_readers_language(manager):
    run = make_import_run(by=manager, content=pms_file([good(1, Departure="2026-02-01")]))
    run = services.run_check(run=run, mapping=run.mapping)
    with translation.override("zh-hans"):
        reasons = refusals(run)[2]
    assert reasons == ["离店日期（2026-02-01）不在入住日期（2026-03-01）之后。"]


def test_a_mapping_without_a_name_column_is_refused(manager):
    run = make_import_run(by=manager, content=pms_file([good(1)]))
    with pytest.raises(services.ImportRefused):
        services.run_check(run=run, mapping={"stay_ref": 2})


def test_a_file_that_is_not_csv_or_xlsx_is_refused(manager):
    with pytest.raises(services.ImportRefused):
        make_import_run(by=manager, content=b"%PDF-1.4", name="export.pdf")
    with pytest.raises(services.ImportRefused):
        make_import_run(by=manager, content=b"not a zip", name="export.xlsx")
    import io
    import zipfile

    not_a_workbook = io.BytesIO()
    with zipfile.ZipFile(not_a_workbook, "w") as archive:
        archive.writestr("hello.txt", "a zip, but no workbook in it")
    with pytest.raises(services.ImportRefused, match="not a readable Excel"):
        make_import_run(by=manager, content=not_a_workbook.getvalue(), name="export.xlsx")


def test_the_template_is_read_back_as_every_column(manager):
    from imports.columns import COLUMNS

    header = ",".join(column.key for column in COLUMNS)
    run = make_import_run(by=manager, content=(header + "\r\n").encode() + codecs.BOM_UTF8[:0])
    assert run.mapping == {column.key: i for i, column in enumerate(COLUMNS)}
