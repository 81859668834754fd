"""The Gymnasium environments: the env checker, rewards against the battle's own scorer, seeding, rendering."""
import numpy as np
import pytest

gymnasium = pytest.importorskip("gymnasium", reason="the Gymnasium environments need the [gym] extra "
                                                    "(pip install -e '.[gym]'; it is in [dev] too)")
from gymnasium.utils.env_checker import check_env  # noqa: E402

import arena.gym  # noqa: E402,F401  (registers the ids)
from arena import rules  # noqa: E402

SMALL = {"width": 400.0, "height": 400.0}


@pytest.mark.parametrize("env_id", ["arena/Dodge-v0", "arena/Aim-v0"])
@pytest.mark.parametrize("render_mode", [None, "rgb_array"])
def test_env_checker_passes(env_id, render_mode):
    env = gymnasium.make(env_id, render_mode=render_mode, **SMALL)
    check_env(env.unwrapped, skip_render_check=render_mode is None)
    env.close()


def play_out(env, policy, seed, limit=5000):
    obs, _ = env.reset(seed=seed)
    total, steps, observations = 0.0, 0, [obs]
    terminated = truncated = False
    while not (terminated or truncated) and steps < limit:
        obs, reward, terminated, truncated, _ = env.step(policy(obs))
        assert env.observation_space.contains(obs)
        total, steps = total + reward, steps + 1
        observations.append(obs)
    return total, terminated, observations


def test_dodge_reward_is_the_damage_of_every_enemy_bullet_that_missed():
    env = gymnasium.make("arena/Dodge-v0", gun="head-on", max_ticks=100_000, **SMALL).unwrapped
    total, terminated, _ = play_out(env, lambda obs: np.array([1.0, 0.3], dtype=np.float32), seed=5)
    assert terminated  # a circling robot is shot down by head-on aim in the end
    rnd = env.battle.result.rounds[0]  # the battle's own shot accounting, robot 0 is the gun
    missed = rnd.resolved[0] - rnd.hits[0]
    assert missed > 0
    assert total == pytest.approx(missed * rules.bullet_damage(2.0))


def test_aim_at_gf_zero_kills_a_sitting_duck_with_ten_hits_and_gf_one_never_hits():
    env = gymnasium.make("arena/Aim-v0", movement="duck", **SMALL).unwrapped
    total, terminated, _ = play_out(env, lambda obs: np.zeros(1, dtype=np.float32), seed=1)
    # power 2 deals 4*2 + 2*(2-1) = 10 per hit: ten hits take the duck's 100 energy
    assert terminated and total == pytest.approx(100.0)
    env = gymnasium.make("arena/Aim-v0", movement="duck", max_shots=20, **SMALL).unwrapped
    total, terminated, _ = play_out(env, lambda obs: np.ones(1, dtype=np.float32), seed=1)
    assert not terminated and total == 0.0  # asin(8/14) = 0.61 rad off at >= 36 px: never on the 36 px body


def test_aim_reward_adds_up_to_the_bullet_damage_the_scorer_counted():
    env = gymnasium.make("arena/Aim-v0", movement="random-orbit", max_shots=10_000, **SMALL).unwrapped
    rng = np.random.default_rng(0)
    total, terminated, _ = play_out(env, lambda obs: rng.uniform(-1, 1, 1).astype(np.float32), seed=2)
    assert terminated
    assert total == pytest.approx(env.battle.result.rounds[0].bullet_damage[0]) and total > 0


@pytest.mark.parametrize("env_id", ["arena/Dodge-v0", "arena/Aim-v0"])
def test_the_same_seed_replays_the_episode_and_another_seed_does_not(env_id):
    env = gymnasium.make(env_id, **SMALL).unwrapped
    policy = lambda obs: np.full(env.action_space.shape, 0.5, dtype=np.float32)  # noqa: E731
    runs = [play_out(env, policy, seed, limit=40) for seed in (7, 7, 8)]
    assert np.array_equal(np.array(runs[0][2]), np.array(runs[1][2]))
    assert not np.array_equal(runs[0][2][0], runs[2][2][0])


@pytest.mark.slow
def test_rgb_array_is_the_viewer_picture_and_human_mode_draws_headless():
    env = gymnasium.make("arena/Dodge-v0", render_mode="rgb_array", size=(320, 300), **SMALL)
    env.reset(seed=1)
    image = env.render()
    assert image.shape == (300, 320, 3) and image.dtype == np.uint8
    assert len(np.unique(image.reshape(-1, 3), axis=0)) > 3  # a field with robots, not a blank canvas
    env.close()
    human = gymnasium.make("arena/Aim-v0", render_mode="human", **SMALL)
    human.reset(seed=1)
    assert human.step(np.zeros(1, dtype=np.float32))[0].shape == (12,)
    assert human.render() is None
    human.close()


@pytest.mark.filterwarnings("ignore:.*render_mode:UserWarning")
def test_bad_arguments_fail_at_make():
    with pytest.raises(ValueError, match="render_mode"):
        gymnasium.make("arena/Aim-v0", render_mode="ascii")
    with pytest.raises(ValueError, match="unknown gun"):
        gymnasium.make("arena/Dodge-v0", gun="bazooka")


@pytest.mark.parametrize("env_id, name, value, message", [
    ("arena/Aim-v0", "max_shots", 0, "max_shots must be a whole number within 1..1000000, got 0"),
    ("arena/Aim-v0", "max_shots", 2.5, "max_shots must be a whole number within 1..1000000, got 2.5"),
    ("arena/Dodge-v0", "max_ticks", -1, "max_ticks must be a whole number within 1..10000000, got -1"),
    ("arena/Dodge-v0", "max_ticks", True, "max_ticks must be a whole number within 1..10000000, got True")])
def test_episode_limits_are_checked_by_their_spec(env_id, name, value, message):
    with pytest.raises(ValueError, match=f"^{message}$"):
        gymnasium.make(env_id, **{name: value}, **SMALL)
