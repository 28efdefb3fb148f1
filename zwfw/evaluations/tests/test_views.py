"""Pages of 好差评: rating from the applicant's space and the window tablet, the rectification
desk, the public page (no personal data), the dashboard with exports and the plan tracker."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client

from zwfw.cases.models import Channel
from zwfw.evaluations.models import Evaluation, PlanTask, Rectification, RectificationStatus
from zwfw.evaluations.tests.factories import concluded_case

pytestmark = pytest.mark.django_db


def _login(client: Client, user) -> Client:
    client.force_login(user)
    return client


def test_rate_page_and_the_loop_through_the_pages(desk, client):
    case = concluded_case(desk)
    _login(client, desk.citizen)
    page = client.get(f"/my/cases/{case.pk}/rate/")
    assert page.status_code == 200 and b'data-grade="1"' in page.content
    bad = client.post(f"/my/cases/{case.pk}/rate/", {"stage": "conclusion", "grade": "9"})
    assert bad.status_code == 422 and b'data-error-code="evaluation.bad_grade"' in bad.content
    ok = client.post(
        f"/my/cases/{case.pk}/rate/",
        {"stage": "conclusion", "grade": "1", "comment": "太慢", "indicator_overall": "1"},
    )
    assert ok.status_code == 302
    evaluation = Evaluation.objects.get()
    assert evaluation.indicators == {"overall": 1}
    again = client.post(f"/my/cases/{case.pk}/rate/", {"stage": "conclusion", "grade": "5"})
    assert again.status_code == 422 and b'data-error-code="evaluation.already_rated"' in again.content
    rect = Rectification.objects.get()

    other = Client()
    _login(other, desk.other_citizen)
    assert other.get(f"/my/cases/{case.pk}/rate/").status_code == 404
    assert other.get(f"/workbench/rectifications/{rect.pk}/").status_code == 404

    staff = Client()
    _login(staff, desk.reviewer)
    queue = staff.get("/workbench/rectifications/")
    assert queue.status_code == 200 and f'data-rectification-id="{rect.pk}"'.encode() in queue.content
    detail = staff.get(f"/workbench/rectifications/{rect.pk}/")
    assert b'data-step="callback"' in detail.content
    skipped = staff.post(
        f"/workbench/rectifications/{rect.pk}/answer/", {"fix_text": "x", "answer_text": "y"}
    )
    assert skipped.status_code == 422
    assert (
        staff.post(
            f"/workbench/rectifications/{rect.pk}/callback/", {"reached": "1", "note": "已回访"}
        ).status_code
        == 302
    )
    assert (
        staff.post(
            f"/workbench/rectifications/{rect.pk}/classify/", {"classification": "fix_now", "finding": "属实"}
        ).status_code
        == 302
    )
    assert (
        staff.post(
            f"/workbench/rectifications/{rect.pk}/answer/",
            {"fix_text": "已整改", "answer_text": "玉香您好，电话13908810000，已整改。"},
        ).status_code
        == 302
    )
    rect.refresh_from_db()
    assert rect.status == RectificationStatus.ANSWERED

    mine = client.get("/my/ratings/")
    assert b'data-action="rate-rectification"' in mine.content
    assert client.post(f"/my/rectifications/{rect.pk}/rate/", {"grade": "4"}).status_code == 302
    rect.refresh_from_db()
    assert rect.rater_grade == 4

    public = Client().get("/ratings/public/532801/")
    assert public.status_code == 200
    assert b'data-stat="ratings">1<' in public.content
    assert "玉香".encode() not in public.content and b"13908810000" not in public.content
    assert "已整改".encode() in public.content
    assert Client().get("/ratings/public/999999/").status_code == 404


def test_window_tablet_page_only_for_the_clerk(desk, client):
    case = concluded_case(desk, channel=Channel.WINDOW)
    _login(client, desk.reviewer)
    assert client.get(f"/workbench/ratings/window/{case.pk}/").status_code == 404
    _login(client, desk.clerk)
    page = client.get(f"/workbench/ratings/window/{case.pk}/")
    assert page.status_code == 200 and b'name="indicator_attitude"' in page.content
    done = client.post(
        f"/workbench/ratings/window/{case.pk}/",
        {"stage": "conclusion", "grade": "5", "indicator_attitude": "5"},
    )
    assert done.status_code == 200 and b'data-page="rated"' in done.content
    assert Evaluation.objects.get().channel == "window"


def test_dashboard_is_for_staff_and_exports(desk, client):
    concluded_case(desk)
    _login(client, desk.citizen)
    assert client.get("/dashboard/").status_code == 403
    _login(client, desk.world.supervisor_pref)
    page = client.get("/dashboard/?region=532800")
    assert (
        page.status_code == 200 and b'data-figure="on_time_rate"' in page.content and b"<svg" in page.content
    )
    drill = client.get(f"/dashboard/?region=532801&agency={desk.world.jh_market.pk}")
    assert drill.status_code == 200
    # figures stop at the actor's own region: the province is out of a prefecture supervisor's reach,
    # and a county clerk sees their county but not the neighbouring one
    assert client.get("/dashboard/?region=530000").status_code == 404
    _login(client, desk.world.clerk_jh)
    assert client.get("/dashboard/?region=532801").status_code == 200
    assert client.get("/dashboard/?region=532822").status_code == 404
    _login(client, desk.world.supervisor_pref)
    csv = client.get("/dashboard/export/?region=532800&format=csv")
    assert csv.status_code == 200 and b"on_time_rate" in csv.content
    xlsx = client.get("/dashboard/export/?region=532800&format=xlsx")
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(xlsx.content))
    keys = [row[1] for row in wb.active.iter_rows(values_only=True)]
    assert "good_rating_rate" in keys


def test_plan_pages_and_reports(desk, client):
    call_command("plan_load", stdout=io.StringIO())
    assert PlanTask.objects.count() == 22
    _login(client, desk.world.center_admin_pref)
    page = client.get("/plan/?quarter=2026Q4")
    assert page.status_code == 200 and b'data-task="12"' in page.content and b"missing_report" in page.content
    filed = client.post(
        "/plan/tasks/12/report/", {"quarter": "2026Q4", "unit": "州政务服务局", "status": "done"}
    )
    assert filed.status_code == 302
    page = client.get("/plan/?quarter=2026Q4")
    assert "州政务服务局".encode() in page.content
    xlsx = client.get("/plan/report/?quarter=2026Q4")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    pdf = client.get("/plan/report/?quarter=2026Q4&format=pdf")
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"


def test_the_indicator_questions_are_in_chinese_online_and_at_the_window(desk, client):
    online = concluded_case(desk)
    _login(client, desk.citizen)
    html = client.get(f"/my/cases/{online.pk}/rate/").content.decode()
    assert "整体满意度" in html and "Overall satisfaction" not in html
    window = concluded_case(desk, channel=Channel.WINDOW)
    _login(client, desk.clerk)
    html = client.get(f"/workbench/ratings/window/{window.pk}/").content.decode()
    assert "服务态度" in html and "Attitude" not in html
