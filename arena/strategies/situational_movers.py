"""Movers whose GF profile depends on the situation, so a situation-aware gun has something to find.

`adaptive-orbit` keeps a distance it re-draws now and then, reverses when the wall ahead leaves it
little room and at random at a rate that grows as it gets closer, and changes speed as it goes.
`distance-stop-go` orbits, and stops when it sees the enemy fire, for a time that shrinks as the distance
grows (longer than the bullet's flight up close, a small part of it far away), so near shots meet a
standing target and far ones a moving one.
"""
from __future__ import annotations

from .. import rules
from ..features import orbit_room
from ..jit import jit
from ..observation import Observation
from ..params import Spec
from ..state import Commands
from .base import Movement, bearing
from .orbiting import orbit

DISTANCE_RANGE = Spec(float, 50.0, 5000.0)
WALL_TURN_GAP = 10  # ticks after a wall reversal before the next one
RESUME_MIN_SPEED = 4.0  # distance-stop-go moves on at a speed drawn from [this, MAX_VELOCITY]


@jit
def flip_rate(flip: float, distance: float) -> float:
    """adaptive-orbit's random reversals per tick: `flip` at 400 px, proportionally more when closer."""
    return min(1.0, flip * 400.0 / max(distance, 50.0))


@jit
def wall_turn_due(room: float, wall_angle: float, distance: float, since_wall_turn: float) -> bool:
    """adaptive-orbit reverses when the orbit room ahead is under `wall_angle` (at 400 px; more when closer)."""
    return room < wall_angle * 400.0 / max(distance, 50.0) and since_wall_turn > WALL_TURN_GAP


@jit
def stop_ticks(stop: float, distance: float, bullet_speed: float) -> int:
    """distance-stop-go's ticks to stand after seeing a shot: `stop` at 400 px, inversely proportional
    to the distance, but at most half the bullet's flight."""
    return int(round(min(stop * 400.0 / max(distance, 50.0), 0.5 * distance / bullet_speed)))


class DistanceDrawing(Movement):
    """Keeps a preferred distance drawn from [near, far] at each round start and with probability `redraw` per tick."""

    def __init__(self, rng, near: float, far: float, redraw: float):
        super().__init__(rng)
        if not near <= far:
            raise ValueError(f"need near <= far, got near={near}, far={far}")
        self.near, self.far, self.redraw = float(near), float(far), float(redraw)
        self.preferred = self.rng.uniform(self.near, self.far)

    def start_round(self) -> None:
        self.preferred = self.rng.uniform(self.near, self.far)

    def tick(self) -> None:
        if self.rng.random() < self.redraw:
            self.preferred = self.rng.uniform(self.near, self.far)


class AdaptiveOrbit(DistanceDrawing):
    name = "adaptive-orbit"
    PARAMS = {"flip": Spec(float, 0.0, 1.0), "near": DISTANCE_RANGE, "far": DISTANCE_RANGE,
              "redraw": Spec(float, 0.0, 1.0), "wall_angle": Spec(float, 0.0, 3.2),
              "min_speed": Spec(float, 0.0, rules.MAX_VELOCITY), "speed_change": Spec(float, 0.0, 1.0)}

    def __init__(self, rng, flip: float = 0.03, near: float = 250.0, far: float = 650.0, redraw: float = 0.005,
                 wall_angle: float = 0.25, min_speed: float = 2.0, speed_change: float = 0.03):
        super().__init__(rng, near, far, redraw)
        self.flip, self.wall_angle = float(flip), float(wall_angle)
        self.min_speed, self.speed_change = float(min_speed), float(speed_change)
        self.direction = 1
        self.speed = rules.MAX_VELOCITY
        self.since_wall_turn = 0

    def flip_rate(self, distance: float) -> float:
        return flip_rate(self.flip, distance)

    def act(self, obs: Observation) -> Commands:
        self.tick()
        if obs.enemy is None:
            return Commands(ahead=0.0)
        e, me = obs.enemy, obs.me
        self.since_wall_turn += 1
        room = orbit_room(e.x, e.y, bearing(e.x, e.y, me.x, me.y), max(e.distance, 1e-9), self.direction,
                          obs.width, obs.height)
        if wall_turn_due(room, self.wall_angle, e.distance, self.since_wall_turn):
            self.direction, self.since_wall_turn = -self.direction, 0
        elif self.rng.random() < self.flip_rate(e.distance):
            self.direction = -self.direction
        if self.rng.random() < self.speed_change:
            self.speed = self.rng.uniform(self.min_speed, rules.MAX_VELOCITY)
        return orbit(obs, self.direction, self.preferred, self.speed)


class DistanceStopGo(DistanceDrawing):
    name = "distance-stop-go"
    PARAMS = {"stop": Spec(float, 0.0, 1000.0), "near": DISTANCE_RANGE, "far": DISTANCE_RANGE,
              "redraw": Spec(float, 0.0, 1.0), "flip": Spec(float, 0.0, 1.0)}

    def __init__(self, rng, stop: float = 8.0, near: float = 250.0, far: float = 650.0, redraw: float = 0.005,
                 flip: float = 0.3):
        super().__init__(rng, near, far, redraw)
        self.stop, self.flip = float(stop), float(flip)
        self.direction = 1
        self.until = -1  # stand still until this tick
        self.seen: set[int] = set()
        self.speed = rules.MAX_VELOCITY

    def start_round(self) -> None:
        super().start_round()
        self.seen.clear()
        self.until = -1

    def stop_ticks(self, distance: float, bullet_speed: float) -> int:
        return stop_ticks(self.stop, distance, bullet_speed)

    def act(self, obs: Observation) -> Commands:
        self.tick()
        if obs.enemy is None:
            return Commands(ahead=0.0)
        new = [w for w in obs.enemy_waves if w.fire_time not in self.seen]
        if new:
            self.seen.update(w.fire_time for w in new)
            self.until = obs.time + self.stop_ticks(obs.enemy.distance, new[-1].speed)
            if self.rng.random() < self.flip:
                self.direction = -self.direction
            self.speed = self.rng.uniform(RESUME_MIN_SPEED, rules.MAX_VELOCITY)
        if obs.time < self.until:
            return Commands(ahead=0.0, turn=0.0)
        return orbit(obs, self.direction, self.preferred, self.speed)
