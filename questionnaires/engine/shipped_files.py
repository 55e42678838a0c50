"""CSV files shipped with a workbook (a sheet named for the file, a file given with the upload,
or a file beside the workbook): choices for select_one_from_file, tables for pulldata()."""

from __future__ import annotations

from .definition import Choice, Item
from .files import read_csv_table, table_choices
from .reading import Reader
from .workbook import Row


class FilesReader(Reader):
    # files ------------------------------------------------------------------------------
    def table(self, file_name: str, row: int | None, column: str
              ) -> list[dict[str, str]] | None:
        """A CSV shipped with the workbook: a sheet named for it, a file given, or beside."""
        if file_name in self.tables:
            return self.tables[file_name]
        stem = file_name.rsplit(".", 1)[0].lower()
        if not file_name.lower().endswith(".csv"):
            self.add("unsupported_file", "survey", row, column, value=file_name)
            return None
        for key in (file_name.lower(), stem):
            sheet = self.sheets.get(key)
            if sheet is not None:
                self.used_sheets.add(key)
                headers = [h.strip() for h in sheet.headers]
                rows = [{h: t for h, t in zip(headers, texts, strict=False) if h}
                        for _, texts in sheet.raw]
                self.tables[file_name] = rows
                return rows
        data = self.files.get(file_name)
        if data is not None:
            self.used_files.add(file_name)
        if data is None and self.folder is not None and (self.folder / file_name).is_file():
            data = (self.folder / file_name).read_bytes()
        if data is None:
            self.add("missing_file", "survey", row, column, value=file_name)
            return None
        rows, detail = read_csv_table(data)
        if detail:
            self.add("bad_file", "survey", row, column, value=file_name, detail=detail)
            return None
        self.tables[file_name] = rows
        return rows

    def load_file_choices(self, item: Item, row: Row, choices: dict[str, list[Choice]]) -> None:
        file_name = item.list_name
        if file_name in choices:
            return
        rows = self.table(file_name, row.number, "type")
        if rows is None:
            choices[file_name] = []
            self.choice_columns[file_name] = {"*"}  # unknown: its columns are not checked
            return
        found, detail = table_choices(rows, item.parameters.get("value", "name"),
                                      item.parameters.get("label", "label"),
                                      self.settings.default_language)
        if detail:
            self.add("bad_file", "survey", row.number, "type", value=file_name, detail=detail)
        choices[file_name] = found
        self.tables.pop(file_name, None)  # the choices hold it now
        self.choice_columns[file_name] = {"name", "label", *(rows[0] if rows else {})}

    def read_pulldata_tables(self, items: list[Item]) -> None:
        from .functions_check import pulldata_files

        stack = list(items)
        while stack:
            item = stack.pop()
            stack.extend(item.children)
            for column in ("calculate", "default", "constraint", "relevant"):
                text = getattr(item, column)
                if "pulldata" in text:
                    for name in pulldata_files(text):
                        file_name = name if name.lower().endswith(".csv") else f"{name}.csv"
                        header = "calculation" if column == "calculate" else column
                        rows = self.table(file_name, item.row, header)
                        if rows is not None and name != file_name:
                            self.tables[name] = self.tables.pop(file_name)  # kept once
