"""Read a content file that holds a YAML list (quiz questions, sources), collecting errors."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import yaml


def read_list(path: Path, what: str, errors: List[str]) -> Optional[list]:
    """The file's entries, or None with the reason appended to ``errors``."""
    try:
        items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except yaml.YAMLError as error:
        errors.append(f"{path.name}: not valid YAML ({error})")
        return None
    if not isinstance(items, list):
        errors.append(f"{path.name}: expected a list of {what}")
        return None
    return items
