"""``anodeline twin serve``: the physics twin of a line in scaled real time, served over OPC UA.

The twin's clock runs ``speed`` twin seconds per wall second. Every ``tick_s`` (wall) the server
reads every twin device and writes each reading to its variable with a fresh source timestamp
(so a client's subscription sees each sample, changed or not, and a channel that stops being
written goes stale). Commands (writes, method calls) go straight to the twin's devices, as the
engine's do in-process. ``Prepare(procedure JSON, seed)`` loads a batch's materials and resets
the twin clock to 0, installing the server's ``--fault`` list; ``InjectFault`` adds one at run
time; ``FreezeChannel`` stops publishing a reading (a sensor whose PLC tag stops updating).
With ``--no-operator`` glove tasks wait for a person: ``ConfirmTask`` (done) or ``RefuseTask(why)``.

Security (docs/equipment.md): Basic256Sha256 SignAndEncrypt only, with this server's
self-signed certificate from ``--certs DIR`` and clients trusted by ``DIR/trusted``; security
None only with ``allow_insecure``; with a users file, username/password sessions only.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from anodeline.devices.commands import SourceCommand
from anodeline.devices.sim.faults import Fault, parse_fault
from anodeline.devices.sim.twin import Twin, build_twin
from anodeline.equipment.catalogue import DeviceSpec, expected_devices
from anodeline.equipment.opcua.address import REFUSED
from anodeline.equipment.opcua.codec import decode_action
from anodeline.equipment.template import namespace_uri
from anodeline.line.actions import Deposit
from anodeline.line.config import Line
from anodeline.line.policy import policy_for
from anodeline.procedure.model import Procedure

log = logging.getLogger("anodeline.twin")


class ScaledClock:
    """Twin seconds: ``speed`` per wall second since :meth:`reset`."""

    def __init__(self, speed: float) -> None:
        self.speed = speed
        self.reset()

    def reset(self) -> None:
        self._wall0 = time.monotonic()

    @property
    def now(self) -> float:
        return (time.monotonic() - self._wall0) * self.speed


@dataclass
class ServeOptions:
    line: Line
    host: str = "127.0.0.1"
    port: int = 4840
    speed: float = 1.0
    certs: Path = Path("opcua-certs")
    users: Path | None = None
    allow_insecure: bool = False
    faults: Sequence[str] = ()
    seed: int = 0
    operator: bool = True  # simulate the operator's glove work
    tick_s: float = 0.01
    modbus: str | None = None  # HOST:PORT: also serve the glove-box part over Modbus (anodeline.equipment.modbus)
    ready: Callable[[str], None] = field(default=lambda endpoint: print(f"ready {endpoint}", flush=True))

    @property
    def endpoint(self) -> str:
        return f"opc.tcp://{self.host}:{self.port}/anodeline"


def idle_procedure(line: Line) -> Procedure:
    """No batch: the line as its file describes it, with no materials."""
    return Procedure("idle", line.line, "", policy_for(line), (), ())


class TwinServer:
    """The twin of one line and the OPC UA server publishing it."""

    def __init__(self, options: ServeOptions) -> None:
        self.options = options
        self.line = options.line
        self.clock = ScaledClock(options.speed)
        self.specs = expected_devices(self.line)
        self.frozen: set[str] = set()
        self.extra_faults: list[Fault] = []
        self.tasks: list[Any] = []  # glove work waiting for a person (--no-operator)
        self.heartbeat = 0
        self.twin = self._build(idle_procedure(self.line), options.seed, ())
        self.server: Any = None
        self.nodes: dict[str, Any] = {}
        self._states: dict[str, str] = {}

    # --- the twin ------------------------------------------------------------------------------
    def _build(self, procedure: Procedure, seed: int, faults: Sequence[str | Fault]) -> Twin:
        self.clock.reset()
        return build_twin(self.line, procedure, clock=self.clock, seed=seed, faults=faults)

    def prepare(self, text: str, seed: int) -> None:
        """Load a batch: its procedure (materials), the server's faults, the twin clock back to 0."""
        from anodeline.procedure.io import read_procedure

        procedure, violations = read_procedure(text, self.line)
        if procedure is None:
            first = next((v for v in violations if v.is_error), None)
            raise ValueError(f"not a procedure for line {self.line.line!r}: {first.message if first else '?'}")
        self.extra_faults.clear()
        self.frozen.clear()
        self.tasks.clear()
        self.twin = self._build(procedure, seed, self.options.faults)
        log.info("prepared %s (seed %d, faults %s)", procedure.name, seed, [str(f) for f in self.twin.faults])

    def inject(self, spec: str) -> None:
        """Install a fault now (timed from now); a supply fault alters the plant's line."""
        fault = parse_fault(spec)
        twin = self.twin
        if twin.procedure is not None and twin.procedure.name != "idle":
            fault.check_applies(self.line, twin.procedure)
        if fault.kind.alter is not None:  # the plant's real line (and the machine its fills run on) changes
            from anodeline.line.machine import Machine

            twin.plant.line = fault.alter_line(twin.plant.line)
            twin.plant.machine = Machine(twin.plant.line)
        fault.install(twin)
        self.extra_faults.append(fault)

    def command(self, device: str) -> Callable[[Any], None]:
        spec = self.specs[device]

        def apply(value: Any) -> None:
            target = self.twin.devices[device]
            if spec.command == "switch":
                target.set(bool(value))
            elif spec.command == "setpoint":
                target.set(float(value))
            elif spec.command == "deposit":
                action = decode_action(str(value or ""))
                if action is not None and not isinstance(action, Deposit):
                    raise ValueError(f"{device} deposits; it cannot {action.kind}")
                target.set(SourceCommand(action))
            else:
                action = decode_action(str(value or ""))
                if action is None:
                    raise ValueError("the operator needs a step")
                if self.options.operator:
                    target.set(action)
                else:  # a person at the gloves does it and confirms with ConfirmTask
                    self.tasks.append(action)
                    self.twin.operator.busy = True
            log.debug("%s <- %r", device, value)

        return apply

    # --- the server --------------------------------------------------------------------------------
    async def start(self) -> None:
        from asyncua import Server, ua

        from anodeline.equipment.opcua import address
        from anodeline.equipment.opcua.security import PasswordUsers, ensure_identity, load_users, trusted_thumbprints

        o = self.options
        users = load_users(o.users) if o.users is not None else None
        identity = await ensure_identity(o.certs, "server")
        server = Server(user_manager=PasswordUsers(users) if users is not None else None)
        await server.init()
        server.set_endpoint(o.endpoint)
        server.set_server_name(f"anodeline twin of {self.line.line}")
        await server.set_application_uri(identity.uri)
        await server.load_certificate(str(identity.cert))
        await server.load_private_key(str(identity.key))
        policies = [ua.SecurityPolicyType.Basic256Sha256_SignAndEncrypt]
        if o.allow_insecure:
            policies.append(ua.SecurityPolicyType.NoSecurity)
        server.set_security_policy(policies)
        tokens: list[type] = [ua.UserNameIdentityToken]
        if users is None:
            tokens.append(ua.AnonymousIdentityToken)
        server.set_identity_tokens(tokens)
        trusted = identity.trusted

        async def validate(cert: Any, app: Any) -> None:
            from asyncua.common.utils import ServiceError
            from cryptography.hazmat.primitives.serialization import Encoding

            from anodeline.equipment.opcua.security import thumbprint

            if thumbprint(cert.public_bytes(Encoding.DER)) not in trusted_thumbprints(trusted):
                log.warning("refused an untrusted client certificate (%s)", app.ApplicationUri)
                raise ServiceError(ua.StatusCodes.BadSecurityChecksFailed)

        server.set_certificate_validator(validate)
        ns = await server.register_namespace(namespace_uri(self.line.line))
        root = await server.nodes.objects.add_folder(
            ua.NodeId(self.line.line, ns), ua.QualifiedName(self.line.line, ns)
        )
        for name, spec in self.specs.items():
            self.nodes[name] = await address.add_device(server, root, ns, spec, self.command(name))
        await self._add_twin_object(server, ns)
        self.server = server
        await self._publish()
        await server.start()

    async def _add_twin_object(self, server: Any, ns: int) -> None:
        from asyncua import ua

        twin = await server.nodes.objects.add_object(ua.NodeId("twin", ns), ua.QualifiedName("twin", ns))
        self.clock_node = (
            await twin.add_variable(ua.NodeId("twin.clock_s", ns), ua.QualifiedName("clock_s", ns), 0.0)
        ).nodeid
        self.heartbeat_node = (
            await twin.add_variable(
                ua.NodeId("twin.heartbeat", ns), ua.QualifiedName("heartbeat", ns), ua.Variant(0, ua.VariantType.UInt32)
            )
        ).nodeid
        await twin.add_variable(ua.NodeId("twin.speed", ns), ua.QualifiedName("speed", ns), float(self.options.speed))

        def method(name: str, args: list[Any], apply: Callable[..., None]) -> Any:
            async def call(parent: Any, *inputs: Any) -> list[Any]:  # async: on the loop, not a worker thread
                try:
                    apply(*(i.Value for i in inputs))
                except REFUSED as exc:
                    log.warning("%s refused: %s", name, exc)
                    raise ua.UaStatusCodeError(ua.StatusCodes.BadInvalidArgument) from exc
                return []

            return twin.add_method(ua.NodeId(f"twin.{name}", ns), ua.QualifiedName(name, ns), call, args, [])

        await method(
            "Prepare", [ua.VariantType.String, ua.VariantType.Int64], lambda text, seed: self.prepare(text, int(seed))
        )
        await method("InjectFault", [ua.VariantType.String], self._inject)
        await method("FreezeChannel", [ua.VariantType.String], self._freeze)
        await method("ConfirmTask", [], self.confirm_task)
        await method("RefuseTask", [ua.VariantType.String], self.refuse_task)

    def _inject(self, spec: str) -> None:
        from anodeline.devices.sim.faults import FaultError

        try:
            self.inject(spec)
        except FaultError as exc:
            raise ValueError(exc.message) from None

    def confirm_task(self) -> None:
        """A person did the oldest glove task (``--no-operator``): the plant applies it; refused if impossible."""
        from anodeline.line.errors import InterlockError

        if not self.tasks:
            raise ValueError("no glove task is waiting")
        action = self.tasks.pop(0)
        operator = self.twin.operator
        operator.busy = bool(self.tasks)
        try:
            self.twin.plant.apply(action)
        except InterlockError as exc:
            operator.refused += 1
            operator.last_refusal = f"{action.describe()}: {exc.reason}"
            return
        operator.done += 1

    def refuse_task(self, why: str = "") -> None:
        """A person refuses the oldest glove task (``--no-operator``): nothing is done, the engine reads it refused."""
        if not self.tasks:
            raise ValueError("no glove task is waiting")
        action = self.tasks.pop(0)
        operator = self.twin.operator
        operator.busy = bool(self.tasks)
        operator.refused += 1
        operator.last_refusal = f"{action.describe()}: refused at the gloves" + (f" ({why})" if why else "")
        log.warning("glove task refused: %s", operator.last_refusal)

    def _freeze(self, key: str) -> None:
        if not any(key in nodes.channels for nodes in self.nodes.values()):
            raise ValueError(f"no channel {key!r}")
        self.frozen.add(key)

    async def _publish(self) -> None:
        """Write every reading of every device (one twin instant), the clock and the heartbeat."""
        from asyncua import ua

        from anodeline.equipment.opcua.address import datavalue

        server = self.server
        self._end_points()
        stamp = datetime.now(UTC)
        write = server.write_attribute_value
        for name, device in self.twin.devices.items():
            nodes = self.nodes[name]
            readings = device.read()
            for channel in nodes.spec.channels:
                if channel.key in self.frozen:
                    continue
                reading = readings.get(channel.key)
                if reading is not None:
                    await write(nodes.channels[channel.key], datavalue(reading.value, channel.value, stamp))
            state = machinery_state(nodes.spec, readings, self.twin.plant.powered)
            if self._states.get(name) != state:
                self._states[name] = state
                await write(nodes.state, ua.DataValue(ua.Variant(state, ua.VariantType.String), SourceTimestamp=stamp))
        self.heartbeat = (self.heartbeat + 1) % 2**32
        await write(
            self.clock_node, ua.DataValue(ua.Variant(self.clock.now, ua.VariantType.Double), SourceTimestamp=stamp)
        )
        await write(
            self.heartbeat_node, ua.DataValue(ua.Variant(self.heartbeat, ua.VariantType.UInt32), SourceTimestamp=stamp)
        )

    def _end_points(self) -> None:
        """The deposition controller ends a film at its QCM setpoint (the step's thickness), as a real one does.

        In-process the engine switches the source off at its next poll; behind a link that poll comes
        a round trip late (at --speed 1000, 0.1 s is 100 s of film), so the controller next to the
        source stops it, and the engine reads the QCM back as before.
        """
        from anodeline.devices.sim.devices import SimSource

        for name in self.twin.sources:
            device = self.twin.devices[name]
            run = self.twin.plant.sources.get(name)
            if not isinstance(device, SimSource) or run is None or not run.on or run.deposit is None:
                continue
            self.twin.plant.advance()
            if run.thickness_um * device.tooling >= run.deposit.thickness_um:
                try:
                    device.set(SourceCommand(None))
                except REFUSED as exc:  # the twin cannot apply the film (its target moved): the source stays off
                    log.warning("%s stopped at its setpoint, film not applied: %s", name, exc)
                    run.on = False

    async def run(self, stop: asyncio.Event) -> None:
        """Publish every tick until ``stop`` is set, then stop the server."""
        try:
            while not stop.is_set():
                started = time.monotonic()
                try:
                    await self._publish()
                except REFUSED:  # a twin that cannot evolve is logged; the server keeps answering
                    log.exception("publishing the twin failed")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), max(self.options.tick_s - (time.monotonic() - started), 0.0))
        finally:
            await self.server.stop()


def machinery_state(spec: DeviceSpec, readings: dict[str, Any], powered: bool) -> str:
    """The OPC 40001-1 MachineryItemState name of a device from its readings."""

    def flag(channel: str) -> bool:
        reading = readings.get(f"{spec.name}.{channel}")
        return reading is not None and reading.value >= 0.5

    if spec.kind == "pump" and flag("fault"):
        return "OutOfService"
    if spec.kind in ("sensor", "operator", "mains"):
        return "Executing" if spec.kind != "operator" or flag("busy") else "NotExecuting"
    if not powered:
        return "OutOfService"
    busy = {"pump": "running", "valve": "open", "purifier": "on", "source": "on"}.get(spec.kind)
    if busy is not None:
        return "Executing" if flag(busy) else "NotExecuting"
    if spec.kind == "door":
        position = readings.get(f"{spec.name}.position")
        return "Executing" if position is not None and 0.0 < position.value < 1.0 else "NotExecuting"
    return "NotExecuting"


async def serve(options: ServeOptions) -> None:
    """Serve until SIGTERM or SIGINT; print ``ready ENDPOINT`` once connections are accepted."""
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    twin = TwinServer(options)
    await twin.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    modbus = None
    if options.modbus is not None:  # the glove-box part over Modbus too, on this loop
        from anodeline.equipment.modbus import serve_twin

        try:
            modbus = await serve_twin(twin, options.modbus, refresh_s=options.tick_s)
        except BaseException:
            await twin.server.stop()
            raise
    options.ready(options.endpoint)
    try:
        await twin.run(stop)
    finally:
        if modbus is not None:
            await modbus.stop()
