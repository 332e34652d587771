"""A Gantt chart of a planned campaign: one row per space of each line and one for the operators.

PNG through matplotlib; HTML is the same chart as inline SVG with the batch table under it
(one self-contained file, no script).
"""

from __future__ import annotations

import html
import io
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from anodeline.campaign.plan import Plan


def _figure(p: Plan) -> object:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    problem, schedule = p.problem, p.schedule
    rows: list[str] = []
    bars: dict[str, list[tuple[float, float, str, bool]]] = {}
    recipes = sorted({b.recipe for b in problem.batches})
    colours = {r: plt.get_cmap("tab10")(i % 10) for i, r in enumerate(recipes)}
    for placed in schedule.placed:
        template = problem.template(placed.batch, placed.line)
        op = template.operations[placed.op]
        recipe = problem.by_id[placed.batch].recipe
        for space in op.spaces:
            row = f"{space} @ {placed.line}"
            if row not in bars:
                rows.append(row)
            bars.setdefault(row, []).append((placed.start_s / 3600, (placed.end_s - placed.start_s) / 3600, recipe,
                                             False))  # fmt: skip
        if op.manual:
            bars.setdefault("operators", []).append((placed.start_s / 3600, (placed.end_s - placed.start_s) / 3600,
                                                     recipe, False))  # fmt: skip
    for c in schedule.changeovers:
        row = f"{c.space} @ {c.line}"
        bars.setdefault(row, []).append((c.start_s / 3600, (c.end_s - c.start_s) / 3600, "", True))
    rows = [*sorted(rows), "operators"]
    fig, ax = plt.subplots(figsize=(12, 0.55 * len(rows) + 1.6))
    for y, row in enumerate(rows):
        for start, width, recipe, setup in bars.get(row, []):
            ax.broken_barh([(start, width)], (y - 0.38, 0.76), facecolors="lightgrey" if setup else colours[recipe],
                           edgecolor="black", linewidth=0.3, hatch="//" if setup else None)  # fmt: skip
    for a, b in problem.off_shift:
        if a < schedule.makespan_s:
            ax.axvspan(a / 3600, min(b, schedule.makespan_s) / 3600, color="black", alpha=0.06, linewidth=0)
    ax.set_yticks(range(len(rows)), rows)
    ax.invert_yaxis()
    ax.set_xlabel("hours from the campaign's start")
    ax.set_title(f"{problem.name}: {schedule.solver}, makespan {schedule.makespan_s / 3600:.1f} h "
                 f"(bound {p.bound.seconds / 3600:.1f} h, FIFO {p.fifo.makespan_s / 3600:.1f} h)")  # fmt: skip
    handles = [plt.Rectangle((0, 0), 1, 1, color=colours[r]) for r in recipes]
    labels = list(recipes)
    if schedule.changeovers:
        handles.append(plt.Rectangle((0, 0), 1, 1, facecolor="lightgrey", hatch="//", edgecolor="black"))
        labels.append("changeover")
    ax.legend(handles, labels, loc="upper right", fontsize=8)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig


def write_gantt(p: Plan, path: Path) -> None:
    """Write the chart to ``path`` (.png or .html)."""
    import matplotlib.pyplot as plt

    fig = _figure(p)
    if path.suffix.lower() == ".html":
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg")  # type: ignore[attr-defined]
        rows = "".join(f"<tr><td>{html.escape(b['batch'])}</td><td>{html.escape(b['recipe'])}</td>"
                       f"<td>{html.escape(b['line'])}</td><td>{b['start_s'] / 3600:.2f}</td>"
                       f"<td>{b['end_s'] / 3600:.2f}</td></tr>" for b in p.to_dict()["batches"])  # fmt: skip
        path.write_text(
            f"<!doctype html><meta charset='utf-8'><title>{html.escape(p.problem.name)}</title>"
            f"<body style='font-family:sans-serif'>{buffer.getvalue()}<table border=1 cellspacing=0 cellpadding=3>"
            f"<tr><th>batch</th><th>recipe</th><th>line</th><th>start (h)</th><th>end (h)</th></tr>{rows}</table>",
            encoding="utf-8",
        )
    else:
        fig.savefig(path, dpi=110)  # type: ignore[attr-defined]
    plt.close(fig)  # type: ignore[arg-type]
