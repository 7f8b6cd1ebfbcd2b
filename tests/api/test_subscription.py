"""libraryStatus over graphql-transport-ws: the counts now, then again when they change."""

from __future__ import annotations

import time
from pathlib import Path

from starlette.testclient import TestClient

from tests.api.conftest import dev_photos

SUBSCRIBE = "subscription { libraryStatus(intervalSeconds: 0.2) { photos pending } }"


def test_library_status_pushes_changes(client: TestClient, dev_set: Path) -> None:
    with client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws:
        ws.send_json({"type": "connection_init"})
        assert ws.receive_json()["type"] == "connection_ack"
        ws.send_json({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE}})
        first = ws.receive_json()
        assert first["payload"]["data"]["libraryStatus"] == {"photos": 0, "pending": 0}
        photo = dev_photos(dev_set, 1)[0]
        client.post("/api/photos", files=[("files", (photo.name, photo.read_bytes()))])
        second = ws.receive_json()
        assert second["payload"]["data"]["libraryStatus"] == {"photos": 1, "pending": 1}
        ws.send_json({"id": "1", "type": "complete"})


def test_cross_site_websocket_is_refused(client: TestClient) -> None:
    import pytest
    from starlette.websockets import WebSocketDisconnect

    with pytest.raises(WebSocketDisconnect) as refused:  # noqa: PT012, SIM117 - refused at the handshake
        with client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"],
                                      headers={"Origin": "https://evil.example"}) as ws:
            ws.send_json({"type": "connection_init"})
            ws.receive_json()
    assert refused.value.code == 1008


def test_two_subscriptions_of_one_library_share_one_poller(client: TestClient, dev_set: Path) -> None:
    feeds = client.app.state.services.status_feeds  # type: ignore[attr-defined]
    with client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws:
        ws.send_json({"type": "connection_init"})
        assert ws.receive_json()["type"] == "connection_ack"
        for sub in ("layout", "page"):  # as the web client's layout and photos page both do
            ws.send_json({"id": sub, "type": "subscribe", "payload": {"query": SUBSCRIBE}})
        first = {message["id"]: message["payload"]["data"]["libraryStatus"] for message in
                 (ws.receive_json(), ws.receive_json())}
        assert first == {"layout": {"photos": 0, "pending": 0}, "page": {"photos": 0, "pending": 0}}
        assert feeds.pollers() == 1
        photo = dev_photos(dev_set, 1)[0]
        client.post("/api/photos", files=[("files", (photo.name, photo.read_bytes()))])
        pushed = {message["id"]: message["payload"]["data"]["libraryStatus"] for message in
                  (ws.receive_json(), ws.receive_json())}
        assert pushed == {"layout": {"photos": 1, "pending": 1}, "page": {"photos": 1, "pending": 1}}
        for sub in ("layout", "page"):
            ws.send_json({"id": sub, "type": "complete"})
        for _ in range(100):  # the app's loop runs in another thread: give it a moment
            if feeds.pollers() == 0:
                break
            time.sleep(0.02)
        assert feeds.pollers() == 0
