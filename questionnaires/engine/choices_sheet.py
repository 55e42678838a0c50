"""The choices sheet (and external_choices): choice lists with labels and filter columns."""

from __future__ import annotations

from .definition import Choice
from .reading import Reader, texts_of


class ChoicesReader(Reader):
    # choices ----------------------------------------------------------------------------
    def read_choices(self, key: str, prefix: str = "") -> dict[str, list[Choice]]:
        sheet = self.sheets.get(key)
        lists: dict[str, list[Choice]] = {}
        if sheet is None or (not sheet.rows and not any(sheet.headers)):
            return lists
        for column in ("list_name", "name"):
            if column not in sheet.keys:
                self.add("missing_column", key, 1, column, sheet_name=sheet.name, name=column)
        label_columns = [h for h in sheet.keys if h == "label" or h.startswith("label::")]
        extra_columns = [h for h in sheet.keys
                         if h and h not in ("list_name", "name") and h not in label_columns]
        first_row: dict[tuple[str, str], int] = {}
        for row in sheet.rows:
            list_name, name = row.get("list_name"), row.get("name")
            if not list_name:
                if row.cells:
                    self.add("choice_without_list", key, row.number, "list_name")
                continue
            list_name = prefix + list_name
            self.choice_columns.setdefault(list_name, {"name", "label", *label_columns,
                                                       *extra_columns})
            if not name:
                self.add("missing_choice_name", key, row.number, "name", list_name=list_name)
                continue
            if " " in name:
                self.add("invalid_choice_name", key, row.number, "name", value=name)
            pair = (list_name, name)
            # external lists repeat names across the groups a choice_filter picks from
            if pair in first_row and not self.settings.allow_choice_duplicates and not prefix:
                self.add("duplicate_choice", key, row.number, "name", value=name,
                         list_name=list_name, first_row=first_row[pair])
                continue
            first_row.setdefault(pair, row.number)
            label = texts_of(row, "label", self.settings)
            if not any(label.values()):
                self.add("missing_choice_label", key, row.number,
                         label_columns[0] if label_columns else "label", value=name,
                         list_name=list_name)
            extra = {h: row.get(h) for h in extra_columns if row.get(h)}
            lists.setdefault(list_name, []).append(Choice(name, label, extra, row.number))
        return lists
