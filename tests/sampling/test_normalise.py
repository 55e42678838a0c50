import pandas as pd
import pytest

from sampling.core.normalise import (
    borough_code,
    normalise_phones,
    normalise_postcodes,
    sic_parts,
    size_bands,
)
from sampling.data.boroughs import BOROUGHS, POSTCODE_DISTRICTS


@pytest.mark.parametrize(("text", "code"), [
    ("E09000001", "E09000001"), ("e09000033", "E09000033"), ("City of London", "E09000001"),
    ("London, City of", "E09000001"), ("Barking & Dagenham", "E09000002"),
    ("barking and dagenham", "E09000002"), ("Hammersmith & Fulham", "E09000013"),
    ("Kingston", "E09000021"), ("Kingston upon Thames", "E09000021"),
    ("Royal Borough of Kingston upon Thames", "E09000021"), ("Richmond", "E09000027"),
    ("London Borough of Tower Hamlets", "E09000030"), ("  TOWER-HAMLETS ", "E09000030"),
    ("City of Westminster", "E09000033"), ("Kensington and Chelsea", "E09000020"),
])
def test_borough_variants_map_to_gss_code(text, code):
    assert borough_code(text) == code


@pytest.mark.parametrize("text", ["Manchester", "E09000034", "", "E08000001"])
def test_unknown_boroughs_are_none(text):
    assert borough_code(text) is None


def test_every_official_name_maps_to_its_code():
    assert {borough_code(name) for name in BOROUGHS.values()} == set(BOROUGHS)


def test_sic_formats():
    values = pd.Series(["62012", "6201", "62.01", "62.01/2", "62.012", "01110", "abc", "620",
                        "6201234", "04100"])
    code, division = sic_parts(values)
    assert code.tolist()[:6] == ["62012", "6201", "6201", "62012", "62012", "01110"]
    assert code[6:9].isna().all()
    assert division.tolist()[:6] == [62, 62, 62, 62, 62, 1]
    assert code[9] == "04100"  # format fine; division 04 is rejected by the importer


def test_size_bands_edges():
    bands = size_bands(pd.Series([0, 9, 10, 49, 50, 249, 250, 100000]))
    assert list(bands) == ["0-9", "0-9", "10-49", "10-49", "50-249", "50-249", "250+", "250+"]


def test_postcodes_normalised_and_checked():
    values = pd.Series(["sw1a1aa", "EC1A 1BB", "w1a 0ax", "M1 1AE", "CR2 6XH", "DN55 1PT",
                        "QQ1 1AA", "SW1A 1AAA", "12345", "SW1A 1CA"])
    result = normalise_postcodes(values)
    assert result[:6].tolist() == ["SW1A 1AA", "EC1A 1BB", "W1A 0AX", "M1 1AE", "CR2 6XH",
                                   "DN55 1PT"]
    assert result[6:].isna().all()


def test_every_borough_postcode_district_is_valid():
    districts = [d for ds in POSTCODE_DISTRICTS.values() for d in ds]
    assert normalise_postcodes(pd.Series([f"{d} 1AB" for d in districts])).notna().all()
    assert set(POSTCODE_DISTRICTS) == set(BOROUGHS)


def test_phones():
    values = pd.Series(["020 7946 0123", "+44 20 7946 0123", "07700 900123", "(020) 7946-0999",
                        "12345", "020 7946 01", "+1 555 0100"])
    result = normalise_phones(values)
    assert result[:4].tolist() == ["02079460123", "02079460123", "07700900123", "02079460999"]
    assert result[4:].isna().all()
