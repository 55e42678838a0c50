"""Survey types as people write them (pyxform's aliases), read into the engine's types.

``parse_type`` gives the engine's kind (``integer``, ``select_one``, ``begin group``...), the
choice list or file, whether ``or_other`` was asked for, and the catalogue code of a problem
with the type (unknown, device-only, of no effect). Device-only types cannot be put to a
respondent on the telephone and are errors; device metadata (``audit``...) is warned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*\Z")
MAX_DEPTH = 100  # nesting of groups and repeats

SIMPLE_TYPES: dict[str, str] = {
    "integer": "integer", "int": "integer", "decimal": "decimal", "text": "text",
    "string": "text", "date": "date", "time": "time", "datetime": "datetime",
    "date time": "datetime", "date_time": "datetime", "note": "note",
    "calculate": "calculate", "acknowledge": "acknowledge", "trigger": "acknowledge",
    "range": "range", "hidden": "hidden",
    "start": "start", "start time": "start", "end": "end", "end time": "end",
    "today": "today", "username": "username", "uri:username": "username",
    "phonenumber": "phonenumber", "phone number": "phonenumber",
    "uri:phonenumber": "phonenumber", "email": "email", "uri:email": "email",
    "deviceid": "deviceid", "device id": "deviceid", "imei": "deviceid",
    "uri:deviceid": "deviceid", "simserial": "simserial", "sim id": "simserial",
    "uri:simserial": "simserial", "subscriberid": "subscriberid",
    "subscriber id": "subscriberid", "uri:subscriberid": "subscriberid",
    "begin group": "begin group", "begin_group": "begin group",
    "end group": "end group", "end_group": "end group",
    "begin repeat": "begin repeat", "begin_repeat": "begin repeat",
    "end repeat": "end repeat", "end_repeat": "end repeat",
}
for _p in ("q ", "add ", "get "):  # pyxform's older spellings: "add integer prompt", "q int"
    for _t in ("integer", "int", "decimal", "text", "string", "date", "note", "calculate",
               "acknowledge", "time", "date time", "datetime"):
        SIMPLE_TYPES.setdefault(f"{_p}{_t}", SIMPLE_TYPES.get(_t, _t))
        SIMPLE_TYPES.setdefault(f"{_p}{_t} prompt", SIMPLE_TYPES.get(_t, _t))
for _t in ("start time", "end time", "today", "device id", "phone number", "sim id",
           "subscriber id"):
    SIMPLE_TYPES[f"get {_t}"] = SIMPLE_TYPES[_t]

DEVICE_ONLY = frozenset({
    "geopoint", "geotrace", "geoshape", "image", "photo", "picture", "audio", "video",
    "barcode", "file", "osm", "location", "gps", "start-geopoint", "background-geopoint",
    "background-audio", "signature", "draw", "annotate", "q geopoint", "q geoshape",
    "q geotrace", "q image", "q picture", "q audio", "q video", "q barcode", "q location",
    "add image prompt", "add photo prompt", "add audio prompt", "add video prompt",
    "add file prompt", "add barcode prompt", "add location prompt",
})
NO_EFFECT = frozenset({"audit", "csv-external", "xml-external", "get sim id", "entity"})

_SELECT = re.compile(
    r"(?P<head>select_one|select one|select1|select one from|select one using|"
    r"add select one prompt using|select_multiple|select multiple|select all that apply|"
    r"select all that apply from|select multiple from|select multiple using|"
    r"add select multiple prompt using|rank|select_one_external|select one external|"
    r"select_one_from_file|select one from file|select_multiple_from_file|"
    r"select multiple from file)\s+(?P<list>\S+)"
    r"(?P<other>\s+or_other|\s+or specify other)?\Z",
    re.IGNORECASE,
)
_MULTIPLE = ("select_multiple", "select multiple", "select all that apply",
             "select all that apply from", "select multiple from", "select multiple using",
             "add select multiple prompt using", "select_multiple_from_file",
             "select multiple from file")
_LONE_SELECT = re.compile(r"(select_one|select_multiple|select one|select multiple|"
                          r"select all that apply|rank|select_one_from_file|"
                          r"select_multiple_from_file)\Z", re.IGNORECASE)

_LOOP = re.compile(r"begin[ _]loop over (\S+)\Z", re.IGNORECASE)

# parameters each type reads
PARAMETERS: dict[str, tuple[str, ...]] = {
    "range": ("start", "end", "step"),
    "select_one": ("value", "label", "randomize", "seed"),
    "select_multiple": ("value", "label", "randomize", "seed"),
    "rank": ("value", "label", "randomize", "seed"),
}


@dataclass(frozen=True)
class ParsedType:
    kind: str  # '' when the row is not read
    list_name: str = ""
    or_other: bool = False
    from_file: bool = False
    problem: str = ""  # catalogue code
    select: str = ""  # the select type written without its list
    external: bool = False  # select_one_external: the list is on external_choices


def parse_type(text: str) -> ParsedType:
    words = " ".join(text.split())
    lower = words.lower()
    simple = SIMPLE_TYPES.get(lower) or SIMPLE_TYPES.get(lower.replace("_", " "))
    if simple:
        return ParsedType(simple)
    match = _SELECT.match(words)
    if match:
        head = match.group("head").lower()
        kind = "rank" if head == "rank" else \
            "select_multiple" if head in _MULTIPLE else "select_one"
        from_file = "file" in head
        external = "external" in head
        return ParsedType(kind, match.group("list"), bool(match.group("other")), from_file,
                          external=external)
    if _LONE_SELECT.match(words):
        head = words.lower()
        kind = "rank" if head == "rank" else \
            "select_multiple" if "multiple" in head or "all" in head else "select_one"
        return ParsedType("", problem="missing_list_name", select=kind)
    loop = _LOOP.match(words)
    if loop:
        return ParsedType("begin loop", loop.group(1))
    if lower in ("end loop", "end_loop"):
        return ParsedType("end loop")
    if lower in DEVICE_ONLY or lower.startswith("osm "):
        return ParsedType("", problem="device_only_type")
    if lower in NO_EFFECT:
        return ParsedType("", problem="no_effect_type")
    return ParsedType("", problem="unknown_type")


def parse_parameters(text: str) -> tuple[dict[str, str], str]:
    """``start=1 end=10 step=1`` (spaces, commas or semicolons between) -> dict; or why not."""
    params: dict[str, str] = {}
    for part in re.split(r"[\s,;]+", text.strip()):
        if not part:
            continue
        key, sep, value = part.partition("=")
        if not sep or not key or not value:
            return {}, "write key=value pairs, e.g. start=0 end=10 step=1"
        params[key.strip().lower()] = value.strip()
    return params, ""
