"""The plan tracker (section 三: 一季一调度、一季一汇报): load the tasks, file quarterly progress
reports, flag missing reports and tasks past deadline, and write the quarterly report as Excel
and PDF with the live dashboard figures beside each task."""

from __future__ import annotations

import datetime
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zwfw.core.errors import Conflict, PermissionDenied, ValidationFailed
from zwfw.core.ledger import audit_record
from zwfw.core.models import Region
from zwfw.evaluations import metrics
from zwfw.evaluations.models import PlanTask, ProgressReport, ReportStatus
from zwfw.identity.models import Role, User
from zwfw.identity.selectors import Actor, actor_scope

DEFAULT_PLAN_FILE = Path(settings.BASE_DIR) / "data" / "plan" / "tasks.json"
REPORTING_ROLES = (Role.CENTER_ADMIN, Role.SUPERVISOR)


def quarter_of(day: datetime.date) -> str:
    """The quarter a day lies in, e.g. ``2026Q4``."""
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def quarter_bounds(quarter: str) -> tuple[datetime.date, datetime.date]:
    """First and last day of a quarter like ``2026Q4``."""
    try:
        year, q = int(quarter[:4]), int(quarter[5])
        if quarter[4] != "Q" or not 1 <= q <= 4 or len(quarter) != 6:
            raise ValueError(quarter)
    except (ValueError, IndexError):
        raise ValidationFailed(
            "plan.bad_quarter", _("Give the quarter as 2026Q4."), [{"field": "quarter"}]
        ) from None
    start = datetime.date(year, 3 * q - 2, 1)
    end = datetime.date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1) - datetime.timedelta(days=1)
    return start, end


def plan_load(*, path: Path | None = None) -> tuple[int, int]:
    """Create or update the PlanTasks from the data file; returns (created, updated)."""
    doc = json.loads((path or DEFAULT_PLAN_FILE).read_text(encoding="utf-8"))
    created = updated = 0
    with transaction.atomic():
        for row in doc["tasks"]:
            deadline = datetime.date.fromisoformat(row["deadline"]) if row.get("deadline") else None
            unknown = [f for f in row.get("figures", []) if f not in metrics.SPECS]
            if unknown:
                raise ValidationFailed(
                    "plan.unknown_figure", _("The plan file names an unknown figure."), unknown
                )
            _task, was_created = PlanTask.objects.update_or_create(
                number=int(row["number"]),
                defaults={
                    "section": row.get("section", ""),
                    "title": row["title"],
                    "summary": row.get("summary", ""),
                    "lead_units": list(row["lead_units"]),
                    "responsible_units": list(row.get("responsible_units", [])),
                    "deadline_text": row.get("deadline_text", ""),
                    "deadline": deadline,
                    "ongoing": bool(row.get("ongoing", False)),
                    "figures": list(row.get("figures", [])),
                },
            )
            created += was_created
            updated += not was_created
        audit_record(
            actor=None,
            object_type="plan",
            object_id=0,
            action="loaded",
            payload={"created": created, "updated": updated},
        )
    return created, updated


def _reporter(actor: Actor | None) -> User:
    scope = actor_scope(actor)
    if not isinstance(actor, User) or not (scope.is_superuser or scope.roles & set(REPORTING_ROLES)):
        raise PermissionDenied(
            "plan.forbidden", _("Only government service administrators file plan reports.")
        )
    return actor


@transaction.atomic
def progress_report_file(
    *,
    actor: Actor | None,
    task: PlanTask,
    unit: str,
    quarter: str,
    status: str,
    evidence: str = "",
    reasons: str = "",
) -> ProgressReport:
    """A lead unit's report on one task for one quarter (once; in progress needs evidence,
    at risk needs reasons)."""
    user = _reporter(actor)
    quarter_bounds(quarter)
    if unit not in task.lead_units:
        raise ValidationFailed(
            "plan.not_lead_unit", _("Only a lead unit of the task reports on it."), [{"field": "unit"}]
        )
    if status not in ReportStatus.values:
        raise ValidationFailed(
            "plan.bad_status", _("Choose done, in progress or at risk."), [{"field": "status"}]
        )
    evidence, reasons = evidence.strip()[:4000], reasons.strip()[:4000]
    if status == ReportStatus.IN_PROGRESS and not evidence:
        raise ValidationFailed(
            "plan.evidence_required", _("Describe the evidence of progress."), [{"field": "evidence"}]
        )
    if status == ReportStatus.AT_RISK and not reasons:
        raise ValidationFailed(
            "plan.reasons_required", _("Give the reasons the task is at risk."), [{"field": "reasons"}]
        )
    if ProgressReport.objects.filter(task=task, unit=unit, quarter=quarter).exists():
        raise Conflict(
            "plan.already_reported", _("This unit has already reported on this task for the quarter.")
        )
    report = ProgressReport.objects.create(
        task=task,
        unit=unit,
        quarter=quarter,
        status=status,
        evidence=evidence,
        reasons=reasons,
        filed_by=user,
        filed_at=timezone.now(),
    )
    audit_record(
        actor=user,
        object_type="plan_task",
        object_id=task.number,
        action="reported",
        payload={"unit": unit, "quarter": quarter, "status": status},
    )
    return report


@dataclass
class TaskStatus:
    """One task in a quarter: its reports, what is missing, the flags and the live figures."""

    task: PlanTask
    reports: list[ProgressReport]
    missing_units: list[str]
    past_deadline: bool
    at_risk: bool
    figures: list[metrics.Figure]

    @property
    def flags(self) -> list[str]:
        """Stable flag codes: missing_report, past_deadline, at_risk."""
        out = []
        if self.missing_units:
            out.append("missing_report")
        if self.past_deadline:
            out.append("past_deadline")
        if self.at_risk:
            out.append("at_risk")
        return out


def plan_status(
    *, quarter: str, region: Region | None, today: datetime.date | None = None
) -> list[TaskStatus]:
    """Every task for a quarter with its flags; figures computed over the region for the quarter."""
    today = today or timezone.localdate()
    start, end = quarter_bounds(quarter)
    reports: dict[int, list[ProgressReport]] = {}
    for r in ProgressReport.objects.filter(quarter=quarter).order_by("unit"):
        reports.setdefault(r.task_id, []).append(r)
    figures: dict[str, metrics.Figure] = {}
    if region is not None:
        figures = metrics.figures(metrics.Scope(region=region, start=start, end=min(end, today), today=today))
    out = []
    for task in PlanTask.objects.all():
        own = reports.get(task.pk, [])
        reported = {r.unit for r in own}
        done = any(r.status == ReportStatus.DONE for r in own)
        out.append(
            TaskStatus(
                task=task,
                reports=own,
                missing_units=[u for u in task.lead_units if u not in reported],
                past_deadline=bool(task.deadline and task.deadline < today and not task.ongoing and not done),
                at_risk=any(r.status == ReportStatus.AT_RISK for r in own),
                figures=[figures[k] for k in task.figures if k in figures],
            )
        )
    return out


STATUS_LABELS = {"done": "已完成", "in_progress": "推进中", "at_risk": "有风险"}
FLAG_LABELS = {"missing_report": "未报送", "past_deadline": "已超期", "at_risk": "有风险"}


def _figure_text(fig: metrics.Figure) -> str:
    from zwfw.evaluations.labels import figure_label

    value = "—" if fig.value is None else f"{fig.value:g}{'%' if fig.spec.unit == '%' else ''}"
    target = "" if fig.spec.target is None else f" / 目标 {fig.spec.target:g}"
    return f"{figure_label(fig.key)}: {value}{target}"


def _rows(statuses: list[TaskStatus]) -> list[list[str]]:
    rows = []
    for s in statuses:
        reports = "；".join(
            f"{r.unit}：{STATUS_LABELS.get(r.status, r.status)} {r.evidence or r.reasons}".strip()
            for r in s.reports
        )
        rows.append(
            [
                str(s.task.number),
                s.task.title,
                "、".join(s.task.lead_units),
                s.task.deadline_text,
                reports or "—",
                "、".join(FLAG_LABELS[f] for f in s.flags) or "—",
                "；".join(_figure_text(f) for f in s.figures) or "—",
            ]
        )
    return rows


HEADERS = ["序号", "任务", "牵头单位", "完成时限", "本季度进展", "提示", "实时指标"]


def plan_report_xlsx(*, quarter: str, region: Region | None) -> bytes:
    """The quarterly report as an Excel workbook (one row per task)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = quarter
    title = f"{region.name if region else ''}政务服务标准化规范化便利化任务 {quarter} 季度汇报"
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(HEADERS)
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for row in _rows(plan_status(quarter=quarter, region=region)):
        ws.append(row)
    for col, width in zip("ABCDEFG", (6, 34, 22, 18, 48, 14, 48), strict=True):
        ws.column_dimensions[col].width = width
    for row_cells in ws.iter_rows(min_row=3):
        for cell in row_cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def plan_report_pdf(*, quarter: str, region: Region | None) -> bytes:
    """The quarterly report as a PDF (ReportLab with the built-in STSong-Light CJK font)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=8, leading=11, wordWrap="CJK")
    head = ParagraphStyle("head", fontName="STSong-Light", fontSize=15, leading=20)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=landscape(A4), leftMargin=28, rightMargin=28, topMargin=28, bottomMargin=28
    )
    title = f"{region.name if region else ''}政务服务标准化规范化便利化任务 {quarter} 季度汇报"
    data: list[list[Any]] = [[Paragraph(h, body) for h in HEADERS]]
    data += [
        [Paragraph(c.replace("&", "&amp;").replace("<", "&lt;"), body) for c in row]
        for row in _rows(plan_status(quarter=quarter, region=region))
    ]
    table = Table(data, colWidths=[26, 130, 90, 70, 200, 50, 220], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8f0fa")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    doc.build([Paragraph(title, head), Spacer(1, 8), table])
    return buffer.getvalue()
