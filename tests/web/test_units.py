"""The small pieces of the web app: mimic layout, trend lines, sessions and the login limiter, item places."""

from __future__ import annotations

import pytest
import yaml

from anodeline.records.users import UserRecord
from anodeline.web.live import describe_step, item_places
from anodeline.web.mimic import layout
from anodeline.web.sessions import LoginLimiter, SessionStore
from anodeline.web.settings import SESSION_IDLE_S, WebSettings, WebSettingsError
from anodeline.web.sparkline import sparkline
from tests.conftest import LINES

USER = UserRecord("otto", "Otto Operator", "operator", False, "")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_fig1_is_laid_out_as_the_patent_draws_it() -> None:
    mimic = layout(yaml.safe_load((LINES / "fig1.yaml").read_text()))
    assert [b.space for b in mimic.boxes] == ["chamber-4", "apparatus-1", "chamber-5"]
    assert mimic.room == "room"
    doors = {d.door: d for d in mimic.doors}
    assert set(doors) == {"port-4", "inlet-2", "outlet-3", "port-5"}
    box = {b.space: b for b in mimic.boxes}
    assert box["chamber-4"].x + box["chamber-4"].w == doors["inlet-2"].x  # in the gap between the two
    assert doors["port-4"].y == box["chamber-4"].y + box["chamber-4"].h  # on the room's side
    assert {p.pump for p in mimic.pumps} == {"rotary-4", "turbo-1", "rotary-5"}
    assert box["apparatus-1"].measures == ("o2", "dew-point", "pressure")


@pytest.mark.parametrize("name", ["single-port", "two-apparatus"])
def test_every_shipped_line_has_each_inner_space_and_door_drawn_once(name: str) -> None:
    line = yaml.safe_load((LINES / f"{name}.yaml").read_text())
    mimic = layout(line)
    inner = {s for s, d in line["spaces"].items() if d.get("kind") != "room"}
    assert sorted(b.space for b in mimic.boxes) == sorted(inner)
    assert sorted(d.door for d in mimic.doors) == sorted(line["doors"])
    assert len({(b.x, b.y) for b in mimic.boxes}) == len(mimic.boxes)


def test_a_sparkline_is_logarithmic_for_positive_values_and_ends_at_the_right_edge() -> None:
    line = sparkline([(0.0, 1e5), (1800.0, 10.0), (3600.0, 1.0)], t0=0.0, t1=3600.0, width=100, height=40)
    assert line.log and (line.low, line.high, line.last) == (1.0, 1e5, 1.0)
    points = [tuple(map(float, p.split(","))) for p in line.points.split()]
    assert points[0] == (0.0, 2.0) and points[-1][0] == 100.0 and points[-1][1] == 38.0
    assert all(0.0 <= y <= 40.0 for _, y in points)
    assert not sparkline([(0.0, -70.0), (10.0, -60.0)], t0=0.0, t1=10.0).log
    assert sparkline([], t0=0.0, t1=1.0).points == ""


def test_a_session_ends_after_idling_and_on_close() -> None:
    clock = Clock()
    sessions = SessionStore(clock)
    session = sessions.open(USER)
    assert sessions.get(session.token) is not None and session.csrf != session.token
    clock.now += SESSION_IDLE_S - 1
    assert sessions.get(session.token) is not None  # a request restarts the idle clock
    clock.now += SESSION_IDLE_S + 1
    assert sessions.get(session.token) is None
    again = sessions.open(USER)
    sessions.close(again.token)
    assert sessions.get(again.token) is None and sessions.get(None) is None and sessions.get("forged") is None


def test_the_limiter_counts_failures_in_a_sliding_window_and_an_address_gets_more() -> None:
    clock = Clock()
    limiter = LoginLimiter(3, 60.0, clock)
    for _ in range(3):
        assert limiter.retry_after("user:otto") == 0
        limiter.failed("user:otto", "addr:10.0.0.1")
    assert 0 < limiter.retry_after("user:otto") <= 61
    assert limiter.retry_after("user:erin", "addr:10.0.0.1") == 0  # another name at the same screen
    clock.now += 61
    assert limiter.retry_after("user:otto") == 0
    limiter.failed("user:otto")
    limiter.succeeded("user:otto")
    assert limiter.retry_after("user:otto") == 0


def test_settings_refuse_a_bad_port_and_half_a_tls_pair() -> None:
    assert WebSettings().loopback and WebSettings(host="::1").address == "http://[::1]:8000"
    assert not WebSettings(host="0.0.0.0").loopback
    assert WebSettings(tls_cert="c", tls_key="k").address.startswith("https://")
    with pytest.raises(WebSettingsError):
        WebSettings(port=70000)
    with pytest.raises(WebSettingsError):
        WebSettings(tls_key="k")


def test_items_follow_load_move_and_unload_steps() -> None:
    procedure = {"materials": [{"name": "source-1", "items": [{"name": "base"}, {"name": "target"}]}]}
    steps = [
        {"action": "load", "arguments": {"container": "source-1", "space": "chamber-4"}},
        {"action": "move", "arguments": {"item": "base", "to": "apparatus-1"}},
    ]
    assert item_places(procedure, steps, "room") == {"chamber-4": ["source-1 [target]"], "apparatus-1": ["base"]}
    steps.append({"action": "unload", "arguments": {"container": "source-1", "space": "chamber-4"}})
    assert item_places(procedure, steps, "room")["room"] == ["source-1 [target]"]
    assert (
        describe_step({"action": "evacuate", "space": "chamber-4", "pressure_pa": 10.0})
        == "evacuate chamber-4 to 10 Pa"
    )
