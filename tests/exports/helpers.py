"""Constructed estimate rows and publications for the pure tests."""

import datetime as dt

from exports.disclosure import DisclosureRules
from exports.publication import Publication, WaveFacts
from exports.tables import published_rows


def estimate_rows(variable: str = "victim_online", bases=(50, 20, 45, 35),
                  domains=("E09000001", "E09000002", "E09000003", "E09000004"),
                  by: str = "borough", estimate: float = 0.25) -> list[dict]:
    rows = [{"variable": variable, "by": "", "domain": "", "estimate": estimate,
             "se": 0.02, "ci_low": estimate - 0.04, "ci_high": estimate + 0.04,
             "n": sum(bases), "deff": 1.2}]
    rows += [{"variable": variable, "by": by, "domain": d, "estimate": estimate + i / 100,
              "se": 0.05, "ci_low": estimate - 0.1, "ci_high": estimate + 0.1, "n": n,
              "deff": 1.1} for i, (d, n) in enumerate(zip(domains, bases, strict=True))]
    return rows


def publication(wave: str = "Wave 1", rows: list[dict] | None = None) -> Publication:
    rules = DisclosureRules()
    facts = WaveFacts(wave_id=1, wave=wave, fieldwork_start=dt.date(2025, 10, 6),
                      fieldwork_end=dt.date(2025, 11, 28), achieved_n=150, rr3=0.114,
                      release_date=dt.date(2026, 1, 15), weighting_steps=("raked",))
    return Publication(facts, rules, published_rows(rows or estimate_rows(), rules))
