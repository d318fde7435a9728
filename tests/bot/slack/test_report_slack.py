"""`/plan report …` through the fake Slack: the paper is built, sent to the asker's direct
messages (never the channel) as a Word file the reader can open, and a challenge pack is only for
admins and the Head of Service it is about."""

from __future__ import annotations

import io
from typing import Any

import pytest
from docx import Document
from fake_slack import FakeSlack
from reminder_test_helpers import give_role
from sqlalchemy.engine import Engine

from bot.render.paper_docx import CHALLENGE_HEADINGS, SCRUTINY_HEADINGS

pytestmark = [pytest.mark.slow, pytest.mark.engine_independent]  # files and DMs, not SQL

ASKER, MASH, ADMIN = "UALICE001", "U0MASH001", "U0ADMIN01"


def answer(app: Any, fake: FakeSlack, line: str, **kwargs: Any) -> dict[str, Any]:
    sent = app.command(line, **kwargs)
    assert sent.status == 200
    return fake.answer_to(sent.response_url).payload


def test_papers_are_sent_privately_as_word_files(
    start_slack_app: Any, fake_slack: FakeSlack, york_url: str, york_engine: Engine
) -> None:
    give_role(york_engine, "Head of MASH", MASH)
    app = start_slack_app(york_url, PLANBOT_ADMINS=ADMIN, PLANBOT_SCHEDULER="false")

    board = answer(app, fake_slack, "/plan report board", user=ASKER)
    assert board["text"].startswith(
        "Assurance and Ambition Board pack, data as at 15 Feb 2023: 16 areas"
    )
    assert board.get("response_type", "ephemeral") == "ephemeral"
    [opened] = fake_slack.wait_for("conversations.open")
    assert opened.payload["users"] == ASKER
    [done] = fake_slack.wait_for("files.completeUploadExternal")
    assert done.payload["channel_id"] == "DALICE001"  # the asker's DM, not the channel
    [content] = fake_slack.uploads.values()
    document = Document(io.BytesIO(content))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [*SCRUTINY_HEADINGS, "Annex A: Action tracker", "Annex B: Success measures"]

    refused = answer(app, fake_slack, f"/plan report challenge <@{MASH}>", user=ASKER)
    assert refused["text"] == (
        "A support-and-challenge pack is for admins and for Head of MASH themselves."
    )
    fake_slack.reset()
    own = answer(app, fake_slack, "/plan report challenge head of mash as of 28/2/2023", user=MASH)
    assert own["text"].startswith("Support and challenge pack for Head of MASH, data as at 15 Feb")
    fake_slack.wait_for("files.completeUploadExternal")
    [content] = fake_slack.uploads.values()
    headings = [
        p.text for p in Document(io.BytesIO(content)).paragraphs if p.style.name == "Heading 1"
    ]
    assert headings == list(CHALLENGE_HEADINGS)

    unknown = answer(app, fake_slack, "/plan report minutes", user=ASKER)
    assert unknown["text"].startswith("Say which paper: `report board`")
