"""WSGI entry point (gunicorn zwfw.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zwfw.settings")
application = get_wsgi_application()


def _warm() -> None:
    """Load now what a worker would otherwise load on its first requests: the URL configuration
    (every view and API schema) and the search tokenizer (jieba's dictionary). Seconds of CPU
    each; on a busy host a first search took longer than gunicorn's 30 s timeout, so workers were
    killed and restarted in a loop. With ``gunicorn --preload`` (scripts/serve) the master does it
    once and the workers share it. No database connection is left open for the forks to share.

    On in production (``ZWFW_WARM_START``, default on under ``settings_production``); off in the
    demo and the benchmarks' servers, where it would only delay every start by seconds."""
    from django.db import connections
    from django.urls import get_resolver

    from zwfw.catalog.search import query_groups

    get_resolver().url_patterns  # noqa: B018 - the import is the point
    query_groups("营业执照")
    connections.close_all()


from django.conf import settings  # noqa: E402 - read once the application has set Django up

if settings.ZWFW_WARM_START:
    _warm()
