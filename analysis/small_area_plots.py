"""The small-area diagnostics' three plots, drawn on the server as SVG (no JavaScript, no CDN).

- ``residual_plot``: standardised residuals (y - x'beta) / sqrt(A + psi) by borough, one row
  each, with lines at 0 and +/-2 (a point beyond them is marked);
- ``shrinkage_plot``: the shrinkage factor gamma = A / (A + psi) against the borough's sample
  size (gamma near 1: the EBLUP follows the direct estimate; near 0: the synthetic one);
- ``direct_model_plot``: direct against model-based estimate, with the 45-degree line.

Each returns the markup of one ``<svg>`` element built with ElementTree, so every label and
value is escaped by the serialiser and no text is ever formatted into markup. Colours come
from classes styled in analysis.css, with presentation attributes as a fallback (CSP forbids
style attributes). A point without a value (a borough with no sample) is left out of the
scatter plots and shown as "no sample" in the residual plot. No Django.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 640
MARGIN = {"left": 64, "right": 16, "top": 16, "bottom": 48}
ROW_HEIGHT = 15
LABEL_WIDTH = 170


@dataclass(frozen=True)
class Point:
    """One borough on a plot: its name and its (x, y); None where it has no value."""

    label: str
    x: float | None
    y: float | None


def _finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """About ``count`` round tick values (1, 2 or 5 times a power of ten) covering [low, high]."""
    if not (math.isfinite(low) and math.isfinite(high)) or high <= low:
        return [low]
    raw = (high - low) / max(count, 1)
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.ceil(low / step - 1e-9)
    last = math.floor(high / step + 1e-9)
    return [round(i * step, 12) for i in range(first, last + 1)]


def _label(value: float) -> str:
    return f"{value:g}"


class _Canvas:
    """An <svg> with a plotting area mapped from data ranges."""

    def __init__(self, title: str, height: int, x_range: tuple[float, float],
                 y_range: tuple[float, float], left: int = MARGIN["left"]) -> None:
        self.height, self.left = height, left
        self.x_range, self.y_range = x_range, y_range
        self.root = ET.Element("svg", {
            "xmlns": "http://www.w3.org/2000/svg", "class": "plot", "role": "img",
            "viewBox": f"0 0 {WIDTH} {height}", "width": str(WIDTH), "height": str(height)})
        ET.SubElement(self.root, "title").text = title
        self.right = WIDTH - MARGIN["right"]
        self.top, self.bottom = MARGIN["top"], height - MARGIN["bottom"]

    def x(self, value: float) -> float:
        low, high = self.x_range
        return round(self.left + (value - low) / (high - low) * (self.right - self.left), 2)

    def y(self, value: float) -> float:
        low, high = self.y_range
        return round(self.bottom - (value - low) / (high - low) * (self.bottom - self.top), 2)

    def line(self, x1: float, y1: float, x2: float, y2: float, css: str) -> ET.Element:
        return ET.SubElement(self.root, "line", {
            "x1": str(x1), "y1": str(y1), "x2": str(x2), "y2": str(y2), "class": css,
            "stroke": "#5b6470", "stroke-width": "1"})

    def text(self, x: float, y: float, content: str, css: str = "tick",
             anchor: str = "middle", **extra: str) -> ET.Element:
        element = ET.SubElement(self.root, "text", {
            "x": str(x), "y": str(y), "class": css, "text-anchor": anchor,
            "font-size": "11", **extra})
        element.text = content
        return element

    def point(self, x: float, y: float, title: str, css: str = "point") -> None:
        circle = ET.SubElement(self.root, "circle", {
            "cx": str(x), "cy": str(y), "r": "3.5", "class": css, "fill": "#1d4ed8"})
        ET.SubElement(circle, "title").text = title

    def x_axis(self, label: str) -> None:
        self.line(self.left, self.bottom, self.right, self.bottom, "axis")
        for tick in nice_ticks(*self.x_range):
            self.line(self.x(tick), self.bottom, self.x(tick), self.bottom + 4, "axis")
            self.text(self.x(tick), self.bottom + 16, _label(tick))
        self.text((self.left + self.right) / 2, self.height - 8, label, "axis-label")

    def y_axis(self, label: str) -> None:
        self.line(self.left, self.top, self.left, self.bottom, "axis")
        for tick in nice_ticks(*self.y_range):
            self.line(self.left - 4, self.y(tick), self.left, self.y(tick), "axis")
            self.text(self.left - 6, self.y(tick) + 4, _label(tick), anchor="end")
        middle = (self.top + self.bottom) / 2
        self.text(14, middle, label, "axis-label", transform=f"rotate(-90 14 {middle})")

    def markup(self) -> str:
        return ET.tostring(self.root, encoding="unicode", short_empty_elements=True)


def _span(values: Sequence[float]) -> tuple[float, float]:
    """The values' range padded by 5% each side (a unit range around a single value)."""
    finite = [v for v in values if math.isfinite(v)]
    low, high = min(finite, default=0.0), max(finite, default=1.0)
    if high <= low:
        low, high = low - 0.5, high + 0.5
    pad = (high - low) * 0.05
    return low - pad, high + pad


def residual_plot(points: Sequence[Point], title: str) -> str:
    """Standardised residual (``x``) of each borough (one row each, ``y`` unused)."""
    values = [p.x for p in points if _finite(p.x)]
    reach = max([3.0, *(abs(v) for v in values)])
    height = MARGIN["top"] + MARGIN["bottom"] + ROW_HEIGHT * max(len(points), 1)
    canvas = _Canvas(title, height, (-reach, reach), (0.0, 1.0), left=LABEL_WIDTH)
    for value, css in ((0.0, "reference"), (-2.0, "limit"), (2.0, "limit")):
        canvas.line(canvas.x(value), canvas.top, canvas.x(value), canvas.bottom, css)
    for i, point in enumerate(points):
        row = canvas.top + ROW_HEIGHT * (i + 0.5)
        canvas.text(LABEL_WIDTH - 8, row + 4, point.label, "row-label", anchor="end")
        if not _finite(point.x):
            canvas.text(canvas.x(0.0) + 6, row + 4, "no sample", "muted", anchor="start")
            continue
        flagged = abs(point.x) > 2.0
        canvas.point(canvas.x(point.x), row, f"{point.label}: {point.x:.2f}",
                     "point flagged" if flagged else "point")
    canvas.x_axis("Standardised residual (direct - synthetic) / sqrt(A + variance)")
    return canvas.markup()


def shrinkage_plot(points: Sequence[Point], title: str) -> str:
    """Shrinkage factor gamma (``y``, 0 to 1) against the borough's sample size (``x``)."""
    shown = [p for p in points if _finite(p.x) and _finite(p.y)]
    most = max([p.x for p in shown], default=1.0)
    canvas = _Canvas(title, 360, (0.0, max(most, 1.0) * 1.05), (0.0, 1.0))
    for point in shown:
        canvas.point(canvas.x(point.x), canvas.y(point.y),
                     f"{point.label}: n = {point.x:g}, gamma = {point.y:.3f}")
    canvas.x_axis("Respondents in the borough (n)")
    canvas.y_axis("Shrinkage factor gamma")
    return canvas.markup()


def direct_model_plot(points: Sequence[Point], title: str) -> str:
    """Model-based estimate (``y``) against direct estimate (``x``), with the line y = x."""
    shown = [p for p in points if _finite(p.x) and _finite(p.y)]
    low, high = _span([v for p in shown for v in (p.x, p.y)])
    span = (max(low, 0.0), min(high, 1.0)) if shown else (0.0, 1.0)
    canvas = _Canvas(title, 400, span, span)
    canvas.line(canvas.x(span[0]), canvas.y(span[0]), canvas.x(span[1]), canvas.y(span[1]),
                "diagonal")
    for point in shown:
        canvas.point(canvas.x(point.x), canvas.y(point.y),
                     f"{point.label}: direct {point.x:.3f}, model-based {point.y:.3f}")
    canvas.x_axis("Direct estimate")
    canvas.y_axis("Model-based estimate (EBLUP)")
    return canvas.markup()
