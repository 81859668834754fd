"""The 21- and 15-point Gauss-Kronrod rules (QUADPACK's qk21, qk15) and their error estimate.

Window averages are integrated adaptively: each panel gets a Kronrod rule
and its embedded Gauss rule (10 or 7 points); the panel is accepted when QUADPACK's
estimate of the Kronrod error, scale * min(1, (200 |K - G| / scale)^1.5), is
at most PANEL_RTOL * scale, and is halved otherwise. Where the integrand is
not analytic (laplace at x_j, compact kernels at x_j +- h) the callers start
from pieces cut there, so every panel sees an analytic integrand and the
estimate is trustworthy. A panel no wider than SMALL_RULE_REACH bandwidths is
tried with the cheaper 15-point pair first (the density is smooth on the
bandwidth's scale, so narrow panels usually pass with it); if its estimate
fails, the same panel gets the 21-point pair before any halving. Either
pair is accepted only by the same test, so the choice changes cost, never
the tolerance.
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


# QUADPACK qk15: the 7-point Gauss rule sits on the odd positions 1, 3, 5 and the centre.
_XGK15 = (
    0.991455371120812639206854697526329, 0.949107912342758524526189684047851,
    0.864864423359769072789712788640926, 0.741531185599394439863864773280788,
    0.586087235467691130294144845693013, 0.405845151377397166906606412076961,
    0.207784955007898467600689403773245, 0.0,
)
_WGK15 = (
    0.022935322010529224963732008058970, 0.063092092629978553290700663189204,
    0.104790010322250183839876322541518, 0.140653259715525918745189590510238,
    0.169004726639267902826583426598550, 0.190350578064785409913256402421014,
    0.204432940075298892414161999234649, 0.209482141084727828012999174891714,
)
_WG7 = (0.129484966168869693270611432679082, 0.279705391489276667901467771423780,
        0.381830050505118944950369775488975, 0.417959183673469387755102040816327)


def _full_rule(xgk, wgk, wg_odd, centre_weight):
    """(t, w_kronrod, w_gauss) on [-1, 1], ascending t, from the positive half (largest first, then 0)."""
    half = len(xgk) - 1
    t = np.array([-x for x in xgk[:-1]] + [0.0] + [x for x in reversed(xgk[:-1])])
    wk = np.array(list(wgk[:-1]) + [wgk[-1]] + list(reversed(wgk[:-1])))
    wg_half = np.zeros(half + 1)
    wg_half[1:half:2] = wg_odd
    wg_half[half] = centre_weight
    wg = np.concatenate((wg_half[:-1], [wg_half[-1]], wg_half[-2::-1]))
    return t, wk, wg


RULE_T, RULE_WK, RULE_WG = _full_rule(_XGK, _WGK, _WG, 0.0)
RULE_N = RULE_T.size
SMALL_T, SMALL_WK, SMALL_WG = _full_rule(_XGK15, _WGK15, _WG7[:3], _WG7[3])
SMALL_N = SMALL_T.size
SMALL_RULE_REACH = 1.5  # panels up to this many bandwidths wide try the 15-point pair first
PANEL_RTOL = 1e-12
PANEL_ATOL = 1e-14
MAX_DEPTH = 60  # halvings of one piece; 2^-60 of a GF is below a double's resolution anyway
ROUNDOFF = 50.0 * np.finfo(float).eps
GROUP_RTOL = max(PANEL_RTOL, ROUNDOFF)  # the relative tolerance of each gradient group's integral
GROUP_DIFF = GROUP_RTOL ** (2.0 / 3.0) / 200.0  # kronrod_error(d, scale) <= GROUP_RTOL scale iff d <= GROUP_DIFF scale


@njit(cache=True)
def kronrod_error(diff, scale):
    """QUADPACK's estimate of the Kronrod rule's error from |K - G| (both scaled alike)."""
    d = abs(diff)
    if scale <= 0.0 or d == 0.0:
        return d
    return scale * min(1.0, (200.0 * d / scale) ** 1.5)


@njit(cache=True)
def group_accepted(diff, scale):
    """kronrod_error(diff, scale) <= max(GROUP_RTOL scale, PANEL_ATOL), with no power where GROUP_DIFF decides."""
    d = abs(diff)
    if d <= GROUP_DIFF * scale:
        return True
    return GROUP_RTOL * scale < PANEL_ATOL and kronrod_error(d, scale) <= PANEL_ATOL
