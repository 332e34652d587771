"""Every code any checker reports, in one namespace: what it means, how to fix it, its source.

Recipe rules, line rules, interlocks and their tables stay where they are checked
(:mod:`anodeline.recipe.rules`, :mod:`anodeline.line.rules`, :mod:`anodeline.line.interlocks`);
the codes of checkers without a table of their own (impossible actions, procedure files,
line-file schema, engine alarms) are listed here. :func:`all_codes` gathers them all and
refuses a code that two checkers define, so a code has exactly one meaning; ``anodeline
explain``, ``anodeline rules`` and ``docs/rules.md`` are made from it. A test scans
``src/`` and fails on a code literal without an entry, or raised outside its checker.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

#: severities: a finding that fails a document (error) or not (warning); an action the line
#: refuses (refusal); an alarm that aborts the batch (abort) or holds it for a decision (hold)
SEVERITIES = ("error", "warning", "refusal", "abort", "hold")


@dataclass(frozen=True)
class Checker:
    """A part of anodeline that reports codes, and the source files allowed to raise them."""

    name: str
    title: str
    reported_by: str
    modules: tuple[str, ...]  # paths under src/anodeline; a trailing "/" is a whole package

    def owns(self, module: str) -> bool:
        return any(module == m or (m.endswith("/") and module.startswith(m)) for m in self.modules)


CHECKERS: dict[str, Checker] = {
    c.name: c
    for c in (
        Checker("recipe", "Recipe rules", "`anodeline validate RECIPE` (schema and process window)",
                ("recipe/rules/", "recipe/fit.py")),
        Checker("line", "Line rules", "reading a line file (`--line LINE.yaml`): schema and topology",
                ("line/rules.py", "line/load.py")),
        Checker("procedure", "Procedure-file findings", "reading a procedure file (`verify`, `run`)",
                ("procedure/io.py",)),
        Checker("transition", "Impossible actions", "the line state machine (`verify`, `plan`, `run`): an action "
                "that cannot happen at all", ("line/transitions.py", "line/machine.py")),
        Checker("interlock", "Interlocks", "the line state machine (`verify`, `plan`, `run`): an action the line "
                "refuses as unsafe; during `run` a refusal also holds the batch under the same code",
                ("line/interlocks.py",)),
        Checker("campaign", "Campaign and sweep files", "`anodeline campaign plan CAMPAIGN`, `anodeline sweep "
                "SWEEP`: reading the file, its recipes and lines", ("campaign/",)),
        Checker("bindings", "Bindings files", "reading bindings files (`run --devices`, `twin serve`): schema, "
                "the line's devices and channels, units", ("equipment/bindings.py", "equipment/check.py")),
        Checker("modbus", "Modbus equipment", "connecting to a Modbus TCP controller before a batch (`run --devices` "
                "with a Modbus bindings file): the endpoint and every bound register", ("equipment/modbus/",)),
        Checker("engine", "Engine alarms", "`anodeline run` (the engine and the batch record)",
                ("engine/", "batch/runner.py", "batch/resume.py", "batch/operator.py")),
        Checker("targets", "Targets and evaporation charges", "`anodeline run`, `validate --line LINE --db URL` "
                "and `anodeline targets`: the life a batch takes from the mounted targets",
                ("batch/targets.py", "cli/targets.py")),
        Checker("records", "Records, users, signatures and audit", "`users`, `sign`, `run --lot`, `batches`, "
                "`record` and `audit verify` (the batch-record store)", ("records/", "batch/materials.py", "web/")),
    )
}  # fmt: skip


@dataclass(frozen=True)
class Code:
    """One code: which checker reports it, how bad it is, what it means, the fix and the source."""

    code: str
    checker: str
    severity: str
    title: str
    description: str
    hint: str
    source: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code, "checker": self.checker, "severity": self.severity, "title": self.title,
            "description": self.description, "hint": self.hint, "source": self.source,
        }  # fmt: skip


def _entry(code: str, checker: str, severity: str, title: str, hint: str, source: str, description: str = "") -> Code:
    return Code(code, checker, severity, title, description or title, hint, source)


_NAMES = "procedure files (docs/procedures.md)"
_LINE_LANGUAGE = "line language (docs/lines.md)"
_CAMPAIGN = "campaign language (docs/campaigns.md)"
_MODEL = "line state machine (docs/lines.md, actions)"
_BINDINGS = "bindings files (docs/equipment.md)"

#: codes of checkers that have no rule table of their own
_TABLE: tuple[Code, ...] = (
    # line files: the schema (line/load.py); the topology rules are line/rules.py's table
    _entry("LSC001", "line", "error", "The line file is not valid YAML", "fix the YAML at the line shown", "YAML"),
    _entry("LSC002", "line", "error", "Unknown key in a line file", "docs/lines.md lists every key", _LINE_LANGUAGE),
    _entry("LSC003", "line", "error", "A required key of a line file is missing", "add the key", _LINE_LANGUAGE),
    _entry("LSC004", "line", "error", "A line value has the wrong type, unit or choice",
           "write the value as docs/lines.md shows, with its unit", _LINE_LANGUAGE),
    _entry("LSC005", "line", "error", "A key appears twice in the same mapping of a line file",
           "keep one of the two entries", "YAML 1.2 (keys of a mapping are unique)"),
    _entry("LSC006", "line", "error", "A line quantity is outside the range it can have",
           "give a value inside the range the message names", "anodeline.window (physical ranges with sources)"),
    # bindings files: the schema (equipment/bindings.py); the line rules are equipment/check.py's
    _entry("BND001", "bindings", "error", "The bindings file is not valid YAML", "fix the YAML at the line shown",
           "YAML"),
    _entry("BND002", "bindings", "error", "Unknown key in a bindings file", "docs/equipment.md lists every key",
           _BINDINGS),
    _entry("BND003", "bindings", "error", "A required key of a bindings file is missing", "add the key", _BINDINGS),
    _entry("BND004", "bindings", "error", "A bindings value has the wrong type or form (node id, endpoint, register)",
           "write the value as docs/equipment.md shows", _BINDINGS),
    _entry("BND005", "bindings", "error", "A key appears twice in the same mapping of a bindings file",
           "keep one of the two entries", "YAML 1.2 (keys of a mapping are unique)"),
    # Modbus controllers (equipment/modbus/): checked when connecting, before any batch is recorded (exit 2)
    _entry("MBS001", "modbus", "error", "The Modbus controller cannot be reached or read",
           "check the endpoint (HOST:PORT, Modbus TCP is usually port 502), the network and that the controller is on",
           "docs/equipment.md (Modbus TCP)"),
    _entry("MBS002", "modbus", "error", "A bound register is not on the Modbus controller (exception 0x01 or 0x02)",
           "check the register map in the controller's manual: addresses in bindings files are 0-based",
           "Modbus Application Protocol v1.1b3 §7 (exception codes); docs/equipment.md (Modbus TCP)"),
    # procedure files (procedure/io.py)
    _entry("PRC001", "procedure", "error", "The procedure file is not valid YAML or JSON", "fix the YAML", _NAMES),
    _entry("PRC002", "procedure", "error", "Not a procedure, or a step is not a mapping with an action",
           "a procedure is a mapping with a 'steps' list; a step is e.g. {action: open_door, door: inlet-2}", _NAMES),
    _entry("PRC003", "procedure", "error", "Unknown action", "use one of the actions of docs/lines.md", _NAMES),
    _entry("PRC004", "procedure", "error", "A step has an argument its action does not take",
           "remove it; the error lists the action's arguments", _NAMES),
    _entry("PRC005", "procedure", "error", "A step lacks a required argument of its action", "add the argument",
           _NAMES),
    _entry("PRC006", "procedure", "error", "A step argument has the wrong type",
           "write a number for *_pa, *_s, *_um, *_degc arguments and a name for the others", _NAMES),
    _entry("PRC007", "procedure", "error", "A container of the materials is malformed",
           "give name, closed, sealed {gas, pressure_pa, o2_ppm, h2o_ppm} and items", _NAMES),
    _entry("PRC008", "procedure", "error", "The procedure's policy cannot be read",
           "use the keys of the policy that 'anodeline plan' exports", _NAMES),
    _entry("PRC009", "procedure", "error", "A policy value the line decides differs from the line's",
           "remove it (the line decides it) or set it to the line's value",
           "the line decides its policy (docs/lines.md); a procedure file cannot loosen it"),
    _entry("PRC010", "procedure", "error", "A policy value outside its bound",
           "give a value inside the bound the message names", "anodeline.window (bounds with their sources)"),
    _entry("PRC011", "procedure", "error", "A number in a step or a sealed atmosphere that is not finite or in range",
           "give a finite value inside the range the message names", "anodeline.window (bounds with their sources)"),
    _entry("PRC012", "procedure", "error", "A container declared twice", "give every container its own name", _NAMES),
    _entry("PRC013", "procedure", "error", "An item declared twice, or named like a container",
           "give every item its own name, different from every container's", _NAMES),
    _entry("PRC014", "procedure", "error", "A lithium-bearing item, a target or a coated part declared not sensitive",
           "set sensitive: true (lithium, targets and coated parts are sensitive)",
           "physics (lithium reacts with O2, H2O and N2; Li2S-based targets hydrolyse to H2S); claims 1, 17, 33"),
    # impossible actions (line/transitions.py, line/machine.py)
    _entry("ACT001", "transition", "refusal", "An action names a door, space, container or item that does not exist",
           "check the name against the line and the procedure's materials", _MODEL,
           "The action names something the line or the procedure's materials do not have, or is no known action."),
    _entry("ACT002", "transition", "refusal", "A container is loaded or unloaded from where it is not",
           "load a container that is in the room; unload one from the chamber it is in", _MODEL),
    _entry("ACT003", "transition", "refusal", "Loading or unloading through a chamber without a load port",
           "load and unload through a chamber with a door to the room", "claims 1 b), h) (containers enter from "
           "and leave to the air through the inlet and outlet chambers)"),
    _entry("ACT004", "transition", "refusal", "Evacuating a space that has no pump", "give the space a pump",
           "Example 1 (air is evacuated from chamber 4 by its pump)"),
    _entry("ACT005", "transition", "refusal", "A number an action cannot have: not finite, or beyond physics",
           "evacuate only downwards, backfill only upwards to at most 0.5 bar gauge, hold 0-48 h, deposit 0-20 µm",
           "physics (a pump lowers the pressure, a fill raises it; time runs forwards); anodeline.window bounds"),
    _entry("ACT006", "transition", "refusal", "Opening what is open, or closing what is closed",
           "remove the step or the one before it that already did this", _MODEL),
    _entry("ACT007", "transition", "refusal", "A container moved into something other than a space",
           "move containers between spaces; move items into containers", _MODEL),
    _entry("ACT008", "transition", "refusal", "A move without an open way between here and there",
           "open the door between the two spaces first, or move within one space", _MODEL),
    _entry("ACT009", "transition", "refusal", "Taking from or putting into a closed container",
           "open the container first", _MODEL),
    _entry("ACT010", "transition", "refusal", "Depositing or heating in a space that is not an apparatus",
           "deposit and heat in the space of a film forming apparatus", "claims 1, 17 and 33 (a film forming "
           "apparatus)"),
    _entry("ACT011", "transition", "refusal", "Depositing with a target or substrate not loose in the apparatus",
           "move it out of its container into the apparatus first", _MODEL),
    _entry("GAS001", "transition", "refusal", "Backfilling with a gas the space has no supply of",
           "backfill with a gas of the space's supplies, or add a supply to the line",
           "claims 10, 11 (chambers and apparatus are filled with an inert gas)"),
    # campaign and sweep files (campaign/)
    _entry("CPG001", "campaign", "error", "The campaign file is not valid YAML", "fix the YAML at the line shown",
           "YAML"),
    _entry("CPG002", "campaign", "error", "Unknown key in a campaign file", "docs/campaigns.md lists every key",
           _CAMPAIGN),
    _entry("CPG003", "campaign", "error", "A required key of a campaign file is missing", "add the key", _CAMPAIGN),
    _entry("CPG004", "campaign", "error", "A campaign value has the wrong type or form",
           "write the value as docs/campaigns.md shows (dates in ISO 8601)", _CAMPAIGN),
    _entry("CPG005", "campaign", "error", "A key appears twice in the same mapping of a campaign file",
           "keep one of the two entries", "YAML 1.2 (keys of a mapping are unique)"),
    _entry("CPG006", "campaign", "error", "A recipe file of the campaign cannot be read",
           "check the path (relative to the campaign file)", _CAMPAIGN),
    _entry("CPG007", "campaign", "error", "A recipe of the campaign is invalid",
           "'anodeline validate RECIPE' lists every problem", "recipe rules (docs/rules.md)"),
    _entry("CPG008", "campaign", "error", "A line file of the campaign cannot be read, is invalid or is listed twice",
           "check the path (relative to the campaign file) and fix the line file", _LINE_LANGUAGE),
    _entry("CPG009", "campaign", "error", "No line of the campaign can run a recipe",
           "add a line whose apparatus can run the recipe's route and films, or change the recipe",
           "procedure compiler (docs/procedures.md)"),
    _entry("CPG010", "campaign", "error", "An order's count is not a positive number of batches",
           "give count: 1 or more, or remove the order", _CAMPAIGN),
    _entry("CPG011", "campaign", "error", "A campaign with no operator", "give operators: 1 or more", _CAMPAIGN),
    _entry("CPG012", "campaign", "error", "A due date that is not after the campaign's start",
           "give a due date after the start (start: defaults to now)", _CAMPAIGN),
    _entry("CPG013", "campaign", "refusal", "Two operations that run at once on a line touch the same space, door, "
           "device or material", "re-plan so that the later one starts after the earlier ends (the merged proof "
           "holds for every order only when overlapping operations are disjoint)",
           "campaign air-free proof (docs/campaigns.md)"),
    _entry("SWP001", "campaign", "error", "A sweep file cannot be read or breaks the sweep language",
           "docs/campaigns.md (sweeps) lists every key", "sweep language (docs/campaigns.md)"),
    _entry("SWP002", "campaign", "error", "A sweep parameter that does not exist or has an impossible range",
           "vary one of the parameters docs/campaigns.md lists, within its range",
           "sweep language (docs/campaigns.md)"),
    # engine alarms (engine/, batch/runner.py): a batch aborts (after making safe) or holds
    _entry("DEVICE", "engine", "abort", "A device reports a fault",
           "inspect the device named in the message; the batch was made safe and aborted", "engine (device faults)"),
    _entry("TIMEOUT", "engine", "abort", "A device did not finish in time, or the run took too long",
           "inspect the device or the pump-down; the timeout is in the message", "engine settings (timeouts)"),
    _entry("POWER", "engine", "abort", "Mains power lost",
           "restore power; check the sealed items' atmospheres before resuming", "engine (power supervision)"),
    _entry("DEV-PUMP", "engine", "abort", "The engine was asked to pump a space without a pump",
           "give the space a pump in the line file", "engine (device map of the line)"),
    _entry("DEV-VALVE", "engine", "abort", "No gas valve for the requested fill",
           "add the supply to the space in the line file", "engine (device map of the line)"),
    _entry("DEV-SOURCE", "engine", "abort", "No deposition source for the requested method and material",
           "add a matching source to the apparatus", "engine (device map of the line)"),
    _entry("GAS-IMPURE", "engine", "abort", "A filled space reads far more O2 or H2O than the supply's purity allows",
           "change the bottle or regenerate its point-of-use purifier; the same gas feeds other spaces",
           "patent description (gas purity at least 99.99 %); measured against the model"),
    _entry("ENGINE", "engine", "abort", "The engine has no executor for an action",
           "report this as a bug: every action of docs/lines.md has an executor", "engine"),
    _entry("SUSPEND", "engine", "hold", "An exposed sensitive item's space reads above the ceiling",
           "the engine makes safe and waits for the purifier; see docs/engine.md (suspenders)",
           "claims 1, 17, 33 (no exposure to air); suspender thresholds in docs/engine.md",
           "O2 or H2O in a space where a sensitive item is exposed rose above the ceiling (a share of the "
           "recipe's limits): the batch holds, closes doors and seals items, and resumes when the space recovers."),
    _entry("DEV-DOOR", "engine", "abort", "The engine was asked to pass a container through a load port that "
           "does not exist", "give the chamber a load port to the room in the line file",
           "engine (device map of the line)"),
    _entry("DEVICE-FAULT", "engine", "abort", "A device raised its fault flag during the run",
           "inspect the device named in the message; the batch was made safe and aborted",
           "engine (device fault flags; IEC 61508 practice: a detected fault leads to the safe state)"),
    _entry("MAKE-SAFE", "engine", "hold", "Make-safe sealed or isolated every exposed sensitive item",
           "none needed: it reports what was done; the hold clears when the atmosphere recovers",
           "claims 1, 17, 33 (no exposure to air); docs/engine.md (make-safe)"),
    _entry("MAKE-SAFE-FAILED", "engine", "hold", "Make-safe could not seal or isolate every exposed sensitive item",
           "seal the items the message names by hand, then resume or abort the batch",
           "claims 1, 17, 33 (no exposure to air); docs/engine.md (make-safe)"),
    _entry("MODEL-SENSOR", "engine", "hold", "The analysers and the model of the line disagree",
           "check the analyser named (calibration, drift) and the line for a leak; the record keeps the measurement",
           "docs/engine.md (exposure is measured; the model is a cross-check)"),
    _entry("LINK", "engine", "hold", "The link to the equipment was lost (connection lost)",
           "restore the network or the PLC; on reconnection the engine re-reads the line and makes it safe, "
           "then the batch waits for a person", "docs/equipment.md (supervision); never act on stale data"),
    _entry("STALE", "engine", "hold", "A reading stopped updating (older than its binding's stale_after)",
           "check the instrument and its PLC tag; the batch resumes when the reading is fresh again",
           "docs/equipment.md (supervision); never act on stale data"),
    _entry("NO-ACK", "engine", "hold", "The equipment did not acknowledge a command in time (ack_timeout)",
           "check the PLC (mode, interlocks, write permissions); the batch resumes when commands are acknowledged",
           "docs/equipment.md (supervision)"),
    _entry("RESUMED", "engine", "hold", "The batch was resumed after its controlling process died (anodeline resume)",
           "none needed: the message says who resumed it, from which step, the step in flight and any decision",
           "ISA-88 / SIMATIC BATCH warm restart; docs/operations.md (warm and cold restart)"),
    _entry("HOLD-CMD", "engine", "hold", "A person held the batch (anodeline batch hold)",
           "restart it when the cause is cleared (engineer), or stop or abort it; the message says who and why",
           "ISA-88 (hold command); docs/operations.md (commands)",
           "Taken at the next step boundary: the engine makes every sensitive item safe and waits. A restart goes "
           "on only when nothing is above the ceiling and the rest of the procedure is air-free from the line as "
           "observed; otherwise it is refused and the batch stays held."),
    _entry("STOP-CMD", "engine", "abort", "A person stopped the batch (anodeline batch stop)",
           "none needed: the batch ended at a step boundary with every sensitive item made safe",
           "ISA-88 (stop command); docs/operations.md (commands)"),
    _entry("ABORT-CMD", "engine", "abort", "A person aborted the batch (anodeline batch abort)",
           "none needed: the batch was made safe and every device stopped; the message says who and why",
           "ISA-88 (abort command); docs/operations.md (commands)"),
    _entry("PROMPT-REFUSED", "engine", "hold", "A person refused a manual step put to them (confirm --refuse)",
           "clear what the reason names, then restart the batch (engineer) to be asked again, or stop or abort it",
           "ISA-88 (operator prompts; hold); docs/operations.md (prompts)",
           "With --operator manual each manual step is a prompt; a refusal, with its reason, holds the batch at that "
           "step: every sensitive item is made safe and the batch waits for a restart, a stop or an abort."),
    _entry("PROMPT-TIMEOUT", "engine", "hold", "Nobody answered a manual step's prompt before its deadline",
           "find out why nobody answered; restart the batch (engineer) to ask again, or stop or abort it",
           "ISA-88 (operator prompts; hold); docs/operations.md (prompts)",
           "The prompt is closed 'timeout' (--prompt-timeout, default 1800 s on the wall clock) and the batch holds "
           "at that step without asking the absent operator to make anything safe by hand."),
    _entry("PRM001", "engine", "error", "Operator prompts asked for where they cannot work",
           "a manual operator on the in-process twin needs --speed (the wall clock); give --prompt-timeout > 0",
           "docs/operations.md (prompts)",
           "A person answers prompts on the wall clock: on the in-process twin without --speed simulated time "
           "would run past every deadline at once. The run is refused before anything is recorded (exit 2)."),
    _entry("HELD", "engine", "hold", "The batch ended held, waiting for a person",
           "read the reasons in the batch record, then resume or abort it", "ISA-88 (held state)"),
    # records: users, signatures, lots and the audit trail (records/, batch/materials.py)
    _entry("CMD001", "records", "refusal", "The batch cannot take this command now",
           "a batch that has ended takes no command; one no process runs any more is resumed ('anodeline resume') "
           "or stopped/aborted in the record",
           "ISA-88 (commands and states); docs/operations.md (commands)",
           "The command is still recorded, with its refusal as the outcome, in the audit trail."),
    _entry("PRM002", "records", "refusal", "No open prompt to answer at that batch and step",
           "list what waits for an answer with 'anodeline prompts'; a prompt past its deadline holds the batch "
           "(PROMPT-TIMEOUT) and is asked again after a restart", "docs/operations.md (prompts)",
           "The step has no prompt, its prompt was answered already (one answer per prompt), or its deadline "
           "passed. Nothing is recorded for the prompt."),
    _entry("USR001", "records", "refusal", "Authentication failed: unknown user, wrong password or disabled account",
           "check the name and the password; an admin lists the users with 'anodeline users list'",
           "21 CFR 11.10(d), 11.200(a) (access limited to authorised people; name and password at each signing)",
           "The user named by --as could not be authenticated. The person is told only that authentication failed; "
           "the audit chain records the attempt as auth.refused with the precise reason (11.300(d))."),
    _entry("USR002", "records", "refusal", "The user's role may not do this",
           "ask someone with the role the message names, or an admin to add you with it",
           "21 CFR 11.10(g) (authority checks); roles in docs/operations.md",
           "The user authenticated but their role is not allowed the action (e.g. release needs qa). The attempt "
           "is recorded in the audit chain as auth.refused."),
    _entry("USR003", "records", "error", "A password that cannot be accepted (too short, too long, typed "
           "differently twice)", "choose a password of at least 8 characters and type it the same twice",
           "NIST SP 800-63B §5.1.1.2 (at least 8 characters)"),
    _entry("USR004", "records", "error", "A user cannot be added or changed as asked",
           "the message says why: a name taken, an unknown role, the first user not an admin, the last admin",
           "docs/operations.md (users and roles); 21 CFR 11.100(a) (signatures unique to one person: names "
           "are never reused)"),
    _entry("SIG001", "records", "refusal", "A batch that has not ended cannot be signed",
           "sign once the batch completed, was stopped or was aborted",
           "21 CFR 11.50, 11.70 (a signature is linked to its record: the record must be final)"),
    _entry("SIG002", "records", "refusal", "Only a completed batch with a passing verdict can be released",
           "a failed batch is reviewed, not released; its electrode stays quarantined",
           "docs/operations.md (release); EU GMP Annex 16 practice (certification of a batch that met its spec)"),
    _entry("SIG003", "records", "refusal", "The batch already carries this signature",
           "a user signs a meaning once, and a batch is released once; see 'anodeline record'",
           "21 CFR 11.70 (signatures linked to records cannot be copied or repeated)"),
    _entry("LOT001", "records", "refusal", "An electrode that was not released used as an input lot",
           "a qa user releases its batch ('anodeline sign BATCH --meaning release') if it passed",
           "docs/operations.md (release); genealogy: only released material goes downstream"),
    _entry("LOT002", "records", "error", "--lot given wrongly: not ROLE=ID, an unknown or repeated role, one lot "
           "for two roles, or a lot stored as another material", "give each role of the recipe its own lot once",
           "docs/running.md (lots and genealogy)"),
    _entry("LOT003", "records", "refusal", "An electrode that already went into something else used again",
           "an electrode is one part: use another one", "genealogy (one physical item has one place downstream)"),
    _entry("AUD001", "records", "error", "The audit chain does not verify: an entry was edited, deleted or moved",
           "restore the database from a backup and investigate who had write access",
           "docs/records.md (the audit chain); 21 CFR 11.10(e) (audit trails)"),
    _entry("AUD002", "records", "error", "A table row disagrees with the audit trail: edited, deleted or inserted "
           "behind the store's back", "restore the row from a backup; the message names the table, key and field",
           "docs/records.md (cross-check of the domain tables); 21 CFR 11.10(a), (e)"),
    _entry("AUD003", "records", "error", "An anchored audit entry is missing or differs: the chain was truncated or "
           "rewritten", "restore the database from a backup taken before the anchor's time",
           "docs/records.md (anchors kept outside the database)"),
    _entry("AUD004", "records", "error", "Audit entries after the newest anchor that no anodeline command anchored",
           "review them ('anodeline audit verify --json'); if they are genuine, 'anodeline audit anchor --as QA'",
           "docs/records.md (anchors): an appended entry with a recomputed hash is found this way"),
    _entry("AUD005", "records", "error", "The anchor log cannot be read or written",
           "check the file and its folder's permissions, or point ANODELINE_ANCHOR_LOG elsewhere",
           "docs/records.md (anchors)"),
    _entry("AUD006", "records", "error", "An anchor line is not signed by the audit key",
           "the anchor log was edited or written without the key: restore it and the database from backups",
           "docs/records.md (anchors signed with Ed25519, RFC 8032)"),
    # targets and evaporation charges (batch/targets.py, cli/targets.py)
    _entry("TGT001", "targets", "warning", "A mounted target or charge is near the end of its life",
           "plan its replacement: less than 10 % of its life would remain after the batch (est. threshold)",
           "docs/models/deposition.md (target erosion)",
           "The batch's planned depositions, ended on thickness with the rate falling as the target wears, "
           "leave less than 10 % of the mounted target's life (kWh) or charge (g)."),
    _entry("TGT002", "targets", "error", "The planned deposition needs more than the mounted target has left",
           "mount a new target ('anodeline targets install') before the batch",
           "docs/models/deposition.md (target erosion)",
           "The batch does not start: its depositions would use more of the target's life (kWh) or charge (g) "
           "than remains, and a target worn through sputters its backing plate into the film."),
    _entry("TGT003", "targets", "error", "The source named is not a worn source of the line",
           "name a sputtering, evaporation or ion-plating source as APPARATUS/SOURCE ('anodeline targets list' "
           "shows the line's sources)", "docs/cli.md (targets)"),
    _entry("REC001", "records", "error", "A command that only reads was pointed at a database file that does not exist",
           "check --db and ANODELINE_DB; the default is sqlite:///runs/anodeline.sqlite",
           "docs/cli.md (read commands never create databases)"),
    _entry("REC002", "records", "error", "The database has no batch-record schema, or another revision of it",
           "run a command that writes ('anodeline run', 'anodeline users add'), which creates or migrates it",
           "docs/records.md (migrations)"),
)  # fmt: skip


def sources() -> dict[str, list[str]]:
    """The codes each table defines, by checker (a code in two lists is a clash)."""
    from anodeline.equipment.check import RULES as BINDING_RULES
    from anodeline.line.interlocks import INTERLOCKS
    from anodeline.line.rules import LINE_RULES
    from anodeline.recipe.fit import FIT_RULES
    from anodeline.recipe.rules import RULES

    found: dict[str, list[str]] = {name: [] for name in CHECKERS}
    found["recipe"] += list(RULES) + [rule.code for rule in FIT_RULES]
    found["line"] += list(LINE_RULES)
    found["interlock"] += list(INTERLOCKS)
    found["bindings"] += [rule.code for rule in BINDING_RULES]
    for entry in _TABLE:
        found[entry.checker].append(entry.code)
    return found


@cache
def _registry() -> dict[str, Code]:
    from anodeline.equipment.check import RULES as BINDING_RULES
    from anodeline.line.interlocks import INTERLOCKS
    from anodeline.line.rules import LINE_RULES
    from anodeline.recipe.fit import FIT_RULES
    from anodeline.recipe.rules import RULES

    entries = [
        *(Code(r.code, "recipe", r.severity.value, r.title, r.description, r.hint, r.source)
          for r in (*RULES.values(), *FIT_RULES)),
        *(Code(r.code, "line", r.severity.value, r.title, r.title, r.hint, r.source) for r in LINE_RULES.values()),
        *(Code(r.code, "bindings", r.severity.value, r.title, r.title, r.hint, r.source) for r in BINDING_RULES),
        *(Code(i.code, "interlock", "refusal", i.title, _interlock_text(i), i.hint, i.source)
          for i in INTERLOCKS.values()),
        *_TABLE,
    ]  # fmt: skip
    registry: dict[str, Code] = {}
    for entry in entries:
        if entry.code in registry:
            other = registry[entry.code]
            raise ValueError(f"code {entry.code} means both {other.title!r} ({other.checker}) "
                             f"and {entry.title!r} ({entry.checker})")  # fmt: skip
        registry[entry.code] = entry
    return dict(sorted(registry.items(), key=lambda kv: (list(CHECKERS).index(kv[1].checker), kv[0])))


def _interlock_text(interlock: Any) -> str:
    from anodeline.line.actions import ACTION_TYPES

    every = len(interlock.actions) == len(ACTION_TYPES)
    actions = "every action" if every else ", ".join(a.kind for a in interlock.actions)
    when = "the state it starts from" if interlock.when == "before" else "the state it would produce"
    what = interlock.title[0].lower() + interlock.title[1:]
    return f"The line refuses the action: {what}. Checked for {actions}, on {when}."


def all_codes(checker: str | None = None) -> list[Code]:
    """Every code, grouped by checker (in :data:`CHECKERS` order) then sorted; or those of one checker."""
    return [e for e in _registry().values() if checker is None or e.checker == checker]


def lookup(code: str) -> Code | None:
    """The entry of ``code`` (case and surrounding spaces ignored), or None."""
    return _registry().get(code.strip().upper())


def checker_of_file(module: str) -> str | None:
    """The checker whose codes the source file ``module`` (a path under src/anodeline) may raise."""
    return next((c.name for c in CHECKERS.values() if c.owns(module)), None)
