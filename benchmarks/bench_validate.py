"""Validation and the CLI's start-up against what the libraries underneath cost.

* recipes validated per second in-process (warm) vs ``yaml.load(…, Loader=yaml.CSafeLoader)``
  of the same files;
* ``anodeline --help`` wall time vs ``python -c "import typer"``;
* ``anodeline validate one.yaml`` wall time vs a Python process importing typer and loading
  the same file with the C YAML loader.

Run: ``.venv/bin/python benchmarks/bench_validate.py [--quick]``.
Goals (issue 9): ``--help`` ≤ 3× ``import typer``; ``validate one.yaml`` ≤ 0.5 s.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml
from harness import EXE, ROOT, Result, median_s, process_s, quiet_env, report

EXAMPLES = sorted((ROOT / "examples" / "patent").glob("*.yaml"))


def rates(rounds: int) -> tuple[float, float]:
    """Recipes per second: the product's validation and the C YAML loader, over the same texts."""
    from anodeline.recipe.validate import validate_text

    texts = [path.read_text() for path in EXAMPLES]
    assert all(validate_text(text).valid for text in texts)  # imports and registries are not part of the rate

    def validate_all() -> None:
        for text in texts:
            validate_text(text)

    def load_all() -> None:
        for text in texts:
            yaml.load(text, Loader=yaml.CSafeLoader)

    n = len(texts)
    return n / median_s(validate_all, rounds), n / median_s(load_all, rounds)


def measure(quick: bool = False) -> list[Result]:
    repeat = 3 if quick else 5
    validated, loaded = rates(5 if quick else 20)
    env = quiet_env()
    one = str(EXAMPLES[0])
    help_s = process_s([EXE, "--help"], repeat, env)
    typer_s = process_s([sys.executable, "-c", "import typer"], repeat, env)
    validate_s = process_s([EXE, "validate", one], repeat, env)
    load_code = f"import typer, yaml; yaml.load(open({one!r}).read(), Loader=yaml.CSafeLoader)"
    load_s = process_s([sys.executable, "-c", load_code], repeat, env)
    return [
        Result("validate recipes/s (in-process)", "recipes/s", validated, loaded, "yaml CSafeLoader",
               note=f"{len(EXAMPLES)} patent examples, warm"),
        Result("anodeline --help, whole process", "s", help_s, typer_s, "python -c 'import typer'",
               higher_is_better=False, goal_ratio=3.0),
        Result(f"anodeline validate {Path(one).name}, whole process", "s", validate_s, load_s,
               "python: import typer + CSafeLoader", higher_is_better=False, goal_value=0.5),
    ]  # fmt: skip


def main() -> None:
    report(measure("--quick" in sys.argv))


if __name__ == "__main__":
    main()
