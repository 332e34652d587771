"""A batch record written out: a self-contained HTML report with plots, or the telemetry as CSV.

The CSV export is the telemetry, one sample a row; the batch's prompts and their answers, when it
has any, go to a second file beside it (``BATCH.prompts.csv``; with ``-o -`` only the telemetry is
written, to stdout), so that the telemetry file stays one table any CSV reader takes.

The HTML report is one file with nothing to fetch (styles inline, plots as embedded PNG), so it
can be archived, mailed or printed as the batch's report: header and verdict, the electrode,
the signatures (printed name, UTC time, meaning, and whether the record still hashes as signed),
steps, readings with units, alarms, genealogy, exposure ledger, plots of O2, H2O and pressure in
each space and of each item's exposure over time, and the audit head to keep as an anchor.
"""

from __future__ import annotations

import base64
import csv
import io
import sys
from collections import defaultdict
from html import escape
from pathlib import Path
from typing import Any

from anodeline.batch.report import channel_unit

_STYLE = """
body{font-family:system-ui,sans-serif;margin:2em;max-width:70em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #bbb;padding:.2em .5em;font-size:.9em}
th{background:#eee;text-align:left}.pass{color:#070}.fail{color:#b00}.mono{font-family:monospace;font-size:.85em}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.5em;border-bottom:1px solid #ccc}
"""


def write_export(data: dict[str, Any], fmt: str, output: Path | None) -> str:
    """Write ``data`` (from :func:`anodeline.batch.report.batch_record` with telemetry) as ``fmt``;
    returns where it went."""
    text = html_report(data) if fmt == "html" else telemetry_csv(data)
    if output is not None and str(output) == "-":
        sys.stdout.write(text)
        return "stdout"
    path = output or Path(f"{data['batch']}.{fmt}")
    path.write_text(text, encoding="utf-8")
    if fmt == "csv" and data.get("prompts"):
        beside = prompts_path(path)
        beside.write_text(prompts_csv(data), encoding="utf-8")
        return f"{path} and {beside}"
    return str(path)


def prompts_path(telemetry: Path) -> Path:
    """Where the prompts of a CSV export go: ``X.prompts.csv`` beside ``X.csv``."""
    return telemetry.with_name(f"{telemetry.stem}.prompts.csv")


PROMPT_COLUMNS = ("id", "batch", "step", "kind", "item", "instructions", "opened_at", "deadline", "answered_at",
                  "answer", "user", "reason")  # fmt: skip


def prompts_csv(data: dict[str, Any]) -> str:
    """The batch's prompts with their answers, one a row (wall-clock times in UTC, ISO 8601)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(PROMPT_COLUMNS)
    for prompt in data.get("prompts", []):
        writer.writerow(["" if prompt[c] is None else prompt[c] for c in PROMPT_COLUMNS])
    return out.getvalue()


def telemetry_csv(data: dict[str, Any]) -> str:
    """Every stored telemetry sample: ``channel,unit,sim_s,value``, in time order."""
    sensors = data.get("sensors") or {}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["batch", "channel", "unit", "sim_s", "value"])
    for channel, sim_s, value in data.get("telemetry", []):
        writer.writerow([data["batch"], channel, channel_unit(channel, sensors), repr(sim_s), repr(value)])
    return out.getvalue()


def _table(headers: list[str], rows: list[list[Any]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _hms(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    h, rest = divmod(round(seconds), 3600)
    m, s = divmod(rest, 60)
    return f"{h:d}:{m:02d}:{s:02d}"


def html_report(data: dict[str, Any]) -> str:
    """The self-contained HTML batch report."""
    verdict = data.get("verdict") or "-"
    parts = [
        "<!DOCTYPE html><html><head><meta charset='utf-8'>",
        f"<title>Batch record {escape(data['batch'])}</title><style>{_STYLE}</style></head><body>",
        f"<h1>Batch record {escape(data['batch'])}</h1>",
        _table(["recipe", "route", "line", "status", "verdict", "started (UTC)", "ended (UTC)", "simulated"],
               [[data["recipe"], data["route"], data["line"], data["status"], verdict, data.get("started_at") or "-",
                 data.get("ended_at") or "-", _hms(data.get("simulated_seconds"))]]),
    ]  # fmt: skip
    if data.get("reasons"):
        parts.append("<ul>" + "".join(f"<li class='fail'>{escape(r)}</li>" for r in data["reasons"]) + "</ul>")
    parts += _electrode(data.get("electrode"))
    parts += _signatures(data)
    parts.append("<h2>Steps (the procedure as run)</h2>")
    parts.append(_table(["#", "action", "start", "end", "outcome", "arguments"], [
        [s["index"], s["action"] + (" (manual)" if s["manual"] else ""), _hms(s["started_s"]), _hms(s["ended_s"]),
         s["outcome"], ", ".join(f"{k}={v}" for k, v in s["arguments"].items())] for s in data["steps"]]))  # fmt: skip
    parts.append("<h2>Readings</h2>")
    parts.append(_table(["channel", "unit", "samples", "min", "max", "last"], [
        [c, r["unit"], r["samples"], f"{r['min']:.4g}", f"{r['max']:.4g}", f"{r['last']:.4g}"]
        for c, r in data["readings"].items()]))  # fmt: skip
    parts.append("<h2>Atmospheres</h2>")
    parts += [_img(png) for png in atmosphere_plots(data)] or ["<p>No telemetry stored.</p>"]
    parts.append("<h2>Exposure of the air-sensitive items</h2>")
    plot = exposure_plot(data)
    parts.append(_img(plot) if plot else "<p>No exposure interval stored.</p>")
    parts.append(_table(["item", "space", "from", "to", "max O2 ppm", "max H2O ppm", "O2 dose ppm·s", "H2O dose ppm·s"],
                        [[x["item"], x["space"], _hms(x["start_s"]), _hms(x["end_s"]), f"{x['max_o2_ppm']:.3g}",
                          f"{x['max_h2o_ppm']:.3g}", f"{x['o2_dose_ppm_s']:.4g}", f"{x['h2o_dose_ppm_s']:.4g}"]
                         for x in data["exposure"]]))  # fmt: skip
    parts.append("<h2>Alarms</h2>")
    parts.append(_table(["code", "raised", "cleared", "hold", "message"], [
        [a["code"], _hms(a["raised_s"]), _hms(a["cleared_s"]), "yes" if a["hold"] else "no", a["message"]]
        for a in data["alarms"]]) if data["alarms"] else "<p>None.</p>")  # fmt: skip
    genealogy = data.get("genealogy")
    if genealogy:
        parts.append(f"<h2>Genealogy</h2><p>{escape(genealogy['electrode'])} from lots "
                     f"{escape(', '.join(genealogy['lots']))}</p>")  # fmt: skip
    parts += _people(data)
    parts += _audit(data["audit"])
    parts.append("</body></html>\n")
    return "\n".join(parts)


def _people(data: dict[str, Any]) -> list[str]:
    """The ISA-88 commands sent to the batch and the prompts put to people, with what became of each."""
    commands, asked = data.get("commands", []), data.get("prompts", [])
    parts = ["<h2>Operator commands and prompts</h2>"]
    if commands:
        parts.append(_table(["command", "by", "issued (UTC)", "reason", "taken (UTC)", "outcome"], [
            [c["verb"], c["user"], c["issued_at"], c["reason"], c["taken_at"] or "-", c["outcome"] or "-"]
            for c in commands]))  # fmt: skip
    if asked:
        parts.append(_table(["step", "asked", "item", "opened (UTC)", "answer", "by", "answered (UTC)", "reason"], [
            [p["step"], p["instructions"], p["item"] or "-", p["opened_at"], p["answer"] or "open", p["user"] or "-",
             p["answered_at"] or "-", p["reason"] or "-"] for p in asked]))  # fmt: skip
    if not (commands or asked):
        parts.append("<p>None: no command was sent and no step was put to a person.</p>")
    return parts


def _sigma25(electrode: dict[str, Any]) -> str:
    sigma = electrode.get("sigma25_S_per_cm")
    if sigma is None:
        return str(electrode.get("not_predicted", "σ25 not predicted"))
    chance = electrode.get("sigma25_p_meets_spec")
    return f"{sigma:.3e} S/cm" + ("" if chance is None else f" (P(≥ spec) {chance:.2f})")


def _electrode(electrode: dict[str, Any] | None) -> list[str]:
    if not electrode:
        return ["<h2>Electrode</h2><p>No electrode was made (the batch did not complete).</p>"]
    layers = ", ".join(f"{x['name']} ({x['kind']}) {x['thickness_um']:.3f} µm" for x in electrode.get("layers", []))
    composition = "  ".join(f"{el} {x:.3f}" for el, x in sorted(electrode.get("composition", {}).items()))
    rows: list[list[Any]] = [
        ["id", electrode.get("id")], ["layers (measured)", layers],
        ["electrolyte thickness", f"{electrode.get('thickness_um', 0):.3f} µm"], ["composition", composition],
        ["σ25", _sigma25(electrode)],
        ["Ea", "-" if electrode.get("ea_kj_per_mol") is None else f"{electrode['ea_kj_per_mol']:.1f} kJ/mol"],
        ["amorphous", "yes" if electrode.get("amorphous") else "no"],
        ["verdict", electrode.get("verdict", "-")], ["reasons", "; ".join(electrode.get("reasons", [])) or "none"],
    ]  # fmt: skip
    return ["<h2>Electrode</h2>", _table(["property", "value"], rows), *_cell(electrode.get("cell"))]


def _cell(cell: dict[str, Any] | None) -> list[str]:
    """The cell the electrode went into (claims 7, 23, 39): the twin's test beside the model and the patent."""
    if not isinstance(cell, dict):
        return []
    model, patent, density = cell["volumetric_model"], cell["patent"], "energy_density_wh_per_l"

    def shown(value: float | None, form: str) -> str:
        return "-" if value is None else format(value, form)

    rows = [
        ["capacity, Ah", shown(cell["capacity_ah"], ".3f"), shown(model["capacity_ah"], ".3f"),
         shown(patent["capacity_ah"], ".3g")],
        ["energy, Wh", shown(cell["energy_wh"], ".3f"), shown(model["energy_wh"], ".3f"), "-"],
        ["energy density, Wh/L", shown(cell[density], ".0f"), shown(model[density], ".0f"),
         shown(patent[density], ".0f")],
    ]  # fmt: skip
    parts = [f"<h2>Cell {escape(str(cell['id']))}</h2>",
             _table(["", "measured (twin, PyBaMM)", "volumetric model", "patent (stated)"], rows),
             f"<p>n/p ratio {cell['n_p_ratio']:.2f}. {escape(cell.get('note') or '')}</p>"]  # fmt: skip
    test = cell.get("test")
    if isinstance(test, dict) and test.get("curve"):
        fig, (ax,) = _figure(1, f"discharge at {test['protocol']['current_a'] * 1000:g} mA")
        ax.plot([q for q, _ in test["curve"]], [v for _, v in test["curve"]])
        ax.set_xlabel("discharged [Ah]")
        ax.set_ylabel("voltage [V]")
        parts.append(_img(_png(fig)))
    return parts


def _signatures(data: dict[str, Any]) -> list[str]:
    signatures = data.get("signatures", [])
    if not signatures:
        return ["<h2>Signatures</h2><p>Not signed. Released: no.</p>"]
    rows = [
        [s["printed_name"], s["user"], s["signed_at"], s["meaning_text"], s["content_sha256"][:16] + "…",
         "yes" if s["content_matches"] else "NO: the record changed after signing"]
        for s in signatures
    ]  # fmt: skip
    released = "yes" if data.get("released") else "no"
    return ["<h2>Signatures</h2>", _table(["printed name", "user", "signed (UTC)", "meaning", "content SHA-256",
                                           "record unchanged"], rows), f"<p>Released: {released}.</p>"]  # fmt: skip


def _audit(audit: dict[str, Any]) -> list[str]:
    state = "<span class='pass'>intact</span>" if audit["ok"] else "<span class='fail'>BROKEN</span>"
    lines = [
        "<h2>Audit trail</h2>",
        f"<p>{state}: {audit['entries']} entries; every table row checked against it: "
        f"{'yes' if audit.get('rows_checked') else 'no'}; anchors checked: {audit.get('anchors_checked', 0)}.</p>",
        f"<p>Audit head (keep it outside the database): <span class='mono'>{audit.get('head_sequence')}:"
        f"{escape(str(audit.get('head')))}</span></p>",
    ]
    if audit.get("problems"):
        lines.append("<ul>" + "".join(f"<li class='fail'>{escape(p['code'])} {escape(p['where'])}: "
                                      f"{escape(p['reason'])}</li>" for p in audit["problems"]) + "</ul>")  # fmt: skip
    return lines


def _img(png: bytes) -> str:
    return f"<img alt='plot' src='data:image/png;base64,{base64.b64encode(png).decode('ascii')}'>"


def _series(data: dict[str, Any]) -> dict[str, tuple[list[float], list[float]]]:
    series: dict[str, tuple[list[float], list[float]]] = defaultdict(lambda: ([], []))
    for channel, sim_s, value in data.get("telemetry", []):
        times, values = series[channel]
        times.append(sim_s / 3600.0)
        values.append(value)
    return series


def atmosphere_plots(data: dict[str, Any]) -> list[bytes]:
    """One figure per space: its O2, H2O (or dew point) and pressure over the batch."""
    sensors = data.get("sensors") or {}
    series = _series(data)
    by_space: dict[str, dict[str, str]] = defaultdict(dict)
    for name, sensor in sorted(sensors.items()):
        if isinstance(sensor, dict) and name in series:
            by_space[sensor.get("space", "?")].setdefault(sensor.get("measures", "?"), name)
    figures = []
    for space, measured in sorted(by_space.items()):
        panels = [m for m in ("o2", "h2o", "dew-point", "pressure") if m in measured]
        fig, axes = _figure(len(panels), f"{space}")
        for ax, what in zip(axes, panels, strict=True):
            times, values = series[measured[what]]
            ax.step(times, values, where="post")
            unit = channel_unit(measured[what], sensors)
            ax.set_ylabel(f"{what} [{unit}]")
            limit = {"o2": data.get("limits", {}).get("max_o2"), "h2o": data.get("limits", {}).get("max_h2o")}.get(what)
            if limit is not None:
                ax.axhline(limit, color="r", linestyle="--", linewidth=0.8, label=f"limit {limit:g} {unit}")
                ax.legend(loc="upper right", fontsize=7)
            if what == "pressure" and min(values, default=0.0) > 0.0:
                ax.set_yscale("log")
        axes[-1].set_xlabel("batch time [h]")
        figures.append(_png(fig))
    return figures


def exposure_plot(data: dict[str, Any]) -> bytes | None:
    """Each item's unsealed exposure over time: the peak O2 and H2O of each interval, as steps."""
    intervals = data.get("exposure", [])
    if not intervals:
        return None
    fig, axes = _figure(2, "exposure of each item while unsealed (peak of each interval)")
    by_item: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for x in intervals:
        by_item[x["item"]].append(x)
    for item, rows in sorted(by_item.items()):
        for ax, key in zip(axes, ("max_o2_ppm", "max_h2o_ppm"), strict=True):
            times = [t for r in rows for t in (r["start_s"] / 3600.0, r["end_s"] / 3600.0)]
            values = [r[key] for r in rows for _ in (0, 1)]
            ax.plot(times, values, drawstyle="steps-post", label=item.split("/", 1)[-1])
    limits = data.get("limits", {})
    for ax, (key, label) in zip(axes, (("max_o2", "O2"), ("max_h2o", "H2O")), strict=True):
        ax.set_ylabel(f"{label} [ppm]")
        if key in limits:
            ax.axhline(limits[key], color="r", linestyle="--", linewidth=0.8)
    axes[0].legend(loc="upper right", fontsize=7)
    axes[-1].set_xlabel("batch time [h]")
    return _png(fig)


def _figure(panels: int, title: str) -> tuple[Any, list[Any]]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(max(panels, 1), 1, figsize=(8, 1.9 * max(panels, 1) + 0.6), sharex=True, squeeze=False)
    fig.suptitle(title, fontsize=10)
    return fig, [row[0] for row in axes]


def _png(fig: Any) -> bytes:
    import matplotlib.pyplot as plt

    out = io.BytesIO()
    fig.tight_layout()
    fig.savefig(out, format="png", dpi=80)
    plt.close(fig)
    return out.getvalue()
