"""Prompts on equipment: a manual step confirmed with ``anodeline confirm`` is passed on to the PLC.

The served twin runs without its simulated operator (``--no-operator``): glove tasks wait for a
person. The bindings file names its ``ConfirmTask`` (``confirm_task``), so a prompt a person confirms
in the records database is told to the equipment, whose plant then does the step.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from anodeline.batch.operator import OperatorChoice
from anodeline.batch.runner import run_batch
from anodeline.engine.clock import WallClock
from anodeline.equipment.backend import connect
from anodeline.equipment.bindings import load_bindings
from anodeline.equipment.opcua.client import Credentials
from anodeline.line.load import load_line
from anodeline.records import open_store, prompts
from anodeline.records.prompts import PromptRecord
from tests.conftest import LINES, PATENT_EXAMPLES
from tests.equipment.opcua.peer import BINDINGS, PASSWORD, SPEED, USER, Peer, start_peer

EX1 = PATENT_EXAMPLES[0]


@pytest.fixture(scope="module")
def unattended(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Peer]:
    peer = start_peer(tmp_path_factory.mktemp("prompts-no-operator"), "--no-operator", modbus=False)
    yield peer
    assert peer.stop() == 0


def test_a_prompt_confirmed_in_the_records_is_told_to_the_plc_and_the_batch_completes(
    unattended: Peer, tmp_path: Path
) -> None:
    document = yaml.safe_load(BINDINGS.read_text(encoding="utf-8"))
    document["confirm_task"] = {"call": "s=twin.ConfirmTask", "object": "s=twin"}
    bindings = tmp_path / "fig1.confirm.opcua.yaml"
    bindings.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    line = load_line(LINES / "fig1.yaml")
    equipment = connect(load_bindings([bindings], line), Credentials(unattended.certs, USER, PASSWORD), speed=SPEED,
                        endpoints={"opcua": unattended.endpoint})  # fmt: skip
    db = f"sqlite:///{tmp_path / 'records.sqlite'}"
    person = open_store(db)

    def confirm(prompt: PromptRecord) -> None:  # the person at the gloves answers in the records
        person.write(lambda s: prompts.answer(s, prompt.batch_id, prompt.step, answer="confirmed", user="otto"))

    try:
        report = run_batch(EX1, db_url=db, equipment=equipment, clock=WallClock(1.0 / SPEED), max_hours=1000.0,
                           operator=OperatorChoice("manual", 120.0, confirm))  # fmt: skip
    finally:
        equipment.close()
    with person:
        assert (report.status, report.verdict) == ("complete", "pass"), report.reasons
        asked = person.read(lambda s: prompts.listed(s, report.batch))
        assert len(asked) >= 10 and {(p.answer, p.user) for p in asked} == {("confirmed", "otto")}
        assert person.verify_chain().ok
