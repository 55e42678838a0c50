"""Fay-Herriot fits equal to R sae 1.3 eblupFH/mseFH on milk and on synthetic boroughs.

EBLUP to 1e-6 relative, MSE to 1e-4 (figures in data/sae, made by make_fh_reference.R)."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.core.small_area import SmallAreaConvergenceError, fay_herriot

from .conftest import assert_close
from .small_area_data import (
    EBLUP_RTOL,
    MSE_RTOL,
    SETTINGS,
    domain_reference,
    fit_reference,
    read_case,
)

CASES = ["milk", "boroughs", "boroughs_zero"]
METHODS = ["reml", "ml", "fh"]
DOMAINS = domain_reference()
FITS = fit_reference()


def fit(case: str, setting: str, method: str):
    _, direct, variance, design = read_case(case)
    maxiter, precision = SETTINGS[setting]
    return fay_herriot(direct, variance, design, method=method, maxiter=maxiter,
                       precision=precision)


def reference(frame, case: str, setting: str, method: str):
    rows = frame[(frame.case == case) & (frame.setting == setting) & (frame.method == method)]
    assert len(rows), (case, setting, method)
    return rows


@pytest.mark.parametrize("setting", ["tight", "default"])
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("case", CASES)
def test_small_area_eblup_and_mse_equal_sae(case, method, setting):
    result = fit(case, setting, method)
    expected = reference(DOMAINS, case, setting, method)
    assert list(expected.domain) == [str(d) for d in read_case(case)[0].iloc[:, 0]]
    assert_close(result.eblup, expected.eblup, EBLUP_RTOL, "eblup")
    assert_close(result.mse, expected.mse, MSE_RTOL, "mse")


@pytest.mark.parametrize("setting", ["tight", "default"])
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("case", CASES)
def test_small_area_fit_equals_sae_estcoef_refvar_goodness(case, method, setting):
    result = fit(case, setting, method)
    expected = reference(FITS, case, setting, method)
    assert [c.name for c in result.coefficients] == list(expected.term)
    assert result.iterations == expected.iterations.iloc[0]
    coef = result.coefficients
    assert_close([c.estimate for c in coef], expected.beta, EBLUP_RTOL, "beta")
    assert_close([c.std_error for c in coef], expected.std_error, MSE_RTOL, "std.error")
    assert_close([c.z_value for c in coef], expected.tvalue, MSE_RTOL, "tvalue")
    assert_close([c.p_value for c in coef], expected.pvalue, MSE_RTOL, "pvalue")
    refvar = expected.refvar.iloc[0]
    if refvar == 0:
        assert result.model_variance == 0.0
        assert np.all(result.gamma == 0.0)
        assert_close(result.eblup, result.synthetic, 1e-12, "eblup is synthetic at A = 0")
    else:
        assert_close(result.model_variance, refvar, EBLUP_RTOL, "refvar")
    goodness = result.goodness
    for name, value in (("loglike", goodness.loglike), ("AIC", goodness.aic),
                        ("BIC", goodness.bic), ("KIC", goodness.kic)):
        assert_close(value, expected[name].iloc[0], EBLUP_RTOL, name)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("case", CASES)
def test_small_area_not_converged_where_sae_is_not(case, method):
    expected = reference(FITS, case, "maxiter2", method)
    assert not expected.converged.iloc[0]
    with pytest.raises(SmallAreaConvergenceError, match="did not converge in 2 iterations"):
        fit(case, "maxiter2", method)


def test_small_area_zero_case_is_zero_for_every_method():
    zero = FITS[(FITS.case == "boroughs_zero") & FITS.converged]
    assert (zero.refvar == 0).all() and len(zero)
