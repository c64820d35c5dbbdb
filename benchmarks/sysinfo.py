"""What the benchmarks read from /proc: machine facts, process trees, RSS and CPU.

psutil is not installed, so everything comes straight from /proc (Linux only).
"""
from __future__ import annotations

import os
import platform
import socket
import subprocess
import time
from pathlib import Path
from typing import Dict, List, Optional

CLK_TCK = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- machine -----------------------------------------------------------------


def machine() -> Dict:
    cpu_model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_kb = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    except OSError:
        pass
    try:
        nproc = int(subprocess.run(["nproc"], capture_output=True, text=True, check=True).stdout.strip())
    except (OSError, ValueError, subprocess.CalledProcessError):
        nproc = len(os.sched_getaffinity(0))
    return {
        "nproc": nproc,
        "cpu_model": cpu_model,
        "ram_gib": round(mem_kb / 1024 / 1024, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
    }


def loadavg() -> List[float]:
    try:
        return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]
    except OSError:
        return []


def _machine_jiffies() -> tuple:
    """(busy, total) jiffies summed over all CPUs, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    total = sum(fields[:8])  # user..steal; guest is already counted in user
    return total - idle, total


# --- processes -----------------------------------------------------------------


def _stat_fields(pid: int) -> Optional[List[str]]:
    """Fields of /proc/<pid>/stat after the command name (field 3 = state at index 0)."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return raw[raw.rfind(")") + 2:].split()


def children_of(pid: int) -> List[int]:
    """Direct children of pid, found via the ppid field of /proc/*/stat."""
    kids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        fields = _stat_fields(int(entry))
        if fields and int(fields[1]) == pid:
            kids.append(int(entry))
    return sorted(kids)


def tree(pid: int) -> List[int]:
    """pid and all its descendants."""
    out, todo = [], [pid]
    while todo and len(out) < 1000:
        p = todo.pop(0)
        out.append(p)
        todo.extend(children_of(p))
    return out


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return ""


def role(pid: int) -> str:
    """A short name for one of the benchmarked processes."""
    cmd = cmdline(pid)
    if "bot.run.launcher" in cmd:
        return "launcher"
    if " run actions" in cmd:
        return "actions"
    if "bot.web" in cmd:
        return "web"
    if "rasa run" in cmd or "bot.rasa.server run" in cmd:
        return "rasa"
    return cmd.split(" ")[0].rsplit("/", 1)[-1] or str(pid)


def status_kb(pid: int, key: str) -> Optional[int]:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def rss_report(root_pid: int) -> Dict:
    """VmRSS (and peak VmHWM) in MiB of root_pid and each descendant."""
    procs = []
    for pid in tree(root_pid):
        rss = status_kb(pid, "VmRSS")
        if rss is None:
            continue
        procs.append({"pid": pid, "role": role(pid), "rss_mib": round(rss / 1024, 1),
                      "peak_rss_mib": round((status_kb(pid, "VmHWM") or 0) / 1024, 1)})
    return {"processes": procs, "total_rss_mib": round(sum(p["rss_mib"] for p in procs), 1)}


def cpu_seconds_of(pids: List[int]) -> float:
    ticks = 0
    for pid in pids:
        fields = _stat_fields(pid)
        if fields:
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / CLK_TCK


class CpuMeter:
    """CPU (in cores) used during a block by the system under test, by this process, and by the rest.

    "other" is what else ran on the machine meanwhile: a large value means the
    figures of that block were measured on a busy machine.
    """

    def __init__(self, root_pid: int):
        self.root_pid = root_pid

    def __enter__(self) -> "CpuMeter":
        self.pids = tree(self.root_pid)
        self.t0 = time.monotonic()
        self.busy0, self.total0 = _machine_jiffies()
        self.sut0 = cpu_seconds_of(self.pids)
        self.me0 = cpu_seconds_of([os.getpid()])
        self.load0 = loadavg()
        return self

    def __exit__(self, *exc) -> None:
        wall = max(time.monotonic() - self.t0, 1e-9)
        busy1, total1 = _machine_jiffies()
        ncpu = os.cpu_count() or 1
        frac = (busy1 - self.busy0) / max(total1 - self.total0, 1)
        machine_cores = frac * ncpu
        sut = (cpu_seconds_of(self.pids) - self.sut0) / wall
        me = (cpu_seconds_of([os.getpid()]) - self.me0) / wall
        self.report = {
            "wall_s": round(wall, 1),
            "machine_busy_cores": round(machine_cores, 2),
            "server_cores": round(sut, 2),
            "loadgen_cores": round(me, 2),
            "other_cores": round(max(0.0, machine_cores - sut - me), 2),
            "loadavg_before": self.load0,
        }


def busy_cores(seconds: float = 5.0) -> float:
    """How many cores the whole machine kept busy over the next `seconds`."""
    b0, t0 = _machine_jiffies()
    time.sleep(seconds)
    b1, t1 = _machine_jiffies()
    return (b1 - b0) / max(t1 - t0, 1) * (os.cpu_count() or 1)


def wait_for_quiet(max_wait: float, threshold: float = 0.3, sample: float = 5.0) -> Dict:
    """Wait (at most `max_wait` s) until the machine is idle: under `threshold` cores busy over `sample` s.

    The benchmarks share the machine with whatever else runs on it; starting a
    system while something else is burning CPU skews every figure.
    """
    t0 = time.monotonic()
    busy = busy_cores(sample)
    while busy >= threshold and time.monotonic() - t0 + sample <= max_wait:
        busy = busy_cores(sample)
    return {"waited_s": round(time.monotonic() - t0, 1), "busy_cores": round(busy, 2),
            "quiet": busy < threshold}


def file_fingerprint(path: Path) -> Dict:
    import hashlib
    try:
        st = path.stat()
        digest = hashlib.sha256()
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                digest.update(chunk)
        return {"path": str(path), "bytes": st.st_size,
                "mtime": time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(st.st_mtime)),
                "sha256": digest.hexdigest()[:16]}
    except OSError as exc:
        return {"path": str(path), "error": str(exc)}
