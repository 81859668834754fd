"""Run many seeded battles into a results folder: resumably, serially, in a process pool or on Dask.

tune, compare and experiment all reduce to a list of `Job`s (a setting plus a seed). A folder holds
`manifest.json` (the settings every battle in it shares) and `battles.csv` (one row per finished
battle, flushed and fsynced as it arrives), so a killed run loses nothing already written and a re-run
only plays the battles the CSV does not have yet.
"""
from __future__ import annotations

import asyncio
import csv
import fcntl
import io
import json
import os
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from ..battle import Battle, BattleConfig
from ..errors import ArenaError
from ..files import check_replaceable, fsync_dir, write_text
from ..params import ParamError, Spec
from ..play import play
from .stats import mean_ci

MANIFEST = "manifest.json"
BATTLES = "battles.csv"
# What each battle row records after its setting and seed, with the type to read it back as.
RESULT_COLUMNS = {
    "gun": str, "movement": str, "rounds": int, "shots": int, "resolved": int, "hits": int,
    "hit_rate": float, "hit_rate_lo": float, "hit_rate_hi": float, "bullet_damage_per_round": float,
    "score": float, "enemy_score": float, "wins": int, "enemy_wins": int, "ticks": int, "seconds": float,
    "path": str,  # the engine that played it: fast or reference (arena/play.py)
}
NEW_COLUMNS = ["path"]  # columns a folder made before they existed lacks; it resumes without them


class SweepError(ArenaError):
    """A results folder that cannot be used: other settings, a corrupt CSV, in use, not writable."""


def format_value(value) -> str:
    """The one text form of a setting value, so a resumed run recognises the battles it already has."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(float(value))  # numpy floats too, without their np.float64(...) wrapper
    return str(value)


def setting_key(row: dict, axes: list[str]) -> tuple[str, ...]:
    """A row's setting as text, the way Job.key starts: rows of one setting share it."""
    return tuple(format_value(row[a]) for a in axes)


@dataclass(frozen=True)
class Job:
    """One battle to play: the values that name its setting (the CSV's leading columns) and its config."""
    setting: tuple[tuple[str, object], ...]
    config: BattleConfig

    @property
    def key(self) -> tuple[str, ...]:
        return tuple(format_value(v) for _, v in self.setting) + (str(self.config.seed),)


def battle_row(config: BattleConfig, reference: bool = False) -> dict:
    """Play one battle (fast path where it can, arena/play.py) and flatten its summary into RESULT_COLUMNS
    (runs in pool and Dask workers)."""
    result, path = play(config, reference)
    s = result.summary()
    return {
        "gun": s["gun"], "movement": s["movement"], "rounds": s["rounds"], "shots": s["shots"],
        "resolved": s["resolved"], "hits": s["hits"], "hit_rate": s["hit_rate"],
        "hit_rate_lo": s["hit_rate_ci95"][0], "hit_rate_hi": s["hit_rate_ci95"][1],
        "bullet_damage_per_round": s["bullet_damage_per_round"], "score": s["score"][0],
        "enemy_score": s["score"][1], "wins": s["wins"][0], "enemy_wins": s["wins"][1], "ticks": s["ticks"],
        "seconds": result.seconds, "path": path.name,
    }


def write_csv(path: Path, columns: list[str], rows: Iterable[dict]) -> None:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: format_value(row[k]) for k in columns} for row in rows)
    write_text(path, buf.getvalue())


def _jsonable(value):
    return json.loads(json.dumps(value))


class ResultStore:
    """A results folder: its manifest, and the battles.csv rows it already holds, keyed like Job.key.

    Opening locks the CSV so two runs cannot write into one folder at once, checks that the folder was
    made by the same command with the same fixed settings (the grid values and seeds may grow between
    runs), and drops a row cut short by a kill. A folder killed at any point resumes: the CSV is made
    before the manifest, so a CSV without a manifest (and without rows) is a start that was cut short.
    """

    def __init__(self, folder: str | Path, kind: str, fixed: dict, axes: list[str], run: dict | None = None,
                 result_columns: dict = RESULT_COLUMNS):
        self.folder = Path(folder)
        self.axes = list(axes)
        self.result_columns = result_columns  # what a row holds after its setting and seed, with its type
        clash = sorted(set(self.axes) & ({"seed"} | set(result_columns) - {"gun", "movement"}))
        if clash:
            raise SweepError(f"setting name {', '.join(clash)} clashes with a result column")
        self.columns = self.axes + ["seed"] + [c for c in result_columns if c not in self.axes]
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise SweepError(f"cannot create results folder {self.folder}: {exc.strerror or exc}") from None
        manifest = {"kind": kind, "fixed": _jsonable(fixed), "axes": self.axes}
        made = not (self.folder / BATTLES).exists()
        self._lock_csv()
        self.rows: dict[tuple[str, ...], dict] = {}
        try:
            self._check_manifest(manifest)
            write_text(self.folder / MANIFEST, json.dumps({**manifest, "last_run": _jsonable(run or {})},
                                                         indent=2, sort_keys=True) + "\n")
            self._load_csv()
        except BaseException as exc:
            self.close()
            if made and (self.folder / BATTLES).stat().st_size == 0:
                (self.folder / BATTLES).unlink()  # a refused folder keeps only what it had
            if isinstance(exc, (UnicodeDecodeError, csv.Error)):
                raise SweepError(f"{self.folder / BATTLES} is not a CSV file; use another --out folder") from None
            if isinstance(exc, OSError):
                raise SweepError(f"cannot write into {self.folder}: {exc.strerror or exc}") from None
            raise

    def _check_manifest(self, manifest: dict) -> None:
        path, csv_path = self.folder / MANIFEST, self.folder / BATTLES
        if not path.exists():
            self._file.seek(0)
            if len(self._file.read().splitlines()) > 1:  # rows, but nothing says with which settings
                raise SweepError(f"{csv_path} has battles but {path} is missing; use another --out folder")
            return
        try:
            old = json.loads(path.read_text())
            old_kind, old_fixed, old_axes = old["kind"], old["fixed"], old["axes"]
        except (OSError, ValueError, KeyError, TypeError):
            raise SweepError(f"{path} is unreadable; use another --out folder") from None
        if old_kind != manifest["kind"]:
            raise SweepError(f"{self.folder} holds `arena {old_kind}` results, not `arena {manifest['kind']}`; "
                             f"use another --out folder")
        if old_axes != manifest["axes"]:
            raise SweepError(f"{self.folder} was made sweeping {', '.join(old_axes)}, not "
                             f"{', '.join(manifest['axes'])}; use another --out folder")
        diffs = [f"{k}: {old_fixed.get(k)!r} there, {manifest['fixed'].get(k)!r} now"
                 for k in sorted(set(old_fixed) | set(manifest["fixed"]))
                 if old_fixed.get(k) != manifest["fixed"].get(k)]
        if diffs:
            raise SweepError(f"{self.folder} was made with other settings ({'; '.join(diffs)}); "
                             f"resume with the same settings or use another --out folder")

    def _lock_csv(self) -> None:
        path = self.folder / BATTLES
        try:
            check_replaceable(path)
            self._file = open(path, "a+", newline="", encoding="utf-8")
        except OSError as exc:
            raise SweepError(f"cannot write {path}: {exc.strerror or exc}") from None
        try:  # a POSIX record lock: pool workers forked from this process do not inherit it
            fcntl.lockf(self._file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self._file.close()
            raise SweepError(f"{self.folder} is in use by another run") from None

    def _load_csv(self) -> None:
        path = self.folder / BATTLES
        self._file.seek(0)
        text = self._file.read()
        if text and not text.endswith("\n"):  # a row cut short by a kill: it never finished, drop it
            text = text[: text.rfind("\n") + 1]
            self._file.truncate(len(text.encode()))
        if not text:
            self._append(self.columns)
            fsync_dir(self.folder)
            return
        reader = csv.reader(io.StringIO(text))
        header = next(reader)
        if header == [c for c in self.columns if c not in NEW_COLUMNS]:  # an older folder: keep its columns
            self.columns = header
        elif header != self.columns:
            raise SweepError(f"{path} has other columns than this run writes; use another --out folder")
        n_axes = len(self.axes) + 1
        for line, values in enumerate(reader, start=2):
            if len(values) != len(self.columns):
                raise SweepError(f"{path} line {line} is corrupt")
            self.rows[tuple(values[:n_axes])] = dict(zip(self.columns, values))

    def _append(self, values: list[str]) -> None:
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerow(values)
        self._file.write(buf.getvalue())
        self._file.flush()
        os.fsync(self._file.fileno())

    def has(self, job: Job) -> bool:
        return job.key in self.rows

    def add(self, job: Job, result: dict) -> None:
        row = {**dict(job.setting), "seed": job.config.seed, **result}
        values = [format_value(row[c]) for c in self.columns]
        self._append(values)
        self.rows[job.key] = dict(zip(self.columns, values))

    def result(self, job: Job) -> dict:
        """The job's row: its setting values as given, its seed, and the results read back as numbers."""
        text = self.rows[job.key]
        try:
            parsed = {c: kind(text[c]) for c, kind in self.result_columns.items() if c in text}
        except ValueError:
            raise SweepError(f"{self.folder / BATTLES} has a corrupt row for {job.key}") from None
        return {**parsed, **dict(job.setting), "seed": job.config.seed}

    def close(self) -> None:
        self._file.close()


def _start_worker(parent: int) -> None:
    """Pool workers leave Ctrl-C to the parent (no worker tracebacks) and exit when it is killed."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


WORKERS = Spec(int, 1, 1024)  # local worker processes


class Runner:
    """Plays the jobs a store lacks: serially (workers=1), in a local process pool, or on a Dask scheduler.

    Rows are written in the order battles finish; run() returns every asked job's row in job order.
    One progress bar (tqdm, stderr) spans all run() calls; it hides itself when stderr is not a terminal.
    """

    def __init__(self, workers: int | None = None, scheduler: str | None = None, total: int | None = None,
                 desc: str = "battles", reference: bool = False, row=battle_row):
        try:
            self.workers = WORKERS.check("workers", workers if workers is not None else os.cpu_count() or 1)
        except ParamError as exc:
            raise SweepError(str(exc)) from None
        self.scheduler = scheduler
        self.total, self.desc = total, desc
        self.played = 0  # battles this runner actually ran (resumed ones are skipped)
        self.reference = reference  # play every battle on the reference engine, not the fast path
        self.row = row  # (config, reference) -> result row; module-level, so pool and Dask workers can run it

    def __enter__(self) -> "Runner":
        from tqdm import tqdm
        self._bar = tqdm(total=self.total, desc=self.desc, unit="battle", file=sys.stderr, disable=None,
                         dynamic_ncols=True)
        self._pool = self._client = None
        if self.scheduler:
            self._client = _dask_client(self.scheduler)
        elif self.workers > 1:
            self._pool = ProcessPoolExecutor(max_workers=self.workers, initializer=_start_worker,
                                             initargs=(os.getpid(),))
        return self

    def __exit__(self, *exc) -> None:
        self._bar.close()
        if self._pool is not None:
            self._pool.shutdown(wait=exc[0] is None, cancel_futures=True)
        if self._client is not None:
            self._client.close()

    @property
    def slots(self) -> int:
        """Battles that can run at once: the local workers, or the Dask cluster's threads."""
        if self._client is not None:
            return max(1, sum(self._client.nthreads().values()))
        return self.workers

    def run(self, store: ResultStore, jobs: list[Job]) -> list[dict]:
        todo = {}
        for job in jobs:
            if not store.has(job):
                todo.setdefault(job.key, job)
        self._bar.update(len(jobs) - len(todo))
        check_settings(todo.values())
        for job, result in self._play(list(todo.values())):
            store.add(job, result)
            self.played += 1
            self._bar.update(1)
        return [store.result(job) for job in jobs]

    def _play(self, jobs: list[Job]) -> Iterator[tuple[Job, dict]]:
        if self._client is not None:
            yield from _play_dask(self._client, jobs, self.row, self.reference)
        elif self._pool is not None:
            futures = {self._pool.submit(self.row, job.config, self.reference): job for job in jobs}
            try:
                for future in as_completed(futures):
                    yield futures[future], future.result()
            finally:
                for future in futures:
                    future.cancel()
        else:
            for job in jobs:
                yield job, self.row(job.config, self.reference)


def check_settings(jobs: Iterable[Job]) -> None:
    """Build each distinct setting's battle once here, so a bad parameter is one error before any work."""
    seen = set()
    for job in jobs:
        if job.key[:-1] not in seen:
            seen.add(job.key[:-1])
            Battle(job.config)


SCHEDULER_TIMEOUT = 5.0  # seconds to connect to a Dask scheduler and hear it answer


def _dask_client(address: str):
    """A client of the scheduler at `address`, or one SweepError line within SCHEDULER_TIMEOUT.

    The scheduler is asked who it is over a bare connection first: a Client to something that is not a
    Dask scheduler waits forever for its handshake, and a failed Client prints a traceback when collected.
    """
    from dask.distributed import Client
    try:
        kind = asyncio.run(asyncio.wait_for(_identify(address), SCHEDULER_TIMEOUT))
    except asyncio.TimeoutError:
        kind = f"no answer within {SCHEDULER_TIMEOUT:g} s"
    except Exception as exc:  # distributed raises many kinds (OSError, ValueError, CommClosedError, ...)
        kind = f"{type(exc).__name__}: {exc}".splitlines()[0]
    if kind != "Scheduler":
        raise SweepError(f"cannot reach a Dask scheduler at {address} ({kind})")
    try:
        return Client(address, timeout=f"{SCHEDULER_TIMEOUT:g}s", set_as_default=False)
    except (OSError, ValueError, TypeError) as exc:
        raise SweepError(f"cannot reach the Dask scheduler at {address}: {exc}") from None


async def _identify(address: str) -> str:
    """The `type` a Dask server at `address` says it is."""
    from distributed.comm import connect
    comm = await connect(address, timeout=SCHEDULER_TIMEOUT)
    try:
        await comm.write({"op": "identity", "reply": True})
        answer = await comm.read()
    finally:
        comm.abort()
    return answer.get("type", "not Dask") if isinstance(answer, dict) else "not Dask"


def _play_dask(client, jobs: list[Job], row, reference: bool) -> Iterator[tuple[Job, dict]]:
    from dask.distributed import as_completed as dask_completed
    futures = {client.submit(row, job.config, reference, pure=False): job for job in jobs}
    try:
        for future in dask_completed(list(futures), loop=client.loop):
            yield futures[future], future.result()
    finally:
        client.cancel(list(futures))


def run_jobs(folder: str | Path, kind: str, fixed: dict, axes: list[str], jobs: list[Job],
             workers: int | None = None, scheduler: str | None = None,
             run: dict | None = None, reference: bool = False, result_columns: dict = RESULT_COLUMNS,
             row=battle_row) -> tuple[list[dict], int]:
    """Open the folder, play what it lacks; every job's row, and how many battles were played now.
    `row` plays one config (and the reference flag) into a dict of `result_columns` (default: the
    shooter-vs-target battle row)."""
    runner = Runner(workers, scheduler, total=len(jobs), reference=reference, row=row)
    check_settings(jobs)  # before the folder is made: bad input leaves nothing behind
    store = ResultStore(folder, kind, fixed, axes, run, result_columns)
    try:
        with runner:
            return runner.run(store, jobs), runner.played
    finally:
        store.close()


def summarize(rows: list[dict], axes: list[str]) -> list[dict]:
    """Per setting (in first-seen order): battles, mean hit rate and damage/round with 95% t-intervals."""
    groups: dict[tuple, list[dict]] = {}
    for row in rows:
        groups.setdefault(setting_key(row, axes), []).append(row)
    out = []
    for members in groups.values():
        hit, hit_lo, hit_hi = map(float, mean_ci([r["hit_rate"] for r in members]))
        dmg, dmg_lo, dmg_hi = map(float, mean_ci([r["bullet_damage_per_round"] for r in members]))
        out.append({**{a: members[0][a] for a in axes}, "battles": len(members),  # CIs clipped to the possible
                    "hit_rate": hit, "hit_rate_lo": max(0.0, hit_lo), "hit_rate_hi": min(1.0, hit_hi),
                    "damage_per_round": dmg, "damage_lo": max(0.0, dmg_lo), "damage_hi": dmg_hi,
                    "hits": sum(r["hits"] for r in members), "resolved": sum(r["resolved"] for r in members),
                    "seconds": sum(r["seconds"] for r in members) / len(members)})
    return out


SUMMARY_COLUMNS = ["battles", "hit_rate", "hit_rate_lo", "hit_rate_hi", "damage_per_round", "damage_lo",
                   "damage_hi", "hits", "resolved", "seconds"]


def display_value(value) -> str:
    """A setting value for a table: floats to 4 significant digits (the CSVs keep every digit)."""
    return f"{value:.4g}" if isinstance(value, float) else format_value(value)


NO_INTERVAL = "n=1, no interval"  # one seed gives a mean but no spread to build an interval from


def pct_ci(mean: float, lo: float, hi: float, n: int | None = None) -> str:
    return f"{mean:.1%} ({NO_INTERVAL})" if n == 1 else f"{mean:.1%} [{lo:.1%}, {hi:.1%}]"


def num_ci(mean: float, lo: float, hi: float, n: int | None = None) -> str:
    return f"{mean:.1f} ({NO_INTERVAL})" if n == 1 else f"{mean:.1f} [{lo:.1f}, {hi:.1f}]"


def markdown_table(headers: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def summary_markdown(summary: list[dict], axes: list[str]) -> str:
    """The per-setting table: mean hit rate and damage/round over seeds, with 95% intervals."""
    return markdown_table(
        axes + ["battles", "hit rate (95% CI)", "damage/round (95% CI)"],
        [[display_value(s[a]) for a in axes]
         + [s["battles"], pct_ci(s["hit_rate"], s["hit_rate_lo"], s["hit_rate_hi"], s["battles"]),
            num_ci(s["damage_per_round"], s["damage_lo"], s["damage_hi"], s["battles"])]
         for s in summary])
