"""Production settings: everything secret or host-specific comes from the environment.

Use with ``DJANGO_SETTINGS_MODULE=zwfw.settings_production``. Missing secrets stop start-up
with a clear error rather than falling back to demo values.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from zwfw.core.logging import logging_settings
from zwfw.settings import *  # noqa: F403
from zwfw.settings import ZWFW_LOG_LEVEL, env


def _required(name: str) -> str:
    value = env.str(name, default="")
    if not value:
        raise ImproperlyConfigured(f"{name} must be set in the environment for production.")
    return value


DEBUG = False
SECRET_KEY = _required("ZWFW_SECRET_KEY")
ZWFW_ID_ENCRYPTION_KEY = _required("ZWFW_ID_ENCRYPTION_KEY")
ZWFW_ID_HASH_KEY = _required("ZWFW_ID_HASH_KEY")
ALLOWED_HOSTS = env.list("ZWFW_ALLOWED_HOSTS")
ZWFW_LOG_FORMAT = env.str("ZWFW_LOG_FORMAT", default="json")
ZWFW_ACCESS_LOG = env.bool("ZWFW_ACCESS_LOG", default=True)
LOGGING = logging_settings(ZWFW_LOG_FORMAT, ZWFW_LOG_LEVEL, access_log=ZWFW_ACCESS_LOG)

SECURE_SSL_REDIRECT = env.bool("ZWFW_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env.int("ZWFW_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
ZWFW_API_DOCS = env.bool("ZWFW_API_DOCS", default=False)
ZWFW_WARM_START = env.bool("ZWFW_WARM_START", default=True)
# One cache shared by every web process and host: the database (`manage.py createcachetable`
# after migrate), or Redis with the redis package installed (ZWFW_CACHE_URL=redis://host:6379/1).
# Room for a busy day's lookup counters: a full cache drops entries, throttle blocks among them.
CACHES = {"default": env.cache_url("ZWFW_CACHE_URL", default="dbcache://zwfw_cache?max_entries=100000")}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
