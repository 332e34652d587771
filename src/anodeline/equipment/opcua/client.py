"""One encrypted OPC UA session to one server, kept by a background asyncio loop thread.

The engine is synchronous; this link is where the asynchrony lives. A daemon thread runs an
event loop that connects, subscribes to every bound channel (sampling and publishing every
``publish_interval``, data-change trigger StatusValueTimestamp so each fresh sample arrives even
if its value did not change) and keeps the latest value of each channel in a cache with the
wall time it arrived. :meth:`Link.read` answers from that cache at once; a channel older than
its limit is left out (missing), and :meth:`Link.health` says why. A supervisor task reads the
server's state every ``watchdog_s``; when the link fails it is marked lost, then re-made with a
back-off and the subscription re-created. Commands are written (or methods called) on the loop;
each is pending until the server answers Good, and one not answered within ``ack_timeout``
(or refused) is reported by :meth:`Link.health`.

Connecting refuses, with one :class:`OpcuaConnectError` each (exit 2, before a batch is recorded):
an unreachable endpoint, an endpoint without Basic256Sha256 SignAndEncrypt, a server whose
certificate is not in the trust list, a server that refuses this client's certificate, a wrong
user or password, a bound node that does not exist, a node whose value is not a number or flag.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import math
import threading
import time
from collections.abc import Awaitable, Callable, Coroutine, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from anodeline.devices.protocols import Health, Reading
from anodeline.equipment.bindings import BindingFile, ChannelBinding
from anodeline.equipment.schema import OpcuaBindings, OpcuaChannel, OpcuaCommand
from anodeline.errors import UnreadableInputError

log = logging.getLogger("anodeline.opcua")
#: asyncua's own log (a traceback when a publish fails on a pulled cable) is not printed unless the application
#: configures logging: the link reports through health() and OpcuaConnectError instead.
logging.getLogger("asyncua").addHandler(logging.NullHandler())
#: The shortest a reading may be old before it counts as missing, in wall seconds, whatever the speed
#: (a scaled rehearsal divides stale_after by its speed; below 2 s an overloaded machine trips it by scheduling
#: alone).
MIN_STALE_WALL_S = 2.0
CONNECT_TIMEOUT_S = 10.0
NO_MARK = (-math.inf, -math.inf)
#: The link is lost when the server's state cannot be read: at once for a closed connection, after
#: this many reads unanswered within PROBE_TIMEOUT_S for a server that hangs (≈ 5 s).
PROBE_TIMEOUT_S, PROBE_TIMEOUTS = 1.5, 3


class OpcuaConnectError(UnreadableInputError):
    """The equipment cannot be reached or trusted: no batch is started (exit 2)."""

    code = "OPCUA"


@dataclass(frozen=True)
class Credentials:
    certs: Path
    user: str | None = None
    password: str | None = None


@dataclass
class _Pending:
    device: str
    what: str
    since: float
    failed: str = ""


class Link:
    """The connection of one bindings file, its reading cache and its command queue."""

    def __init__(
        self, file: BindingFile, credentials: Credentials, *, speed: float = 1.0, watchdog_s: float = 0.1
    ) -> None:
        if not isinstance(file.model, OpcuaBindings):
            raise TypeError(f"{file.path} is not an OPC UA bindings file")
        self.file = file
        self.model: OpcuaBindings = file.model
        self.credentials = credentials
        self.speed = speed
        self.watchdog_s = watchdog_s
        self.channels: dict[str, ChannelBinding] = {c.key: c for d in file.devices for c in d.channels}
        self._limit = {key: max(c.stale_after_s / speed, MIN_STALE_WALL_S) for key, c in self.channels.items()}
        self._cache: dict[str, tuple[float, float, float]] = {}  # key → (value, wall time, monotonic arrival)
        #: device → (server time, monotonic arrival) its samples must reach to count after a command (:meth:`submit`)
        self._command_mark: dict[str, tuple[float, float]] = {}
        self._pending: dict[int, _Pending] = {}
        self._failed: dict[str, str] = {}  # device → why its last command was refused
        self._seq = 0
        self._generation = 0  # connections made so far: a command's answer counts only on its own
        self._losses = 0  # connections lost so far
        self._losses_told: dict[str, int] = {}  # device → losses its health() has reported (a latch, see health)
        self._lock = threading.Lock()
        self.connected = False
        self.lost_since: float | None = None
        self.server_thumbprint = ""
        self.nodes: dict[str, Any] = {}  # node text → ua.NodeId (resolved on connect)
        self._client: Any = None
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name=f"opcua {file.endpoint}", daemon=True)
        self._closing = False
        self._supervisor: concurrent.futures.Future[None] | None = None

    @property
    def sample_interval_s(self) -> float:
        """Wall seconds between two samples of a channel (the subscription's publishing interval)."""
        return self.model.publish_interval

    # --- life ----------------------------------------------------------------------------------
    def connect(self, timeout_s: float = CONNECT_TIMEOUT_S) -> None:
        """Connect, check every binding against the server, subscribe; raise :class:`OpcuaConnectError`."""
        self._thread.start()
        future = asyncio.run_coroutine_threadsafe(self._connect(first=True), self._loop)
        try:
            future.result(timeout_s)
        except concurrent.futures.TimeoutError:
            future.cancel()
            self.close()
            raise OpcuaConnectError(
                f"{self.model.endpoint} did not answer within {timeout_s:g} s",
                hint="check the endpoint, the network and that the server runs",
            ) from None
        except OpcuaConnectError:
            self.close()
            raise
        self._supervisor = asyncio.run_coroutine_threadsafe(self._supervise(), self._loop)

    def close(self) -> None:
        if self._closing:
            return
        self._closing = True
        if self._supervisor is not None:
            self._supervisor.cancel()
        if self._thread.is_alive():
            with contextlib.suppress(Exception):
                asyncio.run_coroutine_threadsafe(self._disconnect(), self._loop).result(3.0)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(3.0)

    async def _disconnect(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(client.disconnect(), 2.0)

    # --- connecting ------------------------------------------------------------------------------
    async def _connect(self, *, first: bool) -> None:
        from asyncua import Client, ua
        from asyncua.crypto.security_policies import SecurityPolicyBasic256Sha256

        from anodeline.equipment.opcua.security import ensure_identity, thumbprint, trusted_thumbprints

        endpoint = self.model.endpoint
        identity = await ensure_identity(self.credentials.certs, "client")
        probe = Client(endpoint, timeout=4)
        try:
            endpoints = await probe.connect_and_get_server_endpoints()
        except (TimeoutError, OSError, ua.UaError) as exc:
            raise OpcuaConnectError(
                f"cannot reach {endpoint}: {_why(exc)}",
                hint="check the endpoint (opc.tcp://HOST:PORT/PATH) and that the server runs",
            ) from None
        secure = [
            e
            for e in endpoints
            if e.SecurityPolicyUri == SecurityPolicyBasic256Sha256.URI
            and e.SecurityMode == ua.MessageSecurityMode.SignAndEncrypt
        ]
        if not secure:
            raise OpcuaConnectError(
                f"{endpoint} offers no Basic256Sha256 SignAndEncrypt endpoint: refused",
                hint="enable encryption on the server; anodeline never talks to equipment in clear",
            )
        der = secure[0].ServerCertificate
        print_ = thumbprint(der)
        if print_ not in trusted_thumbprints(identity.trusted):
            raise OpcuaConnectError(
                f"the server at {endpoint} is not trusted (certificate SHA-256 {print_[:16]}…)",
                hint=f"if it is the right server, copy its certificate into {identity.trusted}",
            )
        client = Client(endpoint, timeout=4, watchdog_intervall=1.0)
        client.session_timeout = 600_000  # ms: what asyncua servers grant at most (a larger request is revised down)
        client.application_uri = identity.uri
        client.name = "anodeline engine"
        await client.set_security(
            SecurityPolicyBasic256Sha256,
            str(identity.cert),
            str(identity.key),
            server_certificate=der,
            mode=ua.MessageSecurityMode.SignAndEncrypt,
        )
        if self.credentials.user:
            client.set_user(self.credentials.user)
            client.set_password(self.credentials.password or "")
        try:
            await client.connect()
        except ua.UaStatusCodeError as exc:
            raise OpcuaConnectError(_refusal(endpoint, exc), hint=_refusal_hint(exc)) from None
        except (TimeoutError, OSError, ua.UaError) as exc:
            raise OpcuaConnectError(
                f"{endpoint} refused the session: {_why(exc)}",
                hint="check that the server trusts this client's certificate and the user",
            ) from None
        try:
            await self._resolve(client)
            if first:
                await self._check(client)
            self._forget_the_old_connection()
            await self._subscribe(client)
        except BaseException:
            with contextlib.suppress(Exception):
                await client.disconnect()
            raise
        self._client = client
        self.server_thumbprint = print_
        self.connected, self.lost_since = True, None

    def _forget_the_old_connection(self) -> None:
        """Commands and samples of the connection before are not this one's.

        A command lost with the link is never replayed nor left NO-ACK (the engine re-reads the
        line and makes it safe on reconnection); its answer, should it still come, is dropped
        (:meth:`submit` checks the generation). Only samples of the new subscription count.
        """
        with self._lock:
            self._generation += 1
            self._pending.clear()
            self._failed.clear()
            self._command_mark.clear()
            self._cache.clear()

    async def _resolve(self, client: Any) -> None:
        from asyncua import ua

        default_ns = await client.get_namespace_index(self.model.namespace) if self.model.namespace else 0
        texts = [_node(c) for c in self.channels.values()]
        for device in self.file.devices:
            if device.command is not None:
                texts += _command_nodes(device.command.address)
        if self.model.prepare is not None:
            texts += [self.model.prepare.call, self.model.prepare.object]
        for text in texts:
            if text.startswith("nsu="):
                uri, _, rest = text[4:].partition(";")
                self.nodes[text] = ua.NodeId.from_string(f"ns={await client.get_namespace_index(uri)};{rest}")
            elif text.startswith("ns="):
                self.nodes[text] = ua.NodeId.from_string(text)
            else:
                self.nodes[text] = ua.NodeId.from_string(f"ns={default_ns};{text}")

    async def _check(self, client: Any) -> None:
        """Every bound node exists; channels hold numbers or flags; write commands hold the type they need."""
        from asyncua import ua

        keys = list(self.channels)
        nodes = [self.nodes[_node(self.channels[k])] for k in keys]
        values = await client.uaclient.read_attributes(nodes, ua.AttributeIds.Value)
        for key, result in zip(keys, values, strict=True):
            node = _node(self.channels[key])
            code = result.StatusCode
            if code is not None and code.value == ua.StatusCodes.BadNodeIdUnknown:
                raise OpcuaConnectError(
                    f"{self.file.path}: {key} is bound to node {node!r}, which {self.model.endpoint} does not have",
                    hint="check the node id against the server's address space (browse it)",
                )
            value = result.Value.Value if result.Value is not None else None
            if not isinstance(value, bool | int | float) or (isinstance(value, float) and math.isnan(value)):
                raise OpcuaConnectError(
                    f"{self.file.path}: {key} (node {node!r}) holds {type(value).__name__} {value!r}, "
                    "not a number or flag",
                    hint="bind the node that holds the measured value",
                )
        for device in self.file.devices:
            if device.command is None:
                continue
            for text in _command_nodes(device.command.address):
                result = (await client.uaclient.read_attributes([self.nodes[text]], ua.AttributeIds.NodeClass))[0]
                if result.StatusCode is not None and not result.StatusCode.is_good():
                    raise OpcuaConnectError(
                        f"{self.file.path}: the command of {device.name} is bound to node {text!r}, "
                        f"which {self.model.endpoint} does not have",
                        hint="check the node id",
                    )

    async def _subscribe(self, client: Any) -> None:
        from asyncua import ua

        interval_ms = self.model.publish_interval * 1000.0
        handler = _Handler(self)
        subscription = await client.create_subscription(interval_ms, handler)
        by_node: dict[Any, list[str]] = {}
        for key, channel in self.channels.items():
            by_node.setdefault(self.nodes[_node(channel)], []).append(key)
        handler.keys = {node: keys for node, keys in by_node.items()}
        trigger = ua.DataChangeFilter(Trigger=ua.DataChangeTrigger.StatusValueTimestamp)
        nodes = [client.get_node(node) for node in by_node]
        results = await subscription._subscribe(
            nodes, ua.AttributeIds.Value, mfilter=trigger, queuesize=1, sampling_interval=interval_ms
        )
        bad = [n for n, r in zip(by_node, results, strict=True) if isinstance(r, ua.StatusCode)]
        if bad:
            raise OpcuaConnectError(
                f"{self.model.endpoint} refused to monitor {len(bad)} bound node(s), e.g. {bad[0]}",
                hint="check the nodes' access rights",
            )

    # --- supervision ---------------------------------------------------------------------------
    async def _supervise(self) -> None:
        from asyncua import ua

        backoff, slow = 0.2, 0
        while not self._closing:
            await asyncio.sleep(self.watchdog_s)
            client = self._client
            if client is not None:
                try:  # Server_ServerStatus_State
                    await asyncio.wait_for(client.get_node(ua.NodeId(2259)).read_value(), PROBE_TIMEOUT_S)
                    slow = 0
                    continue
                except TimeoutError:  # a busy server answers late: lost only after several late answers
                    slow += 1
                    if slow < PROBE_TIMEOUTS:
                        continue
                    self._lost(f"{slow} probes unanswered within {PROBE_TIMEOUT_S:g} s")
                except Exception as exc:  # a closed socket, a dead session: the link cannot be trusted
                    self._lost(f"probe failed: {_why(exc)}")
                slow = 0
                await self._disconnect()
            try:
                await asyncio.wait_for(self._connect(first=False), 5.0)
                backoff = 0.2
                log.warning("reconnected to %s", self.model.endpoint)
            except Exception as exc:
                log.info("reconnect to %s failed: %s", self.model.endpoint, _why(exc))
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)

    def _lost(self, why: str) -> None:
        if self.connected:
            log.warning("connection to %s lost (%s)", self.model.endpoint, why)
            self._losses += 1
        self.connected = False
        self.lost_since = self.lost_since or time.monotonic()

    # --- readings ----------------------------------------------------------------------------------
    def store(self, key: str, value: float, stamp: float) -> None:
        """Cache a sample unless an equally recent one (by the server's stamp) is already there."""
        with self._lock:
            old = self._cache.get(key)
            if old is None or stamp >= old[1]:
                self._cache[key] = (value, stamp, time.monotonic())

    def read(self, keys: Iterable[str], device: str) -> dict[str, Reading]:
        """Fresh readings of ``keys`` in engine units (stale ones, and those from before a command, left out)."""
        now = time.monotonic()
        stamped, arrived = self._command_mark.get(device, NO_MARK)
        found: dict[str, Reading] = {}
        if not self.connected:
            return found
        for key in keys:
            entry = self._cache.get(key)
            if entry is None or entry[1] < stamped or entry[2] < arrived or now - entry[2] > self._limit[key]:
                continue
            found[key] = Reading(self.channels[key].conversion.to_engine(entry[0]), entry[1])
        return found

    def health(self, device: str, keys: Iterable[str]) -> Health | None:
        """LINK while disconnected, and once after a loss the device has not reported yet (an outage shorter
        than the engine's poll still makes it re-read and make safe); STALE; NO-ACK."""
        if not self.connected:
            return Health(code="LINK", reason="connection lost")
        if self._losses_told.get(device, 0) != self._losses:
            self._losses_told[device] = self._losses
            return Health(code="LINK", reason="connection lost")
        now = time.monotonic()
        for key in keys:
            entry = self._cache.get(key)
            age = now - entry[2] if entry is not None else math.inf
            if age > self._limit[key]:
                shown = f"for {age:.1f} s" if math.isfinite(age) else "since the connection was made"
                return Health(
                    code="STALE", reason=f"{key} has not updated {shown} (limit {self._limit[key]:.3g} s wall)"
                )
        if not self._pending and not self._failed:  # the usual case, without taking the lock
            return None
        with self._lock:
            pending = [p for p in self._pending.values() if p.device == device]
            failed = self._failed.get(device)
        if failed:
            return Health(code="NO-ACK", reason=failed)
        for p in pending:
            if now - p.since > self.file.ack_timeout_s:
                return Health(code="NO-ACK", reason=f"{p.what} not acknowledged within {self.file.ack_timeout_s:g} s")
        return None

    # --- commands ----------------------------------------------------------------------------------
    def submit(self, device: str, what: str, action: Callable[[Any], Awaitable[Any]]) -> None:
        """Run ``action(client)`` on the loop; pending until it returns, failed if it raises.

        ``action`` answers the server time the command took effect (the written node's
        ServerTimestamp, or a twin method's answer). Until then the device's readings are left
        out, and afterwards only samples the server stamped at or after that time count: a sample
        taken before the command may still be queued in the subscription and arrive after the
        acknowledgement, and it must not end a wait (a pump's old "off" aborting its pump-down, an
        old QCM reading ending a new film). Without a time, two publishing intervals of arrivals
        are skipped instead.
        """
        with self._lock:
            self._seq += 1
            seq = self._seq
            self._pending[seq] = _Pending(device, what, time.monotonic())
            self._command_mark[device] = (math.inf, math.inf)

        async def run() -> None:
            client, generation = self._client, self._generation
            try:
                if client is None:
                    raise ConnectionError("not connected")
                applied = await asyncio.wait_for(action(client), self.file.ack_timeout_s)
            except Exception as exc:  # the reason is what the record shows
                with self._lock:
                    if generation != self._generation:  # sent on a connection since lost: forgotten
                        return
                    self._pending.pop(seq, None)
                    self._failed[device] = f"{what} failed: {_why(exc)}"
                    self._command_mark[device] = (-math.inf, -math.inf)
                return
            with self._lock:
                if generation != self._generation:
                    return
                self._pending.pop(seq, None)
                self._failed.pop(device, None)
                if applied is not None:
                    self._command_mark[device] = (_server_seconds(applied), -math.inf)
                else:
                    self._command_mark[device] = (-math.inf, time.monotonic() + 2.0 * self.model.publish_interval)

        if self._loop.is_running():
            asyncio.run_coroutine_threadsafe(run(), self._loop)

    def call_prepare(self, procedure_json: str, seed: int) -> None:
        """Load a batch into a twin server (``prepare`` of the bindings file); blocking, before the batch starts."""
        prepare = self.model.prepare
        if prepare is None:
            return
        from asyncua import ua

        async def call() -> None:
            obj = self._client.get_node(self.nodes[prepare.object])
            await obj.call_method(
                self.nodes[prepare.call],
                ua.Variant(procedure_json, ua.VariantType.String),
                ua.Variant(seed, ua.VariantType.Int64),
            )

        try:
            asyncio.run_coroutine_threadsafe(call(), self._loop).result(10.0)
        except Exception as exc:
            raise OpcuaConnectError(
                f"{self.model.endpoint} refused to prepare the batch: {_why(exc)}",
                hint="is the server 'anodeline twin serve' of this line?",
            ) from None
        with self._lock:
            self._cache.clear()  # what was published before the batch was loaded is not this batch's

    def call(self, func: Callable[[Any], Coroutine[Any, Any, Any]], timeout_s: float = 10.0) -> Any:
        """Run ``func(client)`` on the loop and wait for it (tests, benchmarks)."""
        return asyncio.run_coroutine_threadsafe(func(self._client), self._loop).result(timeout_s)


class _Handler:
    """asyncua subscription handler: each data change into the cache."""

    def __init__(self, link: Link) -> None:
        self.link = link
        self.keys: dict[Any, list[str]] = {}

    def datachange_notification(self, node: Any, value: Any, data: Any) -> None:
        stamp = data.monitored_item.Value.SourceTimestamp
        wall = _server_seconds(stamp) if stamp is not None else time.time()
        number = float(value) if isinstance(value, bool | int | float) else math.nan
        if math.isnan(number):
            return
        for key in self.keys.get(node.nodeid, ()):
            self.link.store(key, number, wall)

    def status_change_notification(self, status: Any) -> None:
        self.link._lost(f"subscription status {status}")


def _node(channel: ChannelBinding) -> str:
    assert isinstance(channel.address, OpcuaChannel)  # a Link is made of an OPC UA file only
    return channel.address.node


def _command_nodes(address: Any) -> list[str]:
    assert isinstance(address, OpcuaCommand)
    return [text for text in (address.write, address.call, address.object) if text is not None]


def _server_seconds(value: Any) -> float:
    """A server ``DateTime`` as POSIX seconds (asyncua gives naive UTC datetimes)."""
    from datetime import UTC

    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return float(value.timestamp())


def _why(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}{': ' + text[:200] if text else ''}"


def _refusal(endpoint: str, exc: Any) -> str:
    from asyncua import ua

    code = getattr(exc, "code", None)
    if code in (
        ua.StatusCodes.BadUserAccessDenied,
        ua.StatusCodes.BadIdentityTokenRejected,
        ua.StatusCodes.BadIdentityTokenInvalid,
    ):
        return f"{endpoint} refused the user name or password"
    if code in (ua.StatusCodes.BadSecurityChecksFailed, ua.StatusCodes.BadCertificateUntrusted):
        return f"{endpoint} does not trust this client's certificate"
    return f"{endpoint} refused the session: {_why(exc)}"


def _refusal_hint(exc: Any) -> str:
    from anodeline.equipment.opcua.security import PASSWORD_ENV

    return f"check --user and ${PASSWORD_ENV}, and that the server trusts this client's certificate (its trusted/ list)"
