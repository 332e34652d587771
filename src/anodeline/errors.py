"""One base error for anodeline; each subclass is also the matching builtin.

Modelled on Pint's ``errors.py``: the message says what was wrong, where, and what
to do, and the structured fields (``code``, ``location``, ``hint``) let the CLI and
the web layer report an error without parsing its text.
"""

from __future__ import annotations


class AnodelineError(Exception):
    """Base class of every error anodeline raises on purpose."""

    code: str = "ANODELINE"

    def __init__(self, message: str, *, hint: str = "", location: str = "") -> None:
        self.message = message
        self.hint = hint
        self.location = location
        super().__init__(self.__str__())

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}" if self.location else self.message
        return f"{text} (hint: {self.hint})" if self.hint else text


class UnitError(AnodelineError, ValueError):
    """A quantity is missing its unit, has an unknown unit or the wrong dimension."""

    code = "UNIT"


class QuantityRangeError(UnitError):
    """A quantity has the right unit but a value it cannot have (below absolute zero, infinite, NaN…).

    ``source`` says where the range comes from (physics, a claim, a standard).
    """

    code = "RANGE"

    def __init__(self, message: str, *, source: str, hint: str = "", location: str = "") -> None:
        self.source = source
        super().__init__(message, hint=hint, location=location)


class FormulaError(AnodelineError, ValueError):
    """A target formula or molar mixture cannot be parsed."""

    code = "FORMULA"

    def __init__(self, message: str, *, token: str = "", hint: str = "", location: str = "") -> None:
        self.token = token
        super().__init__(message, hint=hint, location=location)


class RecipeError(AnodelineError, ValueError):
    """A recipe file cannot be read at all (missing, unreadable)."""

    code = "RECIPE"


class ModelInputError(AnodelineError, ValueError):
    """A physics or cell model was given an impossible input (negative power, unknown method…)."""

    code = "MODEL_INPUT"


class ModelDomainError(AnodelineError, ValueError):
    """A model was asked for a prediction that no data or literature prior supports.

    E.g. the σ25 of a film with no glass-forming sulfide (``100Li2S``) or with Li2S outside
    its system's glass-forming range (:mod:`anodeline.chemistry.systems`). The caller reports
    the reason instead of a value (``predict`` exits 1; a batch verdict says "σ25 not predicted").
    """

    code = "MODEL_DOMAIN"


class UnreadableInputError(AnodelineError, ValueError):
    """A file cannot be read as a document at all: missing, not a regular file, too big, not UTF-8,
    or YAML the reader refuses (anchors and aliases, too many nodes, too deep).

    The CLI answers these with exit 2 (unreadable input), unlike a document that was read and
    breaks a rule (exit 1). :func:`anodeline.documents.files.read_document` raises a subclass
    that is also the caller's own error class (``RecipeError``, ``LineConfigError`` …).
    """

    code = "INPUT"
