"""The 21-point Gauss-Kronrod rule (QUADPACK's qk21) and its error estimate.

Window averages are integrated adaptively: each panel gets the Kronrod rule
and the embedded 10-point Gauss rule; the panel is accepted when QUADPACK's
estimate of the Kronrod error, scale * min(1, (200 |K - G| / scale)^1.5), is
at most PANEL_RTOL * scale, and is halved otherwise. Where the integrand is
not analytic (laplace at x_j, compact kernels at x_j +- h) the callers start
from pieces cut there, so every panel sees an analytic integrand and the
estimate is trustworthy.
"""

from __future__ import annotations

import numpy as np
from numba import njit

# Positive abscissae, largest first, then 0 (QUADPACK qk21; Piessens et al. 1983).
_XGK = (
    0.995657163025808080735527280689003, 0.973906528517171720077964012084452,
    0.930157491355708226001207180059508, 0.865063366688984510732096688423493,
    0.780817726586416897063717578345042, 0.679409568299024406234327365114874,
    0.562757134668604683339000099272694, 0.433395394129247190799265943165784,
    0.294392862701460198131126603103866, 0.148874338981631210884826001129720, 0.0,
)
_WGK = (
    0.011694638867371874278064396062192, 0.032558162307964727478818972459390,
    0.054755896574351996031381300244580, 0.075039674810919952767043140916190,
    0.093125454583697605535065465083366, 0.109387158802297641899210590325805,
    0.123491976262065851077958109831074, 0.134709217311473325928054001771707,
    0.142775938577060080797094273138717, 0.147739104901338491374841515972068,
    0.149445554002916905664936468389821,
)
_WG = (  # the 10-point Gauss rule sits on the odd positions 1, 3, ..., 9
    0.066671344308688137593568809893332, 0.149451349150580593145776339657697,
    0.219086362515982043995534934228163, 0.269266719309996355091226921569469,
    0.295524224714752870173892994651338,
)


def _full_rule():
    """(t, w_kronrod, w_gauss) on [-1, 1], ascending t, 21 entries."""
    t = np.array([-x for x in _XGK[:-1]] + [0.0] + [x for x in reversed(_XGK[:-1])])
    wk = np.array(list(_WGK[:-1]) + [_WGK[-1]] + list(reversed(_WGK[:-1])))
    wg_half = np.zeros(11)
    wg_half[1:10:2] = _WG
    wg = np.concatenate((wg_half[:-1], [0.0], wg_half[-2::-1]))
    return t, wk, wg


RULE_T, RULE_WK, RULE_WG = _full_rule()
RULE_N = RULE_T.size
PANEL_RTOL = 1e-12
PANEL_ATOL = 1e-14
MAX_DEPTH = 60  # halvings of one piece; 2^-60 of a GF is below a double's resolution anyway
ROUNDOFF = 50.0 * np.finfo(float).eps


@njit(cache=True)
def kronrod_error(diff, scale):
    """QUADPACK's estimate of the Kronrod rule's error from |K - G| (both scaled alike)."""
    d = abs(diff)
    if scale <= 0.0 or d == 0.0:
        return d
    return scale * min(1.0, (200.0 * d / scale) ** 1.5)


@njit(cache=True)
def panel_nodes(left, right, t, out):
    """out = the rule's nodes mapped onto [left, right]."""
    centre, half = 0.5 * (left + right), 0.5 * (right - left)
    for q in range(t.size):
        out[q] = centre + half * t[q]
