"""Background tasks of the core: flushing staged upload files to storage."""

from __future__ import annotations

from django_tasks import task

from zwfw.core.staging import staged_flush


@task()
def staged_flush_task(names: list[str]) -> int:
    """Write these staged files to storage and delete their rows (queued by online intake in
    the statement that staged them); returns how many it flushed."""
    return staged_flush(names=names)
