from pathlib import Path

from bot.settings import PROJECT_ROOT, SETTINGS_HELP, Settings


def test_defaults_work_on_a_laptop():
    s = Settings.from_env({})
    assert s.database_url.startswith("sqlite:///") and s.database_url.endswith("fraudbot.db")
    assert (s.rasa_port, s.action_port, s.web_port) == (5005, 5055, 8000)
    assert s.action_endpoint_url == "http://localhost:5055/webhook"


def test_environment_overrides(tmp_path: Path):
    s = Settings.from_env({"FRAUDBOT_DATA_DIR": str(tmp_path), "RASA_PORT": "6005", "LOG_LEVEL": "DEBUG"})
    assert s.data_dir == tmp_path and s.rasa_port == 6005 and s.log_level == "DEBUG"
    assert str(tmp_path) in s.events_db_url


def test_every_setting_is_documented_in_the_readme():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    for name in SETTINGS_HELP:
        assert f"`{name}`" in readme, f"{name} is not in the README's settings table"


def test_every_setting_has_its_help_text():
    from dataclasses import fields

    names = {"FRAUDBOT_DATA_DIR" if f.name == "data_dir" else f.name.upper() for f in fields(Settings)}
    assert names <= set(SETTINGS_HELP), f"undocumented: {sorted(names - set(SETTINGS_HELP))}"


def test_a_switch_reads_0_and_1():
    assert Settings.from_env({}).direct_tf_calls is True
    assert Settings.from_env({"DIRECT_TF_CALLS": "0"}).direct_tf_calls is False
    assert Settings.from_env({"DIRECT_TF_CALLS": "1"}).direct_tf_calls is True
