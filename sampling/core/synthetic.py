"""A seeded synthetic London business frame, for demos, tests and benchmarks.

Businesses are spread over boroughs, SIC 2007 sections and size bands in proportions shaped
like ONS UK Business Counts for London (see sampling/data/sectors.py). Names are invented.

Phone numbers come only from Ofcom's ranges reserved for drama and fiction: 020 7946 0000 to
020 7946 0999 (London) and 07700 900000 to 07700 900999 (mobile). These 2,000 numbers are
reused across the frame, but never twice within one postcode, so (phone, postcode) stays
unique and the frame passes the importer's duplicate check.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sampling.data.boroughs import (
    BOROUGH_WEIGHTS,
    BOROUGHS,
    CENTRAL_BOROUGHS,
    INNER_BOROUGHS,
    POSTCODE_DISTRICTS,
)
from sampling.data.sectors import SECTION_SHARES, SIZE_SHARES
from sampling.data.sic2007 import SECTION_DIVISIONS, SECTIONS

DRAMA_PHONES: tuple[str, ...] = tuple(
    [f"020 7946 0{i:03d}" for i in range(1000)] + [f"07700 900{i:03d}" for i in range(1000)]
)
_INWARD_LETTERS = np.array(list("ABDEFGHJLNPQRSTUWXYZ"), dtype=object)
_NAME_HEADS = ("Ash", "Bram", "Cor", "Dun", "Elm", "Fen", "Glen", "Hart", "Ivo", "Kes",
               "Lark", "Mar", "Nor", "Oak", "Pen", "Quill", "Rook", "Sil", "Thorn", "Wren",
               "Bex", "Cal", "Dray", "Fal", "Hol", "Lin", "Mell", "Pry", "Tam", "Vey")
_NAME_TAILS = ("bury", "combe", "dale", "field", "ford", "gate", "holm", "ley", "mere",
               "stead", "ton", "wick", "worth", "brook", "hurst", "more")
_TRADES: dict[str, tuple[str, ...]] = {
    "A": ("Growers",), "B": ("Aggregates",), "C": ("Works", "Manufacturing", "Foods"),
    "D": ("Energy",), "E": ("Recycling", "Waste Services"), "F": ("Builders", "Construction",
    "Roofing", "Plumbing"), "G": ("Stores", "Trading", "Motors", "Supplies"),
    "H": ("Logistics", "Couriers", "Cars"), "I": ("Kitchen", "Cafe", "Hotel", "Bar"),
    "J": ("Digital", "Media", "Software"), "K": ("Capital", "Finance", "Insurance"),
    "L": ("Properties", "Estates"), "M": ("Consulting", "Partners", "Design", "Accountants"),
    "N": ("Services", "Cleaning", "Staffing", "Security"), "O": ("Public Services",),
    "P": ("Academy", "Tutors"), "Q": ("Care", "Clinic", "Dental"), "R": ("Studios", "Events"),
    "S": ("Hair", "Repairs", "Beauty"), "T": ("Household",), "U": ("Mission",),
}
_FORMS = ("Ltd", "Limited", "& Co", "LLP", "")
_STREET_TYPES = ("Road", "Street", "Lane", "Avenue", "Mews", "Yard", "Row", "Place", "Parade")
_EMPLOYEES_MICRO_P = np.array([0.18, 0.2, 0.15, 0.11, 0.09, 0.07, 0.06, 0.05, 0.05, 0.04])

FRAME_OUTPUT_COLUMNS: tuple[str, ...] = (
    "reference", "name", "address", "postcode", "phone", "borough", "sic2007", "employees",
)


def make_synthetic_frame(size: int, seed: int | np.random.Generator = 0, *,
                         borough_names: bool = False) -> pd.DataFrame:
    """A frame of `size` invented businesses in the import format (borough as GSS code, or
    as name when `borough_names`). Same size and seed, same frame."""
    if size < 1:
        raise ValueError("size must be at least 1")
    rng = np.random.default_rng(seed)
    codes = np.array(list(BOROUGHS), dtype=object)
    weights = np.array([BOROUGH_WEIGHTS[c] for c in codes], dtype=float)
    borough = rng.choice(len(codes), size=size, p=weights / weights.sum())
    section = _draw_sections(rng, codes, borough)
    band = _draw_bands(rng, section)
    frame = pd.DataFrame({
        "reference": _references(size),
        "name": _names(rng, section),
        "address": _addresses(rng, size),
        "postcode": _postcodes(rng, codes, borough),
        "borough": (np.array([BOROUGHS[c] for c in codes], dtype=object) if borough_names
                    else codes)[borough],
        "sic2007": _sic_codes(rng, section),
        "employees": _employees(rng, band),
    })
    frame["phone"] = _phones(frame["postcode"])
    return frame[list(FRAME_OUTPUT_COLUMNS)]


def _draw_sections(rng: np.random.Generator, codes: np.ndarray, borough: np.ndarray
                   ) -> np.ndarray:
    kinds = ("central", "inner", "outer")
    kind_of = np.array([0 if c in CENTRAL_BOROUGHS else 1 if c in INNER_BOROUGHS else 2
                        for c in codes])[borough]
    section = np.empty(len(borough), dtype=np.int64)
    for k, kind in enumerate(kinds):
        shares = np.array([SECTION_SHARES[kind][s] for s in SECTIONS])
        rows = np.flatnonzero(kind_of == k)
        section[rows] = rng.choice(len(SECTIONS), size=len(rows), p=shares / shares.sum())
    return section


def _draw_bands(rng: np.random.Generator, section: np.ndarray) -> np.ndarray:
    shares = np.array([SIZE_SHARES[s] for s in SECTIONS], dtype=float)
    cumulative = np.cumsum(shares / shares.sum(axis=1, keepdims=True), axis=1)[:, :3]
    u = rng.random(len(section))
    return (u[:, None] >= cumulative[section]).sum(axis=1)


def _employees(rng: np.random.Generator, band: np.ndarray) -> np.ndarray:
    size = len(band)
    micro = rng.choice(10, size=size, p=_EMPLOYEES_MICRO_P)
    u = rng.random(size)
    small = np.floor(np.exp(np.log(10) + u * (np.log(50) - np.log(10))))
    medium = np.floor(np.exp(np.log(50) + u * (np.log(250) - np.log(50))))
    large = np.minimum(np.floor(250 * (1 - u) ** (-1 / 1.2)), 25000)
    return np.choose(band, [micro, small, medium, large]).astype(np.int64)


def _sic_codes(rng: np.random.Generator, section: np.ndarray) -> np.ndarray:
    lengths = np.array([len(SECTION_DIVISIONS[s]) for s in SECTIONS])
    offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    flat = np.array([d for s in SECTIONS for d in SECTION_DIVISIONS[s]])
    pick = offsets[section] + (rng.random(len(section)) * lengths[section]).astype(np.int64)
    code = flat[pick] * 1000 + rng.integers(1, 100, len(section)) * 10 + rng.integers(0, 3,
                                                                                    len(section))
    return pd.Series(code).astype(str).str.zfill(5).to_numpy(dtype=object)


def _references(size: int) -> np.ndarray:
    return ("SYN" + pd.Series(np.arange(1, size + 1)).astype(str).str.zfill(7)).to_numpy()


def _names(rng: np.random.Generator, section: np.ndarray) -> np.ndarray:
    size = len(section)
    heads = np.array(_NAME_HEADS, dtype=object)[rng.integers(0, len(_NAME_HEADS), size)]
    tails = np.array(_NAME_TAILS, dtype=object)[rng.integers(0, len(_NAME_TAILS), size)]
    trade_lists = [_TRADES[s] for s in SECTIONS]
    trade_pick = rng.integers(0, 4, size)
    trades = np.array([t for lst in trade_lists for t in (lst * 4)[:4]], dtype=object)
    forms = np.array(_FORMS, dtype=object)[rng.integers(0, len(_FORMS), size)]
    names = heads + tails + " " + trades[section * 4 + trade_pick] + " " + forms
    return pd.Series(names).str.strip().to_numpy()


def _addresses(rng: np.random.Generator, size: int) -> np.ndarray:
    numbers = pd.Series(rng.integers(1, 250, size)).astype(str).to_numpy(dtype=object)
    heads = np.array(_NAME_HEADS, dtype=object)[rng.integers(0, len(_NAME_HEADS), size)]
    tails = np.array(_NAME_TAILS, dtype=object)[rng.integers(0, len(_NAME_TAILS), size)]
    kinds = np.array(_STREET_TYPES, dtype=object)[rng.integers(0, len(_STREET_TYPES), size)]
    return numbers + " " + heads + tails + " " + kinds + ", London"


def _postcodes(rng: np.random.Generator, codes: np.ndarray, borough: np.ndarray) -> np.ndarray:
    lengths = np.array([len(POSTCODE_DISTRICTS[c]) for c in codes])
    offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    flat = np.array([d for c in codes for d in POSTCODE_DISTRICTS[c]], dtype=object)
    size = len(borough)
    pick = offsets[borough] + (rng.random(size) * lengths[borough]).astype(np.int64)
    digits = np.array(list("0123456789"), dtype=object)[rng.integers(0, 10, size)]
    first = _INWARD_LETTERS[rng.integers(0, len(_INWARD_LETTERS), size)]
    second = _INWARD_LETTERS[rng.integers(0, len(_INWARD_LETTERS), size)]
    return flat[pick] + " " + digits + first + second


def _phones(postcodes: pd.Series) -> np.ndarray:
    """A drama number per business, distinct within each postcode."""
    postcode_id, _ = pd.factorize(postcodes)
    rank = postcodes.groupby(postcode_id).cumcount().to_numpy()
    count = len(DRAMA_PHONES)
    index = (postcode_id.astype(np.int64) * 7919 + rank) % count
    return np.array(DRAMA_PHONES, dtype=object)[index]
