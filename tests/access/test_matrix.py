"""The access-control matrix: every page and API operation × nine actors.

The routes come from the URL resolver and the OpenAPI document, so a new page or endpoint
without an entry in ``matrix.py`` fails here, named. Each request runs in a savepoint rolled
back after it; a refused unsafe request must also leave every domain table unchanged.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import transaction

from tests.access.conftest import AccessWorld
from tests.access.matrix import ACTORS, MATRIX, REFUSALS, Route
from tests.access.routes import (
    SAFE_METHODS,
    RouteRef,
    all_routes,
    api_path,
    changed_tables,
    fill,
    fingerprint,
    matches,
    observed,
    page_path,
    send,
)

pytestmark = pytest.mark.django_db

ROUTES = all_routes()


def test_every_entry_names_a_route() -> None:
    """No stale entries: each key of the matrix is a route that exists (or an optional one)."""
    known = {r.key for r in ROUTES}
    stale = sorted(k for k, entry in MATRIX.items() if k not in known and not entry.optional)
    assert not stale, f"matrix.py has entries for routes that no longer exist: {stale}"


def _paths(ref: RouteRef, entry: Route, objects: dict[str, object]) -> list[str]:
    params = fill(dict(entry.params), objects)
    if ref.is_api:
        return [api_path(ref.template, params)]
    if ref.key == "page:admin":
        return [ref.template, *entry.also]
    return [page_path(ref.template, params), *entry.also]


def _check(access: AccessWorld, ref: RouteRef, entry: Route) -> list[str]:
    objects = access.objects
    problems: list[str] = []
    before = fingerprint()
    methods = (ref.method,) if ref.method else entry.methods
    data = fill(dict(entry.data), objects) if entry.data is not None else None
    query = fill(dict(entry.query), objects)
    for path in _paths(ref, entry, objects):
        for method in methods:
            assert method is not None
            for actor in ACTORS:
                expected = entry.expect(actor)
                cache.clear()  # the status lookup's per-address throttle
                label = f"{method} {path} as {actor}: expected {expected}"
                with transaction.atomic():
                    try:
                        response = send(
                            access.client(actor),
                            method,
                            path,
                            data=data,
                            query=query,
                            api=ref.is_api,
                            multipart=entry.multipart,
                            headers=entry.headers,
                        )
                    except Exception as exc:  # noqa: BLE001 - reported with the route and actor
                        problems.append(f"{label}, raised {type(exc).__name__}: {exc}")
                        transaction.set_rollback(True)
                        continue
                    seen = observed(response)
                    if not matches(expected, seen, response, method):
                        problems.append(f"{label}, got {response.status_code} ({seen})")
                    elif method not in SAFE_METHODS and expected in REFUSALS:
                        changed = changed_tables(before, fingerprint())
                        if changed:
                            problems.append(f"{label}: refused but changed {changed}")
                    transaction.set_rollback(True)
    return problems


@pytest.mark.parametrize("ref", ROUTES, ids=[r.key for r in ROUTES])
def test_route(access_world: AccessWorld, ref: RouteRef) -> None:
    """One route for every actor, as the matrix says."""
    entry = MATRIX.get(ref.key)
    if entry is None:
        pytest.fail(
            f"{ref.key} ({ref.template}) has no entry in tests/access/matrix.py: "
            "add one saying who may use it (docs/security.md)"
        )
    problems = _check(access_world, ref, entry)
    assert not problems, "\n".join(problems)


def test_the_change_check_sees_inserts_updates_and_deletes(access_world: AccessWorld) -> None:
    """The "nothing changed" check of refused requests notices every kind of write."""
    from zwfw.cases.models import Case, CaseNotice
    from zwfw.core.ledger import audit_record

    before = fingerprint()
    for write in (
        lambda: Case.objects.filter(pk=access_world.objects["case_b"]).update(contact_phone="13800000000"),
        lambda: audit_record(actor=None, object_type="test", object_id=0, action="probe", payload={}),
        lambda: CaseNotice.objects.filter(pk=access_world.objects["notice_a"]).delete(),
    ):
        with transaction.atomic():
            write()
            assert changed_tables(before, fingerprint()), "a write went unnoticed"
            transaction.set_rollback(True)
    assert not changed_tables(before, fingerprint())
