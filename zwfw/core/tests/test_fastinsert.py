"""``insert_rows``: rows written exactly as ``save()`` writes them, keys set, several tables in
one statement on PostgreSQL, and all or nothing inside the caller's transaction."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, models, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks import task
from django_tasks_db.compat import task_enqueued
from django_tasks_db.models import DBTaskResult

from zwfw.core.fastinsert import insert_rows, task_row
from zwfw.core.ledger import GENESIS, event_hash
from zwfw.core.models import Agency, AgencyKind, AuditChainHead, AuditEvent, Region, StagedFile

pytestmark = pytest.mark.django_db


@task()
def echo(label: str, times: int = 1) -> str:
    """A task for the row comparison below."""
    return label * times


@pytest.fixture
def region() -> Region:
    return Region.objects.create(code="532801", name="景洪市", level="county", prefix="532801")


def _event(chain: str, payload: dict[str, object]) -> AuditEvent:
    event = AuditEvent(
        chain=chain,
        seq=1,
        prev_hash=GENESIS,
        occurred_at=timezone.now(),
        object_type="case",
        object_id=chain.split(":")[1],
        action="submit",
        payload=payload,
    )
    event.hash = event_hash(event)
    return event


def test_rows_read_back_as_saved_with_defaults_and_their_new_keys(region):
    agencies = [
        Agency(name="市场监督管理局", region=region),
        Agency(name="税务局", region=region, phone="0691"),
    ]
    insert_rows(agencies)
    assert all(a.pk is not None and not a._state.adding for a in agencies)
    stored = {a.pk: a for a in Agency.objects.filter(region=region)}
    assert [stored[a.pk].name for a in agencies] == ["市场监督管理局", "税务局"]
    assert stored[agencies[0].pk].kind == AgencyKind.DEPARTMENT  # the field default
    assert stored[agencies[1].pk].phone == "0691" and stored[agencies[0].pk].uscc is None
    event = _event("case:1", {"名称": "户口", "n": 1.5, "nested": {"b": [1, 2]}, "when": None})
    insert_rows([event])
    again = AuditEvent.objects.get(pk=event.pk)
    assert again.payload == event.payload and again.occurred_at == event.occurred_at
    assert event_hash(again) == again.hash


def test_several_tables_travel_in_one_statement_on_postgresql(region):
    events = [_event("case:7", {"i": 1}), _event("case:8", {"i": 2})]
    heads = [AuditChainHead(chain=e.chain, seq=1, hash=e.hash) for e in events]
    agency = Agency(name="公安局", region=region)
    with CaptureQueriesContext(connection) as queries:
        insert_rows(events, heads, [agency])
    assert len(queries) == (1 if connection.vendor == "postgresql" else 3)
    assert [e.pk for e in events] == sorted(e.pk for e in events)  # keys in insertion order
    assert list(AuditEvent.objects.order_by("pk").values_list("chain", flat=True)) == ["case:7", "case:8"]
    assert sorted(AuditChainHead.objects.values_list("chain", "seq")) == [("case:7", 1), ("case:8", 1)]
    assert Agency.objects.get(pk=agency.pk).name == "公安局"


def test_one_refused_row_leaves_nothing_of_the_transaction(region):
    AuditChainHead.objects.create(chain="case:9", seq=1, hash="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_rows([Agency(name="民政局", region=region)], [AuditChainHead(chain="case:9", seq=1, hash="y")])
    assert not Agency.objects.filter(name="民政局").exists()
    assert AuditChainHead.objects.get(chain="case:9").hash == "x"


def test_a_group_mixing_given_and_missing_keys_is_refused(region):
    with pytest.raises(ValueError):
        insert_rows([Agency(pk=10_000, name="甲", region=region), Agency(name="乙", region=region)])
    assert not Agency.objects.filter(name__in=["甲", "乙"]).exists()


def test_given_keys_are_kept(region):
    agency = Agency(pk=424_242, name="林业局", region=region)
    insert_rows([agency])
    assert Agency.objects.get(pk=424_242).name == "林业局"


def test_save_signals_are_sent_as_save_sends_them(region):
    from django.db.models.signals import post_save, pre_save

    seen: list[tuple[str, str, object]] = []

    def before(sender, instance, **kwargs):
        seen.append(("pre", instance.name, instance.pk))
        instance.phone = "0691-1"  # a receiver may still change the row

    def after(sender, instance, created, **kwargs):
        seen.append(("post", instance.name, created and instance.pk is not None))

    pre_save.connect(before, sender=Agency)
    post_save.connect(after, sender=Agency)
    try:
        agency = Agency(name="教育局", region=region)
        insert_rows([agency], [_event("case:11", {})])
    finally:
        pre_save.disconnect(before, sender=Agency)
        post_save.disconnect(after, sender=Agency)
    assert seen == [("pre", "教育局", None), ("post", "教育局", True)]
    assert Agency.objects.get(pk=agency.pk).phone == "0691-1"
    assert AuditEvent.objects.filter(chain="case:11").exists()


def test_a_model_that_overrides_save_is_saved_with_it(region, monkeypatch):
    calls: list[str] = []

    def save(self, *args, **kwargs):
        calls.append(self.name)
        return models.Model.save(self, *args, **kwargs)

    monkeypatch.setattr(Agency, "save", save)
    agency = Agency(name="卫健委", region=region)
    insert_rows([agency])
    assert calls == ["卫健委"] and Agency.objects.filter(pk=agency.pk).exists()


def test_a_task_row_is_the_row_enqueue_writes_and_is_announced_the_same_way():
    announced: list[str] = []

    def receiver(sender, task_result, **kwargs):
        announced.append(str(task_result.id))

    task_enqueued.connect(receiver)
    try:
        queued = task_row(echo, "回执", times=2)
        assert queued is not None
        insert_rows([queued.row])
        queued.enqueued()
        enqueued = echo.enqueue("回执", times=2)
    finally:
        task_enqueued.disconnect(receiver)
    ours, theirs = DBTaskResult.objects.get(pk=queued.row.pk), DBTaskResult.objects.get(pk=enqueued.id)
    fields = [f.attname for f in DBTaskResult._meta.concrete_fields if f.attname not in ("id", "enqueued_at")]
    assert {f: getattr(ours, f) for f in fields} == {f: getattr(theirs, f) for f in fields}
    assert announced == [str(ours.id), str(theirs.id)]
    assert ours.task_result.task.func is echo.func and ours.task_result.kwargs == {"times": 2}


def test_values_json_cannot_carry_are_written_exactly_all_the_same():
    """Bytes have no JSON form: such a group goes as VALUES, and reads back byte for byte."""
    from zwfw.licenses.models import StatusList

    rows = [
        StatusList(revocation=b"\x00\x01\xfe", suspension=b""),
        StatusList(revocation=b"\xff", suspension=b"\x00"),
    ]
    insert_rows(rows)
    stored = {s.pk: s for s in StatusList.objects.filter(pk__in=[r.pk for r in rows])}
    assert [bytes(stored[r.pk].revocation) for r in rows] == [b"\x00\x01\xfe", b"\xff"]
    assert [bytes(stored[r.pk].suspension) for r in rows] == [b"", b"\x00"]
    assert all(stored[r.pk].updated_at is not None for r in rows)  # auto_now, as save() sets it


def test_an_address_and_text_in_any_script_read_back_unchanged(region):
    event = _event("case:21", {"备注": 'quote " backslash \\ tab \t 🚀', "n": -0.5})
    event.source_ip = "2001:db8::1"
    event.actor_label = "岩温 (ᦵᦞᦲᧈ)"  # Xishuangbanna Dai script
    event.hash = event_hash(event)
    second = _event("case:22", {})
    second.source_ip = "10.0.0.7"
    insert_rows([event, second])
    again = {e.chain: e for e in AuditEvent.objects.filter(chain__in=["case:21", "case:22"])}
    assert again["case:21"].payload == event.payload
    assert again["case:21"].actor_label == "岩温 (ᦵᦞᦲᧈ)"
    assert (again["case:21"].source_ip, again["case:22"].source_ip) == ("2001:db8::1", "10.0.0.7")
    assert event_hash(again["case:21"]) == event.hash


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_postgresql_prepares_one_statement_per_table_whatever_the_row_count(region, settings):
    def prepared() -> dict[str, int]:
        """Statements prepared on this connection that insert agencies, and how often each ran."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT statement, generic_plans + custom_plans FROM pg_prepared_statements "
                "WHERE statement LIKE %s",
                ['%INSERT INTO "core_agency"%'],
            )
            return dict(cursor.fetchall())

    before = prepared()
    insert_rows([Agency(name="甲局", region=region)])
    insert_rows([Agency(name=f"乙局{i}", region=region) for i in range(3)])
    ((statement, runs),) = prepared().items()  # one statement for one row and for three
    assert "jsonb_populate_recordset" in statement and runs == before.get(statement, 0) + 2
    assert Agency.objects.filter(region=region).count() == 4

    settings.ZWFW_DB_PREPARED_STATEMENTS = False  # e.g. behind an old transaction-pooling PgBouncer
    insert_rows([Agency(name="丙局", region=region)])
    assert prepared() == {statement: runs} and Agency.objects.filter(name="丙局").exists()


def test_values_read_straight_from_the_row_are_those_the_save_path_gives(monkeypatch):
    """Plain values skip the fields' save path; anything else (a bool in an integer column, a
    number in a text column, a lazy translation, None where the column refuses it) still takes
    it, so the JSON sent is exactly what ``save()`` would write."""
    import datetime
    import json

    from django.db import connections
    from django.utils.translation import gettext_lazy

    from zwfw.cases.models import Case, CaseMaterial
    from zwfw.core import fastinsert

    wrapper = connections["default"]
    now = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: now)  # auto_now_add gives the same time twice
    rows: list[models.Model] = [
        Case(
            id=5,
            number="532801-20261127-00001",
            implementation_id=1,
            version_id=2,
            agency_id=3,
            region_id=4,
            applicant_user_id=6,
            channel="online",
            state="submitted",
            form_data={"名称": "x"},
            submitted_at=timezone.now(),
            paused_days=True,
            contact_phone=13800000000,
            decision_reasons=gettext_lazy("Approved"),
            provisional=False,
        ),
        Case(
            id=6,
            number="n",
            implementation_id=1,
            version_id=2,
            agency_id=3,
            region_id=4,
            applicant_person_id=None,
            channel="window",
            state="draft",
            extension_days=3,
            accepted_on=datetime.date(2026, 11, 27),  # converted by its field, as save() does
            due_date="2026-12-08",
            accepted_at=None,  # None in a nullable date column: read straight
        ),
        CaseMaterial(
            case_id=5,
            requirement_key="a",
            name="申请书",
            kind="upload",
            file="cases/a.pdf",
            size=12,
            sha256="0" * 64,
            received_by_id=None,
            superseded=None,
        ),
    ]
    for group in ([r for r in rows if isinstance(r, Case)], [r for r in rows if isinstance(r, CaseMaterial)]):
        _sql, fields, plan = fastinsert._insert_json_sql("default", type(group[0]), True)
        columns = [f.column for f in fields]
        assert plan is not None
        shortcut = fastinsert._json_rows(group, fields, plan, wrapper)
        params = fastinsert._prepared(group, fields, wrapper)
        saved = [
            dict(zip(columns, params[i : i + len(columns)], strict=True))
            for i in range(0, len(params), len(columns))
        ]
        # Compared as text: in Python True == 1, in a JSON integer column true is an error.
        options = {"ensure_ascii": False, "allow_nan": False, "separators": (",", ":")}
        assert shortcut == json.dumps(saved, default=fastinsert._json_default, **options)
    assert rows[0].__dict__["paused_days"] is True  # the row itself is left as it was given
    assert fastinsert._insert_json_sql("default", StagedFile, True)[2] is None  # bytes: VALUES
