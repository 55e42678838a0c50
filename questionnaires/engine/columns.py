"""Column names as people write them, mapped to the columns the engine reads.

Headers are read as pyxform reads them: without regard to case or spaces (``Constraint
Message`` = ``constraint_message``), with aliases (``relevance``, ``caption``, ``readonly``),
with ``bind::``/``bind:``/``control::`` prefixes and ``jr:`` names (``bind::jr:constraintMsg``)
and with a language after ``::`` or ``:`` (``label::English (en)``, ``label:English``).

Every column ends in one of three places: understood (a key the loader reads), of no effect in
a telephone interview (warned), or unknown (warned). Two headers with the same key are an error.
"""

from __future__ import annotations

from dataclasses import dataclass

# Columns holding text in one or more languages.
TRANSLATED = ("label", "hint", "guidance_hint", "constraint_message", "required_message",
              "interviewer_instruction")
MEDIA = ("image", "big-image", "audio", "video")

SURVEY_COLUMNS = frozenset({
    "type", "name", *TRANSLATED, "relevant", "constraint", "calculation", "choice_filter",
    "default", "repeat_count", "required", "read_only", "dont_know", "refused", "parameters",
    "trigger",
})
SURVEY_NO_EFFECT = frozenset({
    "appearance", *MEDIA, "autoplay", "rows", "no_app_error_string", "body", "control",
    "sms_field", "sms_option", "sms_separator", "sms_allow_media", "sms_date_format",
    "sms_datetime_format", "sms_response", "compact_tag", "intent", "instance", "save_to",
    "media",
})
SURVEY_ALIASES = {
    "relevance": "relevant", "caption": "label", "readonly": "read_only",
    "calculate": "calculation", "constraining_message": "constraint_message",
    "jr:constraintmsg": "constraint_message", "jr:requiredmsg": "required_message",
    "requiredmsg": "required_message", "count": "repeat_count", "jr:count": "repeat_count",
    "command": "type", "tag": "name", "value": "name", "noapperrorstring":
    "no_app_error_string", "jr:noapperrorstring": "no_app_error_string",
    "interviewer_instructions": "interviewer_instruction", "guidance": "guidance_hint",
    "default_value": "default",
}
CHOICES_COLUMNS = frozenset({"list_name", "name", "label"})
CHOICES_ALIASES = {"caption": "label", "value": "name", "list": "list_name"}
SETTINGS_COLUMNS = frozenset({"form_title", "form_id", "version", "default_language",
                              "dont_know", "refused", "default_dont_know", "default_refused",
                              "allow_choice_duplicates"})
SETTINGS_ALIASES = {"set_form_title": "form_title", "set_form_id": "form_id",
                    "id_string": "form_id", "title": "form_title"}
SETTINGS_NO_EFFECT = frozenset({
    "style", "instance_name", "public_key", "submission_url", "auto_send", "auto_delete",
    "name", "namespaces", "prefix", "delimiter", "omit_instanceid", "clean_text_values",
    "instance_xmlns", "sms_keyword", "sms_separator", "sms_allow_media",
    "sms_date_format", "sms_datetime_format", "sms_response", "attribute",
    "client_editable", "entities_version",
})
_PREFIXES = ("bind", "control", "body", "media")


@dataclass(frozen=True)
class Column:
    """Where one header goes: ``key`` is what the loader reads ('' when not read)."""

    header: str  # as written
    key: str
    kind: str  # understood | no_effect | unknown | blank


def _snake(text: str) -> str:
    return "_".join(text.strip().lower().split())


def _tokens(header: str) -> list[str]:
    if "::" in header:
        return [t.strip() for t in header.split("::")]
    tokens = [t.strip() for t in header.split(":")]
    out: list[str] = []
    i = 0
    while i < len(tokens):  # keep jr:x (and odk:x) together
        if tokens[i].lower() in ("jr", "odk") and i + 1 < len(tokens):
            out.append(f"{tokens[i]}:{tokens[i + 1]}")
            i += 2
        else:
            out.append(tokens[i])
            i += 1
    return out


def survey_column(header: str) -> Column:
    tokens = _tokens(header)
    base = _snake(tokens[0])
    rest = tokens[1:]
    display = base in ("body", "control", "media")
    if base in _PREFIXES and rest:
        if base == "media":
            base, rest = _snake(rest[0]), rest[1:]
        else:
            base, rest = _snake(rest[0]), rest[1:]
            base = {"jr:constraintmsg": "constraint_message", "jr:requiredmsg":
                    "required_message", "readonly": "read_only", "calculate": "calculation",
                    "jr:count": "repeat_count"}.get(base, base)
    base = SURVEY_ALIASES.get(base, base)
    language = "::".join(rest)
    if base in TRANSLATED or base in MEDIA:
        key = f"{base}::{language}" if language else base
    elif rest:
        return Column(header, "", "no_effect" if display else "unknown")
    else:
        key = base
    if base in SURVEY_COLUMNS:
        return Column(header, key, "understood")
    if base in SURVEY_NO_EFFECT or display:
        return Column(header, "", "no_effect")
    return Column(header, "", "unknown")


def choices_column(header: str) -> Column:
    tokens = _tokens(header)
    base = _snake(tokens[0])
    if base == "media" and len(tokens) > 1:
        base, tokens = _snake(tokens[1]), tokens[1:]
    base = CHOICES_ALIASES.get(base, base)
    language = "::".join(tokens[1:])
    if base == "label":
        return Column(header, f"label::{language}" if language else "label", "understood")
    if base in CHOICES_COLUMNS:
        return Column(header, base, "understood")
    if base in MEDIA:
        return Column(header, "", "no_effect")
    # any other column is data a choice_filter may read: kept under its own name
    return Column(header, header.strip(), "understood")


def settings_column(header: str) -> Column:
    base = _snake(header)
    base = SETTINGS_ALIASES.get(base, base)
    if base in SETTINGS_COLUMNS:
        return Column(header, base, "understood")
    if base in SETTINGS_NO_EFFECT:
        return Column(header, "", "no_effect")
    return Column(header, "", "unknown")
