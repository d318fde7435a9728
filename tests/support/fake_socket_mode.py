"""A fake Slack Socket Mode endpoint on localhost: a minimal WebSocket server speaking Slack's
envelopes, so `planbot serve --socket` can be driven offline.

`FakeSocketMode(fake_slack, app_token)` answers `apps.connections.open` on the fake Web API with
its own `ws://127.0.0.1:<port>/link` URL, says hello to each connection, and lets a test
`send(type, payload)` an envelope (`slash_commands`, `events_api`, `interactive`) and
`wait_for_ack(envelope_id)` the app's acknowledgement. Pings are answered with pongs.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import socket
import struct
import threading
import time
from typing import Any

from fake_slack import FakeSlack

_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


class FakeSocketMode:
    def __init__(self, fake: FakeSlack, app_token: str) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._connections: list[socket.socket] = []
        self._send_lock = threading.Lock()
        self._acks: dict[str, dict[str, Any]] = {}
        self._changed = threading.Condition()
        self._ids = itertools.count(1)
        self._closed = False
        fake.extra_tokens[app_token] = {"apps.connections.open"}
        fake.handlers["apps.connections.open"] = lambda payload: {
            "ok": True,
            "url": f"ws://127.0.0.1:{self.port}/link/?ticket=t{next(self._ids)}",
        }
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._closed:
            try:
                connection, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection: socket.socket) -> None:
        request = b""
        while b"\r\n\r\n" not in request:
            chunk = connection.recv(4096)
            if not chunk:
                return
            request += chunk
        headers = {}
        for line in request.decode().split("\r\n")[1:]:
            if ":" in line:
                key, value = line.split(":", 1)
                headers[key.strip().lower()] = value.strip()
        accept = base64.b64encode(
            hashlib.sha1((headers["sec-websocket-key"] + _GUID).encode()).digest()
        ).decode()
        connection.sendall(
            (
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n"
            ).encode()
        )
        with self._changed:
            self._connections.append(connection)
            self._changed.notify_all()
        self._send_frame(connection, 0x1, json.dumps({"type": "hello", "num_connections": 1}))
        try:
            while True:
                opcode, data = _read_frame(connection)
                if opcode == 0x8:
                    return
                if opcode == 0x9:
                    self._send_frame(connection, 0xA, data)
                elif opcode == 0x1:
                    message = json.loads(data)
                    with self._changed:
                        self._acks[message.get("envelope_id", "")] = message
                        self._changed.notify_all()
        except (OSError, ConnectionError):
            return

    def _send_frame(self, connection: socket.socket, opcode: int, data: str | bytes) -> None:
        payload = data.encode() if isinstance(data, str) else data
        length = len(payload)
        if length < 126:
            header = struct.pack("!BB", 0x80 | opcode, length)
        elif length < 65536:
            header = struct.pack("!BBH", 0x80 | opcode, 126, length)
        else:
            header = struct.pack("!BBQ", 0x80 | opcode, 127, length)
        with self._send_lock:
            connection.sendall(header + payload)

    def wait_connected(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        with self._changed:
            while not self._connections:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError("the app never opened a Socket Mode connection")
                self._changed.wait(left)

    def send(self, kind: str, payload: dict[str, Any], **extra: Any) -> str:
        """Send an envelope over the newest connection; its envelope_id."""
        self.wait_connected()
        envelope_id = f"env-{next(self._ids)}"
        envelope = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": kind != "events_api",
            **extra,
        }
        self._send_frame(self._connections[-1], 0x1, json.dumps(envelope))
        return envelope_id

    def wait_for_ack(self, envelope_id: str, timeout: float = 10.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        with self._changed:
            while envelope_id not in self._acks:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"envelope {envelope_id} was never acknowledged")
                self._changed.wait(left)
            return self._acks[envelope_id]

    def close(self) -> None:
        self._closed = True
        self._listener.close()
        for connection in self._connections:
            connection.close()


def _read_exactly(connection: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = connection.recv(size - len(data))
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return data


def _read_frame(connection: socket.socket) -> tuple[int, bytes]:
    first, second = _read_exactly(connection, 2)
    length = second & 0x7F
    if length == 126:
        (length,) = struct.unpack("!H", _read_exactly(connection, 2))
    elif length == 127:
        (length,) = struct.unpack("!Q", _read_exactly(connection, 8))
    mask = _read_exactly(connection, 4) if second & 0x80 else b"\0\0\0\0"
    data = bytes(b ^ mask[i % 4] for i, b in enumerate(_read_exactly(connection, length)))
    return first & 0x0F, data
