"""Time a training run: ``python -m benchmarks.train_time -- rasa train ...``.

`make train` runs Rasa's training through this wrapper, so every training on
every machine leaves its figures in ``benchmarks/results/training.json`` (the
last 20 runs): wall time, CPU time, peak memory of the training process, and
whether Rasa's component cache (``.rasa/cache``) was empty, i.e. whether it was
a training from scratch or an incremental one.  The exit code is Rasa's.
"""
from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import List, Optional

from benchmarks.sysinfo import machine

PROJECT_ROOT = Path(__file__).resolve().parent.parent
RESULTS = PROJECT_ROOT / "benchmarks" / "results" / "training.json"
CACHE = PROJECT_ROOT / ".rasa" / "cache"
KEEP = 20


def cache_is_empty() -> bool:
    return not CACHE.exists() or not any(CACHE.iterdir())


def main(argv: Optional[List[str]] = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "--":
        args = args[1:]
    if not args:
        print("usage: python -m benchmarks.train_time -- COMMAND ...", file=sys.stderr)
        return 2
    from_scratch = cache_is_empty()
    started = datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")
    t0 = time.monotonic()
    code = subprocess.call(args)
    wall = time.monotonic() - t0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    run = {
        "started": started, "wall_s": round(wall, 1),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
        "peak_rss_mib": round(usage.ru_maxrss / 1024, 1),
        "from_scratch": from_scratch, "exit_code": code, "machine": machine(),
        "command": " ".join(Path(args[0]).name if i == 0 else a for i, a in enumerate(args)),
    }
    try:
        runs = json.loads(RESULTS.read_text()).get("runs", []) if RESULTS.exists() else []
    except ValueError:
        runs = []
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"runs": (runs + [run])[-KEEP:]}, ensure_ascii=False, indent=2) + "\n")
    print(f"training took {wall / 60:.1f} min ({'from scratch' if from_scratch else 'incremental'}); "
          f"recorded in {RESULTS.relative_to(PROJECT_ROOT)}", file=sys.stderr)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
