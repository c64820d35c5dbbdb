"""The replica profile's settings file and process plan, without starting anything."""
import re
from pathlib import Path

import pytest

from bot.run.cluster import (
    DEFAULT_ENDPOINTS,
    PROFILE_HELP,
    REQUIRED,
    ProfileError,
    check_profile,
    plan,
    read_env_file,
)
from bot.settings import DEFAULT_RASA_TOKEN, DEFAULT_SECRET_KEY, PROJECT_ROOT, Settings

EXAMPLE = PROJECT_ROOT / "deploy" / "production.env.example"


def test_the_example_documents_every_variable_the_endpoints_read():
    example = read_env_file(EXAMPLE)
    used = set(re.findall(r"^\s*\w+: \$\{(\w+)\}$", DEFAULT_ENDPOINTS.read_text(encoding="utf-8"), re.M))
    assert {"ACTION_ENDPOINT_URL", "TRACKER_DB_HOST", "EVENTS_DB_URL", "REDIS_HOST"} <= used
    assert used - {"ACTION_ENDPOINT_URL"} <= set(REQUIRED), "bot.run.cluster must check what Rasa needs"
    for name in used | set(REQUIRED) | set(PROFILE_HELP):
        assert name in example, f"{name} is missing from {EXAMPLE.name}"


STRONG = "s3cret-" + "x" * 30


def filled_example():
    return {k: v.replace("CHANGE_ME", STRONG) for k, v in read_env_file(EXAMPLE).items()}


def test_the_example_is_refused_until_its_secrets_are_filled_in():
    example = read_env_file(EXAMPLE)
    with pytest.raises(ProfileError, match="CHANGE_ME"):
        check_profile(example)
    check_profile(filled_example())


@pytest.mark.parametrize("name", ["RASA_TOKEN", "SECRET_KEY", "ACTION_TOKEN"])
@pytest.mark.parametrize("value, why", [
    (None, "not set"), ("", "not set"), ("s3cret", "shorter than 24"), ("CHANGE_ME", "published default"),
])
def test_a_missing_empty_short_or_placeholder_secret_is_refused(name, value, why):
    env = filled_example()
    if value is None:
        del env[name]
    else:
        env[name] = value
    with pytest.raises(ProfileError, match=f"{name} is .*{why}"):
        check_profile(env)


@pytest.mark.parametrize("name, default", [("RASA_TOKEN", DEFAULT_RASA_TOKEN), ("SECRET_KEY", DEFAULT_SECRET_KEY)])
def test_the_built_in_development_secrets_are_refused(name, default):
    with pytest.raises(ProfileError, match=f"{name} is the published default"):
        check_profile({**filled_example(), name: default})


def test_a_missing_variable_is_named_but_an_empty_password_is_fine():
    filled = filled_example()
    check_profile({**filled, "TRACKER_DB_PASSWORD": "", "REDIS_PASSWORD": ""})
    with pytest.raises(ProfileError, match="TRACKER_DB_HOST"):
        check_profile({k: v for k, v in filled.items() if k != "TRACKER_DB_HOST"})


def test_env_file_syntax(tmp_path: Path):
    path = tmp_path / "x.env"
    path.write_text("# comment\n\nA=1\nB='two words'\nC=\n", encoding="utf-8")
    assert read_env_file(path) == {"A": "1", "B": "two words", "C": ""}
    path.write_text("export A=1\n", encoding="utf-8")
    with pytest.raises(ProfileError, match=":1:"):
        read_env_file(path)
    with pytest.raises(ProfileError, match="production.env.example"):
        read_env_file(tmp_path / "missing.env")


def test_rasa_replicas_take_turns_on_the_action_servers(tmp_path: Path):
    settings = Settings(data_dir=tmp_path, rasa_port=6005, action_port=6055, web_port=6080)
    children = {c.name: c for c in plan(settings, 3, 2, DEFAULT_ENDPOINTS, with_web=True)}
    assert list(children) == ["actions-1", "actions-2", "rasa-1", "rasa-2", "rasa-3", "web"]
    assert [children[f"rasa-{i}"].env["ACTION_ENDPOINT_URL"] for i in (1, 2, 3)] == [
        "http://127.0.0.1:6055/webhook", "http://127.0.0.1:6056/webhook", "http://127.0.0.1:6055/webhook"]
    assert children["rasa-2"].command[children["rasa-2"].command.index("--port") + 1] == "6006"
    assert str(DEFAULT_ENDPOINTS) in children["rasa-3"].command
    balanced = plan(settings, 2, 2, DEFAULT_ENDPOINTS, False, action_endpoint_url="http://127.0.0.1:5050/webhook")
    assert {c.env["ACTION_ENDPOINT_URL"] for c in balanced if c.name.startswith("rasa-")} == {
        "http://127.0.0.1:5050/webhook"}


def test_every_rasa_replica_allows_the_same_origins(tmp_path: Path):
    settings = Settings(data_dir=tmp_path, rasa_port=6005, allowed_origins="https://www.bank.example,https://m.bank.example")
    for child in plan(settings, 2, 1, DEFAULT_ENDPOINTS, with_web=False):
        if child.name.startswith("rasa-"):
            cors = child.command[child.command.index("--cors") + 1:][:2]
            assert cors == ["https://www.bank.example", "https://m.bank.example"], child.name
            assert child.command.count("--cors") == 1, "a second --cors would replace the first"
