"""The vectorisable exp and the shifted exponential sums built on it, against math.exp and logsumexp."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.special import logsumexp

from learner.cross_entropy import SHIFT_SLACK, mixture_log_density
from learner.fastexp import CLAMP, exp_fast, exp_sum_inplace
from learner.kernels import GAUSSIAN_CODE, LOG_SQRT_2PI
from learner.quadrature import GROUP_RTOL, PANEL_ATOL, group_accepted, kronrod_error


@given(st.floats(-CLAMP, CLAMP))
def test_exp_fast_is_within_one_ulp_of_math_exp(x):
    want = math.exp(x)
    assert abs(exp_fast(x) - want) <= math.ulp(want)


def test_exp_fast_clamps_instead_of_overflowing_or_going_denormal():
    assert exp_fast(-1e300) == exp_fast(-CLAMP) > 0.0
    assert exp_fast(1e300) == exp_fast(CLAMP) < math.inf
    assert exp_fast(0.0) == 1.0 and exp_fast(1.0) == math.e


def test_exp_sum_inplace_writes_every_term_and_returns_their_sum():
    x = np.random.default_rng(3).uniform(-30, 5, 1001)
    want = np.exp(x - 2.0)
    got = x.copy()
    total = exp_sum_inplace(got, x.size - 1, 2.0)  # the last entry is left alone
    np.testing.assert_allclose(got[:-1], want[:-1], rtol=2.3e-16, atol=0)
    assert got[-1] == x[-1]
    assert total == pytest.approx(math.fsum(want[:-1]), rel=1e-14)


@given(seed=st.integers(0, 2**16), n=st.integers(1, 300), h=st.sampled_from([0.003, 0.03, 0.1, 0.5]),
       spread=st.sampled_from([0.0, 1.0, 50.0, 1e4]),
       guess_error=st.sampled_from([0.0, -3.0, 40.0, SHIFT_SLACK - 30, SHIFT_SLACK + 30, -1e5, math.inf, math.nan]))
def test_gaussian_log_density_is_the_same_whatever_the_guess(seed, n, h, spread, guess_error):
    """A guess off by more than SHIFT_SLACK (or NaN, or inf) takes the exact-maximum pass; any guess gives
    log p and the responsibilities of an independent logsumexp to rounding."""
    rng = np.random.default_rng(seed)
    xs = rng.uniform(-1, 1, n)
    z = rng.normal(0, 1, n) * spread
    log_s = z - logsumexp(z)
    x = rng.uniform(-1, 1)
    terms = log_s - 0.5 * ((x - xs) / h) ** 2
    want = logsumexp(terms) - math.log(h) - LOG_SQRT_2PI
    row = np.empty(n)
    got, inv_total = mixture_log_density(x, GAUSSIAN_CODE, h, xs, log_s, 0, n, row, want + guess_error)
    assert got == pytest.approx(want, rel=1e-13, abs=1e-12)
    resp = np.exp(terms - logsumexp(terms))
    np.testing.assert_allclose(row * inv_total, resp, rtol=1e-11, atol=1e-300 + 1e-15 * resp.max())


@given(diff=st.floats(-1e3, 1e3), scale=st.floats(1e-300, 1e6))
def test_group_test_solves_the_quadpack_estimate_for_the_difference(diff, scale):
    want = kronrod_error(diff, scale) <= max(GROUP_RTOL * scale, PANEL_ATOL)
    got = group_accepted(diff, scale)
    if got != want:  # only where rounding decides: |diff| on the boundary GROUP_RTOL^(2/3) scale / 200
        assert abs(abs(diff) - GROUP_RTOL ** (2 / 3) * scale / 200) <= 1e-12 * abs(diff)
