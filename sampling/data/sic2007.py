"""UK SIC 2007: sections A..U and the two-digit divisions that make them up."""

from __future__ import annotations

SECTION_NAMES: dict[str, str] = {
    "A": "Agriculture, forestry and fishing",
    "B": "Mining and quarrying",
    "C": "Manufacturing",
    "D": "Electricity, gas, steam and air conditioning supply",
    "E": "Water supply; sewerage, waste management and remediation activities",
    "F": "Construction",
    "G": "Wholesale and retail trade; repair of motor vehicles and motorcycles",
    "H": "Transportation and storage",
    "I": "Accommodation and food service activities",
    "J": "Information and communication",
    "K": "Financial and insurance activities",
    "L": "Real estate activities",
    "M": "Professional, scientific and technical activities",
    "N": "Administrative and support service activities",
    "O": "Public administration and defence; compulsory social security",
    "P": "Education",
    "Q": "Human health and social work activities",
    "R": "Arts, entertainment and recreation",
    "S": "Other service activities",
    "T": "Activities of households as employers; undifferentiated goods- and services-producing "
         "activities of households for own use",
    "U": "Activities of extraterritorial organisations and bodies",
}

# Section -> its divisions (inclusive ranges of the two-digit division code).
_SECTION_DIVISION_RANGES: dict[str, tuple[tuple[int, int], ...]] = {
    "A": ((1, 3),),
    "B": ((5, 9),),
    "C": ((10, 33),),
    "D": ((35, 35),),
    "E": ((36, 39),),
    "F": ((41, 43),),
    "G": ((45, 47),),
    "H": ((49, 53),),
    "I": ((55, 56),),
    "J": ((58, 63),),
    "K": ((64, 66),),
    "L": ((68, 68),),
    "M": ((69, 75),),
    "N": ((77, 82),),
    "O": ((84, 84),),
    "P": ((85, 85),),
    "Q": ((86, 88),),
    "R": ((90, 93),),
    "S": ((94, 96),),
    "T": ((97, 98),),
    "U": ((99, 99),),
}

SECTION_DIVISIONS: dict[str, tuple[int, ...]] = {
    section: tuple(d for lo, hi in ranges for d in range(lo, hi + 1))
    for section, ranges in _SECTION_DIVISION_RANGES.items()
}

# Two-digit division -> section letter. Numbers in the gaps (04, 34, 40, ...) are not divisions.
DIVISION_SECTION: dict[int, str] = {
    division: section
    for section, divisions in SECTION_DIVISIONS.items()
    for division in divisions
}

SECTIONS: tuple[str, ...] = tuple(SECTION_NAMES)
