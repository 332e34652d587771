"""``predict --report DIR``: the prediction as JSON, the film map as CSV and as a PNG heat map."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from anodeline.physics.deposition.film_map import FilmMap
from anodeline.prediction import RecipePrediction


def write_map_csv(mapped: FilmMap, path: Path) -> Path:
    """One row per grid point: x and y from the substrate centre (mm), thickness (µm)."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["x_mm", "y_mm", "thickness_um"])
        for y, row in zip(mapped.y_mm, mapped.thickness_um, strict=True):
            for x, value in zip(mapped.x_mm, row, strict=True):
                writer.writerow([f"{x:.6g}", f"{y:.6g}", f"{value:.6g}"])
    return path


def plot_map(mapped: FilmMap, title: str, path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.2))
    half_dx = (mapped.x_mm[1] - mapped.x_mm[0]) / 2
    half_dy = (mapped.y_mm[1] - mapped.y_mm[0]) / 2
    extent = (mapped.x_mm[0] - half_dx, mapped.x_mm[-1] + half_dx, mapped.y_mm[0] - half_dy, mapped.y_mm[-1] + half_dy)
    image = ax.imshow(mapped.thickness_um, origin="lower", extent=extent, cmap="viridis", aspect="equal")
    fig.colorbar(image, ax=ax, label="film thickness [µm]")
    ax.set(xlabel="x from substrate centre [mm]", ylabel="y [mm]")
    ax.set_title(
        f"{title}: {mapped.min_um:.3g}–{mapped.max_um:.3g} µm, ±{100 * mapped.nonuniformity:.2g} %", fontsize=10
    )
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def write_report(result: RecipePrediction, directory: Path) -> list[Path]:
    """Write prediction.json, and for a film with a map film-map.csv and film-map.png, into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    written = [directory / "prediction.json"]
    written[0].write_text(json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if result.film_map is not None:
        written.append(write_map_csv(result.film_map, directory / "film-map.csv"))
        written.append(plot_map(result.film_map, f"{result.recipe} top electrolyte film", directory / "film-map.png"))
    return written
