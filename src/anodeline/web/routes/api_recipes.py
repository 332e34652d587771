"""``POST /api/recipes/validate``: an uploaded recipe against the schema and the process window.

The same check as ``anodeline validate`` (:func:`anodeline.recipe.validate.validate_text`). A valid
recipe answers 200 (its warnings listed); one with errors answers 422, a problem document whose
``violations`` give each code, line, column, message, fix and source. Any signed-in role may
validate (nothing is written); the CSRF token is checked as on every POST.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, UploadFile

from anodeline.web.problems import ProblemError
from anodeline.web.security import Context, Writer

router = APIRouter(prefix="/api/recipes", tags=["recipes"], responses={401: {}, 403: {}, 413: {}, 422: {}})

#: Largest recipe accepted (a patent example is under 2 kB).
MAX_RECIPE_BYTES = 64 * 1024


@router.post("/validate")
async def validate(file: Annotated[UploadFile, File(description="Recipe YAML")], session: Writer,
                   context: Context) -> dict[str, Any]:  # fmt: skip
    """Validate an uploaded recipe; 422 with the located violations when it has errors."""
    from anodeline.recipe.validate import validate_text

    raw = await file.read(MAX_RECIPE_BYTES + 1)
    if len(raw) > MAX_RECIPE_BYTES:
        raise ProblemError(413, f"the recipe is larger than {MAX_RECIPE_BYTES // 1024} KiB", kind="WEB_SIZE",
                           hint="a recipe is a few kB: check the file")  # fmt: skip
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProblemError(422, f"the recipe is not UTF-8 text (byte {exc.start})", kind="WEB_ENCODING",
                           hint="save the file as UTF-8") from None  # fmt: skip
    name = (file.filename or "recipe.yaml")[:128]
    report = validate_text(text, name)
    violations = [v.to_dict() for v in report.violations]
    if not report.valid:
        first = report.errors[0] if report.errors else None
        detail = f"{name}:{first.line}:{first.column}: {first.code} {first.message}" if first else f"{name}: invalid"
        raise ProblemError(422, detail, kind=first.code if first else "RECIPE", violations=violations,
                           hint=f"{len(report.errors)} error(s); each violation names its line and fix")  # fmt: skip
    return {"file": name, "valid": True, "recipe": report.recipe.recipe if report.recipe else None,
            "violations": violations}  # fmt: skip
