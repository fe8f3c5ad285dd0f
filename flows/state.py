"""Saving and restoring conversation state as JSON-ready data.

The state is a tree of frozen dataclasses, enums and tuples. Restoring is driven by
the type hints, so adding a field needs no change here. Anything unreadable (an old
format, a corrupted row) raises `StateUnreadable`, and the shell starts the person
afresh with a kind word instead of failing.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from enum import Enum
from typing import Any, Union, get_args, get_origin, get_type_hints

from flows.steps import State

FORMAT_VERSION = 1


class StateUnreadable(ValueError):
    """The stored state can't be turned back into a conversation."""


def dump_state(state: State) -> dict[str, Any]:
    return {"v": FORMAT_VERSION, "state": _dump(state)}


def load_state(data: object) -> State:
    if not isinstance(data, dict) or data.get("v") != FORMAT_VERSION:
        raise StateUnreadable("unknown state format")
    try:
        return _load(State, data["state"])
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise StateUnreadable(type(error).__name__) from error


def _dump(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _dump(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [_dump(item) for item in value]
    if isinstance(value, dict):
        return {str(k): _dump(v) for k, v in value.items()}
    return value


_hints_cache: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _hints_cache:
        module = __import__(cls.__module__, fromlist=["*"])
        _hints_cache[cls] = get_type_hints(cls, vars(module))
    return _hints_cache[cls]


def _load(hint: Any, value: Any) -> Any:
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        options = get_args(hint)
        if value is None and type(None) in options:
            return None
        errors: list[Exception] = []
        for option in options:
            if option is type(None):
                continue
            try:
                return _load(option, value)
            except (TypeError, ValueError, KeyError) as error:
                errors.append(error)
        raise ValueError(f"no option fits: {errors}")
    if origin is tuple:
        args = get_args(hint)
        if not isinstance(value, list):
            raise TypeError("expected a list")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_load(args[0], item) for item in value)
        return tuple(_load(a, item) for a, item in zip(args, value, strict=True))
    if origin is dict:
        key_type, value_type = get_args(hint)
        if not isinstance(value, dict):
            raise TypeError("expected an object")
        return {_load(key_type, k): _load(value_type, v) for k, v in value.items()}
    if hint is typing.Any:
        return value
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint(value)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        if not isinstance(value, dict):
            raise TypeError("expected an object")
        hints = _hints(hint)
        kwargs = {f.name: _load(hints[f.name], value[f.name])
                  for f in dataclasses.fields(hint) if f.name in value}
        return hint(**kwargs)
    if hint in (str, int, float, bool):
        if isinstance(value, bool) and hint is not bool:
            raise TypeError("unexpected bool")
        if not isinstance(value, hint):
            raise TypeError(f"expected {hint.__name__}")
        return value
    raise TypeError(f"unsupported type {hint!r}")
