from pathlib import Path

import pytest

from bot.settings import PROJECT_ROOT, SETTINGS_HELP, InsecureSettings, Settings


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

    from bot.settings import ENV_NAMES

    names = {ENV_NAMES.get(f.name, f.name.upper()) for f in fields(Settings)}
    assert names <= set(SETTINGS_HELP), f"undocumented: {sorted(names - set(SETTINGS_HELP))}"


def test_a_switch_reads_0_and_1():
    assert Settings.from_env({}).direct_tf_calls is True
    assert Settings.from_env({"DIRECT_TF_CALLS": "0"}).direct_tf_calls is False
    assert Settings.from_env({"DIRECT_TF_CALLS": "1"}).direct_tf_calls is True


@pytest.mark.parametrize("env", [
    {"FRAUDBOT_PROFILE": "production"},  # nothing set: the development defaults
    {"FRAUDBOT_PROFILE": "production", "SECRET_KEY": "", "RASA_TOKEN": ""},  # empty is not "use the default" here
    {"FRAUDBOT_PROFILE": "production", "SECRET_KEY": "short-key", "RASA_TOKEN": "r" * 30},
    {"WEB_HOST": "0.0.0.0"},  # the embedded profile, but reachable from the event's Wi-Fi
])
def test_default_empty_or_short_secrets_are_refused_beyond_the_laptop(env):
    settings = Settings.from_env(env)
    with pytest.raises(InsecureSettings, match="SECRET_KEY"):
        settings.require_secrets(("SECRET_KEY",), settings.web_host)


def test_the_development_defaults_work_only_on_loopback_in_the_embedded_profile():
    settings = Settings.from_env({})
    assert (settings.rasa_host, settings.action_host, settings.web_host) == ("127.0.0.1",) * 3
    for host in ("127.0.0.1", "::1", "localhost"):
        settings.require_secrets(("SECRET_KEY", "RASA_TOKEN"), host)
    for host in ("0.0.0.0", "::", "192.168.1.20", "bot.example.cn"):
        assert settings.secret_problems(("SECRET_KEY", "RASA_TOKEN"), host) == [
            "SECRET_KEY is the published default (or not set)", "RASA_TOKEN is the published default (or not set)"]
    strong = Settings.from_env({"FRAUDBOT_PROFILE": "production", "SECRET_KEY": "k" * 40, "RASA_TOKEN": "r" * 24,
                                "ACTION_TOKEN": "a" * 24})
    strong.require_secrets(("SECRET_KEY", "RASA_TOKEN", "ACTION_TOKEN"), "0.0.0.0")


def test_allowed_origins_default_to_the_web_apps_own_origin():
    assert Settings.from_env({}).allowed_origin_list == ("http://localhost:8000",)
    bank = Settings.from_env({"PUBLIC_URL": "https://FangPian.example.cn/join/"})
    assert bank.allowed_origin_list == ("https://fangpian.example.cn",), "an origin, not the URL's path"
    assert "*" not in Settings.from_env({}).allowed_origin_list


def test_allowed_origins_are_a_comma_separated_list_and_star_only_when_set():
    listed = Settings.from_env({"ALLOWED_ORIGINS": " https://www.bank.example/, https://m.bank.example ,"})
    assert listed.allowed_origin_list == ("https://www.bank.example", "https://m.bank.example")
    assert Settings.from_env({"ALLOWED_ORIGINS": "*"}).allowed_origin_list == ("*",)
