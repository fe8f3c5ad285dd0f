"""Representatives to and from the JSON kept in the cache."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

from flows.representatives import Contact, Representative, Role


def dump_representative(rep: Representative) -> dict[str, Any]:
    data = asdict(rep)
    data["role"] = rep.role.value
    data["interests"] = list(rep.interests)
    return data


def load_representative(data: dict[str, Any]) -> Representative:
    return Representative(
        role=Role(data["role"]),
        name=data.get("name"),
        area=data.get("area"),
        party=data.get("party"),
        contact=Contact(**(data.get("contact") or {})),
        interests=tuple(data.get("interests") or ()),
        regional=bool(data.get("regional", False)),
        vacant=bool(data.get("vacant", False)),
        post_title=data.get("post_title"),
        address_as=data.get("address_as"),
    )


def dump_representatives(reps: Iterable[Representative]) -> list[dict[str, Any]]:
    return [dump_representative(rep) for rep in reps]


def load_representatives(data: Iterable[dict[str, Any]]) -> tuple[Representative, ...]:
    return tuple(load_representative(item) for item in data)


def load_optional(data: dict[str, Any] | None) -> Representative | None:
    return None if data is None else load_representative(data)
