"""The server-rendered analyst UI (issue 7): ``install(app)`` mounts it under ``/ui``."""

from paxwatch.web.app import UI_PREFIX, WebSettings, create_web_app, install

__all__ = ["UI_PREFIX", "WebSettings", "create_web_app", "install"]
