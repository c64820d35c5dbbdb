"""The public samples of residents' questions and conversations (../shared/eval), played
against the served assistant with the evaluation's own scripts: every one must pass."""
import subprocess
import sys

import pytest

from bot.settings import PROJECT_ROOT

EVAL_DIR = PROJECT_ROOT.parent / "shared" / "eval"


@pytest.mark.skipif(not EVAL_DIR.exists(), reason="../shared/eval is not beside this checkout")
@pytest.mark.parametrize("runner, sample", [("run_cases.py", "sample_cases.yaml"),
                                            ("run_dialogues.py", "sample_dialogues.yaml")])
def test_public_sample_passes_every_case_and_conversation(assistant, runner, sample):
    result = subprocess.run(
        [sys.executable, str(EVAL_DIR / runner), str(EVAL_DIR / sample), "--url", assistant.rest_url, "--min", "1.0"],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout[-4000:]
