"""``python -m bot.rasa_server run ...``: Rasa's own command line, with fixes for Rasa 3.6.21.

The launcher and the cluster start Rasa through this module instead of the
``rasa`` script.  Each fix is small, keeps Rasa's behaviour and has a test
(tests/bot/test_rasa_server.py); the reasons and figures are in the README.

* ``RemoteAction._validate_action_result`` calls ``jsonschema.validate`` for every
  action-server reply, which builds and checks a validator for Rasa's large
  event schema every time: about 14 ms of CPU per custom action here, while a
  validator built once validates the same reply in well under a millisecond.
  The patched method validates against the same schema, raises the same
  ``ValidationError`` with the same hint.
"""
from __future__ import annotations

import sys
from typing import Any, Dict

_PATCHED = "_fraudbot_patched"


def _cached_validator() -> Any:
    from jsonschema import validators
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    cls = validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def apply() -> None:
    """Install the fixes (idempotent)."""
    from jsonschema.exceptions import best_match
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.constants import DOCS_BASE_URL

    if getattr(RemoteAction, _PATCHED, False):
        return
    validator = _cached_validator()

    def _validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
        error = best_match(validator.iter_errors(result))  # the error jsonschema.validate raises
        if error is None:
            return True
        error.message += (
            ". Failed to validate Action server response from API, "
            "make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise error

    RemoteAction._validate_action_result = _validate_action_result
    setattr(RemoteAction, _PATCHED, True)


def main() -> None:
    apply()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
