"""What the microdata says about each variable, whatever the file format (pure): short names
that keep their meaning, labels fitted to each format's limit from the front so that the part
that differs stays, the don't-know and refused codes of the codebook, measurement levels and
display formats."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

# Stata allows 32-character names, but pyreadstat names a variable's value-label set after
# it, so names are kept to 29 (SPSS allows 64).
MAX_NAME = 29
# Label limits of the formats, in characters: SPSS variable labels 256 and value labels 120;
# Stata (.dta 118) variable labels 80 and value labels 32,000.
SAV_VARIABLE_LABEL, SAV_VALUE_LABEL = 256, 120
DTA_VARIABLE_LABEL, DTA_VALUE_LABEL = 80, 32_000
ELLIPSIS = "…"
STOPWORDS = frozenset({"of", "the", "and", "to", "or", "by", "a", "an", "in", "for"})
# Stata's extended missing values for the two codes.
STATA_MISSING = {"dont_know": "a", "refused": "b"}
MISSING_TEXT = {"dont_know": "Don't know", "refused": "Refused"}
LEVELS = ("nominal", "ordinal", "scale")


@dataclass
class Variable:
    name: str
    label: str
    source: str
    value_labels: dict[int, str] = field(default_factory=dict)
    column: str = ""  # the respondent-table column it comes from
    numeric_answer: bool = False  # an integer or decimal answer: top-coded
    top_coded_at: float | None = None  # values above it were released as it
    missing: dict[str, int] = field(default_factory=dict)  # dont_know/refused -> code
    level: str = "nominal"  # SPSS measurement level: nominal, ordinal or scale

    @property
    def missing_codes(self) -> list[int]:
        return sorted(self.missing.values())

    def missing_text(self) -> str:
        # text first: a cell starting with "-" would be made inert with an apostrophe
        return "; ".join(f"{MISSING_TEXT[kind]} = {code}"
                         for kind, code in self.missing.items())


@dataclass
class Microdata:
    table: pd.DataFrame
    variables: list[Variable]
    withheld: dict[str, str]
    coarsened: dict[str, int]  # rows whose area or sector was coarsened, by step
    min_combination: int
    top_coded: dict[str, dict[str, float]] = field(default_factory=dict)  # name -> at, rows
    design: dict = field(default_factory=dict)  # microdata_design.ReleasedDesign.about()
    # respondent_id and the replicate weights: a file of their own, merged on respondent_id
    replicates: pd.DataFrame | None = None
    replicate_variables: list[Variable] = field(default_factory=list)

    def variable(self, name: str) -> Variable:
        return next(v for v in self.variables if v.name == name)


# Names -------------------------------------------------------------------------------------

def question_names(columns: list[str], stem: str, used: set[str]) -> dict[str, str | None]:
    """Names of at most MAX_NAME characters for a question's columns, shortened the same way
    for all of them so that they read alike: '__' joins become '_'; if that is not enough,
    filler words of the column's part go, then the question's words are cut (to 6, 5, 4, 3
    letters, then its initials), then the longest words of what still does not fit are cut
    one letter at a time (to 3). A number is added only when nothing else makes a name
    unique (None if even that fails)."""
    stem_words = [w for w in re.split(r"_+", re.sub(r"\W", "_", stem)) if w]
    rests = {c: [w for w in re.split(r"_+", re.sub(r"\W", "_", c[len(stem):])) if w]
             if stem and c.startswith(stem) else None for c in columns}
    plain = {c: re.sub(r"_+", "_", re.sub(r"\W", "_", c)) for c in columns}
    if _fits(plain.values(), used):
        return plain
    if all(r is not None for r in rests.values()) and stem_words:
        for stem_short in _stems(stem_words):
            for drop in (False, True):
                parts = {c: [w for w in r if not (drop and w.lower() in STOPWORDS)] or r
                         for c, r in rests.items()}
                names = {c: "_".join(stem_short + p) for c, p in parts.items()}
                if _fits(names.values(), used):
                    return names
        initials = ["".join(w[0] for w in stem_words)] if len(stem_words) > 1 else stem_words
        names = {c: _shortened(initials + [w for w in r if w.lower() not in STOPWORDS])
                 for c, r in rests.items()}
    else:
        names = {c: _shortened([w for w in plain[c].split("_") if w]) for c in columns}
    taken = set(used)
    out: dict[str, str | None] = {}
    for column, name in names.items():
        out[column] = _unique(name, taken)
        if out[column]:
            taken.add(out[column])
    return out


def short_name(column: str, used: set[str], stem: str = "") -> str | None:
    """One column's short name (see question_names)."""
    return question_names([column], stem or column, used)[column]


def _fits(names, used: set[str]) -> bool:
    names = list(names)
    return (all(len(n) <= MAX_NAME for n in names) and len(set(names)) == len(names)
            and not set(names) & used)


def _stems(words: list[str]):
    yield words
    for cut in (6, 5, 4, 3):
        yield [w[:cut] for w in words]


def _unique(name: str, taken: set[str]) -> str | None:
    if len(name) <= MAX_NAME and name not in taken:
        return name
    base = _shortened(name.split("_"), room=MAX_NAME - 3)
    for i in range(2, 100):
        candidate = f"{base}_{i}"
        if candidate not in taken:
            return candidate
    return None


def _shortened(words: list[str], room: int = MAX_NAME) -> str:
    words = list(words)
    while len("_".join(words)) > room:
        longest = max(range(len(words)), key=lambda i: (len(words[i]), -i))
        if len(words[longest]) <= 3:
            break
        words[longest] = words[longest][:-1]
    return "_".join(words)


# Labels ------------------------------------------------------------------------------------

def fit_label(text: str, limit: int) -> str:
    """The text within `limit` characters, shortened from the front (the end is where
    labels of a question's columns differ)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return ELLIPSIS + text[len(text) - limit + 1:].lstrip()


def fitted_labels(labels: dict[str, str], limit: int) -> dict[str, str]:
    """Every label within `limit`, shortened from the front; where two would still read the
    same, each of them starts with its variable's name."""
    fitted = {name: fit_label(text, limit) for name, text in labels.items()}
    seen: dict[str, list[str]] = {}
    for name, text in fitted.items():
        seen.setdefault(text, []).append(name)
    for names in seen.values():
        if len(names) > 1 and len(set(labels[n] for n in names)) > 1:
            for name in names:
                fitted[name] = f"{name}: " + fit_label(labels[name], limit - len(name) - 2)
    return fitted


def fitted_value_labels(labels: dict, limit: int) -> dict:
    fitted = {code: fit_label(text, limit) for code, text in labels.items()}
    if len(set(fitted.values())) < len(set(labels.values())):
        fitted = {code: fit_label(f"{code}: {text}", limit) for code, text in labels.items()}
    return fitted


# Measurement and display -------------------------------------------------------------------

def measurement_level(entry_type: str, value_labels: dict[int, str],
                      missing: dict[str, int]) -> str:
    """Scale for counts and amounts; ordinal for a scale of five ordered points (codes 1 to
    5); nominal for every other coded variable."""
    if entry_type in ("integer", "decimal"):
        return "scale"
    codes = sorted(set(value_labels) - set(missing.values()))
    if codes == [1, 2, 3, 4, 5]:
        return "ordinal"
    return "nominal"


def spss_format(values: pd.Series, variable: Variable) -> str:
    """F<w>.0 for codes and whole numbers (wide enough for every value, label and missing
    code), F<w>.2 for amounts with decimals, A<w> for text."""
    if values.dtype == object:
        width = max((len(str(v)) for v in values), default=1)
        return f"A{max(width, 1)}"
    numbers = values.dropna().to_numpy(dtype=float)
    whole = bool(np.all(numbers == np.round(numbers)))
    extremes = [*variable.value_labels, *variable.missing_codes]
    if numbers.size:
        extremes += [numbers.min(), numbers.max()]
    digits = max((len(f"{int(v)}") for v in extremes), default=1)
    if whole:
        return f"F{max(digits, 1)}.0"
    return f"F{min(digits + 3, 40)}.2"


def plain_number(value: object) -> object:
    """A whole number as an integer ("1", not "1.0"); other numbers as floats (which the
    csv module writes exactly, as repr does)."""
    if isinstance(value, float | np.floating):
        if np.isnan(value):
            return ""
        if float(value).is_integer() and abs(value) < 2 ** 53:
            return int(value)
        return float(value)
    return value


def empty_columns(table: pd.DataFrame, names: Iterable[str]) -> list[str]:
    """Columns with no value at all (every row missing or blank)."""
    out = []
    for name in names:
        values = table[name]
        blank = values.isna() | values.astype(str).str.strip().eq("")
        if bool(blank.all()):
            out.append(name)
    return out
