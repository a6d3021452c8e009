"""The UI shows a hit raised on an API traveller that matches no booking: the queue marks
the group "API only", the hit page shows the API traveller (role, name, document,
nationality, date of birth, flight) beside the list entry, the read is audited with the
API traveller, and the decision buttons work."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest

from paxwatch.assess.hook import install as install_assessment
from paxwatch.assess.watchlists import import_entries, set_active
from paxwatch.formats.paxlst_write import write_paxlst
from paxwatch.ingest import ingest_bytes
from paxwatch.model.common import ApiRole
from paxwatch.privacy.access import Role
from paxwatch.privacy.audit import list_events
from paxwatch.privacy.users import create_user
from paxwatch.store.engine import Store
from tests.assess.helpers import META, entry
from tests.store.factory import api, api_traveller, flight
from tests.store.helpers import make_store
from tests.web.conftest import FAST, PASSWORD, TestClient, csrf_of, make_app, sign_in

BORN = date(1964, 7, 12)


@pytest.fixture
def crew_store(tmp_path: Path) -> Iterator[Store]:
    with make_store("sqlite", tmp_path) as store:
        import_entries(store, "NAT", [entry("E1", "DOE", "JOHN MICHAEL", BORN)], meta=META)
        set_active(store, "NAT", True, by="chef")
        install_assessment(store)
        soon = flight("DL", "100", dep=datetime.combine(date.today() + timedelta(days=2), time(9)))
        crew = dataclasses.replace(
            api_traveller("DOE", "JOHN MICHAEL", doc="C1234567", dob=BORN), role=ApiRole.CREW
        )
        ingest_bytes(store, write_paxlst(api(crew, fl=soon)).encode(), source="test")
        create_user(store, "bruno", Role.ANALYST, password=PASSWORD, actor="test", config=FAST)
        yield store


def test_api_only_hit_in_queue_and_on_the_hit_page(crew_store: Store) -> None:
    with TestClient(make_app(crew_store), base_url="http://127.0.0.1") as client:
        sign_in(client, "bruno")
        queue = client.get("/ui/queue")
        assert queue.status_code == 200 and "API only" in queue.text
        (hit_id,) = {int(i) for i in re.findall(r'/ui/hits/(\d+)"', queue.text)}
        page = client.get(f"/ui/hits/{hit_id}")
        assert page.status_code == 200, page.text
        assert "API traveller: matches no booking" in page.text
        assert "crew" in page.text and "C1234567" in page.text and "1964-07-12" in page.text
        assert "DL100" in page.text
        with crew_store.read() as conn:
            reads = [e.data() for e in list_events(conn, actor="bruno", kind="read", limit=5)]
        detail = next(r for r in reads if r.get("view") == "hit_detail")
        assert detail["hit_id"] == hit_id and detail["api_traveller_ids"]
        taken = client.post(
            f"/ui/hits/{hit_id}/decision",
            data={"action": "take", "csrf_token": csrf_of(page.text)},
        )
        assert taken.status_code == 200 and "in_review" in taken.text
