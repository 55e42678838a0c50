"""Sector groups, size bands and the London business mix used by the synthetic frame.

The shares are shaped like ONS UK Business Counts for London (local units by broad industry
and employment size band); they are rounded, approximate and only drive synthetic data.
"""

from __future__ import annotations

# Size bands by number of employees: label -> lowest count in the band.
SIZE_BANDS: tuple[str, ...] = ("0-9", "10-49", "50-249", "250+")
SIZE_BAND_LOWER: tuple[int, ...] = (0, 10, 50, 250)

# Default sector groups for stratification: group -> SIC 2007 sections. Six groups keep
# 33 boroughs x 6 groups x 4 size bands within reach of a 1,600 interview wave.
DEFAULT_SECTOR_GROUPS: dict[str, tuple[str, ...]] = {
    "production_construction": ("A", "B", "C", "D", "E", "F"),
    "trade_transport": ("G", "H"),
    "hospitality_leisure": ("I", "R", "S", "T", "U"),
    "information_finance_property": ("J", "K", "L"),
    "professional_business": ("M", "N"),
    "public_education_health": ("O", "P", "Q"),
}

# Each sector group's name, in words (pages, margins files, publications).
SECTOR_GROUP_LABELS: dict[str, str] = {
    "production_construction": "Production and construction",
    "trade_transport": "Wholesale, retail and transport",
    "hospitality_leisure": "Hospitality, leisure and other services",
    "information_finance_property": "Information, finance and property",
    "professional_business": "Professional and business services",
    "public_education_health": "Public sector, education and health",
}

# Percent of local units per section, by kind of borough.
SECTION_SHARES: dict[str, dict[str, float]] = {
    "central": {
        "A": 0.05, "B": 0.05, "C": 1.5, "D": 0.1, "E": 0.1, "F": 3.0, "G": 7.0, "H": 2.0,
        "I": 6.0, "J": 16.0, "K": 9.0, "L": 5.0, "M": 28.0, "N": 9.0, "O": 0.3, "P": 1.5,
        "Q": 3.0, "R": 3.5, "S": 4.0, "T": 0.01, "U": 0.1,
    },
    "inner": {
        "A": 0.1, "B": 0.03, "C": 3.0, "D": 0.1, "E": 0.2, "F": 8.0, "G": 10.0, "H": 4.0,
        "I": 6.0, "J": 13.0, "K": 2.5, "L": 4.5, "M": 20.0, "N": 9.0, "O": 0.2, "P": 2.0,
        "Q": 4.0, "R": 3.5, "S": 4.5, "T": 0.02, "U": 0.02,
    },
    "outer": {
        "A": 0.4, "B": 0.05, "C": 4.0, "D": 0.2, "E": 0.3, "F": 15.0, "G": 14.0, "H": 7.0,
        "I": 5.0, "J": 8.0, "K": 1.5, "L": 4.0, "M": 14.0, "N": 9.0, "O": 0.2, "P": 2.5,
        "Q": 5.0, "R": 2.5, "S": 4.5, "T": 0.02, "U": 0.01,
    },
}

# Percent of local units in each size band (0-9, 10-49, 50-249, 250+), by section.
SIZE_SHARES: dict[str, tuple[float, float, float, float]] = {
    "A": (93, 6, 1, 0), "B": (80, 12, 5, 3), "C": (85, 11, 3.3, 0.7), "D": (75, 12, 8, 5),
    "E": (75, 17, 6, 2), "F": (94, 5, 0.8, 0.2), "G": (83, 13, 3.3, 0.7),
    "H": (92, 5, 2.2, 0.8), "I": (72, 23, 4.3, 0.7), "J": (93, 5, 1.5, 0.5),
    "K": (88, 7.5, 3.2, 1.3), "L": (94, 5, 0.8, 0.2), "M": (94, 4.8, 1, 0.2),
    "N": (90, 7.5, 2, 0.5), "O": (55, 20, 15, 10), "P": (70, 20, 8.5, 1.5),
    "Q": (75, 18, 6, 1), "R": (90, 7.5, 2, 0.5), "S": (95, 4.5, 0.4, 0.1), "T": (99, 1, 0, 0),
    "U": (80, 15, 4, 1),
}
