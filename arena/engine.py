"""The pure turn step: state + commands -> new state + events, in Robocode 1.9.3.9's phase order.

A turn is a short list of named phases, as in Robocode's Battle.runTurn: commands, fire, bullets,
robots, end of turn. The arithmetic of a robot's and a bullet's tick lives in arena/physics.py and
arena/rules.py, which the compiled engine runs too; this module holds the turn's order and bookkeeping.
Robocode updates robots and bullets in a random order every turn; the order comes from the Generator
passed in, or is given explicitly (conformance replays use the recorded one).
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from . import physics, rules
from .events import (BulletFired, BulletHitBullet, BulletHitRobot, BulletHitWall, Event, RobotDied,
                     RobotHitWall, RobotRammed)
from .geometry import segments_intersect
from .state import BattleState, Bullet, BulletStatus, Commands, Robot, RobotStatus


class Order:
    """An explicit update order for one turn: robot indices and bullet ids (new bullets included)."""

    def __init__(self, robots: Sequence[int] | None = None, bullets: Sequence[str] | None = None):
        self.robots = list(robots) if robots is not None else None
        self.bullets = list(bullets) if bullets is not None else None


def next_bullet_id(state: BattleState, owner: int) -> str:
    """The id the engine gives `owner`'s next bullet."""
    return f"{owner}-{state.robots[owner].bullets_fired}"


def step(state: BattleState, commands: Sequence[Commands | None], rng: np.random.Generator | None = None,
         order: Order | None = None) -> tuple[BattleState, list[Event]]:
    """Advance one turn without touching `state`. Without rng or order, robots and bullets go in list order."""
    turn = _Turn(state.copy(), rng, order)
    turn.run(commands)
    return turn.state, turn.events


class _Turn:
    """Mutable scratch for one turn: the copied state, the events so far, the update order."""

    def __init__(self, state: BattleState, rng: np.random.Generator | None, order: Order | None):
        self.state = state
        self.rng = rng
        self.order = order
        self.events: list[Event] = []
        self.now = state.time + 1

    # -- phases --------------------------------------------------------------------------------------
    def run(self, commands: Sequence[Commands | None]) -> None:
        self.state.bullets = [b for b in self.state.bullets if b.status is BulletStatus.MOVING]
        self.apply_commands(commands)
        self.fire_phase(commands)
        self.bullet_phase()
        self.robot_phase()
        self.state.inactivity_counter += 1
        self.state.time = self.now

    def apply_commands(self, commands: Sequence[Commands | None]) -> None:
        for robot, cmd in zip(self.state.robots, commands):
            if cmd is not None and robot.alive:
                set_commands(robot, cmd)

    def fire_phase(self, commands: Sequence[Commands | None]) -> None:
        for index, (robot, cmd) in enumerate(zip(self.state.robots, commands)):
            if cmd is None or cmd.fire is None or not robot.alive:
                continue
            if robot.gun_heat > 0 or robot.energy == 0:
                continue  # a fire command that cannot fire now is dropped, not kept
            power = rules.fire_power(robot.energy, float(cmd.fire))
            self.change_energy(robot, -power)
            robot.gun_heat += rules.gun_heat(power)
            bullet = Bullet(next_bullet_id(self.state, index), index, robot.x, robot.y, robot.gun_heading, power)
            robot.bullets_fired += 1
            self.state.bullets.append(bullet)
            self.events.append(BulletFired(self.now, index, bullet.id, bullet.x, bullet.y, bullet.heading, power))

    def bullet_phase(self) -> None:
        bullets = self.bullet_order()
        for bullet in bullets:
            if bullet.status is not BulletStatus.MOVING:
                continue
            self.move_bullet(bullet)
            if self.bullet_hits_wall(bullet) or self.bullet_hits_robot(bullet):
                continue
            self.bullet_hits_bullet(bullet, bullets)

    def robot_phase(self) -> None:
        zap = self.state.inactivity_counter > self.state.inactivity_time
        for index in self.robot_order():
            robot = self.state.robots[index]
            if not robot.alive:
                continue
            robot.status = RobotStatus.ACTIVE
            robot.gun_heat = max(robot.gun_heat - self.state.gun_cooling_rate, 0.0)
            if not robot.rammed:
                turn_body(robot)
            turn_gun(robot)
            move(robot)
            self.wall_collision(index, robot)
            self.robot_collision(index, robot)
            if zap and robot.alive:
                self.zap(index, robot)

    # -- order ---------------------------------------------------------------------------------------
    def robot_order(self) -> list[int]:
        if self.order is not None and self.order.robots is not None:
            return self.order.robots
        n = len(self.state.robots)
        return shuffled(n, self.rng) if self.rng is not None else list(range(n))

    def bullet_order(self) -> list[Bullet]:
        bullets = self.state.bullets
        if self.order is not None and self.order.bullets is not None:
            by_id = {b.id: b for b in bullets}
            named = set(self.order.bullets)
            listed = [by_id[i] for i in self.order.bullets if i in by_id]
            return listed + [b for b in bullets if b.id not in named]
        if self.rng is not None and len(bullets) > 1:
            return [bullets[i] for i in shuffled(len(bullets), self.rng)]
        return list(bullets)

    # -- energy (Robocode's setEnergy / updateEnergy / kill) -----------------------------------------
    def count_loss(self, loss: float) -> None:
        s = self.state
        s.inactivity_energy, s.inactivity_counter = rules.inactivity_after_loss(s.inactivity_energy,
                                                                               s.inactivity_counter, loss)

    def set_energy(self, robot: Robot, energy: float, counts: bool) -> None:
        if counts and robot.energy != energy:
            self.count_loss(robot.energy - energy)
        robot.energy = rules.stored_energy(energy)
        if robot.disabled:
            robot.distance_remaining = 0.0
            robot.turn_remaining = 0.0

    def change_energy(self, robot: Robot, delta: float) -> None:
        self.set_energy(robot, robot.energy + delta, True)

    def kill(self, index: int, robot: Robot) -> None:
        self.count_loss(rules.INACTIVITY_RESET_LOSS)
        if robot.alive:
            self.events.append(RobotDied(self.now, index))
        self.change_energy(robot, -robot.energy)
        robot.status = RobotStatus.DEAD

    # -- bullets -------------------------------------------------------------------------------------
    def move_bullet(self, bullet: Bullet) -> None:
        bullet.prev_x, bullet.prev_y = bullet.x, bullet.y
        bullet.x, bullet.y = physics.move_bullet(bullet.x, bullet.y, bullet.heading, bullet.power)

    def bullet_hits_wall(self, bullet: Bullet) -> bool:
        if physics.bullet_hits_wall(bullet.x, bullet.y, self.state.width, self.state.height):
            bullet.status = BulletStatus.HIT_WALL
            self.events.append(BulletHitWall(self.now, bullet.id, bullet.owner))
            return True
        return False

    def bullet_hits_robot(self, bullet: Bullet) -> bool:
        for index, robot in enumerate(self.state.robots):
            if index == bullet.owner or not robot.alive:
                continue
            if not physics.bullet_hits_box(bullet.prev_x, bullet.prev_y, bullet.x, bullet.y, robot.box_x, robot.box_y):
                continue
            damage = rules.bullet_damage(bullet.power)
            scored = min(damage, robot.energy)
            self.change_energy(robot, -damage)
            owner = self.state.robots[bullet.owner]
            if owner.alive:
                self.change_energy(owner, rules.bullet_hit_bonus(bullet.power))
            bullet.status = BulletStatus.HIT_VICTIM
            bullet.victim = index
            self.events.append(BulletHitRobot(self.now, bullet.id, bullet.owner, index, bullet.power, scored,
                                              bullet.heading, bullet.x, bullet.y))
            if robot.energy <= 0 and robot.alive:
                self.kill(index, robot)
            return True
        return False

    def bullet_hits_bullet(self, bullet: Bullet, bullets: list[Bullet]) -> bool:
        for other in bullets:
            if (other is bullet or other.owner == bullet.owner or other.status is not BulletStatus.MOVING
                    or other.prev_x is None):
                continue
            if segments_intersect(bullet.prev_x, bullet.prev_y, bullet.x, bullet.y,
                                  other.prev_x, other.prev_y, other.x, other.y):
                for b in (bullet, other):
                    b.status = BulletStatus.HIT_BULLET
                    b.x, b.y = b.prev_x, b.prev_y
                self.events.append(BulletHitBullet(self.now, bullet.id, other.id, bullet.owner, other.owner))
                return True
        return False

    # -- robots --------------------------------------------------------------------------------------
    def wall_collision(self, index: int, robot: Robot) -> None:
        velocity = robot.velocity
        if hit_wall(robot, self.state.width, self.state.height):
            damage = rules.wall_damage(velocity)
            self.set_energy(robot, robot.energy - damage, False)
            self.events.append(RobotHitWall(self.now, index, damage))

    def robot_collision(self, index: int, robot: Robot) -> None:
        robot.rammed = False
        for other_index, other in enumerate(self.state.robots):
            if other is robot or not other.alive:
                continue
            if not physics.rams(robot.x, robot.y, robot.box_x, robot.box_y, robot.heading, robot.velocity,
                                other.x, other.y, other.box_x, other.box_y):
                continue
            robot.rammed = True
            robot.x, robot.y = physics.undo_move(robot.x, robot.y, robot.heading, robot.velocity)
            robot.velocity = 0.0
            robot.distance_remaining = 0.0
            self.change_energy(robot, -rules.RAM_DAMAGE)
            self.change_energy(other, -rules.RAM_DAMAGE)
            killed = other.energy == 0 and other.alive
            if killed:
                self.kill(other_index, other)
            self.events.append(RobotRammed(self.now, index, other_index, killed))
        if robot.rammed:
            robot.status = RobotStatus.HIT_ROBOT

    def zap(self, index: int, robot: Robot) -> None:
        """Inactivity drain; it does not count as energy lost."""
        if robot.energy == 0:
            self.kill(index, robot)
            return
        robot.energy = rules.zapped_energy(robot.energy)
        if robot.disabled:
            robot.distance_remaining = 0.0
            robot.turn_remaining = 0.0


def shuffled(n: int, rng: np.random.Generator) -> list[int]:
    """A random order of range(n): Fisher-Yates on single uniform draws, so that a compiled fast path
    reading the same Generator stream reproduces it exactly."""
    order = list(range(n))
    for i in range(n - 1, 0, -1):
        j = int(rng.random() * (i + 1))
        order[i], order[j] = order[j], order[i]
    return order


def set_commands(robot: Robot, cmd: Commands) -> None:
    """Setters replace the remaining-command registers; a disabled robot's ahead and turn are ignored."""
    if not robot.disabled:
        if cmd.ahead is not None:
            robot.distance_remaining = float(cmd.ahead)
        if cmd.turn is not None:
            robot.turn_remaining = float(cmd.turn)
    if cmd.max_velocity is not None:
        robot.max_velocity = min(abs(float(cmd.max_velocity)), rules.MAX_VELOCITY)
    if cmd.turn_gun is not None:
        robot.gun_turn_remaining = float(cmd.turn_gun)


def turn_body(robot: Robot) -> None:
    """Body turn; the gun turns with the body and its remaining turn absorbs it (adjustGunForRobotTurn)."""
    robot.heading, robot.gun_heading, robot.turn_remaining, robot.gun_turn_remaining = physics.turn_body(
        robot.heading, robot.gun_heading, robot.turn_remaining, robot.gun_turn_remaining, robot.velocity)


def turn_gun(robot: Robot) -> None:
    robot.gun_heading, robot.gun_turn_remaining = physics.turn_gun(robot.gun_heading, robot.gun_turn_remaining)


def hit_wall(robot: Robot, width: float, height: float) -> bool:
    """Push a robot back inside the walls; stops it and returns True on a hit (the caller charges the
    damage for the speed it had)."""
    hit, robot.x, robot.y = physics.hit_wall(robot.x, robot.y, robot.heading, width, height)
    if hit:
        robot.update_box()
        robot.distance_remaining = 0.0
        robot.velocity = 0.0
        robot.status = RobotStatus.HIT_WALL
    return hit


def move(robot: Robot) -> None:
    """Velocity and position for one tick, with Robocode's overdrive bookkeeping for exact stops."""
    robot.velocity, robot.distance_remaining, robot.overdriving, robot.x, robot.y = physics.move(
        robot.velocity, robot.distance_remaining, robot.max_velocity, robot.overdriving, robot.heading, robot.x,
        robot.y)
    if robot.velocity != 0:
        robot.update_box()
