"""Reading a document file, with one clear error for each way it can fail.

A document is a small text file a person wrote. Anything else is refused before it is
parsed, so that no file makes a command hang or run out of memory: only regular files
(not a FIFO, ``/dev/zero`` or a directory), at most :data:`MAX_DOCUMENT_BYTES`, UTF-8, and
YAML without anchors or aliases and within the node and depth caps of
:func:`anodeline.documents.source.yaml_refusal`.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Final

from anodeline.documents.source import yaml_refusal
from anodeline.errors import AnodelineError, UnreadableInputError

#: The largest document read: the biggest shipped line or recipe is ~10 kB; a procedure ~100 kB.
MAX_DOCUMENT_BYTES: Final = 1_000_000


_UNREADABLE: dict[type[AnodelineError], type[AnodelineError]] = {}


def unreadable(error: type[AnodelineError]) -> type[AnodelineError]:
    """``error`` that is also an :class:`UnreadableInputError` (so the CLI exits 2 for it)."""
    if issubclass(error, UnreadableInputError):
        return error
    if issubclass(UnreadableInputError, error):  # AnodelineError itself
        return UnreadableInputError
    if error not in _UNREADABLE:
        _UNREADABLE[error] = type(error.__name__, (error, UnreadableInputError), {"__module__": error.__module__})
    return _UNREADABLE[error]


def read_document(path: str | Path, what: str, error: type[AnodelineError]) -> str:
    """The UTF-8 text of ``path``; raises ``error`` naming ``what`` ("recipe", "line file") and the fix.

    The error raised is also an :class:`UnreadableInputError`.
    """
    file = Path(path)
    fail = unreadable(error)
    data = _read_bytes(file, what, fail)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise fail(f"{file}:{line}: {what} is not UTF-8 text ({exc.reason})",
                   hint=f"save the {what} as UTF-8") from None  # fmt: skip
    problem = yaml_refusal(text)
    if problem is not None:
        raise fail(f"{file}:{problem.line}:{problem.column}: {problem.message}", hint=problem.hint)
    return text


def _read_bytes(file: Path, what: str, fail: type[AnodelineError]) -> bytes:
    # O_NONBLOCK: opening a FIFO for reading must not wait for a writer; fstat then refuses it
    try:
        fd = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise fail(f"no such {what}: {file}", hint="check the path") from None
    except IsADirectoryError:
        raise fail(f"{file} is a directory, not a {what}", hint="pass the .yaml files inside it") from None
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            raise fail(f"the path of the {what} is too long", hint="check the path") from None
        raise fail(f"cannot read {file}: {exc.strerror}", hint="check the file's permissions") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise fail(f"{file} is a directory, not a {what}", hint="pass the .yaml files inside it")
        if not stat.S_ISREG(info.st_mode):
            raise fail(f"{file} is not a regular file (a device, pipe or socket), so not a {what}",
                       hint=f"save the {what} to a file and pass that")  # fmt: skip
        if info.st_size > MAX_DOCUMENT_BYTES:
            raise fail(_too_big(file, what), hint=_TOO_BIG_HINT)
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(MAX_DOCUMENT_BYTES + 1)
    except OSError as exc:
        raise fail(f"cannot read {file}: {exc.strerror or exc}", hint="check the file's permissions") from None
    finally:
        os.close(fd)
    if len(data) > MAX_DOCUMENT_BYTES:  # the file grew while being read
        raise fail(_too_big(file, what), hint=_TOO_BIG_HINT)
    return data


_TOO_BIG_HINT = "a recipe, line or procedure is a few kB: check that this is the right file"


def _too_big(file: Path, what: str) -> str:
    return f"{file} is larger than {MAX_DOCUMENT_BYTES // 1000} kB, too large for a {what}"
