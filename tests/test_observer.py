"""What a robot sees: its waves' hit windows contain its real hits; enemy shots found from energy drops."""
import numpy as np

from arena.battle import Battle, BattleConfig, Side
from arena.events import BulletFired, BulletHitRobot
from arena.waves import gf_of_angle


def test_hit_windows_contain_the_gf_of_every_hit():
    battle = Battle(BattleConfig(shooter=Side("circular", "duck"), target=Side("none", "random-orbit"),
                                 rounds=2, seed=3))
    hits, windows = {}, []
    def watch(b):
        for ev in b.events:
            if isinstance(ev, BulletHitRobot) and ev.owner == 0:
                hits[(b.round_index, ev.time)] = ev.heading
        for brk in b.observations[0].my_breaks:
            windows.append((b.round_index, brk))
    battle.run(watch)
    checked = 0
    for rnd, brk in windows:
        for (hr, t), heading in hits.items():
            # the bullet of this wave hit in the turn the wave crossed the target
            if hr == rnd and brk.wave.real and brk.wave.fire_time < t <= brk.tick:
                gf = gf_of_angle(brk.wave, heading)
                if brk.a - 1e-9 <= gf <= brk.b + 1e-9:
                    checked += 1
    assert checked >= 10


def test_enemy_waves_match_the_enemys_real_shots():
    battle = Battle(BattleConfig(shooter=Side("head-on", "random-orbit"), target=Side("linear", "random-orbit"),
                                 rounds=1, seed=2))
    fired, detected = [], []
    def watch(b):
        fired.extend((ev.time - 1, round(ev.power, 9)) for ev in b.events if isinstance(ev, BulletFired) and ev.owner == 1)
        obs = b.observations[0]
        detected.extend((w.fire_time, round(8 / np.sin(w.mea), 9)) for w in obs.enemy_waves
                        if w.fire_time == obs.time - 1)
    battle.run(watch)
    speeds = {(t, round(20 - 3 * p, 9)) for t, p in fired}
    found = {d for d in detected}
    assert len(fired) >= 10
    assert len(speeds & found) >= 0.9 * len(speeds)
