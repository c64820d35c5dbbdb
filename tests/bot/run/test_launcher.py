"""The launcher's plan: secrets through the environment, each process on its own address."""
import pytest

from bot.run.launcher import check_secrets, child_env, commands, local_address
from bot.rasa.server import server_argv
from bot.settings import InsecureSettings, Settings

TOKEN = "rasa-token-" + "z" * 24


def test_no_secret_is_on_a_command_line_other_users_can_read_in_ps(tmp_path):
    settings = Settings(data_dir=tmp_path, rasa_token=TOKEN, action_token="a" * 30, secret_key="k" * 40)
    for name, command in commands(settings, "endpoints.yml", with_web=True).items():
        assert not {TOKEN, "a" * 30, "k" * 40} & set(command), name
        assert "--auth-token" not in command, name
    env = child_env(settings)
    assert env["RASA_TOKEN"] == TOKEN and env["ACTION_TOKEN"] == "a" * 30
    # Rasa gets its token inside its own process.
    argv = server_argv(["rasa", "run", "--enable-api"], settings)
    assert argv[argv.index("--auth-token") + 1] == TOKEN
    assert argv[argv.index("--interface") + 1] == "127.0.0.1"


def test_every_process_listens_on_loopback_by_default(tmp_path):
    plan = commands(Settings(data_dir=tmp_path), "endpoints.yml", with_web=False)
    assert plan["rasa"][plan["rasa"].index("--interface") + 1] == "127.0.0.1"
    assert plan["actions"][1:3] == ["-m", "bot.rasa.action_server"]
    assert local_address("0.0.0.0") == "127.0.0.1" and local_address("10.0.0.5") == "10.0.0.5"


@pytest.mark.parametrize("overrides, named", [
    ({"rasa_host": "0.0.0.0"}, "RASA_TOKEN"),
    ({"action_host": "0.0.0.0"}, "ACTION_TOKEN"),
    ({"web_host": "0.0.0.0"}, "SECRET_KEY"),
])
def test_make_run_refuses_to_open_a_process_to_the_network_with_a_default_secret(tmp_path, overrides, named):
    with pytest.raises(InsecureSettings, match=named):
        check_secrets(Settings(data_dir=tmp_path, **overrides))
    check_secrets(Settings(data_dir=tmp_path))  # the laptop default still starts


def cors_values(command):
    """The values of Rasa's --cors flag; Rasa keeps only the last flag if it is repeated."""
    assert command.count("--cors") == 1, command
    values = command[command.index("--cors") + 1:]
    return values[:next((i for i, v in enumerate(values) if v.startswith("-")), len(values))]


def test_rasa_answers_cross_origin_requests_only_from_the_allowed_origins(tmp_path):
    own = commands(Settings(data_dir=tmp_path, public_url="https://fangpian.example.cn"), "endpoints.yml", False)
    assert cors_values(own["rasa"]) == ["https://fangpian.example.cn"]
    banks = Settings(data_dir=tmp_path, allowed_origins="https://www.bank.example,https://m.bank.example")
    assert cors_values(commands(banks, "endpoints.yml", False)["rasa"]) == [
        "https://www.bank.example", "https://m.bank.example"]
