"""Reading a document file, with one clear error for each way it can fail."""

from __future__ import annotations

from pathlib import Path

from anodeline.errors import AnodelineError


def read_document(path: str | Path, what: str, error: type[AnodelineError]) -> str:
    """The UTF-8 text of ``path``; raises ``error`` naming ``what`` ("recipe", "line file") and the fix."""
    file = Path(path)
    try:
        return file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(f"no such {what}: {file}", hint="check the path") from None
    except IsADirectoryError:
        raise error(f"{file} is a directory, not a {what}", hint="pass the .yaml files inside it") from None
    except UnicodeDecodeError as exc:
        raise error(f"{file} is not UTF-8 text ({exc.reason})", hint=f"save the {what} as UTF-8") from None
    except OSError as exc:
        raise error(f"cannot read {file}: {exc.strerror}", hint="check the file's permissions") from None
