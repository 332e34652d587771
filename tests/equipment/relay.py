"""A TCP relay between a client and a server whose cable can be pulled and plugged back in.

``pull()`` stops every byte in both directions, on the open connections and on new ones, as a
pulled network cable does (no reset: the peers only hear silence); ``plug()`` lets the held bytes
through again, as TCP's retransmission would. ``reset()`` closes every open connection instead
(a switch that rebooted). Threads, no asyncio: the client and server under test own their loops.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from types import TracebackType


class Relay:
    """``127.0.0.1:port`` → ``host:upstream``; a context manager that closes everything."""

    def __init__(self, host: str, upstream: int) -> None:
        self.upstream = (host, upstream)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.listener.getsockname()[1]
        self.connected = threading.Event()
        self.connected.set()  # the cable is in
        self.connections = 0  # accepted so far (a reconnection is a new one)
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._closed = False
        threading.Thread(target=self._accept, name="relay accept", daemon=True).start()

    def endpoint(self, scheme: str = "opc.tcp://", path: str = "/anodeline") -> str:
        return f"{scheme}127.0.0.1:{self.port}{path}"

    def pull(self) -> None:
        self.connected.clear()

    def plug(self) -> None:
        self.connected.set()

    def reset(self) -> None:
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def close(self) -> None:
        self._closed = True
        self.connected.set()
        self.listener.close()
        self.reset()

    def __enter__(self) -> Relay:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.upstream, timeout=5.0)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            with self._lock:
                self._sockets += [client, server]
                self.connections += 1
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, sink), name="relay pump", daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                self.connected.wait()  # a pulled cable holds the bytes; plugged back, they go on
                if self._closed:
                    break
                sink.sendall(data)
        except OSError:
            pass
        self.connected.wait()  # a close, too, reaches the other side only through the cable
        for sock in (source, sink):  # one side gone: the other hears it
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
