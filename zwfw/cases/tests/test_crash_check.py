"""bench/crash.py's check can fail: each fault it looks for, injected by hand, is counted and named
(the crash test in zwfw/core/tests/test_crash.py relies on it)."""

from __future__ import annotations

import pytest


@pytest.mark.django_db
def test_the_check_flags_every_kind_of_loss_it_looks_for(desk, settings, tmp_path):
    """The crash run proves nothing unless its check can fail: inject each fault and see it named."""
    from django.utils import timezone

    from bench.crash import Ack, CrashReport, check
    from bench.receiver import Receiver
    from zwfw.cases import services
    from zwfw.cases.models import CaseMaterial
    from zwfw.cases.tests.factories import PDF
    from zwfw.core.staging import staged_flush

    settings.MEDIA_ROOT = str(tmp_path)
    started = timezone.now()
    cases = []
    for n in range(3):
        materials = [
            {
                "requirement_key": key,
                "content": PDF + str(n).encode() + key.encode(),
                "filename": f"{key}.pdf",
            }
            for key in ("application", "licence", "floor-plan")
        ]
        case, created = services.case_apply_idempotent(
            actor=desk.citizen,
            implementation_id=desk.impl.pk,
            idempotency_key=f"fault-{n}",
            materials=materials,
        )
        assert created
        cases.append(case)

    def ack(case) -> Ack:
        rows = CaseMaterial.objects.filter(case=case)
        return Ack(desk.citizen.pk, case.pk, 201, {m.requirement_key: (m.size, m.sha256) for m in rows})

    acks = {case.idempotency_key: ack(case) for case in cases}
    clean = CrashReport()
    check(
        clean,
        run_id="fault",
        started=started,
        acks=acks,
        adjustments=[],
        receiver=Receiver(),
        media_root=tmp_path,
    )
    assert (
        clean.figures["lost"]
        == clean.figures["incomplete_cases"]
        == clean.figures["unacknowledged_cases"]
        == 0
    )
    assert (
        clean.figures["deliveries_missing"] == clean.figures["notifications_expected"] > 0
    )  # nothing was sent

    assert clean.figures["staged_files"] == 9  # no worker ran: still served from the database
    staged_flush()
    first, second, _third = cases
    (tmp_path / CaseMaterial.objects.filter(case=first).first().file.name).unlink()  # a file gone
    del acks[second.idempotency_key]  # a case no client was told of
    acks["fault-ghost"] = Ack(desk.citizen.pk, 10**9, 201, {})  # acknowledged, never stored
    report = CrashReport()
    check(
        report,
        run_id="fault",
        started=started,
        acks=acks,
        adjustments=[],
        receiver=Receiver(),
        media_root=tmp_path,
    )
    figures = report.figures
    assert figures["lost"] == 1
    assert figures["unacknowledged_cases"] == 1
    assert figures["incomplete_cases"] == 1
    assert not report.ok
    assert any("no file" in problem for problem in report.problems)
