import pandas as pd
import pytest

from sampling.core import make_synthetic_frame, validate_frame


@pytest.fixture(scope="session")
def clean_frame() -> pd.DataFrame:
    """A validated synthetic frame of 20,000 businesses."""
    return validate_frame(make_synthetic_frame(20_000, 3).astype(str), file="synthetic.csv")


def write_csv(path, rows, header="reference,name,address,postcode,phone,borough,sic2007,employees"):
    path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path
