"""``twin serve --no-operator``: glove work waits for a person at the server, who confirms or refuses it.

The engine hands each glove task to the served operator and reads back ``done`` or ``refused``.
Nobody at the gloves, or a refused task, must leave the batch held or aborted with nothing
exposed; a person who confirms each task lets it complete. One server for this module (its
twin is not the session's: it has no simulated operator).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from asyncua.ua.uaerrors import UaStatusCodeError

from anodeline.batch.runner import BatchReport
from anodeline.equipment.backend import Equipment
from tests.conftest import PATENT_EXAMPLES
from tests.equipment.opcua.peer import Peer, run_over_opcua, server_call, start_peer
from tests.equipment.opcua.test_over_opcua import _assert_nothing_exposed

EX1 = PATENT_EXAMPLES[0]


@pytest.fixture(scope="module")
def unattended(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Peer]:
    peer = start_peer(tmp_path_factory.mktemp("no-operator"), "--no-operator", modbus=False)
    yield peer
    assert peer.stop() == 0


def _person(call: str, *args: str, once: bool) -> tuple[Callable[[Equipment], None], threading.Event, list[int]]:
    """A person at the server who answers each waiting glove task with ``call`` (until the batch ends)."""
    finished, answered = threading.Event(), [0]

    def at_the_gloves(equip: Equipment) -> None:
        def loop() -> None:
            while not finished.wait(0.005):
                try:
                    server_call(equip, call, *args)
                except UaStatusCodeError:  # no task is waiting
                    continue
                except AttributeError:  # the run closed its link: the batch is over
                    return
                answered[0] += 1
                if once:
                    return

        threading.Thread(target=loop, daemon=True).start()

    return at_the_gloves, finished, answered


def _run(peer: Peer, tmp_path: Path, call: str, *args: str, once: bool = False) -> tuple[BatchReport, int]:
    at_the_gloves, finished, answered = _person(call, *args, once=once)
    try:
        report = run_over_opcua(peer, tmp_path, EX1, after_prepare=at_the_gloves)
    finally:
        finished.set()
    return report, answered[0]


def test_glove_work_nobody_does_leaves_the_batch_held_or_aborted(unattended: Peer, tmp_path: Path) -> None:
    report = run_over_opcua(unattended, tmp_path, EX1)
    assert report.status in ("held", "aborted"), report.reasons
    assert any("operator" in reason for reason in report.reasons), report.reasons
    _assert_nothing_exposed(report)


def test_a_glove_task_refused_at_the_server_leaves_the_batch_held_or_aborted(unattended: Peer, tmp_path: Path) -> None:
    report, refused = _run(unattended, tmp_path, "RefuseTask", "glove torn", once=True)
    assert refused == 1
    assert report.status in ("held", "aborted"), report.reasons
    assert any("the operator could not" in reason for reason in report.reasons), report.reasons
    _assert_nothing_exposed(report)


def test_glove_work_a_person_confirms_at_the_server_completes_the_batch(unattended: Peer, tmp_path: Path) -> None:
    report, confirmed = _run(unattended, tmp_path, "ConfirmTask")
    assert (report.status, report.verdict) == ("complete", "pass"), report.reasons
    assert confirmed >= 1
    _assert_nothing_exposed(report)
