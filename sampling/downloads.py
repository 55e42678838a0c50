"""Sample and frame tables written to CSV: every cell through the one formula-safety
function (bas.cells.safe_cell), so a reference, name or address that begins with
= + - @ is never a live formula in a spreadsheet."""

import pandas as pd

from bas.cells import safe_cell


def formula_safe(table: pd.DataFrame) -> pd.DataFrame:
    return table.astype(object).map(safe_cell)
