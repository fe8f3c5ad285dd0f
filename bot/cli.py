"""The terminal chat: the same engine as on Telegram, with buttons as numbered choices.

Interactive, or scripted with piped input (one line per turn):

    printf 'en\n1\nmy brother is detained in brook house\n' | python -m bot chat

A line that is a number presses that button; a line starting with "/" is a command;
anything else is a message. Drafts are printed in full.
"""

from __future__ import annotations

import asyncio
import sys
from typing import TextIO

from bot.conversation import ConversationService
from bot.i18n import Renderer
from bot.identity import user_key
from bot.render import draft_as_text, render_draft, render_say
from flows.events import Button, Command, Event, Start, Text
from flows.replies import Say, SendDraft

TERMINAL_USER = "terminal"


class TerminalChat:
    def __init__(self, service: ConversationService, secret: bytes,
                 out: TextIO = sys.stdout, user: str = TERMINAL_USER) -> None:
        self.service = service
        self.key = user_key(secret, "terminal", user)
        self.out = out
        self.buttons: list[str] = []

    async def send(self, event: Event) -> None:
        result = await self.service.handle(self.key, event)
        renderer = result.renderer()
        for reply in result.replies:
            if isinstance(reply, Say):
                self._show(reply, renderer)
            elif isinstance(reply, SendDraft):
                rendered = render_draft(reply, renderer)
                self.out.write("\n" + "─" * 60 + "\n" + draft_as_text(rendered, renderer)
                               + "\n" + "─" * 60 + "\n")
        if result.reminder_requested:
            self.out.write("(Reminders are sent on Telegram; the terminal chat can't.)\n")
        self.out.flush()

    def _show(self, say: Say, renderer: Renderer) -> None:
        message = render_say(say, renderer)
        self.out.write("\n" + message.text + "\n")
        if message.buttons:
            self.buttons = []
            for row in message.buttons:
                for label, data in row:
                    self.buttons.append(data)
                    self.out.write(f"  [{len(self.buttons)}] {label}\n")

    def event_for(self, line: str) -> Event:
        stripped = line.strip()
        if stripped.startswith("/"):
            name, _, argument = stripped[1:].partition(" ")
            return Command(name, argument.strip())
        if stripped.isdigit() and 1 <= int(stripped) <= len(self.buttons):
            return Button(self.buttons[int(stripped) - 1])
        return Text(line)

    async def run(self, lines: TextIO = sys.stdin) -> None:
        interactive = lines.isatty()
        await self.send(Start())
        while True:
            if interactive:
                self.out.write("> ")
                self.out.flush()
            line = await asyncio.to_thread(lines.readline)
            if not line:
                break
            if not interactive:
                self.out.write(f"> {line.rstrip()}\n")
            await self.send(self.event_for(line))
