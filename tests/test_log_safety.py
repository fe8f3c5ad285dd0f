"""A failure is logged by its type and place, never by its message (it may hold personal data)."""

from __future__ import annotations

import logging

from bot.log_safety import MAX_FRAMES, log_failure, where

log = logging.getLogger("tests.log_safety")


def fail_with_a_postcode() -> None:
    raise ValueError("could not save WC1X 8QD for Amina")


def test_the_type_and_place_are_logged_never_the_message(caplog):
    try:
        fail_with_a_postcode()
    except ValueError as error:
        log_failure(log, "turn (step=postcode)", error)
    (record,) = caplog.records
    assert record.levelno == logging.ERROR
    assert record.getMessage().startswith("turn (step=postcode) failed: ValueError at ")
    assert "test_log_safety.py:" in record.getMessage()
    assert "fail_with_a_postcode" in record.getMessage()
    assert "WC1X" not in caplog.text and "Amina" not in caplog.text


def test_the_innermost_frame_comes_first_and_the_chain_is_bounded():
    def deep(n: int) -> None:
        if n == 0:
            raise KeyError("secret")
        deep(n - 1)

    try:
        deep(MAX_FRAMES + 5)
    except KeyError as error:
        place = where(error)
    frames = place.split(" < ")
    assert len(frames) == MAX_FRAMES
    assert all(frame.startswith("test_log_safety.py:") for frame in frames)
    assert frames[0].endswith(" deep")


def test_an_error_never_raised_has_no_place():
    assert where(RuntimeError("never raised")) == "?"
