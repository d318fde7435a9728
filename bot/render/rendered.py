"""What a renderer returns: Block Kit blocks and a plain-text fallback that reads well alone."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RenderedFile:
    """A file shared with the answer (a chart): its bytes, title and alt text."""

    filename: str
    content: bytes
    title: str
    alt_text: str
    private: bool = False  # sent to the asker's direct messages, never into the channel


@dataclass(frozen=True)
class Rendered:
    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)
    ephemeral: bool = True  # slash-command answers are private unless shared
    quiet: bool = False  # nothing worth saying (a "thanks" in a reminder thread)
    files: tuple[RenderedFile, ...] = ()  # shared in the conversation after the text
    # Its mentions are people from the store asked to act (an approver), meant to notify them;
    # every other answer has its mentions turned into plain names on the way out.
    pings: bool = False
    # The whole of an answer Slack shows a page at a time, for the terminal (which has no
    # "Show next 10" button); None when `text` is already the whole of it.
    whole_text: str | None = None
    # Replies posted under this message: the rest of a weekly summary's lists that must not be
    # hidden behind "…and N more".
    thread: tuple[Rendered, ...] = ()
