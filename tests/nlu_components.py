"""Loads our stdlib-only Rasa component helpers (nlu/components/*.py) into the tests.

Rasa imports them from nlu/ as `components.<name>`; they are not part of the bot
package, so the tests load them by path.
"""

from __future__ import annotations

import importlib.util
from types import ModuleType

from bot.nlu.server import NLU_DIR


def load_component_module(name: str) -> ModuleType:
    path = NLU_DIR / "components" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"nlu_components_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
