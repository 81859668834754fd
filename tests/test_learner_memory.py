"""Capped point memory: capacity, eviction policies, alignment with optimiser state."""

import numpy as np
import pytest

from learner.memory import PointMemory
from learner.models import FreeLogits, LinearLogits
from learner.optim import SGD, Adam


def free_memory(capacity, eviction="oldest"):
    return PointMemory(capacity, FreeLogits(), Adam(lr=0.1), eviction)


def test_capacity_is_respected_and_oldest_go_first():
    mem = free_memory(3)
    for i, x in enumerate([0.1, 0.2, 0.3, 0.4, 0.5]):
        mem.add(x)
        assert len(mem) == min(i + 1, 3)
    np.testing.assert_allclose(mem.points, [0.3, 0.4, 0.5])
    assert mem.model.params.size == 3


def test_lowest_logit_is_evicted():
    mem = free_memory(3, "lowest")
    for x in (0.1, 0.2, 0.3):
        mem.add(x)
    mem.model.params[:] = [0.5, -2.0, 1.0]
    evicted = mem.add(0.4)  # enters at the mean logit, -1/6
    assert evicted == 1
    np.testing.assert_allclose(mem.points, [0.1, 0.3, 0.4])
    np.testing.assert_allclose(mem.model.params, [0.5, 1.0, -0.5 / 3])


def test_lowest_policy_breaks_ties_by_age():
    mem = free_memory(2, "lowest")
    for x in (0.1, 0.2, 0.3):  # all logits 0
        mem.add(x)
    np.testing.assert_allclose(mem.points, [0.2, 0.3])


def test_optimizer_state_follows_its_point_through_eviction():
    mem = free_memory(3, "lowest")
    opt = mem.optimizer
    for x in (0.1, 0.2, 0.3):
        mem.add(x)
    # give each point a distinguishable Adam history
    opt.step(mem.model.params, np.array([1.0, -3.0, 2.0]))
    m_by_point = dict(zip(mem.points.tolist(), opt.state["m"].tolist()))
    mem.model.params[:] = [0.0, -5.0, 1.0]  # point 0.2 is the lowest
    mem.add(0.4)
    assert 0.2 not in mem.points
    for x, m in zip(mem.points.tolist(), opt.state["m"].tolist()):
        assert m == (m_by_point[x] if x in m_by_point else 0.0)
    assert opt.state["m"].shape == mem.model.params.shape == mem.points.shape
    # and the next step is accepted (state and params still aligned)
    opt.step(mem.model.params, np.ones(3))


def test_linear_model_keeps_features_aligned_and_weights_untouched():
    model = LinearLogits(2, weights=[0.0, 1.0])
    mem = PointMemory(2, model, SGD(lr=0.1), "lowest")
    mem.add(0.1, [1.0, 3.0])
    mem.add(0.2, [1.0, -4.0])
    mem.add(0.3, [1.0, 0.5])
    np.testing.assert_allclose(mem.points, [0.1, 0.3])
    np.testing.assert_allclose(mem.features, [[1.0, 3.0], [1.0, 0.5]])
    np.testing.assert_allclose(mem.logits(), [3.0, 0.5])
    np.testing.assert_allclose(model.params, [0.0, 1.0])


def test_invalid_arguments():
    with pytest.raises(ValueError, match="capacity"):
        free_memory(0)
    with pytest.raises(ValueError, match="oldest, lowest"):
        free_memory(3, "random")
    with pytest.raises(ValueError, match="features"):
        free_memory(3).add(0.1, features=[1.0])
    with pytest.raises(ValueError, match="length 2"):
        PointMemory(3, LinearLogits(2), SGD(lr=0.1)).add(0.1)
    with pytest.raises(ValueError, match="finite"):
        free_memory(3).add(float("nan"))
