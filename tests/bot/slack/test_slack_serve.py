"""`planbot serve`: start-up checks, /healthz, SIGTERM, and several processes on one database."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fake_slack import FakeSlack
from slack_fixtures import (
    SIGNING_SECRET,
    SlackAppProcess,
    clean_environment,
    message_event,
    planbot_command,
)

from bot.cli import main
from bot.cli import serve as cli_serve
from bot.speed.question_pool import WORKER_NICENESS

pytestmark = pytest.mark.slow  # starts planbot as a process

StartApp = Callable[..., SlackAppProcess]


def run_serve(tmp_path: Path, *args: str, **settings: str) -> subprocess.CompletedProcess[str]:
    """`planbot serve …` as a real process."""
    return subprocess.run(
        [*planbot_command(), "serve", *args],
        cwd=tmp_path,
        env=clean_environment(**settings),
        capture_output=True,
        text=True,
        timeout=60,
    )


@dataclass
class Started:
    code: int
    stderr: str


@pytest.fixture
def serve_here(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> Callable[..., Started]:
    """`planbot serve …` run in this process (no interpreter to start: fast), for start-ups that
    must stop before serving; it fails the test rather than serve."""

    def refuse_to_serve(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("planbot serve started serving")

    monkeypatch.setattr(cli_serve, "_serve_http", refuse_to_serve)
    monkeypatch.setattr(cli_serve, "_serve_socket", refuse_to_serve)
    monkeypatch.chdir(tmp_path)  # no stray .env

    def run(*args: str, **settings: str) -> Started:
        for name in list(os.environ):
            if name.startswith(("SLACK_", "PLANBOT_", "DATABASE_URL")):
                monkeypatch.delenv(name)
        for name, value in settings.items():
            monkeypatch.setenv(name, value)
        capsys.readouterr()
        code = main(["serve", *args])
        return Started(code, capsys.readouterr().err)

    return run


GOOD = {
    "SLACK_BOT_TOKEN": "xoxb-1-2-3",
    "SLACK_SIGNING_SECRET": SIGNING_SECRET,
    "SLACK_APP_TOKEN": "xapp-1-2-3",
}


def test_a_missing_setting_stops_the_process_with_one_line(tmp_path: Path) -> None:
    result = run_serve(tmp_path, "--http", SLACK_BOT_TOKEN="xoxb-1-2-3")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "planbot: SLACK_SIGNING_SECRET is not set (see .env.example)"
    ]


@pytest.mark.parametrize(
    ("mode", "change", "expected"),
    [
        ("--http", {"SLACK_BOT_TOKEN": ""}, "planbot: SLACK_BOT_TOKEN is not set"),
        ("--http", {"SLACK_SIGNING_SECRET": ""}, "planbot: SLACK_SIGNING_SECRET is not set"),
        ("--http", {"SLACK_BOT_TOKEN": "xoxp-1"}, "planbot: SLACK_BOT_TOKEN should start"),
        ("--socket", {"SLACK_APP_TOKEN": ""}, "planbot: SLACK_APP_TOKEN is not set"),
        ("--socket", {"SLACK_APP_TOKEN": "xoxb-1"}, "planbot: SLACK_APP_TOKEN should start"),
        ("--http", {"PLANBOT_TIMEZONE": "Mars/Olympus"}, "planbot: PLANBOT_TIMEZONE: 'Mars"),
        ("--http", {"DATABASE_URL": "not a url"}, "planbot: DATABASE_URL: 'not a url' is not"),
        ("--http", {"PLANBOT_ADMINS": "alice"}, "planbot: PLANBOT_ADMINS: 'alice' is not a"),
        ("--http", {"PLANBOT_WORKERS": "0"}, "planbot: PLANBOT_WORKERS: Input should be"),
    ],
)
def test_a_missing_or_malformed_setting_stops_start_up_with_one_line(
    serve_here: Callable[..., Started], mode: str, change: dict[str, str], expected: str
) -> None:
    settings = {k: v for k, v in {**GOOD, **change}.items() if v}
    started = serve_here(mode, **settings)
    assert started.code == 2
    lines = started.stderr.strip().splitlines()
    assert len(lines) == 1, started.stderr
    assert lines[0].startswith(expected)


def test_a_token_slack_refuses_stops_start_up_naming_it(
    serve_here: Callable[..., Started], fake_slack: FakeSlack, york_url: str
) -> None:
    started = serve_here(
        "--http",
        SLACK_BOT_TOKEN="xoxb-revoked",
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=fake_slack.api_url,
        DATABASE_URL=york_url,
    )
    assert started.code == 2
    assert (
        started.stderr.strip()
        .splitlines()[-1]
        .startswith(f"planbot: SLACK_BOT_TOKEN: Slack at {fake_slack.api_url} refused it")
    )
    assert "invalid_auth" in started.stderr
    assert "Traceback" not in started.stderr


def test_an_unreachable_database_stops_start_up_naming_it(
    serve_here: Callable[..., Started], fake_slack: FakeSlack
) -> None:
    started = serve_here(
        "--http",
        SLACK_BOT_TOKEN=fake_slack.token,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=fake_slack.api_url,
        DATABASE_URL="postgresql://planbot@127.0.0.1:9/planbot",
    )
    assert started.code == 2
    last = started.stderr.strip().splitlines()[-1]
    assert last.startswith("planbot: DATABASE_URL: cannot open the database")
    assert "Traceback" not in started.stderr


def question_workers(pid: int) -> list[int]:
    """The question worker processes (bot/speed/question_pool.py) of the app process `pid`."""
    children: list[str] = []
    for task in Path(f"/proc/{pid}/task").iterdir():  # each thread's children are its own
        with contextlib.suppress(OSError):
            children += (task / "children").read_text().split()
    workers = []
    for child in map(int, children):
        with contextlib.suppress(OSError):
            if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes():
                workers.append(child)
    return workers


def running(pid: int) -> bool:
    """True while `pid` runs (an exited process may linger as a zombie until it is reaped)."""
    try:
        status = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return status.rsplit(")", 1)[1].split()[0] != "Z"


def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition never met"
        time.sleep(0.05)


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads processes from /proc")
def test_healthz_a_dead_question_worker_and_sigterm(
    start_slack_app: StartApp, fake_slack: FakeSlack, york_url: str
) -> None:
    app = start_slack_app(york_url)
    health = app.healthz()
    assert (health.status, health.json) == (200, {"ok": True, "database": "reachable"})
    assert app.request("GET", "/nowhere").status == 404

    first = fake_slack.answer_to(app.command("/plan what's open under OA4?").response_url)
    assert "P7.5" in first.payload["text"]  # so the worker has set up
    [worker] = question_workers(app.process.pid)
    os.kill(worker, signal.SIGKILL)  # out of memory, or killed by hand
    wait_until(lambda: worker not in question_workers(app.process.pid))
    answer = fake_slack.answer_to(app.command("/plan what's open under OA4?").response_url)
    assert "P7.5" in answer.payload["text"]  # asked again of a new worker, not an apology
    assert "question worker process died" in app.log
    [replacement] = question_workers(app.process.pid)

    # Acknowledged, answers still being worked out (a verb in this process, a question in the
    # worker) when SIGTERM arrives: both are sent before the process ends, and so do the workers.
    sent = [app.command("/plan help"), app.command("/plan what's overdue for Head of MASH?")]
    assert app.stop() == 0
    for one in sent:
        assert fake_slack.answer_to(one.response_url, timeout=1).payload["response_type"]
    assert "planbot: stopped" in app.log
    assert "Traceback" not in app.log
    assert not running(replacement)
    with pytest.raises(OSError):
        app.healthz()


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads processes from /proc")
def test_questions_are_answered_and_sent_by_a_worker_that_gives_way_to_acks(
    start_slack_app: StartApp, fake_slack: FakeSlack, york_url: str
) -> None:
    app = start_slack_app(york_url)
    answer = fake_slack.answer_to(app.command("/plan share what's open under OA4?").response_url)
    assert answer.payload["response_type"] == "in_channel"
    assert "P7.5" in answer.payload["text"]
    fake_slack.assert_valid()

    [worker] = question_workers(app.process.pid)  # it has answered, so it is set up
    serving = os.getpriority(os.PRIO_PROCESS, app.process.pid)
    assert os.getpriority(os.PRIO_PROCESS, worker) == min(serving + WORKER_NICENESS, 19)


def test_healthz_answers_503_when_the_database_is_gone(
    start_slack_app: StartApp, york_url: str, pg_server: Any
) -> None:
    app = start_slack_app(york_url)
    assert app.healthz().status == 200
    if pg_server is not None:
        pg_server.drop(york_url.rsplit("/", 1)[-1])
    else:
        Path(york_url.removeprefix("sqlite:///")).write_bytes(b"this is not a database" * 512)
    health = app.healthz()
    assert (health.status, health.json) == (503, {"ok": False, "database": "unreachable"})


@pytest.mark.engine_independent  # processes, not the database: once, on SQLite
@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads processes from /proc")
def test_an_app_killed_outright_leaves_no_question_worker_behind(
    start_slack_app: StartApp, york_url: str
) -> None:
    app = start_slack_app(york_url)
    wait_until(lambda: len(question_workers(app.process.pid)) == 1)
    [worker] = question_workers(app.process.pid)
    app.process.kill()  # SIGKILL: no chance to close its pool
    app.process.wait()
    # the worker sees its parent gone and exits; 15 s leaves room for a CI machine running the
    # SQLite and PostgreSQL suites side by side on two cores (it took over 5 s there)
    wait_until(lambda: not running(worker), timeout=15)


def test_two_processes_on_one_database_answer_an_event_once(
    start_slack_app: StartApp, fake_slack: FakeSlack, york_url: str
) -> None:
    apps = [
        start_slack_app(york_url, PLANBOT_SCHEDULER="false"),
        start_slack_app(york_url, PLANBOT_SCHEDULER="false"),
    ]
    statuses: list[int] = []

    def deliver(
        app: SlackAppProcess, event: dict[str, Any], event_id: str, retry: int | None
    ) -> None:
        statuses.append(app.event(event, event_id=event_id, retry_num=retry).status)

    for number in range(5):  # the same event reaches both at once, as after a timed-out delivery
        event = message_event("help", channel=f"DBOTH000{number}")
        threads = [
            threading.Thread(target=deliver, args=(app, event, f"EvBOTH{number}", retry))
            for app, retry in ((apps[0], None), (apps[1], 1))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert statuses == [200] * 10
    fake_slack.wait_for("chat.postMessage", count=5)
    time.sleep(0.5)  # a second answer, if any, would have arrived by now
    channels = sorted(c.payload["channel"] for c in fake_slack.calls_to("chat.postMessage"))
    assert channels == [f"DBOTH000{n}" for n in range(5)]
