from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.core import make_design

DATA = Path(__file__).parent / "data"

EST_RTOL = 1e-6
SE_RTOL = 1e-4


def assert_close(actual: object, expected: object, rtol: float, what: str) -> None:
    actual = np.asarray(actual, dtype=float)
    expected = np.asarray(expected, dtype=float)
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=0, err_msg=what)


@pytest.fixture(scope="session")
def synthetic() -> pd.DataFrame:
    return pd.read_csv(DATA / "synthetic_sample.csv")


@pytest.fixture(scope="session")
def synthetic_reference() -> pd.DataFrame:
    return pd.read_csv(DATA / "r_survey_reference.csv", keep_default_na=False,
                       na_values=["NA"])


@pytest.fixture(scope="session")
def synthetic_design(synthetic):
    return make_design(synthetic.weight, strata=synthetic.stratum, cluster=synthetic.cluster,
                       fpc=synthetic.fpc)
