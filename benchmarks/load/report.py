"""Figures for the load benchmark: percentiles, and CPU time by process name (/proc)."""

import os
from collections import Counter
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100), linear between closest ranks; nan when empty."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def latency_line(label: str, values: list[float]) -> str:
    return (f"{label}: n {len(values)}, p50 {percentile(values, 50):.1f} ms, "
            f"p95 {percentile(values, 95):.1f} ms, p99 {percentile(values, 99):.1f} ms, "
            f"max {max(values, default=float('nan')):.1f} ms")


def _cpu_seconds(stat_text: str) -> float:
    fields = stat_text[stat_text.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def _parent(stat_text: str) -> int:
    return int(stat_text[stat_text.rindex(")") + 2:].split()[1])


def cpu_snapshot(server_pids: list[int]) -> Counter:
    """CPU seconds used so far: our app servers (process trees), PostgreSQL, this benchmark
    (its clients), and the whole machine (/proc/stat), to show what else was running."""
    stats = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            stats[int(stat.parent.name)] = stat.read_text()
        except OSError:
            continue
    used: Counter = Counter()
    for pid, text in stats.items():
        name = text[text.index("(") + 1:text.rindex(")")]
        if pid in server_pids or _parent(text) in server_pids:
            used["app servers"] += _cpu_seconds(text)
        elif name == "postgres":
            used["postgres"] += _cpu_seconds(text)
        elif pid == os.getpid():
            used["clients"] += _cpu_seconds(text)
    ticks = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    idle = int(ticks[3]) + int(ticks[4])
    used["machine"] = (sum(int(t) for t in ticks[:8]) - idle) / CLOCK_TICKS
    return used


def cpu_share_lines(before: Counter, after: Counter, seconds: float) -> list[str]:
    """Each part's share of the machine's CPUs over the run (1.00 = one core busy)."""
    cores = os.cpu_count() or 1
    spent = {name: after[name] - before.get(name, 0.0) for name in after}
    ours = sum(v for k, v in spent.items() if k != "machine")
    spent["other processes"] = max(spent.pop("machine") - ours, 0.0)
    lines = [f"{name:<16} {used:7.1f} CPU s = {used / seconds:4.2f} cores"
             for name, used in spent.items()]
    total = sum(spent.values())
    lines.append(f"{'machine busy':<16} {total:7.1f} CPU s = {total / seconds:4.2f} of "
                 f"{cores} cores")
    return lines
