"""Every row of the domain tables checked against what the audit chain says was written.

The chain proves the audit log is intact (:func:`anodeline.records.audit.verify_chain`); this
proves the tables still say what the log says. The log is replayed in sequence order into the
state each table should hold — a batch's status, verdict, reasons and electrode after its last
status entry; each step's fields; the SHA-256 of each telemetry write over its rows; lots,
items, genealogy links, exposures, alarms, users, signatures, commands, prompts, targets and their
usage — and every row is compared with it. A row edited, deleted or inserted behind the store's
back is named with its table, its key and the field that differs. Only an edit of the table
*and* a matching forged audit entry escapes this, and that breaks the chain or, appended at its end, an anchor
(:mod:`anodeline.records.anchors`).

Telemetry rows are not keyed to their audit entry: a batch's rows, in id order, are the
concatenation of its writes in chain order (one batch is written by one journal, one write
after another), so they are cut into the writes' row counts and each piece is hashed as
the write was (:func:`anodeline.records.execution.telemetry_digest`).

Wall-clock columns (``batches.created_at`` …) are not in the payloads; the audit entries'
own ``recorded_at`` is the trusted time of each write.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from anodeline.records.canonical import canonical_json, parse_json
from anodeline.records.connection import driver_cursor
from anodeline.records.execution import TELEMETRY_DIGEST, telemetry_digest
from anodeline.records.models import (
    Alarm,
    AuditEntry,
    Batch,
    Command,
    Exposure,
    Item,
    ItemLink,
    Lot,
    Prompt,
    Signature,
    Step,
    Target,
    TargetUsage,
    Telemetry,
    User,
)
from anodeline.records.users import password_sha256

#: Stop listing after this many problems (the first ones say enough; the count says the rest).
MAX_PROBLEMS = 50


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A row that does not say what the audit chain says was written."""

    table: str
    key: str
    reason: str

    def __str__(self) -> str:
        return f"{self.table} {self.key}: {self.reason}"


@dataclass
class _Expected:
    """The tables as the audit chain says they should be."""

    batches: dict[str, dict[str, Any]] = field(default_factory=dict)
    steps: dict[tuple[str, int], tuple[Any, ...]] = field(default_factory=dict)
    telemetry: dict[str, list[tuple[int, str, str]]] = field(default_factory=lambda: defaultdict(list))
    lots: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    items: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    links: dict[tuple[str, str], str | None] = field(default_factory=dict)
    exposures: Counter[tuple[Any, ...]] = field(default_factory=Counter)
    alarms: dict[int, list[Any]] = field(default_factory=dict)
    users: dict[str, list[Any]] = field(default_factory=dict)
    signatures: dict[int, tuple[Any, ...]] = field(default_factory=dict)
    commands: dict[int, list[Any]] = field(default_factory=dict)
    prompts: dict[int, list[Any]] = field(default_factory=dict)
    targets: dict[str, list[Any]] = field(default_factory=dict)
    target_usage: dict[int, tuple[Any, ...]] = field(default_factory=dict)


def _batch_create(e: _Expected, batch_id: str | None, p: dict[str, Any]) -> None:
    e.batches[str(batch_id)] = {
        "recipe_id": p["recipe_id"], "route": p["route"], "seed": p["seed"], "created_sim_s": p["sim_s"],
        "recipe_sha256": p["recipe_sha256"], "line_sha256": p["line_sha256"],
        "procedure_sha256": p.get("procedure_sha256"), "status": "created", "verdict": None, "reasons": [],
        "started_sim_s": None, "ended_sim_s": None, "electrode": None,
    }  # fmt: skip


def _batch_start(e: _Expected, batch_id: str | None, p: dict[str, Any]) -> None:
    b = e.batches.get(str(batch_id))
    if b is not None:
        b["status"], b["started_sim_s"] = "running", p["sim_s"]


def _batch_status(e: _Expected, batch_id: str | None, p: dict[str, Any]) -> None:
    b = e.batches.get(str(batch_id))
    if b is not None:
        b["status"] = p["to"]


def _batch_finish(e: _Expected, batch_id: str | None, p: dict[str, Any]) -> None:
    b = e.batches.get(str(batch_id))
    if b is not None:
        electrode = p.get("electrode")
        b.update(status=p["status"], verdict=p["verdict"], reasons=p["reasons"], ended_sim_s=p["sim_s"],
                 electrode=None if electrode is None else canonical_json(electrode))  # fmt: skip


def _step(e: _Expected, batch_id: str | None, p: dict[str, Any]) -> None:
    e.steps[(str(batch_id), p["index"])] = (
        p["action"], canonical_json(p["arguments"]), p["manual"], p["started_sim_s"], p["ended_sim_s"],
        p["outcome"], canonical_json(p["readings"]),
    )  # fmt: skip


def _telemetry(e: _Expected, batch_id: str | None, p: dict[str, Any]) -> None:
    e.telemetry[str(batch_id)].append((p["rows"], p.get("digest", ""), p["sha256"]))


def _lot(e: _Expected, batch_id: str | None, p: dict[str, Any]) -> None:
    e.lots[p["lot_id"]] = (p["material"], p["supplier"], p["note"])


def _item(e: _Expected, batch_id: str | None, p: dict[str, Any]) -> None:
    e.items[p["item_id"]] = (p["kind"], p["lot_id"], batch_id, p["air_sensitive"], p["sim_s"])


def _link(e: _Expected, batch_id: str | None, p: dict[str, Any]) -> None:
    e.links[(p["parent_id"], p["child_id"])] = batch_id


def _exposure(e: _Expected, batch_id: str | None, p: dict[str, Any]) -> None:
    key = (p["item_id"], batch_id, p["space"], p["start_s"], p["end_s"], p["max_o2_ppm"], p["max_h2o_ppm"],
           p["o2_dose_ppm_s"], p["h2o_dose_ppm_s"])  # fmt: skip
    e.exposures[key] += 1


def _alarm_raise(e: _Expected, batch_id: str | None, p: dict[str, Any]) -> None:
    e.alarms[p["alarm_id"]] = [batch_id, p["code"], p["message"], p["hold"], p["sim_s"], None]


def _alarm_clear(e: _Expected, batch_id: str | None, p: dict[str, Any]) -> None:
    alarm = e.alarms.get(p["alarm_id"])
    if alarm is not None:
        alarm[5] = p["sim_s"]


def _user_add(e: _Expected, batch_id: str | None, p: dict[str, Any]) -> None:
    e.users[p["name"]] = [p["full_name"], p["role"], p["disabled"], p["created_at"], p["password_sha256"]]


def _user_disable(e: _Expected, batch_id: str | None, p: dict[str, Any]) -> None:
    user = e.users.get(p["name"])
    if user is not None:
        user[2] = True


def _sign(e: _Expected, batch_id: str | None, p: dict[str, Any]) -> None:
    e.signatures[p["signature_id"]] = (
        batch_id,
        p["user"],
        p["printed_name"],
        p["meaning"],
        p["signed_at"],
        p["content_sha256"],
    )


def _command(e: _Expected, batch_id: str | None, p: dict[str, Any]) -> None:
    e.commands[p["command_id"]] = [batch_id, p["verb"], p["user"], p["reason"], p["issued_at"], None, None]


def _command_taken(e: _Expected, batch_id: str | None, p: dict[str, Any]) -> None:
    command = e.commands.get(p["command_id"])
    if command is not None:
        command[5], command[6] = p["taken_at"], p["outcome"]


def _prompt_open(e: _Expected, batch_id: str | None, p: dict[str, Any]) -> None:
    e.prompts[p["prompt_id"]] = [batch_id, p["step"], p["item"], p["kind"], p["instructions"], p["opened_at"],
                                 p["deadline"], None, None, None, None]  # fmt: skip


def _prompt_answer(e: _Expected, batch_id: str | None, p: dict[str, Any]) -> None:
    prompt = e.prompts.get(p["prompt_id"])
    if prompt is not None:
        prompt[7:] = [p["answered_at"], p["answer"], p["user"], p["reason"]]


def _target_install(e: _Expected, batch_id: str | None, p: dict[str, Any]) -> None:
    e.targets[p["target_id"]] = [p["source"], p["kind"], p["material"], p["capacity"], p["unit"], p["installed_at"],
                                 None, p["note"]]  # fmt: skip


def _target_remove(e: _Expected, batch_id: str | None, p: dict[str, Any]) -> None:
    target = e.targets.get(p["target_id"])
    if target is not None:
        target[6] = p["removed_at"]


def _target_use(e: _Expected, batch_id: str | None, p: dict[str, Any]) -> None:
    e.target_usage[p["usage_id"]] = (p["target_id"], batch_id, p["layer"], p["amount"], p["seconds"])


_REPLAY: dict[str, Callable[[_Expected, str | None, dict[str, Any]], None]] = {
    "batch.create": _batch_create, "batch.start": _batch_start, "batch.status": _batch_status,
    "batch.finish": _batch_finish, "step": _step, "telemetry": _telemetry, "lot.register": _lot,
    "item.register": _item, "item.link": _link, "exposure": _exposure, "alarm.raise": _alarm_raise,
    "alarm.clear": _alarm_clear, "user.add": _user_add, "user.disable": _user_disable, "batch.sign": _sign,
    "batch.command": _command, "batch.command.taken": _command_taken, "prompt.open": _prompt_open,
    "prompt.answer": _prompt_answer, "target.install": _target_install, "target.remove": _target_remove,
    "target.use": _target_use,
}  # fmt: skip


def cross_check(session: Session) -> list[RowProblem]:
    """Every row of every domain table against the audit chain; the problems found (at most
    :data:`MAX_PROBLEMS`), empty when the tables say what the chain says."""
    expected = _Expected()
    entries = session.execute(
        select(AuditEntry.kind, AuditEntry.batch_id, AuditEntry.payload)
        .where(AuditEntry.kind.in_(list(_REPLAY)))
        .order_by(AuditEntry.sequence)
    )
    for kind, batch_id, payload in entries:
        try:
            _REPLAY[kind](expected, batch_id, parse_json(payload))
        except (KeyError, TypeError, ValueError):  # an entry whose payload lacks a field: the chain check names it
            continue
    problems: list[RowProblem] = []
    for check in (
        _batches,
        _steps,
        _telemetry_rows,
        _lots,
        _items,
        _links,
        _exposures,
        _alarms,
        _users,
        _signed,
        _commands,
        _prompts,
        _targets,
        _target_usage,
    ):
        for problem in check(session, expected):
            problems.append(problem)
            if len(problems) >= MAX_PROBLEMS:
                return problems
    return problems


def _differences(
    table: str, key: str, names: tuple[str, ...], found: tuple[Any, ...], wanted: tuple[Any, ...] | list[Any]
) -> Iterator[RowProblem]:
    for name, have, want in zip(names, found, wanted, strict=True):
        if have != want or (type(have) is not type(want) and not _same_number(have, want)):
            yield RowProblem(table, key, f"{name} is {_shown(have)}, the audit trail says {_shown(want)}")


def _same_number(a: Any, b: Any) -> bool:
    numbers = (int, float)
    return isinstance(a, numbers) and isinstance(b, numbers) and not isinstance(a, bool) and a == b


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _missing(table: str, keys: Iterable[Any]) -> Iterator[RowProblem]:
    for key in sorted(keys, key=str):
        yield RowProblem(table, _key(key), "in the audit trail but not in the table: the row was deleted")


def _unknown(table: str, keys: Iterable[Any]) -> Iterator[RowProblem]:
    for key in sorted(keys, key=str):
        yield RowProblem(table, _key(key), "not in the audit trail: the row was inserted behind the store's back")


def _key(key: Any) -> str:
    return "/".join(str(k) for k in key) if isinstance(key, tuple) else str(key)


def _sha(text: str | None) -> str | None:
    return None if text is None else hashlib.sha256(text.encode("utf-8")).hexdigest()


_BATCH_FIELDS = (
    "recipe_id", "route", "seed", "created_sim_s", "recipe_sha256", "line_sha256", "procedure_sha256", "status",
    "verdict", "reasons", "started_sim_s", "ended_sim_s", "electrode",
)  # fmt: skip


def _batches(session: Session, e: _Expected) -> Iterator[RowProblem]:
    seen = set()
    for b in session.execute(select(Batch)).scalars():
        seen.add(b.id)
        want = e.batches.get(b.id)
        if want is None:
            yield from _unknown("batches", [b.id])
            continue
        try:
            reasons = parse_json(b.reasons)
        except ValueError:
            reasons = b.reasons
        found = (
            b.recipe_id, b.route, b.seed, b.created_sim_s, _sha(b.recipe_snapshot), _sha(b.line_snapshot),
            _sha(b.procedure_snapshot), b.status, b.verdict, reasons, b.started_sim_s, b.ended_sim_s, b.electrode,
        )  # fmt: skip
        names = tuple(n.replace("_sha256", "_snapshot (SHA-256)") for n in _BATCH_FIELDS)
        yield from _differences("batches", b.id, names, found, tuple(want[n] for n in _BATCH_FIELDS))
    yield from _missing("batches", set(e.batches) - seen)


_STEP_FIELDS = ("action", "arguments", "manual", "started_sim_s", "ended_sim_s", "outcome", "readings")


def _steps(session: Session, e: _Expected) -> Iterator[RowProblem]:
    seen = set()
    rows = session.execute(
        select(Step.batch_id, Step.index, Step.action, Step.arguments, Step.manual, Step.started_sim_s,
               Step.ended_sim_s, Step.outcome, Step.readings)
    )  # fmt: skip
    for batch_id, index, *found in rows:
        key = (batch_id, index)
        seen.add(key)
        want = e.steps.get(key)
        if want is None:
            yield from _unknown("steps", [key])
        else:
            yield from _differences("steps", _key(key), _STEP_FIELDS, tuple(found), want)
    yield from _missing("steps", set(e.steps) - seen)


def _telemetry_rows(session: Session, e: _Expected) -> Iterator[RowProblem]:
    counts: dict[str, int] = {}
    for batch_id, n in session.execute(select(Telemetry.batch_id, func.count()).group_by(Telemetry.batch_id)):
        counts[batch_id] = n
    for batch_id in sorted(set(counts) | set(e.telemetry)):
        writes = e.telemetry.get(batch_id, [])
        want = sum(w[0] for w in writes)
        if counts.get(batch_id, 0) != want:
            yield RowProblem("telemetry", batch_id, f"{counts.get(batch_id, 0)} rows, the audit trail says {want}")
            continue
        rows = _batch_telemetry(session, batch_id)
        start = 0
        for number, (n, digest_kind, sha) in enumerate(writes, 1):
            piece = rows[start : start + n]
            start += n
            if _telemetry_sha(piece, digest_kind) != sha:
                first, last = piece[0][2], piece[-1][2]
                yield RowProblem(
                    "telemetry", batch_id,
                    f"write {number} ({n} rows, {first:g}–{last:g} s) does not hash as the audit trail says: "
                    "a value, time or channel was edited",
                )  # fmt: skip


def _batch_telemetry(session: Session, batch_id: str) -> list[tuple[str, str, float, float]]:
    """A batch's telemetry rows in id (write) order, read on the DB-API cursor (200,000 rows: ~0.5 s
    instead of ~1 s through the ORM)."""
    connection = session.connection()
    mark = "%s" if connection.dialect.name == "postgresql" else "?"
    with driver_cursor(connection) as handle:
        handle.execute(f"SELECT batch_id, channel, sim_s, value FROM telemetry WHERE batch_id = {mark} ORDER BY id",
                       (batch_id,))  # fmt: skip
        return list(handle.fetchall())


def _telemetry_sha(rows: list[tuple[str, str, float, float]], digest_kind: str) -> str:
    if digest_kind == TELEMETRY_DIGEST:
        return telemetry_digest(rows)
    legacy = canonical_json([[r[1], r[2], r[3]] for r in rows])  # entries written before issue 9
    return hashlib.sha256(legacy.encode()).hexdigest()


def _lots(session: Session, e: _Expected) -> Iterator[RowProblem]:
    rows = session.execute(select(Lot.id, Lot.material, Lot.supplier, Lot.note))
    return _keyed("lots", rows, e.lots, ("material", "supplier", "note"))


def _items(session: Session, e: _Expected) -> Iterator[RowProblem]:
    rows = session.execute(
        select(Item.id, Item.kind, Item.lot_id, Item.batch_id, Item.air_sensitive, Item.created_sim_s)
    )
    return _keyed("items", rows, e.items, ("kind", "lot_id", "batch_id", "air_sensitive", "created_sim_s"))


def _links(session: Session, e: _Expected) -> Iterator[RowProblem]:
    seen = set()
    for parent, child, batch_id in session.execute(select(ItemLink.parent_id, ItemLink.child_id, ItemLink.batch_id)):
        key = (parent, child)
        seen.add(key)
        if key not in e.links:
            yield from _unknown("item_links", [key])
        elif e.links[key] != batch_id:
            yield RowProblem(
                "item_links", _key(key), f"batch_id is {batch_id!r}, the audit trail says {e.links[key]!r}"
            )
    yield from _missing("item_links", set(e.links) - seen)


def _exposures(session: Session, e: _Expected) -> Iterator[RowProblem]:
    rows = session.execute(
        select(Exposure.item_id, Exposure.batch_id, Exposure.space, Exposure.start_s, Exposure.end_s,
               Exposure.max_o2_ppm, Exposure.max_h2o_ppm, Exposure.o2_dose_ppm_s, Exposure.h2o_dose_ppm_s)
    )  # fmt: skip
    found = Counter(tuple(r) for r in rows)
    extra, gone = found - e.exposures, e.exposures - found
    for key in sorted(extra, key=str):
        yield RowProblem(
            "exposures", f"{key[0]} in {key[2]} {key[3]:g}–{key[4]:g} s",
            f"max O2 {key[5]:g}, max H2O {key[6]:g} ppm, doses {key[7]:g}/{key[8]:g} ppm·s: not in the audit trail "
            "(edited or inserted)",
        )  # fmt: skip
    for key in sorted(gone, key=str):
        yield RowProblem(
            "exposures", f"{key[0]} in {key[2]} {key[3]:g}–{key[4]:g} s",
            f"max O2 {key[5]:g}, max H2O {key[6]:g} ppm in the audit trail: missing or edited in the table",
        )  # fmt: skip


def _alarms(session: Session, e: _Expected) -> Iterator[RowProblem]:
    rows = session.execute(
        select(Alarm.id, Alarm.batch_id, Alarm.code, Alarm.message, Alarm.hold, Alarm.raised_sim_s,
               Alarm.cleared_sim_s)
    )  # fmt: skip
    return _keyed("alarms", rows, e.alarms, ("batch_id", "code", "message", "hold", "raised_sim_s", "cleared_sim_s"))


def _users(session: Session, e: _Expected) -> Iterator[RowProblem]:
    rows = session.execute(
        select(User.name, User.full_name, User.role, User.disabled, User.created_at, User.password_hash)
    )
    hashed = ((*row[:-1], password_sha256(row[-1])) for row in rows)  # the trail keeps the hash's SHA-256
    return _keyed("users", hashed, e.users, ("full_name", "role", "disabled", "created_at", "password_hash (SHA-256)"))


def _signed(session: Session, e: _Expected) -> Iterator[RowProblem]:
    rows = session.execute(
        select(Signature.id, Signature.batch_id, Signature.user_name, Signature.printed_name, Signature.meaning,
               Signature.signed_at, Signature.content_sha256)
    )  # fmt: skip
    names = ("batch_id", "user_name", "printed_name", "meaning", "signed_at", "content_sha256")
    return _keyed("signatures", rows, e.signatures, names)


def _commands(session: Session, e: _Expected) -> Iterator[RowProblem]:
    rows = session.execute(
        select(Command.id, Command.batch_id, Command.verb, Command.user_name, Command.reason, Command.issued_at,
               Command.taken_at, Command.outcome)
    )  # fmt: skip
    names = ("batch_id", "verb", "user_name", "reason", "issued_at", "taken_at", "outcome")
    return _keyed("commands", rows, e.commands, names)


def _prompts(session: Session, e: _Expected) -> Iterator[RowProblem]:
    rows = session.execute(
        select(Prompt.id, Prompt.batch_id, Prompt.step, Prompt.item, Prompt.kind, Prompt.instructions,
               Prompt.opened_at, Prompt.deadline, Prompt.answered_at, Prompt.answer, Prompt.user_name, Prompt.reason)
    )  # fmt: skip
    names = ("batch_id", "step", "item", "kind", "instructions", "opened_at", "deadline", "answered_at", "answer",
             "user_name", "reason")  # fmt: skip
    return _keyed("prompts", rows, e.prompts, names)


def _targets(session: Session, e: _Expected) -> Iterator[RowProblem]:
    rows = session.execute(
        select(Target.id, Target.source, Target.kind, Target.material, Target.capacity, Target.unit,
               Target.installed_at, Target.removed_at, Target.note)
    )  # fmt: skip
    names = ("source", "kind", "material", "capacity", "unit", "installed_at", "removed_at", "note")
    return _keyed("targets", rows, e.targets, names)


def _target_usage(session: Session, e: _Expected) -> Iterator[RowProblem]:
    rows = session.execute(
        select(TargetUsage.id, TargetUsage.target_id, TargetUsage.batch_id, TargetUsage.layer, TargetUsage.amount,
               TargetUsage.seconds)
    )  # fmt: skip
    return _keyed("target_usage", rows, e.target_usage, ("target_id", "batch_id", "layer", "amount", "seconds"))


def _keyed(
    table: str, rows: Iterable[Sequence[Any]], expected: Mapping[Any, Any], names: tuple[str, ...]
) -> Iterator[RowProblem]:
    """Rows ``(key, *values)`` of ``table`` against what the audit trail says of each key: each
    value that differs, each row the trail does not know, each row it knows that is gone."""
    seen = set()
    for key, *found in rows:
        seen.add(key)
        want = expected.get(key)
        if want is None:
            yield from _unknown(table, [key])
        else:
            yield from _differences(table, str(key), names, tuple(found), want)
    yield from _missing(table, set(expected) - seen)
