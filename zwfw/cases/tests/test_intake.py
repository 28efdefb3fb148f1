"""Online intake (``case_apply_idempotent``): what its fast path must never trade away.

Every file is durable when the case naming it commits (staged in the database by the same
statement, then written to storage and fsynced, with its directory, by the queued flush); a
submission that fails leaves neither rows nor files; concurrent submissions get distinct numbers,
never one given before; on PostgreSQL the case is one statement outside any transaction and its
number's draw holds no lock while it is written; the first ledger event verifies; the
per-process version cache follows a new publication.
"""

from __future__ import annotations

import datetime
import hashlib
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django_tasks_db.models import DBTaskResult

from zwfw.cases import services
from zwfw.cases.models import Case, CaseMaterial, CaseNumberSequence
from zwfw.cases.numbers import case_number_next
from zwfw.cases.tests.factories import PDF, case_content, png
from zwfw.catalog import services as catalog_services
from zwfw.catalog.models import Implementation, MaterialRequirement
from zwfw.core import durable
from zwfw.core.errors import NotFound, ValidationFailed
from zwfw.core.ledger import ledger_verify
from zwfw.core.models import AuditChainHead, AuditEvent, StagedFile
from zwfw.identity.models import User


def _materials() -> list[dict[str, object]]:
    return [
        {"requirement_key": "application", "content": PDF, "filename": "申请书.pdf"},
        {"requirement_key": "licence", "content": PDF + b"\n", "filename": "执照.pdf"},
        {"requirement_key": "floor-plan", "content": png(), "filename": "平面图.png"},
    ]


def _apply(desk, key: str, **overrides) -> tuple[Case, bool]:
    arguments = {
        "actor": desk.citizen,
        "implementation_id": desk.impl.pk,
        "idempotency_key": key,
        "materials": _materials(),
    }
    arguments.update(overrides)
    return services.case_apply_idempotent(**arguments)


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def _flush_queued() -> None:
    """Run the staged-file flushes intake queued, as a worker would."""
    from zwfw.core.tasks import staged_flush_task

    for row in DBTaskResult.objects.filter(task_path=staged_flush_task.module_path):
        staged_flush_task.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])


@pytest.mark.django_db
def test_files_commit_with_the_case_and_the_queued_flush_puts_them_on_disk_durably(desk, media, monkeypatch):
    synced: list[str] = []
    real_fsync = durable._fsync

    def fsync(path: str) -> None:
        real_fsync(path)
        synced.append(path)

    monkeypatch.setattr(durable, "_fsync", fsync)
    case, created = _apply(desk, "durable-1")
    assert created
    stored = list(CaseMaterial.objects.filter(case=case).values_list("file", "sha256"))
    assert len(stored) == 3
    # Committed with the case: in the database, nothing written or synced on the request path.
    staged = dict(StagedFile.objects.values_list("name", "content"))
    assert {name: hashlib.sha256(bytes(staged[name])).hexdigest() for name, _sha in stored} == dict(stored)
    assert _files(media) == [] and synced == []
    material = CaseMaterial.objects.get(case=case, requirement_key="application")
    with material.file.open("rb") as handle:  # served from the database meanwhile
        assert handle.read() == PDF
    assert material.file.size == len(PDF)

    _flush_queued()
    paths = [str(media / name) for name, _sha in stored]
    assert set(paths) <= set(synced)
    assert {str(Path(p).parent) for p in paths} <= set(synced)  # the new names in the directory
    for name, sha in stored:
        assert hashlib.sha256((media / name).read_bytes()).hexdigest() == sha
    assert sorted(str(p) for p in _files(media)) == sorted(paths)
    assert not StagedFile.objects.exists()
    with CaseMaterial.objects.get(pk=material.pk).file.open("rb") as handle:
        assert handle.read() == PDF


@pytest.mark.django_db
def test_a_submission_that_fails_in_its_transaction_leaves_no_rows_and_no_files(desk, media, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("ledger unavailable")

    monkeypatch.setattr(services, "audit_first_rows", broken)  # after the number and the files
    with pytest.raises(RuntimeError):
        _apply(desk, "fails-1")
    assert not Case.objects.exists() and not CaseMaterial.objects.exists()
    assert not AuditEvent.objects.filter(object_type="case").exists()
    assert _files(media) == [] and not StagedFile.objects.exists()


@pytest.mark.django_db
def test_refused_input_writes_nothing(desk, media):
    with pytest.raises(ValidationFailed) as missing:
        _apply(desk, "missing-1", materials=_materials()[:1])
    assert missing.value.code == "case.materials_missing"
    with pytest.raises(ValidationFailed) as bad:
        _apply(
            desk, "bad-1", materials=[*_materials()[:2], {"requirement_key": "floor-plan", "content": b"MZ"}]
        )
    assert bad.value.code == "upload.type_refused"
    with pytest.raises(ValidationFailed) as no_key:
        _apply(desk, "  ")
    assert no_key.value.code == "case.idempotency_key_required"
    Implementation.objects.filter(pk=desk.impl.pk).update(status="cancelled")
    with pytest.raises(NotFound) as gone:
        _apply(desk, "gone-1")
    assert gone.value.code == "catalog.guide_not_found"
    assert not Case.objects.exists() and _files(media) == [] and not StagedFile.objects.exists()


@pytest.mark.django_db
def test_a_key_longer_than_a_case_keeps_is_refused_not_cut(desk, media):
    """Cut to 100 characters, two different keys would name one case and the second
    application would silently get the first's answer."""
    first, created = _apply(desk, "k" * 100)  # the longest key a case keeps
    assert created
    with pytest.raises(ValidationFailed) as long_key:
        _apply(desk, "k" * 100 + "b")
    assert long_key.value.code == "case.idempotency_key_too_long"
    assert long_key.value.details == [{"field": "Idempotency-Key"}]
    assert list(Case.objects.values_list("pk", flat=True)) == [first.pk]
    assert StagedFile.objects.count() == 3  # the first case's files only


@pytest.mark.django_db
def test_the_submission_event_starts_a_verified_chain_naming_number_and_files(desk, media):
    case, _created = _apply(desk, "ledger-1")
    event = AuditEvent.objects.get(chain=f"case:{case.pk}")
    assert event.seq == 1 and event.action == "submit"
    assert event.payload["number"] == case.number
    assert event.payload["materials"] == dict(
        CaseMaterial.objects.filter(case=case).values_list("requirement_key", "sha256")
    )
    head = AuditChainHead.objects.get(chain=f"case:{case.pk}")
    assert (head.seq, head.hash) == (1, event.hash)
    assert [str(p) for p in ledger_verify()] == []
    again, created = _apply(desk, "ledger-1")  # a retry changes nothing
    assert (again.pk, created) == (case.pk, False)
    assert AuditEvent.objects.filter(chain=f"case:{case.pk}").count() == 1
    assert StagedFile.objects.count() == 3  # the retry staged nothing more


@pytest.mark.django_db
def test_the_answer_carries_what_the_case_screens_show(desk, media):
    case, _created = _apply(desk, "answer-1")
    stored = Case.objects.select_related("implementation__item", "agency", "version").get(pk=case.pk)
    assert case.implementation.item.name == stored.implementation.item.name
    assert case.agency.name == stored.agency.name
    assert case.version.number == stored.version.number
    assert case.number == stored.number and case.lookup_code == stored.lookup_code
    assert [m.pk for m in case.prefetched_materials] == sorted(
        CaseMaterial.objects.filter(case=case).values_list("pk", flat=True)
    )


@pytest.mark.django_db
def test_a_new_publication_is_applied_under_at_once(desk, media, world):
    _apply(desk, "v1")  # the first version is now cached in this process
    draft = case_content()
    draft["materials"].append({"key": "permit", "name": "卫生许可", "necessity": "required"})
    impl = Implementation.objects.get(pk=desk.impl.pk)
    catalog_services.implementation_update_draft(
        actor=world.catalog_admin_jh, implementation=impl, draft=draft
    )
    adjustment = catalog_services.adjustment_submit(
        actor=world.catalog_admin_jh, implementation=impl, kind="change", reason="新增材料"
    )
    reviewer = User.objects.get(username="catalog_reviewer")
    catalog_services.adjustment_approve(actor=reviewer, adjustment=adjustment)
    catalog_services.adjustment_publish(actor=reviewer, adjustment=adjustment)
    assert MaterialRequirement.objects.filter(version__implementation=impl, key="permit").exists()
    with pytest.raises(ValidationFailed) as missing:
        _apply(desk, "v2")
    assert missing.value.code == "case.materials_missing"
    assert [d["field"] for d in missing.value.details] == ["materials.permit"]


def _seq(number: str) -> int:
    return int(number.rsplit("-", 1)[1])


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_get_distinct_numbers_never_reused_and_retries_leave_no_files(desk, media):
    start = threading.Barrier(12)

    def submit(i: int) -> tuple[str, bool]:
        try:
            start.wait()
            case, created = _apply(desk, f"k-{i % 6}")  # every key sent twice at once
            return case.number, created
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=12) as pool:
        results = list(pool.map(submit, range(12)))
    assert sum(created for _n, created in results) == 6
    numbers = sorted({n for n, _c in results})
    assert len(numbers) == 6 == Case.objects.count()
    drawn = [_seq(n) for n in numbers]
    if connection.vendor == "postgresql":
        # Drawn before the case's statement: a request that lost its key's race skipped its number.
        assert max(drawn) <= 12
    else:
        assert drawn == [1, 2, 3, 4, 5, 6]  # drawn in the case's transaction: no gaps
    later, _created = _apply(desk, "k-later")
    assert _seq(later.number) > max(drawn)  # never a number given before
    names = sorted(CaseMaterial.objects.values_list("file", flat=True))
    assert sorted(StagedFile.objects.values_list("name", flat=True)) == names  # nothing of the losers
    _flush_queued()
    assert sorted(str(p.relative_to(media)) for p in _files(media)) == names  # no orphan files


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the one-statement intake path is PostgreSQL's"
)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_the_number_drawn_for_an_online_case_holds_no_lock_while_the_case_is_written(
    desk, media, monkeypatch
):
    """Two submissions must not queue on the day's sequence row while each one's commit reaches
    the disk: a number drawn elsewhere while this case is being written does not wait."""
    others: list[str] = []
    real_insert = services.insert_rows

    def draw_elsewhere() -> None:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
                others.append(case_number_next(region_code=desk.impl.region.code, day=datetime.date.today()))
        finally:
            connections.close_all()

    def insert_rows(*groups):
        thread = threading.Thread(target=draw_elsewhere)
        thread.start()
        thread.join()
        return real_insert(*groups)

    monkeypatch.setattr(services, "insert_rows", insert_rows)
    case, created = _apply(desk, "lock-1")
    assert created and len(others) == 1  # a lock held until this case's commit: lock_timeout
    assert _seq(others[0]) == _seq(case.number) + 1
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone() == ("on",)  # the draw's own commit did not change the session's


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_failed_online_submission_writes_nothing_and_its_number_is_never_given(desk, media, monkeypatch):
    real_first_rows = services.audit_first_rows

    def clashing(**kwargs):
        event, head = real_first_rows(**kwargs)
        AuditChainHead.objects.create(chain=head.chain, seq=9, hash=head.hash)  # the head's key is taken
        return event, head

    monkeypatch.setattr(services, "audit_first_rows", clashing)
    tasks = DBTaskResult.objects.count()
    with pytest.raises(IntegrityError):
        _apply(desk, "clash-1")
    # The case, its materials, files, event and tasks were one statement: none of it is there.
    assert not Case.objects.exists() and not CaseMaterial.objects.exists() and not StagedFile.objects.exists()
    assert not AuditEvent.objects.filter(object_type="case").exists()
    assert DBTaskResult.objects.count() == tasks
    monkeypatch.setattr(services, "audit_first_rows", real_first_rows)
    case, created = _apply(desk, "clash-1")
    assert created and _seq(case.number) == 2  # 1 was drawn for the failed one: skipped, not reused
    assert CaseNumberSequence.objects.get().last == 2


@pytest.mark.django_db
def test_inside_a_transaction_a_rolled_back_number_is_drawn_again(desk):
    """A window's submission draws in its own transaction: a number is given only with its case,
    the day's numbers have no gaps, and the session still waits for the disk at commit."""
    day, region = datetime.date.today(), desk.impl.region.code
    with pytest.raises(RuntimeError), transaction.atomic():
        assert _seq(case_number_next(region_code=region, day=day)) == 1
        raise RuntimeError("intake failed")
    with transaction.atomic():
        assert _seq(case_number_next(region_code=region, day=day)) == 1
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SHOW synchronous_commit")
                assert cursor.fetchone() == ("on",)
