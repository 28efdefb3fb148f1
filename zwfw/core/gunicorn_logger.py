"""gunicorn's own log lines (start, worker boot, timeouts) in the platform's JSON shape.

``gunicorn --logger-class zwfw.core.gunicorn_logger.GunicornLogger``. Kept out of
``zwfw.core.logging``, which the settings import, so that no other process imports gunicorn.
"""

from __future__ import annotations

from typing import Any

from gunicorn import glogging

from zwfw.core.logging import JsonFormatter


class GunicornLogger(glogging.Logger):
    """gunicorn's logger with its error and access lines in the JSON shape of ``zwfw.core.logging``."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        formatter = JsonFormatter()
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                if getattr(handler, "_gunicorn", False):
                    handler.setFormatter(formatter)
