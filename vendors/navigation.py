"""Entries this app adds to Oscar's dashboard menu (read by config.settings.base).

Kept free of model imports: settings load it before the app registry is ready.
"""

from __future__ import annotations

NAVIGATION: list[dict] = []
