"""Charts drawn on the server as SVG: bar charts and monthly line charts, with the geometry
computed here and the markup in templates (no JavaScript, no external library)."""

from __future__ import annotations

from dataclasses import dataclass, field

# Lines are coloured by the stylesheet (`.series-0` ... `.series-5`, a colour-blind-safe palette).
SERIES_COLOURS = 6


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    y: float
    width: float
    label_text: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    label_width: int
    bar_height: int
    bars: list[Bar]


def bar_chart(rows: list[tuple[str, float]], *, width: int = 640, bar_height: int = 26) -> BarChart:
    """Horizontal bars, one per row, scaled to the largest value."""
    label_width = 260
    plot = width - label_width - 60
    largest = max((value for _, value in rows), default=0) or 1
    bars = [
        Bar(
            label=label,
            value=value,
            y=index * (bar_height + 8),
            width=round(plot * value / largest, 1),
            label_text=label if len(label) <= 38 else label[:36] + "…",
        )
        for index, (label, value) in enumerate(rows)
    ]
    return BarChart(
        width=width,
        height=max(len(rows), 1) * (bar_height + 8),
        label_width=label_width,
        bar_height=bar_height,
        bars=bars,
    )


@dataclass(frozen=True)
class Line:
    name: str
    series: int
    points: str
    markers: list[tuple[float, float, int]]


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    left: int
    bottom: int
    lines: list[Line]
    x_labels: list[tuple[float, str]]
    y_ticks: list[tuple[float, int]] = field(default_factory=list)


def line_chart(
    months: list[str], series: dict[str, list[int]], *, width: int = 640, height: int = 260
) -> LineChart:
    """One line per series over the months (x) with a zero-based y axis."""
    left, bottom, top, right = 48, 36, 12, 16
    plot_width = width - left - right
    plot_height = height - top - bottom
    largest = max((max(values, default=0) for values in series.values()), default=0) or 1
    step = plot_width / max(len(months) - 1, 1)

    def x(index: int) -> float:
        return round(left + index * step, 1)

    def y(value: float) -> float:
        return round(top + plot_height * (1 - value / largest), 1)

    lines = []
    for index, (name, values) in enumerate(series.items()):
        coordinates = [(x(i), y(value), value) for i, value in enumerate(values)]
        lines.append(
            Line(
                name=name,
                series=index % SERIES_COLOURS,
                points=" ".join(f"{cx},{cy}" for cx, cy, _ in coordinates),
                markers=coordinates,
            )
        )
    ticks = sorted({0, largest // 2, largest})
    return LineChart(
        width=width,
        height=height,
        left=left,
        bottom=height - bottom,
        lines=lines,
        x_labels=[
            (x(i), month) for i, month in enumerate(months) if i % 2 == 0 or len(months) <= 6
        ],
        y_ticks=[(y(tick), tick) for tick in ticks],
    )
