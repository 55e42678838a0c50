"""The small-area diagnostics' SVG plots: well-formed, escaped, one point per borough with a
value, the reference lines, and points placed where their values say."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from analysis.small_area_plots import (
    Point,
    direct_model_plot,
    nice_ticks,
    residual_plot,
    shrinkage_plot,
)

NS = {"svg": "http://www.w3.org/2000/svg"}


def parse(markup: str) -> ET.Element:
    root = ET.fromstring(markup)
    assert root.tag == "{http://www.w3.org/2000/svg}svg" and root.get("role") == "img"
    assert "style" not in markup  # CSP: no style attributes or elements
    return root


def circles(root: ET.Element) -> list[ET.Element]:
    return root.findall(".//svg:circle", NS)


POINTS = [Point("Barnet", 0.20, 0.25), Point("Camden <&> \"Town\"", 0.40, 0.35),
          Point("City of London", None, None), Point("Ealing", float("nan"), 0.3)]


def test_direct_against_model_has_the_diagonal_and_a_point_per_borough_with_both():
    root = parse(direct_model_plot(POINTS, "Victim: direct against model"))
    assert root.find("svg:title", NS).text == "Victim: direct against model"
    dots = circles(root)
    assert len(dots) == 2
    titles = [c.find("svg:title", NS).text for c in dots]
    assert titles == ["Barnet: direct 0.200, model-based 0.250",
                      'Camden <&> "Town": direct 0.400, model-based 0.350']
    diagonal = root.find(".//svg:line[@class='diagonal']", NS)
    # y = x: the line runs from the bottom-left to the top-right corner of the plot area
    x1, y1, x2, y2 = (float(diagonal.get(k)) for k in ("x1", "y1", "x2", "y2"))
    assert x1 < x2 and y1 > y2
    # a point above the diagonal (model > direct) is above the line at its x
    barnet = dots[0]
    cx, cy = float(barnet.get("cx")), float(barnet.get("cy"))
    line_y = y1 + (cx - x1) * (y2 - y1) / (x2 - x1)
    assert cy < line_y


def test_text_is_escaped_not_markup():
    markup = direct_model_plot([Point("<script>alert(1)</script>", 0.1, 0.2),
                                Point("b", 0.3, 0.2)], "</svg><b>")
    assert "<script>" not in markup and "&lt;script&gt;" in markup
    assert "</svg><b>" not in markup
    parse(markup)


def test_residuals_one_row_per_borough_with_limits_and_flags():
    points = [Point("A", 0.5, None), Point("B", -2.7, None), Point("C", None, None)]
    root = parse(residual_plot(points, "Residuals"))
    dots = circles(root)
    assert [d.get("class") for d in dots] == ["point", "point flagged"]
    assert len(root.findall(".//svg:line[@class='limit']", NS)) == 2
    assert len(root.findall(".//svg:line[@class='reference']", NS)) == 1
    labels = [t.text for t in root.findall(".//svg:text[@class='row-label']", NS)]
    assert labels == ["A", "B", "C"]
    assert "no sample" in [t.text for t in root.findall(".//svg:text", NS)]
    # rows go down the plot in order; the negative residual is left of zero
    zero = float(root.find(".//svg:line[@class='reference']", NS).get("x1"))
    assert float(dots[1].get("cx")) < zero < float(dots[0].get("cx"))
    assert float(dots[0].get("cy")) < float(dots[1].get("cy"))
    # the axis reaches past the largest residual
    assert float(root.get("height")) > 3 * 15


def test_shrinkage_against_sample_size():
    points = [Point("A", 10.0, 0.2), Point("B", 60.0, 0.8), Point("C", 0.0, None)]
    root = parse(shrinkage_plot(points, "Gamma"))
    a, b = circles(root)
    assert float(a.get("cx")) < float(b.get("cx")) and float(a.get("cy")) > float(b.get("cy"))
    assert a.find("svg:title", NS).text == "A: n = 10, gamma = 0.200"


def test_empty_plots_are_still_drawn():
    for plot in (direct_model_plot, shrinkage_plot, residual_plot):
        root = parse(plot([], "Nothing"))
        assert circles(root) == []


@pytest.mark.parametrize(("low", "high", "expected"), [
    (0.0, 1.0, [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]),
    (-3.0, 3.0, [-2.0, 0.0, 2.0]),
    (0.0, 52.5, [0.0, 20.0, 40.0]),
    (0.12, 0.31, [0.15, 0.2, 0.25, 0.3]),
    (1.0, 1.0, [1.0]),
])
def test_nice_ticks(low, high, expected):
    assert nice_ticks(low, high) == pytest.approx(expected)
