import pandas as pd
import pytest

from sampling.core import StrataError, StrataSpec, build_strata


def _frame(counts):
    """counts: {(borough, sector, band): n} -> a minimal clean-like frame."""
    rows = []
    for (borough, sector, band), n in counts.items():
        rows += [{"reference": f"{borough}{sector}{band}{i}", "borough": borough,
                  "sector": sector, "size_band": band} for i in range(n)]
    return pd.DataFrame(rows)


GROUPS = {"prod": ("F",), "trade": ("G",), "prof": ("M",)}


def test_tiny_size_bands_merge_within_borough_and_sector_first():
    frame = _frame({("E09000001", "F", "0-9"): 50, ("E09000001", "F", "10-49"): 30,
                    ("E09000001", "F", "50-249"): 4, ("E09000001", "F", "250+"): 2})
    strata = build_strata(frame, StrataSpec(sector_groups=GROUPS, min_stratum_size=10))
    assert strata.populations().to_dict() == {
        "E09000001|prod|0-9": 50, "E09000001|prod|10-49/50-249/250+": 36}
    assert [m.merged for m in strata.merges] == [
        ("E09000001|prod|50-249", "E09000001|prod|250+"),
        ("E09000001|prod|10-49", "E09000001|prod|50-249/250+")]
    assert "merged E09000001|prod|50-249 + E09000001|prod|250+" in strata.report()[0]
    assert strata.below_minimum == ()


def test_tiny_sector_groups_merge_within_borough_but_never_across_boroughs():
    frame = _frame({("E09000001", "F", "0-9"): 5, ("E09000001", "G", "0-9"): 3,
                    ("E09000001", "M", "0-9"): 40, ("E09000002", "M", "0-9"): 4})
    strata = build_strata(frame, StrataSpec(sector_groups=GROUPS, min_stratum_size=10))
    assert strata.populations().to_dict() == {"E09000001|prod/prof/trade|0-9": 48,
                                              "E09000002|prof|0-9": 4}
    assert [m.into for m in strata.merges] == ["E09000001|prod/trade|0-9",
                                               "E09000001|prod/prof/trade|0-9"]
    assert "E09000002|prof|0-9" in strata.below_minimum
    labels = strata.labels
    assert labels[frame["borough"] == "E09000002"].nunique() == 1


def test_empty_strata_are_absent_and_labels_align_with_frame(clean_frame):
    strata = build_strata(clean_frame)
    populations = strata.populations()
    assert (populations > 0).all()
    assert populations.sum() == len(clean_frame)
    assert len(strata.labels) == len(clean_frame)
    assert (populations >= 20).all() or set(strata.below_minimum)
    assert build_strata(clean_frame).codes.tolist() == strata.codes.tolist()


def test_configurable_dimensions_and_groups(clean_frame):
    by_borough = build_strata(clean_frame, StrataSpec(dimensions=("borough",)))
    assert len(by_borough.names) == 33
    by_sector = build_strata(clean_frame, StrataSpec(dimensions=("sector_group", "size_band"),
                                                     min_stratum_size=1))
    assert all(name.count("|") == 1 for name in by_sector.names)
    with pytest.raises(StrataError, match="no group for section"):
        build_strata(clean_frame, StrataSpec(sector_groups={"prof": ("M",)}))
    with pytest.raises(StrataError, match="dimensions"):
        StrataSpec(dimensions=("borough", "colour"))
