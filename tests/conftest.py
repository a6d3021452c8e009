"""Shared test helpers.

Tests that read the real sample messages and watch lists under ``../shared/data`` use the
``shared_data`` fixture; where that folder is absent (a fresh clone outside the workplace)
they skip with the reason.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SHARED_DATA = Path(
    __import__("os").environ.get("PAXWATCH_SHARED_DATA", str(ROOT.parent / "shared" / "data"))
)

# Property tests assert behaviour, never time: no deadline per example and no health check
# on slow generation (a loaded machine must not fail a test). Tests that set their own
# ``@settings`` inherit this profile.
settings.register_profile("paxwatch", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("paxwatch")


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"{SHARED_DATA} is absent: the real samples and watch lists are not here")
    return SHARED_DATA
