"""Speed of the arena: the reference engine, the compiled fast paths, the learner, and real Robocode.

Run from the repository root:

    python benchmarks/bench.py [--json results/bench.json] [--quick]

Everything is measured in this one run on this machine, so the ratios compare like with like:
  * engine ticks/s: the reference `arena.engine.step`, the compiled drop-in `arena.fast.engine.step`
    (same objects in and out), and the compiled step on packed arrays (called per tick from Python,
    and looped in compiled code), all on one scripted 2-robot battle with bullets (checked identical);
  * learner: microseconds per aim (`peak`) and per update (`observe`) at N = 100, 1k, 10k points;
  * 35-round battles: seconds, ticks/s and battles/hour per core through `run_battle` and through
    `arena.fast.battle.run_fast_battle` (summaries checked identical), the kde-learned gun capped;
  * default settings (kde-learned at capacity 200, 35 rounds, also with --quick) against random-orbit and
    the surfer, on the path `arena run` picks (arena.play), as ticks/s and as a ratio to real Robocode;
  * real Robocode 1.9.3.9 (Debian's `robocode` package), if installed: a 35-round battle of two sample
    bots, timed inside one JVM after a warm-up battle, and once as the headless command line.
Figures are medians of the repetitions (>= 5; 3 with --quick, which also plays 10-round battles). Battles
are timed by the wall clock and by CPU time (this process's; the JVM's whole process for Robocode), so
that ratios stay meaningful on a machine shared with other work.
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from numba import njit

if __package__ in (None, ""):  # run as a script: make the repo root and this folder importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_learner import hit_window_us  # noqa: E402

from arena import engine  # noqa: E402
from arena import play as dispatch  # noqa: E402
from arena.battle import BattleConfig, Side, run_battle, start_positions  # noqa: E402
from arena.fast import battle as fast_battle  # noqa: E402
from arena.fast import engine as fast_engine  # noqa: E402
from arena.fast.layout import EVENT_FIELDS, pack_state  # noqa: E402
from arena.state import BattleState, Commands  # noqa: E402

SCRIPT_TICKS = 1000
ROBOCODE_JARS = Path("/usr/share/java")
ROBOCODE_SHARE = Path("/usr/share/games/robocode")
ROBOCODE_BOTS = "sample.SpinBot,sample.Crazy"  # both move and fire
JAVA_OPENS = ["--add-opens", "java.base/sun.net.www.protocol.jar=ALL-UNNAMED"]  # Robocode 1.9.3.9 on Java 17
BATTLES = {  # name -> (shooter, target); the kde-learned gun capped at 100 points
    "kde-learned (N<=100) vs random-orbit": (Side("kde-learned", "duck", gun_params={"capacity": 100}),
                                             Side("none", "random-orbit")),
    "circular vs random-orbit firing head-on": (Side("circular", "duck"), Side("head-on", "random-orbit")),
    "gf-bins vs oscillator": (Side("gf-bins", "duck"), Side("none", "oscillator")),
}


def medians(fn, reps: int) -> list[float]:
    """Seconds of each of `reps` calls, after one warm-up call (JIT loading, caches)."""
    fn()
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


# -- engine ---------------------------------------------------------------------------------------------
def scripted_battle(ticks: int, seed: int = 11):
    """A start and `ticks` turns of random commands; low fire powers keep both robots alive and shooting."""
    rng = np.random.default_rng(seed)
    state = BattleState(width=800.0, height=600.0, robots=start_positions(rng, 800.0, 600.0))
    script = np.full((ticks, 2, 5), np.nan)
    script[:, :, 0] = rng.uniform(-300, 300, (ticks, 2))
    script[:, :, 1] = rng.uniform(-2, 2, (ticks, 2))
    script[:, :, 3] = rng.uniform(-1, 1, (ticks, 2))
    script[:, :, 4] = rng.uniform(0.1, 1.0, (ticks, 2))
    commands = [[Commands(*(None if np.isnan(v) else v for v in row)) for row in turn.tolist()] for turn in script]
    return state, commands, script


def run_script(step, state, commands, seed):
    rng = np.random.default_rng(seed)
    for cmds in commands:
        state, _ = step(state, cmds, rng)
    return state


@njit
def _replay_compiled(robots, bullets, world, script, draws, events):
    cursor = np.zeros(1, np.int64)
    for t in range(script.shape[0]):
        if fast_engine.step_arrays(robots, bullets, world, script[t], draws, cursor, np.zeros(0, np.int64),
                                   np.zeros(0), events) < 0:
            return t
    return script.shape[0]


def _replay_per_call(robots, bullets, world, script, draws, events):
    cursor = np.zeros(1, np.int64)
    no_order, no_keys = np.zeros(0, np.int64), np.zeros(0)
    for turn in script:
        fast_engine.step_arrays(robots, bullets, world, turn, draws, cursor, no_order, no_keys, events)


def bench_engine(reps: int) -> dict:
    state, commands, script = scripted_battle(SCRIPT_TICKS)
    want = run_script(engine.step, state, commands, seed=5)
    got = run_script(fast_engine.step, state, commands, seed=5)
    packed = {}

    def on_arrays(replay):
        def run():
            robots, bullets, world = pack_state(state, spare_bullets=64)
            draws = np.random.default_rng(5).random(SCRIPT_TICKS * 70)
            replay(robots, bullets, world, script, draws, np.zeros((80, EVENT_FIELDS)))
            packed["last"] = (robots, world)
        return run

    rows = {"reference engine.step": medians(lambda: run_script(engine.step, state, commands, 5), reps),
            "fast engine.step (same objects)": medians(lambda: run_script(fast_engine.step, state, commands, 5), reps),
            "fast step_arrays, one Python call per tick": medians(on_arrays(_replay_per_call), reps),
            "fast step_arrays, compiled loop": medians(on_arrays(_replay_compiled), reps)}
    robots, world = packed["last"]
    want_robots, _, want_world = pack_state(want, spare_bullets=0)
    identical = got == want and np.array_equal(robots, want_robots) and np.array_equal(world, want_world)
    return {"ticks": SCRIPT_TICKS, "bullets_fired": sum(r.bullets_fired for r in want.robots),
            "both_alive_at_end": all(r.alive for r in want.robots), "identical": identical,
            "ticks_per_s": {name: SCRIPT_TICKS / statistics.median(t) for name, t in rows.items()}}


# -- learner --------------------------------------------------------------------------------------------
def bench_learner(reps: int) -> dict:
    """Per hit window, CPU microseconds (gaussian, h = 0.1): see bench_learner.py for all kernels."""
    return {n: hit_window_us(n, "gaussian", reps) for n in (200, 2000, 10000)}


# -- battles --------------------------------------------------------------------------------------------
def play(config: BattleConfig, fast: bool) -> tuple[float, object, float]:
    """(wall seconds, result, CPU seconds) of one battle, set-up included on both paths."""
    start, cpu = time.perf_counter(), time.process_time()
    result = fast_battle.run_fast_battle(config) if fast else run_battle(config)
    return time.perf_counter() - start, result, time.process_time() - cpu


def bench_battles(reps: int, rounds: int) -> dict:
    out = {}
    for name, (shooter, target) in BATTLES.items():
        configs = [BattleConfig(shooter=shooter, target=target, rounds=rounds, seed=seed)
                   for seed in range(1, reps + 1)]
        fast_battle.run_fast_battle(configs[0])  # load the compiled loop before timing
        row = {}
        for path in ("reference", "fast"):
            runs = [play(config, fast=path == "fast") for config in configs]
            seconds = statistics.median(s for s, _, _ in runs)
            row[path] = {"seconds": seconds, "battles_per_hour": 3600 / seconds,
                         "ticks_per_s": statistics.median(r.ticks / s for s, r, _ in runs),
                         "cpu_ticks_per_s": statistics.median(r.ticks / cpu for _, r, cpu in runs),
                         "ticks": statistics.median(r.ticks for _, r, _ in runs)}
            row.setdefault("summaries", []).append([r.summary() for _, r, _ in runs])
        reference_summaries, fast_summaries = row.pop("summaries")
        row["identical"] = reference_summaries == fast_summaries
        row["speedup"] = row["reference"]["seconds"] / row["fast"]["seconds"]
        out[name] = row
    return out


DEFAULT_MATCHUPS = {  # name -> (shooter, target), every setting at its default
    "kde-learned vs random-orbit": (Side("kde-learned", "duck"), Side("none", "random-orbit")),
    "kde-learned vs surfer": (Side("kde-learned", "duck"), Side("none", "surfer")),
}
DEFAULT_ROUNDS = 35


def bench_defaults(reps: int) -> dict:
    """What a user gets: default settings, 35 rounds, on the path arena.play picks (seconds include set-up)."""
    out = {}
    for name, (shooter, target) in DEFAULT_MATCHUPS.items():
        configs = [BattleConfig(shooter=shooter, target=target, rounds=DEFAULT_ROUNDS, seed=seed)
                   for seed in range(1, reps + 1)]
        dispatch.play(BattleConfig(shooter=shooter, target=target, rounds=1))  # load the compiled loop if used
        runs = []
        for config in configs:
            start, cpu = time.perf_counter(), time.process_time()
            result, path = dispatch.play(config)
            runs.append((time.perf_counter() - start, result.ticks, time.process_time() - cpu))
        out[name] = {"path": path.describe(), "rounds": DEFAULT_ROUNDS,
                     "seconds": statistics.median(s for s, _, _ in runs),
                     "ticks": statistics.median(t for _, t, _ in runs),
                     "ticks_per_s": statistics.median(t / s for s, t, _ in runs),
                     "cpu_ticks_per_s": statistics.median(t / cpu for _, t, cpu in runs)}
    return out


# -- real Robocode --------------------------------------------------------------------------------------
ROBOCODE_TIMING_JAVA = """
import java.io.File;
import java.lang.management.ManagementFactory;
import robocode.control.*;
import robocode.control.events.*;

public class RobocodeTiming {
    public static void main(String[] args) {
        int rounds = Integer.parseInt(args[2]), reps = Integer.parseInt(args[3]);
        RobocodeEngine.setLogMessagesEnabled(false);
        RobocodeEngine engine = new RobocodeEngine(new File(args[0]));
        final long[] turns = {0};
        engine.addBattleListener(new BattleAdaptor() {
            public void onRoundEnded(RoundEndedEvent e) { turns[0] += e.getTurns(); }
        });
        engine.setVisible(false);
        BattleSpecification battle = new BattleSpecification(rounds, new BattlefieldSpecification(800, 600),
                                                             engine.getLocalRepository(args[1]));
        for (int i = 0; i <= reps; i++) {  // the first battle warms the JVM up
            turns[0] = 0;
            long start = System.nanoTime(), cpu = cpuNanos();
            engine.runBattle(battle, true);
            System.out.println((i == 0 ? "warmup " : "battle ") + turns[0] + " " + (System.nanoTime() - start)
                               + " " + (cpuNanos() - cpu));
        }
        engine.close();
        System.exit(0);
    }

    static long cpuNanos() {  // the whole JVM: the battle thread, the robots' threads, the JIT and the GC
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime();
    }
}
"""


def robocode_missing() -> str | None:
    if not (ROBOCODE_JARS / "robocode.jar").exists() or not (ROBOCODE_SHARE / "robots").exists():
        return "Robocode is not installed (apt-get install -y robocode)"
    if not (shutil.which("java") and shutil.which("javac")):
        return "java/javac not found (apt-get install -y default-jdk)"
    return None


def bench_robocode(reps: int, rounds: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="arena-robocode-") as tmp:
        home = Path(tmp) / "home"  # Robocode writes its robot database and config into its home
        home.mkdir()
        for part in ("robots", "config"):
            shutil.copytree(ROBOCODE_SHARE / part, home / part)
        (Path(tmp) / "RobocodeTiming.java").write_text(ROBOCODE_TIMING_JAVA)
        jar = str(ROBOCODE_JARS / "robocode.jar")
        subprocess.run(["javac", "-cp", jar, "RobocodeTiming.java"], cwd=tmp, check=True, capture_output=True)
        java = ["java", *JAVA_OPENS, "-Xmx512M", "-Djava.awt.headless=true"]
        run = subprocess.run([*java, "-cp", f"{jar}:{tmp}", "RobocodeTiming", str(home), ROBOCODE_BOTS, str(rounds),
                              str(reps)], cwd=tmp, capture_output=True, text=True, timeout=1800, check=True)
        battles = [line.split() for line in run.stdout.splitlines() if line.startswith("battle ")]
        turns = [int(b[1]) for b in battles]
        seconds = [int(b[2]) / 1e9 for b in battles]
        cpu_seconds = [int(b[3]) / 1e9 for b in battles]
        battle_file = Path(tmp) / "bench.battle"
        battle_file.write_text(f"robocode.battleField.width=800\nrobocode.battleField.height=600\n"
                               f"robocode.battle.numRounds={rounds}\nrobocode.battle.selectedRobots={ROBOCODE_BOTS}\n")
        start = time.perf_counter()
        cli = subprocess.run([*java, f"-DWORKINGDIRECTORY={home}", "-cp", jar, "robocode.Robocode", "-battle",
                              str(battle_file), "-nodisplay", "-nosound"], cwd=home, capture_output=True, text=True,
                             timeout=1800, check=True)
        cold = time.perf_counter() - start
        if f"Results for {rounds} rounds" not in cli.stdout:
            raise RuntimeError(f"Robocode's command line did not finish the battle: {cli.stdout[-500:]}")
    return {"bots": ROBOCODE_BOTS, "rounds": rounds, "seconds": statistics.median(seconds),
            "ticks": statistics.median(turns), "ticks_per_s": statistics.median(t / s for t, s in zip(turns, seconds)),
            "cpu_ticks_per_s": statistics.median(t / s for t, s in zip(turns, cpu_seconds)),
            "command_line_seconds": cold}


# -- report ---------------------------------------------------------------------------------------------
def report(results: dict) -> None:
    e = results["engine"]
    print(f"engine: scripted battle, {e['ticks']} ticks, {e['bullets_fired']} bullets fired, both alive at the end: "
          f"{'yes' if e['both_alive_at_end'] else 'no'}, identical states: {'yes' if e['identical'] else 'NO'}")
    ref = e["ticks_per_s"]["reference engine.step"]
    for name, tps in e["ticks_per_s"].items():
        print(f"  {name:<45} {tps:>12,.0f} ticks/s  {tps / ref:7.1f}x")
    print("learner (gaussian, h=0.1):")
    for n, row in results["learner"].items():
        print(f"  N={n:<6} peak {row['peak_us']:9.1f} us   observe {row['observe_us']:9.1f} us   "
              f"per hit window {row['window_us']:9.1f} us (CPU)")
    rounds = results["rounds"]
    print(f"{rounds}-round battles (median of {results['reps']} seeds):")
    print(f"  {'battle':<42} {'path':<10} {'s/battle':>9} {'battles/h':>10} {'ticks/s':>10} {'CPU ticks/s':>12}")
    for name, row in results["battles"].items():
        for path in ("reference", "fast"):
            r = row[path]
            print(f"  {name:<42} {path:<10} {r['seconds']:9.3f} {r['battles_per_hour']:10,.0f} "
                  f"{r['ticks_per_s']:10,.0f} {r['cpu_ticks_per_s']:12,.0f}")
        print(f"  {'':<42} speedup {row['speedup']:.1f}x, identical summaries: {'yes' if row['identical'] else 'NO'}")
    rc = results["robocode"]
    if "skipped" in rc:
        print(f"real Robocode: skipped: {rc['skipped']}")
    else:
        print(f"real Robocode 1.9.3.9, {rc['bots']}, {rc['rounds']} rounds: {rc['seconds']:.2f} s/battle in a warm "
              f"JVM ({rc['ticks']:,.0f} ticks, {rc['ticks_per_s']:,.0f} ticks/s, {rc['cpu_ticks_per_s']:,.0f} per "
              f"CPU second of the JVM); command line {rc['command_line_seconds']:.2f} s")
        for name, row in results["battles"].items():
            fast = row["fast"]
            print(f"  ours, fast, {name:<42} ticks/s x{fast['ticks_per_s'] / rc['ticks_per_s']:6.1f} "
                  f"(per CPU second x{fast['cpu_ticks_per_s'] / rc['cpu_ticks_per_s']:6.1f})   "
                  f"battle time x{rc['seconds'] / fast['seconds']:6.1f} faster")
    print(f"default settings (kde-learned capacity 200), {DEFAULT_ROUNDS} rounds, median of {results['reps']} seeds, "
          f"on the path arena run picks:")
    for name, row in results["defaults"].items():
        wall = f" (x{row['ticks_per_s'] / rc['ticks_per_s']:5.1f} Robocode's)" if "ticks_per_s" in rc else ""
        cpu = f" (x{row['cpu_ticks_per_s'] / rc['cpu_ticks_per_s']:5.1f} Robocode's)" if "ticks_per_s" in rc else ""
        print(f"  {name:<30} {row['ticks_per_s']:10,.0f} ticks/s{wall}, {row['cpu_ticks_per_s']:10,.0f} per CPU "
              f"second{cpu}  {row['seconds']:7.2f} s/battle  path: {row['path']}")


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--quick", action="store_true", help="3 repetitions and 10-round battles")
    args = parser.parse_args(argv)
    reps, rounds = (3, 10) if args.quick else (5, 35)
    results = {"reps": reps, "rounds": rounds, "engine": bench_engine(reps),
               "learner": bench_learner(reps), "battles": bench_battles(reps, rounds), "defaults": bench_defaults(reps)}
    missing = robocode_missing()
    results["robocode"] = {"skipped": missing} if missing else bench_robocode(reps, rounds)
    report(results)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return results


if __name__ == "__main__":
    main()
