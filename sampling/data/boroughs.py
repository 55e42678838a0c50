"""The 33 London boroughs: GSS codes, names, accepted name variants and postcode districts.

Postcode districts are the main districts lying in each borough (some straddle a boundary);
they are used only to give synthetic businesses a plausible postcode.
"""

from __future__ import annotations

# GSS code -> official name (ONS), in code order E09000001 .. E09000033.
BOROUGHS: dict[str, str] = {
    "E09000001": "City of London",
    "E09000002": "Barking and Dagenham",
    "E09000003": "Barnet",
    "E09000004": "Bexley",
    "E09000005": "Brent",
    "E09000006": "Bromley",
    "E09000007": "Camden",
    "E09000008": "Croydon",
    "E09000009": "Ealing",
    "E09000010": "Enfield",
    "E09000011": "Greenwich",
    "E09000012": "Hackney",
    "E09000013": "Hammersmith and Fulham",
    "E09000014": "Haringey",
    "E09000015": "Harrow",
    "E09000016": "Havering",
    "E09000017": "Hillingdon",
    "E09000018": "Hounslow",
    "E09000019": "Islington",
    "E09000020": "Kensington and Chelsea",
    "E09000021": "Kingston upon Thames",
    "E09000022": "Lambeth",
    "E09000023": "Lewisham",
    "E09000024": "Merton",
    "E09000025": "Newham",
    "E09000026": "Redbridge",
    "E09000027": "Richmond upon Thames",
    "E09000028": "Southwark",
    "E09000029": "Sutton",
    "E09000030": "Tower Hamlets",
    "E09000031": "Waltham Forest",
    "E09000032": "Wandsworth",
    "E09000033": "Westminster",
}

# Extra spellings (already in normalised form: lower case, '&' -> 'and', no punctuation,
# prefixes such as "london borough of" removed), mapped to their GSS code.
BOROUGH_ALIASES: dict[str, str] = {
    "city": "E09000001",
    "london city of": "E09000001",
    "city of london corporation": "E09000001",
    "corporation of london": "E09000001",
    "barking": "E09000002",
    "hammersmith": "E09000013",
    "kensington": "E09000020",
    "kingston": "E09000021",
    "kingston on thames": "E09000021",
    "richmond": "E09000027",
    "richmond on thames": "E09000027",
    "city of westminster": "E09000033",
    "westminster city": "E09000033",
}

# Business-count weights per borough (shaped like ONS UK Business Counts for London local
# units, in thousands; rounded and approximate).
BOROUGH_WEIGHTS: dict[str, float] = {
    "E09000001": 24, "E09000002": 7, "E09000003": 28, "E09000004": 8, "E09000005": 17,
    "E09000006": 15, "E09000007": 35, "E09000008": 17, "E09000009": 17, "E09000010": 14,
    "E09000011": 10, "E09000012": 22, "E09000013": 12, "E09000014": 12, "E09000015": 12,
    "E09000016": 10, "E09000017": 13, "E09000018": 12, "E09000019": 22, "E09000020": 17,
    "E09000021": 8, "E09000022": 15, "E09000023": 10, "E09000024": 10, "E09000025": 15,
    "E09000026": 15, "E09000027": 13, "E09000028": 18, "E09000029": 7, "E09000030": 20,
    "E09000031": 12, "E09000032": 17, "E09000033": 55,
}

# Central business districts (heavy in finance, professional services and information).
CENTRAL_BOROUGHS: frozenset[str] = frozenset(
    {"E09000001", "E09000007", "E09000030", "E09000033", "E09000019"}
)
# Inner boroughs other than the central ones; everything else is outer London.
INNER_BOROUGHS: frozenset[str] = frozenset(
    {"E09000012", "E09000013", "E09000020", "E09000022", "E09000023", "E09000025",
     "E09000028", "E09000032", "E09000014", "E09000011"}
)

POSTCODE_DISTRICTS: dict[str, tuple[str, ...]] = {
    "E09000001": ("EC1A", "EC2M", "EC2N", "EC2R", "EC2V", "EC3A", "EC3M", "EC3N", "EC3R",
                  "EC3V", "EC4A", "EC4M", "EC4N", "EC4R", "EC4V", "EC4Y"),
    "E09000002": ("IG11", "RM8", "RM9", "RM10"),
    "E09000003": ("N2", "N3", "N11", "N12", "N14", "N20", "NW4", "NW7", "NW9", "NW11", "EN4",
                  "EN5", "HA8"),
    "E09000004": ("DA5", "DA6", "DA7", "DA8", "DA14", "DA15", "DA16", "DA17", "DA18"),
    "E09000005": ("NW2", "NW6", "NW10", "HA0", "HA9"),
    "E09000006": ("BR1", "BR2", "BR3", "BR4", "BR5", "BR6", "BR7", "SE20"),
    "E09000007": ("NW1", "NW3", "NW5", "WC1A", "WC1B", "WC1E", "WC1H", "WC1N", "WC1R",
                  "WC1V", "WC1X", "WC2H"),
    "E09000008": ("CR0", "CR2", "CR5", "CR7", "CR8", "SE25"),
    "E09000009": ("W3", "W5", "W7", "W13", "UB1", "UB2", "UB5", "UB6"),
    "E09000010": ("EN1", "EN2", "EN3", "N9", "N13", "N18", "N21"),
    "E09000011": ("SE2", "SE3", "SE7", "SE9", "SE10", "SE18", "SE28"),
    "E09000012": ("E2", "E5", "E8", "E9", "N16"),
    "E09000013": ("W6", "W12", "W14", "SW6"),
    "E09000014": ("N4", "N6", "N8", "N10", "N15", "N17", "N22"),
    "E09000015": ("HA1", "HA2", "HA3", "HA5", "HA7"),
    "E09000016": ("RM1", "RM2", "RM3", "RM7", "RM11", "RM12", "RM13", "RM14"),
    "E09000017": ("UB3", "UB4", "UB7", "UB8", "UB9", "UB10", "UB11", "HA4", "HA6"),
    "E09000018": ("TW3", "TW4", "TW5", "TW7", "TW8", "TW13", "TW14", "W4"),
    "E09000019": ("N1", "N5", "N7", "N19", "EC1V"),
    "E09000020": ("SW3", "SW5", "SW7", "SW10", "W8", "W10", "W11"),
    "E09000021": ("KT1", "KT2", "KT3", "KT5", "KT6", "KT9"),
    "E09000022": ("SE11", "SE24", "SE27", "SW2", "SW4", "SW8", "SW9", "SW16"),
    "E09000023": ("SE4", "SE6", "SE8", "SE12", "SE13", "SE14", "SE23", "SE26"),
    "E09000024": ("SW19", "SW20", "CR4", "SM4"),
    "E09000025": ("E6", "E7", "E12", "E13", "E15", "E16"),
    "E09000026": ("IG1", "IG2", "IG3", "IG4", "IG5", "IG6", "IG8", "E18"),
    "E09000027": ("TW1", "TW2", "TW9", "TW10", "TW11", "TW12", "SW13", "SW14"),
    "E09000028": ("SE1", "SE5", "SE15", "SE16", "SE17", "SE21", "SE22"),
    "E09000029": ("SM1", "SM2", "SM3", "SM5", "SM6"),
    "E09000030": ("E1", "E1W", "E3", "E14"),
    "E09000031": ("E4", "E10", "E11", "E17"),
    "E09000032": ("SW11", "SW12", "SW15", "SW17", "SW18"),
    "E09000033": ("W1B", "W1D", "W1F", "W1G", "W1H", "W1J", "W1K", "W1S", "W1T", "W1U",
                  "W1W", "W2", "W9", "SW1A", "SW1E", "SW1H", "SW1P", "SW1V", "SW1W", "SW1X",
                  "SW1Y", "WC2N", "WC2R", "NW8"),
}
