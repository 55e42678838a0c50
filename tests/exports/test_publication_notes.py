"""The publication's method and weighting notes describe this wave, from its record: the
sample design's allocation and strata, the accepted run's classes, raking and trimming."""

import datetime as dt

from analysis.models import WeightingRun
from exports.selectors import method_note, wave_facts, weighting_note


def test_the_notes_come_from_the_waves_design_and_run(weighted_wave):
    wave = weighted_wave
    run = WeightingRun.objects.filter(wave=wave).order_by("-pk").first()
    method = method_note(wave)
    assert "an allocation proportional to the number of businesses" in method
    assert "compromise" not in method
    assert wave.sample.design.strata_dimensions == ["borough", "size_band"]
    assert "stratified by borough and size band," in method

    raked = run.diagnostics["raked_variables"]
    note = weighting_note(run)
    assert "non-response within classes of sampling stratum" in note
    assert ("raked to the population's business counts by" in note) == bool(raked)

    run.diagnostics = {**run.diagnostics, "raked_variables": ["sector_group"],
                       "classes": "sector_group"}
    note = weighting_note(run)
    assert "by sector group;" in note or "by sector group and trimmed" in note
    assert "classes of sector group" in note and "borough" not in note

    facts = wave_facts(wave, run, dt.date(2027, 1, 15))
    assert facts.method == method_note(wave)
