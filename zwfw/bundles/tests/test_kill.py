"""A bundle application is one transaction: killing the process half-way through creating its
five child cases (SIGKILL, no cleanup code runs) leaves nothing behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from django.db import connection

from zwfw.bundles.models import BundleCase, BundleChild, BundleMaterial
from zwfw.cases.models import Case, CaseMaterial
from zwfw.core.ledger import ledger_verify
from zwfw.core.models import AuditEvent

ROOT = Path(__file__).resolve().parents[3]


def _database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_sigkill_while_creating_the_children_leaves_nothing(newborn, parent, tmp_path):
    paused = tmp_path / "paused"
    script = tmp_path / "apply.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import os, sys, time
            sys.path.insert(0, {str(ROOT)!r})
            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zwfw.settings")
            import django
            django.setup()
            from zwfw.bundles import services
            from zwfw.bundles.models import Bundle
            from zwfw.bundles.services import applying
            from zwfw.bundles.tests.factories import form_values, uploads
            from zwfw.identity.models import User

            original = applying._child_create
            calls = []

            def slow(**kwargs):
                calls.append(1)
                if len(calls) == 4:  # three children written: stop here until killed
                    open({str(paused)!r}, "w").close()
                    time.sleep(600)
                return original(**kwargs)

            applying._child_create = slow
            services.bundle_apply(
                actor=User.objects.get(pk={parent.pk}),
                bundle=Bundle.objects.get(pk={newborn.bundle.pk}),
                answers={{"need-card": True}},
                values=form_values(),
                uploads=uploads(),
            )
            """
        )
    )
    before = (Case.objects.count(), CaseMaterial.objects.count(), AuditEvent.objects.count())
    env = dict(os.environ, DATABASE_URL=_database_url())
    process = subprocess.Popen([sys.executable, str(script)], env=env, cwd=ROOT)  # noqa: S603
    try:
        deadline = time.monotonic() + 120
        while not paused.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert paused.exists(), "the application never reached the fourth child"
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    connection.close()  # a fresh look at what the killed process left
    assert (Case.objects.count(), CaseMaterial.objects.count(), AuditEvent.objects.count()) == before
    assert not BundleCase.objects.exists() and not BundleChild.objects.exists()
    assert not BundleMaterial.objects.exists()
    assert list(ledger_verify()) == []
