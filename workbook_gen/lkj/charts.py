"""Charts of the LKj as PNG images (matplotlib, Agg backend: no display needed)."""

from __future__ import annotations

import io

from ..parsing import format_number
from .content import LkjChart


def render_png(chart: LkjChart, width_in: float = 6.3, height_in: float = 2.9,
               dpi: int = 150) -> bytes:
    """Grouped columns per category, each labelled with its value as the table shows it."""
    # A bare Figure renders through the Agg canvas without pyplot: the process-wide
    # backend (an interactive one in a user's session) is left alone.
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    fig = Figure(figsize=(width_in, height_in), dpi=dpi)
    ax = fig.add_subplot(1, 1, 1)
    k = len(chart.series)
    bar = 0.8 / max(k, 1)
    xs = list(range(len(chart.categories)))
    top = 0.0
    for i, ((name, values, colour), labels) in enumerate(zip(chart.series, chart.value_labels,
                                                            strict=True)):
        pos = [x - 0.4 + bar * (i + 0.5) for x in xs]
        heights = [v if v is not None else 0.0 for v in values]
        bars = ax.bar(pos, heights, bar * 0.92, label=name, color=colour)
        ax.bar_label(bars, labels=labels, fontsize=7, padding=2)
        top = max([top, *heights])
    ax.set_xticks(xs, chart.categories, fontsize=8)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: format_number(v)))
    ax.tick_params(axis="y", labelsize=7)
    ax.set_ylim(0, top * 1.18 if top > 0 else 1)
    if chart.y_title:
        ax.set_ylabel(chart.y_title, fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(fontsize=7, frameon=False, loc="upper left", ncols=max(k, 1))
    fig.subplots_adjust(left=0.12, right=0.98, top=0.92, bottom=0.1)  # no layout pass
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()
