import pandas as pd

from sampling.core import make_synthetic_frame
from sampling.core.synthetic import DRAMA_PHONES
from sampling.data.boroughs import POSTCODE_DISTRICTS


def test_same_seed_same_frame_and_different_seed_differs():
    first = make_synthetic_frame(3000, 11)
    assert first.equals(make_synthetic_frame(3000, 11))
    assert not first.equals(make_synthetic_frame(3000, 12))
    assert list(first.columns) == ["reference", "name", "address", "postcode", "phone",
                                   "borough", "sic2007", "employees"]


def test_mix_looks_like_london(clean_frame):
    micro = (clean_frame["size_band"] == "0-9").mean()
    assert 0.86 < micro < 0.92
    assert clean_frame["borough"].nunique() == 33
    central = clean_frame["borough"].isin(["E09000001", "E09000033", "E09000007"])
    finance_prof = clean_frame["sector"].isin(["J", "K", "M"])
    construction_retail = clean_frame["sector"].isin(["F", "G"])
    assert finance_prof[central].mean() > finance_prof[~central].mean() + 0.1
    assert construction_retail[~central].mean() > construction_retail[central].mean() + 0.05


def test_phones_are_drama_numbers_and_postcodes_fit_the_borough(clean_frame):
    raw = make_synthetic_frame(20_000, 3)
    assert raw["phone"].isin(DRAMA_PHONES).all()
    district = clean_frame["postcode"].str.split(" ").str[0]
    allowed = clean_frame["borough"].map(POSTCODE_DISTRICTS)
    assert all(d in a for d, a in zip(district, allowed, strict=True))
    assert not clean_frame.duplicated(["phone", "postcode"]).any()
    assert isinstance(raw, pd.DataFrame)
