"""manage.py calendar_load and the admin upload: check everything, load all or nothing, idempotent."""

from __future__ import annotations

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from zwfw.core.calendar import (
    add_working_days,
    calendar_reset,
    holiday_csv_parse,
    is_provisional_year,
    is_workday,
)
from zwfw.core.errors import ValidationFailed
from zwfw.core.models import AuditEvent, Holiday

D = datetime.date
DATA = Path(__file__).resolve().parents[3] / "data" / "holidays"
pytestmark = pytest.mark.django_db

GOOD_2027 = """date,kind,name,source
2027-01-01,holiday,元旦,test notice
2027-02-05,holiday,春节,test notice
2027-02-06,holiday,春节,test notice
2027-02-20,workday,春节调休上班,test notice
"""


@pytest.fixture(autouse=True)
def _fresh_calendar():
    calendar_reset()
    yield
    calendar_reset()


def _load(tmp_path, text, *args, name="notice.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    out, err = StringIO(), StringIO()
    call_command("calendar_load", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _rows():
    return sorted(Holiday.objects.values_list("date", "kind", "name", "source"))


def test_a_good_file_is_loaded_and_the_year_stops_being_provisional(tmp_path):
    assert is_provisional_year(2027)
    out, _ = _load(tmp_path, GOOD_2027)
    assert "4" in out
    assert _rows()[0] == (D(2027, 1, 1), "holiday", "元旦", "test notice")
    assert not is_provisional_year(2027)
    assert not is_workday(D(2027, 2, 5)) and is_workday(D(2027, 2, 20))
    assert AuditEvent.objects.filter(object_type="calendar", action="holidays_loaded").count() == 1


def test_loading_the_same_file_twice_changes_nothing(tmp_path):
    _load(tmp_path, GOOD_2027)
    before = list(Holiday.objects.order_by("date").values())
    out, _ = _load(tmp_path, GOOD_2027)
    assert "新增0天，修改0天，未变4天" in out  # the command speaks Chinese
    assert list(Holiday.objects.order_by("date").values()) == before
    assert AuditEvent.objects.filter(object_type="calendar").count() == 1


def test_a_changed_row_is_updated_and_replace_year_deletes_the_rest(tmp_path):
    _load(tmp_path, GOOD_2027)
    corrected = "date,kind,name\n2027-02-05,workday,春节调休上班\n2027-02-06,holiday,春节\n"
    _load(tmp_path, corrected, name="fix.csv")
    assert len(_rows()) == 4
    assert Holiday.objects.get(date=D(2027, 2, 5)).kind == "workday"
    assert Holiday.objects.get(date=D(2027, 2, 6)).source == "fix.csv"  # the file name by default
    assert is_workday(D(2027, 2, 5))
    out, _ = _load(tmp_path, corrected, "--replace-year", name="fix.csv")
    assert "删除2天" in out
    assert [r[0] for r in _rows()] == [D(2027, 2, 5), D(2027, 2, 6)]


def test_a_bad_file_reports_every_bad_line_and_loads_nothing(tmp_path):
    bad = (
        "date,kind,name\n"
        "2027-01-01,holiday,元旦\n"  # 2: good
        "2027-02-30,holiday,春节\n"  # 3: no such day
        "2027/02/06,holiday,春节\n"  # 4: wrong form
        "2027-02-07,vacation,春节\n"  # 5: unknown kind
        "2027-01-01,holiday,元旦\n"  # 6: duplicate of line 2
        "\n"  # 7: blank, skipped
        "2027-02-08,holiday\n"  # 8: too few fields
        "1900-01-01,holiday,old\n"  # 9: outside the years
        f"2027-02-09,holiday,{'长' * 61}\n"  # 10: name too long
    )
    with pytest.raises(CommandError) as exc:
        _load(tmp_path, bad)
    assert "未导入任何数据" in str(exc.value)
    assert Holiday.objects.count() == 0
    assert AuditEvent.objects.filter(object_type="calendar").count() == 0
    with pytest.raises(ValidationFailed) as failed:
        holiday_csv_parse(bad)
    assert failed.value.code == "calendar.invalid_file"
    assert [p["line"] for p in failed.value.details] == [3, 4, 5, 6, 8, 9, 10]
    messages = {p["line"]: p["message"] for p in failed.value.details}
    assert "2027-02-30" in messages[3]
    assert "vacation" in messages[5]
    assert "第2行" in messages[6]


def test_the_command_prints_every_bad_line_with_its_number(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("date,kind,name\n2027-13-01,holiday,x\n2027-01-02,off,x\n", encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("calendar_load", str(path), stderr=err)
    lines = err.getvalue().splitlines()
    assert lines[0].startswith(f"{path}:2: ") and lines[1].startswith(f"{path}:3: ")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "day,kind,name\n2027-01-01,holiday,元旦\n",
        "date,kind,name,colour\n2027-01-01,holiday,元旦,red\n",
        "date,kind,name\n",
    ],
)
def test_a_file_without_a_proper_header_or_rows_is_refused(text):
    with pytest.raises(ValidationFailed) as failed:
        holiday_csv_parse(text)
    assert failed.value.details[0]["line"] in (1, 2)


def test_gb18030_and_utf8_with_a_byte_order_mark_are_read(tmp_path):
    _load(tmp_path, GOOD_2027, encoding="gb18030")
    assert Holiday.objects.get(date=D(2027, 1, 1)).name == "元旦"
    rows = holiday_csv_parse(("\ufeff" + GOOD_2027).encode("utf-8"))
    assert len(rows) == 4


def test_the_shipped_notices_agree_with_chinesecalendar(tmp_path):
    expected = {y: [add_working_days(D(y, 1, 1), n) for n in range(1, 250)] for y in (2024, 2025, 2026)}
    for year in (2024, 2025, 2026):
        out = StringIO()
        call_command("calendar_load", str(DATA / f"{year}.csv"), stdout=out)
    assert Holiday.objects.filter(date__year=2025, kind="workday").count() == 5
    for year, dues in expected.items():
        assert [add_working_days(D(year, 1, 1), n) for n in range(1, 250)] == dues


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="missing.csv"):
        call_command("calendar_load", str(tmp_path / "missing.csv"))


def test_the_admin_upload_page_uses_the_same_loader(admin_client):
    page = admin_client.get("/admin/core/holiday/")
    assert page.status_code == 200
    assert b"upload/" in page.content
    assert admin_client.get("/admin/core/holiday/upload/").status_code == 200
    bad = SimpleUploadedFile("bad.csv", b"date,kind,name\n2027-01-01,nope,x\n", content_type="text/csv")
    response = admin_client.post("/admin/core/holiday/upload/", {"file": bad})
    assert response.status_code == 200
    assert "nope" in response.content.decode()
    assert Holiday.objects.count() == 0
    good = SimpleUploadedFile("2027.csv", GOOD_2027.encode(), content_type="text/csv")
    response = admin_client.post("/admin/core/holiday/upload/", {"file": good})
    assert response.status_code == 302
    assert Holiday.objects.count() == 4
    assert not is_provisional_year(2027)
    event = AuditEvent.objects.get(object_type="calendar")
    assert event.actor_id is not None


def test_the_upload_page_needs_the_holiday_permissions(client, django_user_model):
    staff = django_user_model.objects.create_user(username="clerk", password="x", is_staff=True)
    client.force_login(staff)
    assert client.get("/admin/core/holiday/upload/").status_code == 403
