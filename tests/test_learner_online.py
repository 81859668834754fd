"""KDELearner: the object the guns use. Behaviour, not internals."""

import numpy as np
import pytest
from scipy.optimize import minimize_scalar

from learner.online import KDELearner


def shifted_target_run(**kwargs):
    """100 hits near GF -0.5, then hits near +0.4; return how many of the new
    hits it takes before the gun's peak moves to the new side."""
    rng = np.random.default_rng(0)
    learner = KDELearner(**kwargs)
    for _ in range(100):
        c = rng.normal(-0.5, 0.05)
        learner.observe(c - 0.05, c + 0.05)
    for i in range(100):
        c = rng.normal(0.4, 0.05)
        learner.observe(c - 0.05, c + 0.05)
        if learner.peak() > 0:
            return i + 1
    return None


def test_learned_weights_adapt_to_a_moved_target_faster_than_plain_kde():
    plain = shifted_target_run(learn=False)
    assert plain is not None and plain >= 90  # needs about as many new hits as old ones
    for kwargs in ({"lr": 1.0}, {"optimizer": "adam", "lr": 0.1}, {"loss": "hard", "lr": 1.0}):
        learned = shifted_target_run(**kwargs)
        assert learned is not None and learned <= plain / 2, (kwargs, learned)


def test_empty_learner():
    learner = KDELearner()
    assert learner.peak() == 0.0
    assert learner.peak(0.2, 0.6) == 0.2
    assert learner.weights().size == 0
    np.testing.assert_array_equal(learner.density(np.array([0.0, 0.5])), [0.0, 0.0])
    assert learner.observe(-0.1, 0.1) is None  # nothing to learn from yet
    assert len(learner) == 1


def test_observe_stores_window_centre_or_given_point():
    learner = KDELearner()
    learner.observe(0.1, 0.3)
    learner.observe(0.1, 0.3, x=-0.4)
    learner.observe(0.95, 1.2)  # centre beyond the GF range is clipped
    np.testing.assert_allclose(learner.points, [0.2, -0.4, 1.0])


def test_plain_kde_keeps_equal_weights_but_reports_loss():
    learner = KDELearner(learn=False)
    losses = [learner.observe(c - 0.05, c + 0.05) for c in (0.1, 0.3, -0.2, 0.15, 0.12)]
    assert losses[0] is None and all(np.isfinite(losses[1:]))
    np.testing.assert_allclose(learner.weights(), np.full(5, 0.2))


def test_learning_moves_weight_toward_points_that_predict_hits():
    learner = KDELearner(lr=0.5)
    for x in (-0.6, 0.0, 0.6):
        learner.observe(x - 0.05, x + 0.05)
    for _ in range(10):
        learner.observe(-0.02, 0.02, x=0.0)
    w = learner.weights()
    assert w.sum() == pytest.approx(1.0)
    assert w[1] > w[0] and w[1] > w[2]


@pytest.mark.parametrize("kernel", ["gaussian", "laplace", "epanechnikov"])
def test_peak_is_the_maximum_of_the_exact_density(kernel):
    rng = np.random.default_rng(5)
    learner = KDELearner(kernel=kernel, bandwidth=0.08, optimizer="adam", lr=0.1)
    for _ in range(60):
        c = rng.choice([-0.4, 0.25]) + rng.normal(0, 0.1)
        learner.observe(c - 0.04, c + 0.04)
    for lo, hi in ((-1.0, 1.0), (-0.1, 0.1), (-1.0, -0.5)):
        xs = np.linspace(lo, hi, 20001)
        dens = learner.density(xs)
        i = int(np.argmax(dens))
        bracket = (xs[max(i - 1, 0)], xs[min(i + 1, xs.size - 1)])
        best = minimize_scalar(lambda x: -learner.density(x), bounds=bracket, method="bounded", options={"xatol": 1e-10})
        ref_x = best.x if -best.fun >= dens[i] else xs[i]
        got = learner.peak(lo, hi)
        assert lo <= got <= hi
        assert learner.density(got) >= learner.density(ref_x) * (1 - 1e-6)
        assert got == pytest.approx(ref_x, abs=1e-5)


def test_linear_logits_learn_which_points_to_trust():
    # every other observation stores a garbage GF; a feature flags those
    rng = np.random.default_rng(1)
    learner = KDELearner(n_features=2, lr=0.3)
    for i in range(300):
        c = rng.normal(0.3, 0.1)
        noisy = i % 2 == 0
        x = rng.uniform(-1, 1) if noisy else c
        learner.observe(c - 0.05, c + 0.05, x=x, features=[1.0, float(noisy)])
    bias, noisy_weight = learner.params
    assert noisy_weight < -1.0
    assert bias == pytest.approx(0.0, abs=1e-9)  # softmax ignores a shared offset
    flags = learner.features[:, 1] == 1.0
    assert learner.weights()[flags].max() < learner.weights()[~flags].min()


def test_capacity_and_lowest_eviction_through_the_learner():
    learner = KDELearner(capacity=5, eviction="lowest", lr=1.0)
    for c in np.linspace(-0.5, 0.5, 12):
        learner.observe(c - 0.02, c + 0.02)
    assert len(learner) == 5 and learner.weights().size == 5


def test_runs_are_deterministic():
    def run():
        learner = KDELearner(loss="squared", optimizer="adam", lr=0.05)
        for c in np.sin(np.arange(40)) * 0.7:
            learner.observe(c - 0.03, c + 0.03)
        return learner.weights(), learner.peak()

    (w1, p1), (w2, p2) = run(), run()
    np.testing.assert_array_equal(w1, w2)
    assert p1 == p2


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"loss": "mse"}, "ce, hard, squared"),
        ({"optimizer": "rmsprop"}, "sgd, adam"),
        ({"kernel": "cosine"}, "gaussian"),
        ({"optimizer": "adam", "momentum": 0.9}, "momentum"),
        ({"bandwidth": 0.0}, "bandwidth"),
        ({"capacity": 0}, "capacity"),
    ],
)
def test_invalid_configuration_raises(kwargs, match):
    with pytest.raises(ValueError, match=match):
        KDELearner(**kwargs)


def test_invalid_calls_raise():
    learner = KDELearner()
    with pytest.raises(ValueError, match="a < b"):
        learner.observe(0.2, 0.1)
    with pytest.raises(ValueError, match=r"\[-1, 1\]"):
        learner.observe(0.0, 0.1, x=1.5)
    with pytest.raises(ValueError, match="lo"):
        learner.peak(0.5, 0.2)
    with pytest.raises(ValueError, match="lo"):
        learner.peak(-2.0, 0.0)


def test_bad_features_are_rejected_before_any_update():
    learner = KDELearner(n_features=2, lr=1.0)
    learner.observe(-0.1, 0.1, features=[1.0, 0.0])
    learner.observe(0.3, 0.4, features=[1.0, 1.0])
    before = learner.params.copy()
    with pytest.raises(ValueError, match="length 2"):
        learner.observe(0.3, 0.4, features=[1.0])
    np.testing.assert_array_equal(learner.params, before)
    assert len(learner) == 2
