"""The benchmark as a PNG: the kommune's bar beside the reports' bars, one panel per figure.

Uses a bare matplotlib ``Figure`` with the Agg canvas, so nothing touches pyplot's global state or
needs a display.
"""

from __future__ import annotations

import io
from pathlib import Path

from .benchmark import METRIC_LABELS
from .types import BenchmarkResult

_KOMMUNE = "#c0392b"
_REPORT = "#7f8c8d"
_DERIVED = "#bdc3c7"
# Panels shown even without the kommune's own figure, so the chart is never empty.
_ALWAYS = ("it_cost_per_inhabitant",)
RATIO_METRICS = (
    "it_cost_per_inhabitant",
    "okonomi_hr_lonn_per_klient",
    "sak_arkiv_per_klient",
    "tjenesteomfang",
    "kvalitetsscore",
)


def benchmark_chart(result: BenchmarkResult, path: str | Path | None = None) -> bytes:
    """Render the comparisons as PNG bytes; also write them to ``path`` when given."""
    # Late imports: matplotlib is slow to load and only the chart needs it.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    panels = []
    for metric in RATIO_METRICS:
        rows = result.by_metric(metric)
        if rows and (metric in _ALWAYS or rows[0].kommune_value is not None):
            panels.append((metric, rows))

    fig = Figure(figsize=(8, 2.2 + 1.9 * len(panels)), dpi=110)
    FigureCanvasAgg(fig)
    fig.suptitle(f"Nøkkeltall: {result.kommune} mot rapportenes tall", fontsize=12)
    for i, (metric, rows) in enumerate(panels, start=1):
        ax = fig.add_subplot(len(panels), 1, i)
        labels, values, colours = [], [], []
        if rows[0].kommune_value is not None:
            labels.append(f"{result.kommune} (egne tall)")
            values.append(rows[0].kommune_value)
            colours.append(_KOMMUNE)
        for row in rows:
            labels.append(f"{row.reference_label} ({row.year})")
            values.append(row.reference_value or 0)
            colours.append(_DERIVED if row.reason.basis == "vurdering" else _REPORT)
        ax.barh(labels[::-1], values[::-1], color=colours[::-1])
        for y, v in enumerate(values[::-1]):
            ax.text(v, y, f" {v:,.0f}".replace(",", " "), va="center", fontsize=8)
        ax.set_title(f"{METRIC_LABELS[metric]} ({rows[0].unit})", fontsize=10, loc="left")
        ax.tick_params(labelsize=8)
        ax.margins(x=0.15)
    fig.text(
        0.01,
        0.005,
        "Lys grå: avledet eller usikker verdi. Kilder: BCG 2013, PA Consulting 2015 (tall for 2013, RegionData 2014).",
        fontsize=7,
    )
    fig.tight_layout(rect=(0, 0.03, 1, 0.95))
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    png = buf.getvalue()
    if path is not None:
        Path(path).write_bytes(png)
    return png
