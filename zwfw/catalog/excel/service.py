"""The import service: check a whole workbook, then write it in one transaction, or refuse it whole."""

from __future__ import annotations

import hashlib
import uuid

from django.utils.translation import gettext as _

from zwfw.catalog.excel import reader
from zwfw.catalog.excel.importer import build_plan
from zwfw.catalog.excel.sheets import Problems, Progress
from zwfw.catalog.excel.writer import ImportReport, write_plan
from zwfw.core.errors import PermissionDenied, ValidationFailed
from zwfw.identity.models import Role
from zwfw.identity.selectors import Actor, actor_scope

INVALID = "catalog.import_invalid"


def _refused(details: list[dict[str, object]]) -> ValidationFailed:
    return ValidationFailed(
        INVALID,
        _("The file was not imported: fix the listed cells and import it again."),
        details,
    )


def _file_problem(exc: reader.FileRefused) -> ValidationFailed:
    return _refused(
        [{"sheet": "", "row": None, "column": "", "header": "", "code": exc.code, "message": exc.message}]
    )


def require_importer(actor: Actor) -> None:
    """Only catalog administrators (or superusers) import or export catalogs."""
    scope = actor_scope(actor)
    if not (scope.is_superuser or Role.CATALOG_ADMIN in scope.roles):
        raise PermissionDenied(
            "catalog.forbidden", _("Only catalog administrators may import or export the catalog.")
        )


def catalog_import(
    *,
    actor: Actor,
    file: object,
    filename: str = "",
    progress: Progress | None = None,
    dry_run: bool = False,
    path: str | None = None,
) -> ImportReport:
    """Import implementations from an .xlsx in the 实施清单 layout (docs/catalog-excel.md).

    Every row and cell is checked first; any problem raises ``ValidationFailed``
    (``catalog.import_invalid``, details ``[{sheet, row, column, header, code, message}, …]``) and
    nothing is written. Otherwise missing catalog items are created and each implementation's
    draft is created or updated in one transaction (nothing is published). Rows whose draft is
    already identical are skipped, so importing the same file twice changes nothing.
    ``file`` is a path, bytes or a binary file object; ``path`` forces "services" or "bulk".
    """
    require_importer(actor)
    try:
        data = reader.read_upload(file)
        book = reader.open_workbook(data)
    except reader.FileRefused as exc:
        raise _file_problem(exc) from exc
    problems = Problems()
    try:
        plan = build_plan(actor=actor, book=book, problems=problems, progress=progress)
    except reader.FileRefused as exc:
        raise _file_problem(exc) from exc
    finally:
        book.close()
    if problems or plan is None:
        raise _refused(problems.details())
    import_id = uuid.uuid4().hex
    if dry_run:
        creates = sum(1 for p in plan.rows if p.existing_id is None)
        unchanged = sum(1 for p in plan.rows if p.unchanged)
        return ImportReport(
            import_id,
            plan.file_rows,
            creates,
            len(plan.rows) - creates - unchanged,
            unchanged,
            len(plan.new_items),
            sum(1 for p in plan.rows if p.failures),
            "dry_run",
        )
    summary = {"file": filename[:200], "sha256": hashlib.sha256(data).hexdigest()}
    return write_plan(
        actor=actor, plan=plan, import_id=import_id, summary=summary, progress=progress, path=path
    )
