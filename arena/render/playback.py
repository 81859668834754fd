"""What the viewer plays: a live battle stepped on demand, or a loaded replay that can also seek."""
from __future__ import annotations

from ..battle import Battle, BattleConfig
from .frame import Frame, FrameBuilder
from .results import Results, round_components


class LivePlayback:
    """A battle run tick by tick as the viewer asks; it only goes forward."""

    seekable = False

    def __init__(self, config: BattleConfig, recorder_factory=None):
        self.config = config
        self.recorder_factory = recorder_factory  # watch --record: a fresh Recorder per (re)start
        self.restart()

    def restart(self) -> None:
        self.battle = Battle(self.config)
        self.builder = FrameBuilder(self.battle)
        self.recorder = self.recorder_factory() if self.recorder_factory else None
        self.battle.start_round()
        self._built()

    def _built(self) -> None:
        """The frame of the battle as it is now; a recorder sees every frame, as Battle.run's on_tick does."""
        self.frame: Frame = self.builder(self.battle)
        if self.recorder is not None:
            self.recorder(self.battle)

    @property
    def at_end(self) -> bool:
        return self.battle.finished

    def results(self) -> Results:
        """The score table over the rounds finished so far."""
        rounds = [round_components(r) for r in self.battle.result.rounds]
        return Results.from_rounds(self.frame.info.names, rounds, self.config.rounds)

    def step(self, n: int = 1) -> None:
        """Advance n frames (a new round's start counts as one); stops at the end of the battle."""
        for _ in range(max(n, 0)):
            if self.battle.finished:
                break
            if self.battle.state.round_over:
                self.battle.start_round()
            else:
                self.battle.tick()
            self._built()


class ReplayPlayback:
    """A replay's frames, played forward or backward and seekable to any frame."""

    seekable = True

    def __init__(self, replay):
        self.replay = replay
        self.length = len(replay)
        self.round_starts = tuple(replay.round_starts)
        self.deaths = tuple(replay.deaths)
        self.position = 0
        self.frame: Frame = replay.frame(0)

    @property
    def at_end(self) -> bool:
        return self.position == self.length - 1

    def results(self) -> Results:
        """The score table over the rounds finished by the current frame."""
        info = self.replay.info
        return Results.from_rounds(info.names, self.replay.results_at(self.position), info.rounds)

    def seek(self, index: int) -> None:
        index = min(max(index, 0), self.length - 1)
        if index != self.position:
            self.position = index
            self.frame = self.replay.frame(index)

    def step(self, n: int = 1) -> None:
        self.seek(self.position + n)

    def restart(self) -> None:
        self.seek(0)

    def jump_round(self, direction: int) -> None:
        """To the start of the next round, or of this one (the previous one if already at its start)."""
        if direction > 0:
            later = [s for s in self.round_starts if s > self.position]
            self.seek(later[0] if later else self.length - 1)
        else:
            earlier = [s for s in self.round_starts if s < self.position]
            self.seek(earlier[-1] if earlier else 0)
