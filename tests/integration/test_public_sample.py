"""The public sample of residents' questions (../shared/eval), asked of the served
assistant with the evaluation's own script: every case must pass."""
import subprocess
import sys

import pytest

from bot.settings import PROJECT_ROOT

EVAL_DIR = PROJECT_ROOT.parent / "shared" / "eval"


@pytest.mark.skipif(not (EVAL_DIR / "run_cases.py").exists(), reason="../shared/eval is not beside this checkout")
def test_public_sample_passes_every_case(assistant):
    result = subprocess.run(
        [sys.executable, str(EVAL_DIR / "run_cases.py"), str(EVAL_DIR / "sample_cases.yaml"),
         "--url", assistant.rest_url, "--min", "1.0"],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout[-4000:]


@pytest.mark.skipif(not (EVAL_DIR / "run_dialogues.py").exists(), reason="../shared/eval is not beside this checkout")
def test_public_sample_passes_every_conversation(assistant):
    result = subprocess.run(
        [sys.executable, str(EVAL_DIR / "run_dialogues.py"), str(EVAL_DIR / "sample_dialogues.yaml"),
         "--url", assistant.rest_url, "--min", "1.0"],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout[-4000:]
