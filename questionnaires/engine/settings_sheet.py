"""The settings sheet: the form's title, id, version, languages and codes."""

from __future__ import annotations

from .definition import Settings
from .reading import FALSE, TRUE, Reader


class SettingsReader(Reader):
    # settings ---------------------------------------------------------------------------
    def read_settings(self) -> Settings:
        settings = Settings()
        sheet = self.sheets.get("settings")
        if sheet is None or not sheet.rows:
            return settings
        row = sheet.rows[0]
        for extra in sheet.rows[1:]:
            self.add("extra_settings_row", "settings", extra.number, "")
        for key in ("form_title", "form_id", "version", "default_language"):
            setattr(settings, key, row.get(key))
        value = row.get("allow_choice_duplicates").lower()
        settings.allow_choice_duplicates = value in TRUE
        if value and value not in TRUE | FALSE:
            self.add("invalid_setting", "settings", row.number, "allow_choice_duplicates",
                     name="allow_choice_duplicates", value=value, detail="expected yes or no")
        for key in ("dont_know", "refused"):
            column = key if key in row.cells else f"default_{key}"
            value = row.get(column)
            if not value:
                continue
            try:
                setattr(settings, key, int(value))
            except ValueError:
                self.add("invalid_setting", "settings", row.number, column, name=column,
                         value=value, detail="expected an integer code such as -8")
        return settings
