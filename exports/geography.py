"""London geography for outputs: the tile-grid layout of the 33 boroughs and the ITL2
sub-regions used to coarsen borough in the microdata (pure)."""

from __future__ import annotations

from sampling.data.boroughs import BOROUGHS

# (row, column) of each borough on an 8-column tile grid that keeps London's shape.
TILE_GRID: dict[str, tuple[int, int]] = {
    "E09000010": (0, 4),  # Enfield
    "E09000015": (1, 2), "E09000003": (1, 3), "E09000014": (1, 4), "E09000031": (1, 5),
    "E09000017": (2, 1), "E09000005": (2, 2), "E09000007": (2, 3), "E09000019": (2, 4),
    "E09000012": (2, 5), "E09000026": (2, 6), "E09000016": (2, 7),
    "E09000009": (3, 1), "E09000013": (3, 2), "E09000020": (3, 3), "E09000033": (3, 4),
    "E09000001": (3, 5), "E09000030": (3, 6), "E09000025": (3, 7), "E09000002": (3, 8),
    "E09000018": (4, 1), "E09000027": (4, 2), "E09000032": (4, 3), "E09000022": (4, 4),
    "E09000028": (4, 5), "E09000023": (4, 6), "E09000011": (4, 7), "E09000004": (4, 8),
    "E09000021": (5, 3), "E09000024": (5, 4), "E09000008": (5, 5), "E09000006": (5, 6),
    "E09000029": (6, 4),
}

# Short labels for the tiles.
TILE_ABBREVIATIONS: dict[str, str] = {
    "E09000001": "CTY", "E09000002": "BAR", "E09000003": "BRN", "E09000004": "BXL",
    "E09000005": "BRT", "E09000006": "BRM", "E09000007": "CMD", "E09000008": "CRD",
    "E09000009": "EAL", "E09000010": "ENF", "E09000011": "GRN", "E09000012": "HCK",
    "E09000013": "HMS", "E09000014": "HGY", "E09000015": "HRW", "E09000016": "HAV",
    "E09000017": "HDN", "E09000018": "HNS", "E09000019": "ISL", "E09000020": "KNS",
    "E09000021": "KNG", "E09000022": "LBH", "E09000023": "LSH", "E09000024": "MRT",
    "E09000025": "NWM", "E09000026": "RDB", "E09000027": "RCH", "E09000028": "STH",
    "E09000029": "SUT", "E09000030": "TOW", "E09000031": "WTH", "E09000032": "WNS",
    "E09000033": "WST",
}

# ITL2 sub-regions of London (ONS, 2021): code -> (name, boroughs).
SUB_REGIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "TLI3": ("Inner London - West", ("E09000001", "E09000007", "E09000013", "E09000020",
                                     "E09000032", "E09000033")),
    "TLI4": ("Inner London - East", ("E09000012", "E09000014", "E09000019", "E09000022",
                                     "E09000023", "E09000025", "E09000028", "E09000030")),
    "TLI5": ("Outer London - East and North East", ("E09000002", "E09000004", "E09000010",
                                                    "E09000011", "E09000016", "E09000026",
                                                    "E09000031")),
    "TLI6": ("Outer London - South", ("E09000006", "E09000008", "E09000021", "E09000024",
                                      "E09000029")),
    "TLI7": ("Outer London - West and North West", ("E09000003", "E09000005", "E09000009",
                                                    "E09000015", "E09000017", "E09000018",
                                                    "E09000027")),
}
SUB_REGION_OF: dict[str, str] = {b: code for code, (_, boroughs) in SUB_REGIONS.items()
                                 for b in boroughs}


def tiles() -> list[dict[str, object]]:
    """One entry per borough: code, name, abbreviation, row, column."""
    return [{"code": code, "name": BOROUGHS[code], "abbreviation": TILE_ABBREVIATIONS[code],
             "row": row, "column": column} for code, (row, column) in TILE_GRID.items()]
