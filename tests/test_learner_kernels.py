"""Kernels: normalisation, log/linear consistency, compact support, registry."""

import numpy as np
import pytest
from scipy.integrate import quad

from learner.kernels import KERNELS, get_kernel

NAMES = sorted(KERNELS)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("h", [0.03, 0.1, 0.7])
def test_kernel_integrates_to_one(name, h):
    k = get_kernel(name)
    pdf = lambda u: float(k.pdf(np.array(u), h))
    total = sum(quad(pdf, lo, hi, limit=200)[0] for lo, hi in [(-50 * h, -h), (-h, 0), (0, h), (h, 50 * h)])
    assert total == pytest.approx(1.0, rel=1e-9)


@pytest.mark.parametrize("name", NAMES)
def test_cdf_is_integral_of_pdf(name):
    k, h = get_kernel(name), 0.2
    for u in (-0.5, -0.19, -0.05, 0.0, 0.13, 0.3):
        pieces = [(-10.0, -h), (-h, 0.0), (0.0, h), (h, 10.0)]
        integral = sum(
            quad(lambda v: float(k.pdf(np.array(v), h)), lo, min(hi, u))[0] for lo, hi in pieces if lo < u
        )
        assert float(k.cdf(np.array(u), h)) == pytest.approx(integral, abs=1e-10)


@pytest.mark.parametrize("name", NAMES)
def test_logpdf_is_log_of_pdf_where_positive(name):
    k = get_kernel(name)
    u = np.linspace(-0.25, 0.25, 41)
    pdf = k.pdf(u, 0.2)
    inside = pdf > 0
    np.testing.assert_allclose(k.logpdf(u, 0.2)[inside], np.log(pdf[inside]), rtol=1e-12)


def test_closed_forms_at_zero():
    h = 0.25
    assert get_kernel("gaussian").pdf(0.0, h) == pytest.approx(1 / (h * np.sqrt(2 * np.pi)))
    assert get_kernel("laplace").pdf(0.0, h) == pytest.approx(1 / (2 * h))
    assert get_kernel("epanechnikov").pdf(0.0, h) == pytest.approx(0.75 / h)
    assert get_kernel("box").pdf(0.0, h) == pytest.approx(1 / (2 * h))


@pytest.mark.parametrize("name", ["epanechnikov", "box"])
def test_compact_kernels_have_minus_inf_log_outside_support(name):
    k = get_kernel(name)
    u = np.array([-3.0, -0.1001, 0.1001, 5e3])
    assert np.all(k.logpdf(u, 0.1) == -np.inf)
    assert np.all(k.pdf(u, 0.1) == 0.0)
    assert k.compact


@pytest.mark.parametrize("name", ["gaussian", "laplace"])
def test_smooth_kernels_have_finite_log_far_away(name):
    k = get_kernel(name)
    log_k = k.logpdf(np.array([-2e3, 1e3, 0.0]), 0.01)
    assert np.all(np.isfinite(log_k))
    assert log_k[0] < -1e5
    assert not k.compact


def test_unknown_kernel_raises_with_valid_names():
    with pytest.raises(ValueError) as err:
        get_kernel("cosine")
    for name in NAMES:
        assert name in str(err.value)


def test_kernel_instance_passes_through_registry():
    k = get_kernel("laplace")
    assert get_kernel(k) is k
