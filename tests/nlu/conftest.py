"""What the held-out tests share: parsing through the served model."""
import json
import urllib.request
from typing import Callable

import pytest




@pytest.fixture(scope="module")
def parse(assistant) -> Callable[[str], dict]:
    """Rasa's /model/parse of the assistant started as `make run` starts it."""
    def parse_text(text: str) -> dict:
        request = urllib.request.Request(
            f"{assistant.rasa_url}/model/parse?token={assistant.token}",
            data=json.dumps({"text": text}).encode("utf-8"), headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read().decode("utf-8"))
    return parse_text

