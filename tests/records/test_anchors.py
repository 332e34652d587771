"""Anchors kept outside the database catch what the chain alone cannot: truncation, an appended
entry whose hash was recomputed, and a whole chain rewritten after an edit."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from anodeline.records import Store
from anodeline.records.anchors import AnchorLogError, anchor_path, append_anchor, read_anchors
from anodeline.records.audit import GENESIS_HASH, entry_hash
from anodeline.records.canonical import canonical_json
from tests.records.conftest import new_batch, tamper


def _anchored_history(s: Store, log: Path) -> None:
    """Two batches, the head anchored after each (as every writing command does)."""
    for batch in ("B-1", "B-2"):
        new_batch(s, batch)
        s.finish_batch(batch, sim_s=10, verdict="pass")
        head = s.audit_head()
        assert head is not None
        append_anchor(log, head, note=f"after {batch}")


def _verify(s: Store, log: Path, **kwargs: object) -> list[str]:
    report = s.verify(anchors=read_anchors(log), anchor_log=str(log), **kwargs)  # type: ignore[arg-type]
    return [p.code for p in report.problems]


def test_an_anchored_honest_history_verifies(store: Store, tmp_path: Path) -> None:
    log = tmp_path / "anchors"
    _anchored_history(store, log)
    assert _verify(store, log) == []
    assert len(read_anchors(log)) == 2


def test_tail_deletion_is_caught_by_the_anchor_log_and_by_a_given_anchor(store: Store, tmp_path: Path) -> None:
    log = tmp_path / "anchors"
    _anchored_history(store, log)
    head = store.audit_head()
    assert head is not None
    assert store.verify().ok  # before: nothing to see
    tamper(store, "DELETE FROM signatures", f"DELETE FROM audit_entries WHERE sequence > {head.sequence - 3}",
           "DELETE FROM batches WHERE id = 'B-2'")  # fmt: skip
    assert store.verify_chain().ok  # the chain alone cannot see a truncation
    assert "AUD003" in _verify(store, log)
    by_hash = store.verify(anchor=head.hash)
    assert [p.code for p in by_hash.problems] == ["AUD003"] and "truncated" in by_hash.problems[0].reason
    by_sequence = store.verify(anchor=f"{head.sequence}:{head.hash}")
    assert not by_sequence.ok and "truncated" in by_sequence.problems[0].reason


def test_a_forged_entry_appended_with_a_recomputed_hash_is_caught(store: Store, tmp_path: Path) -> None:
    log = tmp_path / "anchors"
    _anchored_history(store, log)
    head = store.audit_head()
    assert head is not None
    payload = canonical_json({"lot_id": "L-FORGED", "material": "Li foil", "supplier": "x", "note": ""})
    at, seq = "2026-01-01T00:00:00.000000+00:00", head.sequence + 1
    digest = entry_hash(head.hash, seq, at, "anodeline", "lot.register", None, payload)
    tamper(
        store,
        "INSERT INTO lots (id, material, supplier, note) VALUES ('L-FORGED', 'Li foil', 'x', '')",
        f"INSERT INTO audit_entries VALUES ({seq}, '{at}', 'anodeline', 'lot.register', NULL, '{payload}', "
        f"'{head.hash}', '{digest}')",
    )
    assert store.verify().ok  # chain and rows agree: the forgery is consistent
    assert _verify(store, log) == ["AUD004"]


def test_a_whole_chain_rewritten_after_an_edit_differs_from_the_anchors(store: Store, tmp_path: Path) -> None:
    log = tmp_path / "anchors"
    _anchored_history(store, log)
    with store.engine.connect() as conn:
        entries = conn.execute(text("SELECT sequence, recorded_at, actor, kind, batch_id, payload FROM audit_entries "
                                    "ORDER BY sequence")).all()  # fmt: skip
    rows, prev = [], GENESIS_HASH
    for seq, at, actor, kind, batch_id, payload in entries:
        if kind == "batch.finish" and batch_id == "B-1":
            payload = payload.replace('"verdict":"pass"', '"verdict":"fail"')
        digest = entry_hash(prev, seq, at, actor, kind, batch_id, payload)
        rows.append({"s": seq, "r": at, "a": actor, "k": kind, "b": batch_id, "p": payload, "v": prev, "h": digest})
        prev = digest
    tamper(store, "DELETE FROM audit_entries", "UPDATE batches SET verdict = 'fail' WHERE id = 'B-1'")
    with store.engine.begin() as conn:
        conn.execute(text("INSERT INTO audit_entries VALUES (:s, :r, :a, :k, :b, :p, :v, :h)"), rows)
    assert store.verify().ok  # rewritten consistently: only an anchor can tell
    assert set(_verify(store, log)) == {"AUD003"}


def test_an_anchor_hash_not_in_the_chain_is_named(store: Store) -> None:
    new_batch(store)
    report = store.verify(anchor="ab" * 32)
    assert [p.code for p in report.problems] == ["AUD003"]


def test_a_malformed_anchor_is_a_usage_error(store: Store) -> None:
    from anodeline.records import RecordInputError

    with pytest.raises(RecordInputError, match="not an audit head"):
        store.verify(anchor="deadbeef")


def test_a_corrupt_anchor_log_line_is_named(tmp_path: Path) -> None:
    log = tmp_path / "anchors"
    log.write_text('{"sequence": 1, "hash": "' + "a" * 64 + '"}\nnot json\n')
    with pytest.raises(AnchorLogError, match=":2: not an anchor"):
        read_anchors(log)


def test_the_anchor_log_lives_beside_a_sqlite_file_or_where_configured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from anodeline.records.connection import normalise_url

    monkeypatch.delenv("ANODELINE_ANCHOR_LOG", raising=False)
    assert anchor_path(normalise_url(f"sqlite:///{tmp_path}/r.sqlite")) == tmp_path / "r.sqlite.anchors"
    assert anchor_path(normalise_url("postgresql://u@h/db")) is None
    assert anchor_path(normalise_url("sqlite://")) is None
    monkeypatch.setenv("ANODELINE_ANCHOR_LOG", str(tmp_path / "worm" / "log"))
    assert anchor_path(normalise_url("postgresql://u@h/db")) == tmp_path / "worm" / "log"


def test_signed_anchor_lines_need_the_key_to_forge(store: Store, tmp_path: Path) -> None:
    from anodeline.records.anchors import make_key_pair, signing_key

    key_path = tmp_path / "audit.key"
    public_path = make_key_pair(key_path)
    assert oct(key_path.stat().st_mode & 0o777) == "0o600" and public_path.exists()
    key = signing_key(str(key_path))
    log = tmp_path / "anchors"
    new_batch(store)
    head = store.audit_head()
    assert head is not None
    append_anchor(log, head, note="signed", key=key)
    public = key.public_key()
    assert store.verify(anchors=read_anchors(log), public_key=public).ok
    append_anchor(log, head, note="written without the key")  # e.g. a forger re-anchoring a rewritten chain
    edited = log.read_text().replace('"note": "signed"', '"note": "edited"')
    log.write_text(edited)
    report = store.verify(anchors=read_anchors(log), anchor_log=str(log), public_key=public)
    assert [p.code for p in report.problems] == ["AUD006", "AUD006"]
