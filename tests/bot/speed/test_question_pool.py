"""The question workers (bot/speed/question_pool.py): every question handed over is answered, in
order,
even when a worker dies under it; a question that kills two workers gets the calm line; a failure
inside a worker reaches the person; `close` waits for the questions already sent."""

from __future__ import annotations

import logging
import time
from functools import partial
from pathlib import Path

import pytest
import question_jobs
from fake_slack import FakeSlack
from slack_sdk import WebClient

from bot.posting.delivery import ToResponseUrl
from bot.settings import Settings
from bot.slack.errors import CALM_LINE
from bot.speed.question_pool import QuestionPool, _set_up_worker

# The pool's mechanics (pipes, dying and stuck workers) are the same whatever the database.
pytestmark = [pytest.mark.slow, pytest.mark.engine_independent]

NOWHERE = WebClient(token="xoxb-unused", base_url="http://127.0.0.1:9/api/")


def lines_of(path: Path, count: int, timeout: float = 20.0) -> list[str]:
    """The lines of `path` once it has `count` of them (or what it has after `timeout`)."""
    deadline = time.monotonic() + timeout
    while True:
        lines = path.read_text().splitlines() if path.exists() else []
        if len(lines) >= count or time.monotonic() > deadline:
            return lines
        time.sleep(0.02)


def texts(lines: list[str]) -> list[str]:
    return [line.rsplit(" ", 1)[0] for line in lines]


def pids(lines: list[str]) -> set[str]:
    return {line.rsplit(" ", 1)[1] for line in lines}


def test_close_waits_for_every_question_already_sent(tmp_path: Path) -> None:
    out = tmp_path / "answered.txt"
    pool = QuestionPool(1, set_up=question_jobs.no_set_up, job=question_jobs.record)
    for number in range(20):
        pool.reply(str(out), f"q{number}", body={}, client=NOWHERE)
    pool.close()  # returns only once the worker has answered all twenty and ended
    assert texts(out.read_text().splitlines()) == [f"q{n}" for n in range(20)]
    with pytest.raises(RuntimeError, match="stopping"):
        pool.reply(str(out), "too late", body={}, client=NOWHERE)


def test_questions_go_to_the_worker_with_fewest_unfinished(tmp_path: Path) -> None:
    out = tmp_path / "answered.txt"
    pool = QuestionPool(2, set_up=question_jobs.no_set_up, job=question_jobs.record_slowly)
    try:
        for number in range(4):
            pool.reply(str(out), f"q{number}", body={}, client=NOWHERE)
        lines = lines_of(out, 4)
    finally:
        pool.close()
    assert sorted(texts(lines)) == ["q0", "q1", "q2", "q3"]
    assert len(pids(lines)) == 2  # both workers answered, two each, not four queued behind one


def test_a_worker_dying_mid_question_costs_one_slow_answer(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    out = tmp_path / "answered.txt"
    pool = QuestionPool(1, set_up=question_jobs.no_set_up, job=question_jobs.die_once_on_crash)
    try:
        with caplog.at_level(logging.ERROR, logger="planbot.questions"):
            for text in ("before", "crash", "after", "and after"):
                pool.reply(str(out), text, body={}, client=NOWHERE)
            lines = lines_of(out, 4)
    finally:
        pool.close()
    # The question under way when the worker died is asked again of its replacement, and the
    # two waiting behind it are answered too, in order; nothing is answered twice.
    assert texts(lines) == ["before", "crash", "after", "and after"]
    assert len(pids(lines)) == 2
    assert "question worker process died" in caplog.text


def test_a_question_that_kills_two_workers_gets_the_calm_line(
    tmp_path: Path, fake_slack: FakeSlack
) -> None:
    out = tmp_path / "answered.txt"
    client = WebClient(token=fake_slack.token, base_url=fake_slack.api_url)
    url = fake_slack.new_response_url()
    pool = QuestionPool(1, set_up=question_jobs.no_set_up, job=question_jobs.die_once_on_crash)
    try:
        pool.reply(str(out), "always crash", body={"response_url": url}, client=client)
        pool.reply(str(out), "next", body={}, client=NOWHERE)
        told = fake_slack.answer_to(url, timeout=20)
        lines = lines_of(out, 1)
    finally:
        pool.close()
    assert told.payload["text"] == CALM_LINE
    assert told.payload["response_type"] == "ephemeral"
    assert texts(lines) == ["next"]  # the workers after it still answer


def test_a_question_failing_in_a_worker_gets_the_calm_line_from_it(
    tmp_path: Path, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    empty = tmp_path / "empty.db"  # opens, so the worker sets up; holds no plan tables
    empty.touch()
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        slack_bot_token=fake_slack.token,
        slack_api_url=fake_slack.api_url,
        database_url=f"sqlite:///{empty}",
    )
    with caplog.at_level(logging.ERROR, logger="planbot.questions"):
        pool = QuestionPool(1, set_up=partial(_set_up_worker, settings, "2023-02-15"))
    url = fake_slack.new_response_url()
    body = {"response_url": url, "command": "/plan", "user_id": "U1"}
    try:
        question = ("what's open under OA4?", ToResponseUrl(url), "U1", "C1", None)
        pool.reply(*question, body=body, client=NOWHERE)  # the worker tells, with its own client
        told = fake_slack.answer_to(url, timeout=20)
    finally:
        pool.close()
    assert told.payload["text"] == CALM_LINE
    assert "died" not in caplog.text  # told by the worker, which answers on
    assert "could not start" not in caplog.text


def test_workers_that_cannot_start_are_retried_and_the_person_told(
    fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    client = WebClient(token=fake_slack.token, base_url=fake_slack.api_url)
    url = fake_slack.new_response_url()
    with caplog.at_level(logging.ERROR, logger="planbot.questions"):
        pool = QuestionPool(1, set_up=question_jobs.fail_set_up, job=question_jobs.record)
        try:
            pool.reply("unused", "q", body={"response_url": url}, client=client)
            told = fake_slack.answer_to(url, timeout=20)  # after three failed starts: 1 s, 2 s
        finally:
            pool.close()
    assert told.payload["text"] == CALM_LINE
    assert caplog.text.count("could not start") >= 3
    assert "trying again in 4 s" in caplog.text


def test_a_worker_stuck_on_a_question_is_stopped_and_the_person_told(
    tmp_path: Path, fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    out = tmp_path / "answered.txt"
    client = WebClient(token=fake_slack.token, base_url=fake_slack.api_url)
    url = fake_slack.new_response_url()
    pool = QuestionPool(
        1, set_up=question_jobs.no_set_up, job=question_jobs.hang_on_hang, answer_timeout=1.0
    )
    try:
        with caplog.at_level(logging.ERROR, logger="planbot.questions"):
            pool.reply(str(out), "hang", body={"response_url": url}, client=client)
            pool.reply(str(out), "after", body={}, client=NOWHERE)
            told = fake_slack.answer_to(url, timeout=30)  # stopped once, then told
            lines = lines_of(out, 1)
    finally:
        pool.close()
    assert told.payload["text"] == CALM_LINE
    assert caplog.text.count("spent over 1 s on one question") == 1
    assert "answering it took over 1 s" in caplog.text  # not asked again
    assert texts(lines) == ["after"]  # the question behind it is still answered


def test_while_a_worker_cannot_start_the_others_answer(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    out = tmp_path / "answered.txt"
    set_up = partial(question_jobs.fail_first_set_up, str(tmp_path / "failed-once"))
    with caplog.at_level(logging.ERROR, logger="planbot.questions"):
        pool = QuestionPool(2, set_up=set_up, job=question_jobs.record)
        try:
            for number in range(6):
                pool.reply(str(out), f"q{number}", body={}, client=NOWHERE)
            lines = lines_of(out, 6)
        finally:
            pool.close()
    assert sorted(texts(lines)) == [f"q{n}" for n in range(6)]
    assert len(pids(lines)) == 1  # those sent to the failed worker went on to the other at once
    assert caplog.text.count("could not start") == 1
    assert "stopped first" not in caplog.text and "no question worker" not in caplog.text


def test_a_worker_slow_to_set_up_is_not_taken_for_stuck(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    out = tmp_path / "answered.txt"
    with caplog.at_level(logging.ERROR, logger="planbot.questions"):
        pool = QuestionPool(
            1, set_up=question_jobs.slow_set_up, job=question_jobs.record, answer_timeout=0.5
        )
        try:
            pool.reply(str(out), "first", body={}, client=NOWHERE)  # waits for the set-up
            lines = lines_of(out, 1)
        finally:
            pool.close()
    assert texts(lines) == ["first"]
    assert "spent over" not in caplog.text


def wait_until_ready(pool: QuestionPool, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not any(worker.ready.value for worker in pool._workers):
        assert time.monotonic() < deadline, "the worker never set up"
        time.sleep(0.02)


def test_reply_now_never_waits_and_declines_once_the_pipe_is_full(tmp_path: Path) -> None:
    """A request thread hands questions over with reply_now: it returns at once, sending while
    the worker's pipe has room and declining (sending nothing) once it would block; the
    questions declined go by `reply` and every question is answered once, in order."""
    out = tmp_path / "answered.txt"
    pool = QuestionPool(1, set_up=question_jobs.no_set_up, job=question_jobs.record_slowly)
    long_text = "x" * 3000  # so that a few dozen fill the pipe
    try:
        wait_until_ready(pool)
        sent_now, slowest = [], 0.0
        for number in range(40):
            started = time.monotonic()
            now = pool.reply_now(str(out), f"q{number} {long_text}", body={}, client=NOWHERE)
            slowest = max(slowest, time.monotonic() - started)
            if not now:
                pool.reply(str(out), f"q{number} {long_text}", body={}, client=NOWHERE)
            sent_now.append(now)
        lines = lines_of(out, 40, timeout=30)
    finally:
        pool.close()
    assert slowest < 0.1
    assert sent_now[0] and not sent_now[-1]  # room at first, none once ~20 wait unread
    assert [line.split()[0] for line in lines] == [f"q{n}" for n in range(40)]


def test_reply_now_declines_while_the_worker_sets_up(tmp_path: Path) -> None:
    out = tmp_path / "answered.txt"
    pool = QuestionPool(1, set_up=question_jobs.slow_set_up, job=question_jobs.record)
    try:
        assert not pool.reply_now(str(out), "early", body={}, client=NOWHERE)
        wait_until_ready(pool)
        assert pool.reply_now(str(out), "ready", body={}, client=NOWHERE)
        assert texts(lines_of(out, 1)) == ["ready"]
    finally:
        pool.close()
