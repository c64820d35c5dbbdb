"""Training time, retraining after edits, serving memory and accuracy of an NLU pipeline.

    python -m benchmarks.nlu_pipeline                       # the current config.yml
    python -m benchmarks.nlu_pipeline --baseline-rev 4b2962e  # and the config of that commit, same run

For each pipeline, in a scratch copy of the project's training files and with a
cache of its own (so "from scratch" really is):

1. ``rasa train`` from scratch;
2. retrain after an answer text is edited (a knowledge file, and the domain's
   copy of it where the pipeline still has one): the texts should not be a
   classifier input, so this should train nothing heavy;
3. retrain after one NLU example is added (a content editor's usual change);
4. serve the model with ``bot.rasa.server`` (REST API) and time it until it
   answers a parse, then parse the held-out sets and read the process's RSS;
   the serving step is repeated with ``MALLOC_ARENA_MAX=2``;
5. accuracy on tests/nlu/heldout.yml and on the independent sets
   (tests/nlu/independent), scored as the answer action would answer.

The figures go to benchmarks/results/nlu_pipeline.json (every run, newest last)
and nlu_pipeline.md (the newest run as a table), with date and machine.  On a
shared machine compare the pipelines within one run, not across runs.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path
from typing import Dict, List, Optional

from benchmarks.sysinfo import free_port, loadavg, machine, rss_report
from bot.tools import nlu_eval

PROJECT_ROOT = Path(__file__).resolve().parent.parent
RESULTS = PROJECT_ROOT / "benchmarks" / "results" / "nlu_pipeline.json"
TABLE = PROJECT_ROOT / "benchmarks" / "results" / "nlu_pipeline.md"
VENV_BIN = Path(sys.executable).parent
TRAINING_FILES = ["config.yml", "domain.yml", "data"]
TOKEN = "benchmark-token"


def _env(workdir: Path, **extra: str) -> Dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT), RASA_TELEMETRY_ENABLED="false",
               TF_CPP_MIN_LOG_LEVEL="2", RASA_CACHE_DIRECTORY=str(workdir / ".rasa" / "cache"))
    env.update(extra)
    return env


def copy_training_files(workdir: Path, rev: Optional[str]) -> None:
    """The training files of the working tree, or of a git revision."""
    if rev is None:
        for name in TRAINING_FILES:
            source = PROJECT_ROOT / name
            if source.is_dir():
                shutil.copytree(source, workdir / name)
            else:
                shutil.copy2(source, workdir / name)
        return
    archive = subprocess.run(["git", "-C", str(PROJECT_ROOT), "archive", rev, *TRAINING_FILES],
                             check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(workdir)], input=archive, check=True)


def train(workdir: Path, log: Path) -> float:
    t0 = time.monotonic()
    with log.open("a") as out:
        subprocess.run([str(VENV_BIN / "rasa"), "train", "--fixed-model-name", "model", "--out", "models"],
                       cwd=workdir, env=_env(workdir), stdout=out, stderr=subprocess.STDOUT, check=True)
    return round(time.monotonic() - t0, 1)


def edit_an_answer(workdir: Path) -> None:
    """Reword the first answer of the police topic, wherever the pipeline keeps it."""
    import yaml

    knowledge = workdir / "data" / "knowledge" / "police.yml"
    text = knowledge.read_text(encoding="utf-8")
    first = yaml.safe_load(text)["answer"][0]
    snippet = (first if isinstance(first, str) else first["text"])[:12]
    reworded = "请注意：" + snippet
    knowledge.write_text(text.replace(snippet, reworded, 1), encoding="utf-8")
    domain = workdir / "domain.yml"
    domain.write_text(domain.read_text(encoding="utf-8").replace(snippet, reworded), encoding="utf-8")


def add_an_example(workdir: Path) -> None:
    path = workdir / "data" / "nlu" / "faq_loan.yml"
    text = path.read_text(encoding="utf-8").rstrip("\n")
    path.write_text(text + "\n    - 放款之前非要我交一笔验资费这正常吗\n", encoding="utf-8")


def _parse(url: str, text: str) -> dict:
    request = urllib.request.Request(f"{url}/model/parse?token={TOKEN}", data=json.dumps({"text": text}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read().decode("utf-8"))


def serve(model: Path, workdir: Path, log: Path, **env: str) -> Dict:
    """Start Rasa on the model, time it to its first parse, score it, read its RSS."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    endpoints = workdir / "endpoints-bench.yml"  # Rasa's in-memory stores: the model's own footprint
    endpoints.write_text("", encoding="utf-8")
    with log.open("a") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.rasa.server", "run", "--enable-api", "-m", str(model), "-p", str(port),
             "-i", "127.0.0.1", "--auth-token", TOKEN, "--endpoints", str(endpoints)],
            cwd=PROJECT_ROOT, env=_env(workdir, **env), stdout=out, stderr=subprocess.STDOUT)
    try:
        t0 = time.monotonic()
        while True:
            if process.poll() is not None:
                raise SystemExit(f"Rasa exited with {process.returncode}; see {log}")
            try:
                _parse(url, "你好")
                break
            except OSError:
                if time.monotonic() - t0 > 300:
                    raise SystemExit(f"Rasa not ready after 300 s; see {log}")
                time.sleep(0.5)
        ready = round(time.monotonic() - t0, 1)
        rss_ready = rss_report(process.pid)["total_rss_mib"]
        heldout = nlu_eval.evaluate(nlu_eval.load_examples(), lambda t: _parse(url, t))
        independent = nlu_eval.evaluate_independent(nlu_eval.load_independent(), lambda t: _parse(url, t))
        return {
            "ready_s": ready, "rss_ready_mib": rss_ready, "rss_after_parses_mib": rss_report(process.pid)["total_rss_mib"],
            "heldout": round(heldout.accuracy, 4), "heldout_n": heldout.total,
            "independent": round(independent.accuracy, 4) if independent.total else None,
            "independent_n": independent.total,
        }
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def measure(name: str, rev: Optional[str], scratch: Path, retrains: bool = True) -> Dict:
    workdir = scratch / name
    workdir.mkdir()
    log = scratch / f"{name}.log"
    copy_training_files(workdir, rev)
    print(f"[{name}] training from scratch", flush=True)
    result: Dict = {"pipeline": name, "rev": rev or "working tree", "from_scratch_s": train(workdir, log)}
    model = workdir / "models" / "model.tar.gz"
    print(f"[{name}] serving", flush=True)
    result["serve"] = serve(model, workdir, log)
    result["serve_malloc_arena_2"] = serve(model, workdir, log, MALLOC_ARENA_MAX="2")
    if retrains:
        print(f"[{name}] retraining after an answer edit", flush=True)
        edit_an_answer(workdir)
        result["answer_edit_s"] = train(workdir, log)
        print(f"[{name}] retraining after one new example", flush=True)
        add_an_example(workdir)
        result["new_example_s"] = train(workdir, log)
    result["model_mib"] = round(model.stat().st_size / 2 ** 20, 1)
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return result


def markdown(run: Dict) -> str:
    rows = [
        ("`rasa train` from scratch (s)", "from_scratch_s"),
        ("retrain after an answer edit (s)", "answer_edit_s"),
        ("retrain after one new NLU example (s)", "new_example_s"),
        ("model archive (MiB)", "model_mib"),
    ]
    serve_rows = [
        ("ready to first parse (s)", "serve", "ready_s"),
        ("serving RSS after the held-out parses (MiB)", "serve", "rss_after_parses_mib"),
        ("same, MALLOC_ARENA_MAX=2 (MiB)", "serve_malloc_arena_2", "rss_after_parses_mib"),
        ("held-out accuracy (tests/nlu/heldout.yml)", "serve", "heldout"),
        ("independent accuracy (tests/nlu/independent)", "serve", "independent"),
    ]
    pipelines = run["pipelines"]
    head = "| | " + " | ".join(f"{p['pipeline']} ({p['rev']})" for p in pipelines) + " |"
    lines = [f"Run {run['started']} on {run['machine'].get('cpu_model', '?')}, "
             f"{run['machine'].get('nproc', '?')} cores; load average before: {run['loadavg_before']}", "",
             head, "|---|" + "---|" * len(pipelines)]
    for label, key in rows:
        lines.append(f"| {label} | " + " | ".join(str(p.get(key, "not measured")) for p in pipelines) + " |")
    for label, part, key in serve_rows:
        values = []
        for p in pipelines:
            value = p[part].get(key)
            values.append(f"{value:.1%}" if isinstance(value, float) and value <= 1 and "accuracy" in label
                          else str(value))
        lines.append(f"| {label} | " + " | ".join(values) + " |")
    return "\n".join(lines) + "\n"


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline-rev", help="also measure the training files of this git revision")
    parser.add_argument("--keep", type=Path, help="copy the trained models into this folder")
    parser.add_argument("--baseline-retrains", action="store_true",
                        help="also time the baseline's retrains (each is a whole training for DIET + ResponseSelector)")
    args = parser.parse_args(argv)
    run = {"started": datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds"),
           "machine": machine(), "loadavg_before": loadavg(), "pipelines": []}
    with tempfile.TemporaryDirectory(prefix="nlu-bench-") as scratch:
        print(f"logs: {scratch}/*.log (removed at the end)", flush=True)
        if args.baseline_rev:
            run["pipelines"].append(measure("baseline", args.baseline_rev, Path(scratch), args.baseline_retrains))
        run["pipelines"].append(measure("current", None, Path(scratch)))
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            for model in Path(scratch).glob("*/models/model.tar.gz"):
                shutil.copy2(model, args.keep / f"{model.parent.parent.name}.tar.gz")
    run["loadavg_after"] = loadavg()
    runs = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else []
    runs.append(run)
    RESULTS.write_text(json.dumps(runs, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    TABLE.write_text(markdown(run), encoding="utf-8")
    print(TABLE.read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
