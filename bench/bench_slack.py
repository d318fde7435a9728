"""Slash-command ack latency and time-to-answer of `planbot serve --http`, beside a bare Bolt app.

    .venv/bin/python bench/bench_slack.py [--requests 1000] [--rounds 10] [--flood] [--think MS]
    .venv/bin/python bench/bench_slack.py --bursts 100 --rounds 3

Starts the fake Slack Web API (tests/support/fake_slack.py) in a process of its own, at the lowest
CPU
priority (it stands in for Slack's servers; in this process its checking of every answer held the
interpreter lock while senders timed acks), then two server processes on localhost, one after
the other: planbot itself (on a fresh SQLite copy of York's plans, scheduler off) and a bare Bolt
app that only acks `/plan`, both behind the same waitress server with the same thread count.
Where there are two CPUs or more, this process, its senders and the fake Slack keep the first and
the app under test gets the rest, so that the load generator's own work does not show up as the
app's latency (BENCH_SHARE_CPUS=1 lets everything share every CPU).

1, 10 and 50 senders post signed `/plan <question>` requests exactly as Slack does (a new
connection each time); like people, each waits for the answer before asking again. planbot runs
first; bare Bolt, which answers nothing, then gets the same senders at the same pace: after each
ack a sender pauses as long as planbot's senders waited between their ack and their next command
(replayed in order), so both servers see the same arrivals. (Driven back to back, bare Bolt stayed
busy and fast at 1 sender and overloaded at 50, while planbot idled between answers.) Ack latency
is the HTTP round trip; time-to-answer runs from sending to the fake receiving the answer on its
response_url. With `--flood` nobody waits for answers: each sender posts its next command as soon
as the last is acked, so the server is answering a growing backlog while it acks. With `--think`
each sender spends that long reading an answer before asking again (a person takes seconds; at 0,
the next command arrives while the app is still tidying up after the answer it has just sent).

p99 over a few hundred requests moved by 2-3x from run to run on a shared 2-core machine, so each
of `--rounds` rounds runs planbot then bare Bolt; the figures pool every round's requests and each
round's p99 ratio is shown too. At 50 senders a round's p99 is the tail of one burst (its fifty
opening commands, arriving together), which for either app can take 2-3x longer in one round than
the next; 10 rounds pool ten bursts per app (a 3-round figure moved from 0.8x to 1.8x between runs
of the same code). `--bursts N` measures only that moment, N times a round: 50 commands sent at
once to an idle app, each waiting for its answer, 0.3 s apart. Reports p50/p99 for both apps, the
ratio of planbot's ack p99 to bare Bolt's, and any request dropped (not 200, or never answered).
Aims: planbot's p99 ack under 100 ms and within 1.5x of bare Bolt.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import multiprocessing
import os
import re
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.synchronize import Event as ProcessEvent
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "support"))

from fake_slack import TEAM_ID, Call, FakeSlack  # noqa: E402
from slack_fixtures import clean_environment, planbot_command, slack_signature  # noqa: E402

from bot.slack.errors import CALM_LINE  # noqa: E402

SECRET = "bench-signing-secret"
LEVELS = (1, 10, 50)
BURST_SENDERS = 50
BURST_PAUSE = 0.3  # seconds of quiet between bursts: the last answers are long sent by then
_ids = itertools.count(1)


def run_bare_app(port_file: str) -> None:
    """The baseline: Bolt with the same client, server and threads, whose listener only acks."""
    import signal

    import waitress
    from slack_bolt import App
    from slack_bolt.adapter.wsgi import SlackRequestHandler

    from bot.settings import load_settings
    from bot.slack.client import build_web_client

    settings = load_settings()
    app = App(
        client=build_web_client(settings),
        signing_secret=settings.slack_signing_secret,
        process_before_response=True,
    )

    @app.command("/plan")
    def only_ack(ack):  # type: ignore[no-untyped-def]
        ack()

    server = waitress.create_server(
        SlackRequestHandler(app),
        host="127.0.0.1",
        port=0,
        threads=settings.planbot_http_threads,
    )
    Path(port_file).write_text(str(server.effective_port))  # type: ignore[union-attr]

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    server.run()


def run_fake_slack(ready: Any, answers: Any, stop: ProcessEvent) -> None:
    """The fake Slack, in its own process: tells `answers` of every response_url post as
    (url, time, answered), answered being False for a failure or the calm apology line."""
    os.nice(19)  # it stands in for Slack, whose servers do not share planbot's CPU
    fake = FakeSlack()

    def note(call: Call) -> None:
        if call.method == "response_url":
            answered = call.answered == 200 and call.payload.get("text") != CALM_LINE
            answers.put((call.payload["_url"], call.at, answered))
        # The bench reads no history: kept, every answer would stay in memory, and the fake's
        # garbage collections would grow round by round on the load generator's core.
        fake.reset()

    fake.on_call = note
    ready.put((fake.url, fake.token))
    stop.wait()
    fake.close()


class RemoteFake:
    """The bench's handle on the fake Slack process: its addresses, and each answer it receives
    passed to `on_answer(url, at)` on a thread of this process."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        ready, self._answers = context.Queue(), context.Queue()
        self._stop = context.Event()
        self._process = context.Process(
            target=run_fake_slack, args=(ready, self._answers, self._stop), daemon=True
        )
        self._process.start()
        self.url, self.token = ready.get(timeout=60)
        self.api_url = self.url + "api/"
        self.on_answer: Callable[[str, float], None] | None = None
        self._ids = itertools.count(1)
        threading.Thread(target=self._dispatch, daemon=True).start()

    def new_response_url(self) -> str:
        return f"{self.url}commands/{TEAM_ID}/{next(self._ids)}/hook{next(self._ids)}"

    def _dispatch(self) -> None:
        while True:
            url, at, answered = self._answers.get()
            if answered and self.on_answer is not None:
                self.on_answer(url, at)

    def close(self) -> None:
        self._stop.set()
        self._process.join(10)


def split_cpus() -> tuple[set[int], set[int]] | None:
    """(the load generator's CPUs, the app's CPUs): the first CPU for this process, its senders
    and the fake Slack, the rest for the app under test, so that the load generator's own work
    does not show up as the app's latency. None where CPUs cannot be assigned (or there is one)."""
    if not hasattr(os, "sched_getaffinity"):
        return None
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2 or os.environ.get("BENCH_SHARE_CPUS"):
        return None
    return {cpus[0]}, set(cpus[1:])


CPUS = split_cpus()


def on_app_cpus() -> None:
    """Run in each server process before it starts (its worker processes inherit it)."""
    if CPUS is not None:
        os.sched_setaffinity(0, CPUS[1])


@dataclass
class Server:
    process: subprocess.Popen[str]
    port: int

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(30)


def wait_healthy(port: int, path: str) -> None:
    deadline = time.monotonic() + 120
    last: object = None
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET" if path == "/healthz" else "POST", path)
            last = connection.getresponse().status
            connection.close()
            if last in (200, 401):
                return
        except OSError as error:
            last = error
        time.sleep(0.1)
    raise SystemExit(f"server on port {port} did not come up (last: {last})")


def start_planbot(env: dict[str, str], workdir: Path) -> Server:
    process = subprocess.Popen(
        [*planbot_command(), "serve", "--http", "--host", "127.0.0.1", "--port", "0"],
        cwd=workdir,
        env=env,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        preexec_fn=on_app_cpus,
    )
    assert process.stderr is not None
    for line in process.stderr:
        if line.startswith("planbot: serving "):
            port = int(line.split()[2].rsplit(":", 1)[1].split("/")[0])
            threading.Thread(target=process.stderr.read, daemon=True).start()  # keep draining
            try:
                wait_healthy(port, "/healthz")
            except BaseException:
                process.kill()
                raise
            return Server(process, port)
    raise SystemExit(f"planbot serve exited with {process.wait()}")


def start_bare(env: dict[str, str], workdir: Path) -> Server:
    port_file = workdir / "bare.port"
    process = subprocess.Popen(
        [sys.executable, __file__, "--bare-app", str(port_file)],
        cwd=workdir,
        env=env,
        text=True,
        preexec_fn=on_app_cpus,
    )
    deadline = time.monotonic() + 60
    while not port_file.exists() or not port_file.read_text():
        if time.monotonic() > deadline or process.poll() is not None:
            raise SystemExit("bare Bolt app did not start")
        time.sleep(0.05)
    port = int(port_file.read_text())
    port_file.unlink()
    server = Server(process, port)
    try:
        wait_healthy(port, "/slack/events")
    except BaseException:
        server.process.kill()
        raise
    return server


@dataclass
class Level:
    acks: list[float] = field(default_factory=list)
    pauses: list[float] = field(default_factory=list)  # from an ack to that sender's next command
    answers: list[float] = field(default_factory=list)
    dropped: int = 0

    def add(self, other: Level) -> None:
        self.acks += other.acks
        self.pauses += other.pauses
        self.answers += other.answers
        self.dropped += other.dropped


# Linux's SO_TIMESTAMPNS (= SCM_TIMESTAMPNS): the kernel stamps each segment as it arrives.
# Python does not name it; elsewhere the bench times replies when its thread reads them.
SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35 if sys.platform == "linux" else None)


def send_command(port: int, fake: RemoteFake, text: str) -> tuple[float, str, float, float] | None:
    """One signed `/plan` on a new connection: (ack latency, response_url, wall time sent,
    monotonic time the ack was read), or None when it was not acknowledged with a 200.

    The latency runs from just before the request is written to when the kernel received the
    reply's last segment: fifty sender threads share one interpreter lock, and a thread can wait
    milliseconds for it after its reply has arrived, which is the load generator's delay and
    not the app's (it had made a 50-command burst's p99 vary 2-3x from round to round)."""
    response_url = fake.new_response_url()
    form = {
        "token": "unused",
        "team_id": TEAM_ID,
        "team_domain": "york-council",
        "channel_id": "CBENCH001",
        "channel_name": "bench",
        "user_id": f"UBENCH{next(_ids) % 50:03d}",
        "user_name": "bench",
        "command": "/plan",
        "text": text,
        "api_app_id": "A0PLANBOT1",
        "response_url": response_url,
        "trigger_id": f"{next(_ids)}.trigger",
    }
    body = urlencode(form).encode()
    stamp = str(int(time.time()))
    head = (
        f"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\nX-Slack-Request-Timestamp: {stamp}\r\n"
        f"X-Slack-Signature: {slack_signature(SECRET, stamp, body)}\r\nConnection: close\r\n\r\n"
    )
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
            if SO_TIMESTAMPNS is not None:
                connection.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
            wall, started = time.time(), time.monotonic()
            connection.sendall(head.encode() + body)
            reply, arrived = _read_reply(connection)
    except OSError:
        return None
    acked = time.monotonic()
    latency = arrived - wall if arrived is not None else acked - started
    return (latency, response_url, wall, acked) if reply.startswith(b"HTTP/1.1 200") else None


def _read_reply(connection: socket.socket) -> tuple[bytes, float | None]:
    """The whole HTTP reply, and when (wall clock) the kernel received its last segment."""
    reply, arrived, size = b"", None, None
    while size is None or len(reply) < size:
        data, ancillary, _, _ = connection.recvmsg(65536, socket.CMSG_SPACE(16))
        if not data:
            break
        reply += data
        for level, kind, payload in ancillary:
            if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS:
                seconds, nanoseconds = struct.unpack("qq", payload[:16])
                arrived = seconds + nanoseconds / 1e9
        end = reply.find(b"\r\n\r\n")
        if size is None and end >= 0:
            length = re.search(rb"(?im)^content-length:\s*(\d+)", reply[:end])
            size = end + 4 + (int(length.group(1)) if length else 0)
    return reply, arrived


class Answers:
    """The answers the fake Slack tells of, waited for by the senders that asked."""

    def __init__(self, level: Level) -> None:
        self._level = level
        self._lock = threading.Lock()
        self._arrived: dict[str, threading.Event] = {}
        self._at: dict[str, float] = {}

    def note(self, url: str, at: float) -> None:  # an apology is not one: it counts as dropped
        self._at[url] = at
        self._event(url).set()

    def acked(self, ack: float) -> None:
        with self._lock:
            self._level.acks.append(ack)

    def dropped(self) -> None:
        with self._lock:
            self._level.dropped += 1

    def collect(self, url: str, wall: float) -> None:
        """Wait for the answer to `url` (sent at `wall`): its time counts, or a drop."""
        if self._event(url).wait(60):
            with self._lock:
                self._level.answers.append(self._at[url] - wall)
        else:
            self.dropped()

    def _event(self, url: str) -> threading.Event:
        with self._lock:
            return self._arrived.setdefault(url, threading.Event())


def measure(
    port: int,
    fake: RemoteFake,
    text: str,
    senders: int,
    count: int,
    answers: bool,
    flood: bool = False,
    pauses: list[float] | None = None,
    think: float = 0.0,
) -> Level:
    """`senders` people each send a command and wait for its answer (planbot), then `think`
    seconds, or, after its ack, pause as long as `pauses` says (bare Bolt, which answers
    nothing), `count` commands in all."""
    level = Level()
    lock = threading.Lock()
    answered = Answers(level)
    fake.on_answer = answered.note
    turns = iter(range(count))
    pending: list[tuple[str, float]] = []

    def person() -> None:
        while True:
            with lock:
                turn = next(turns, None)
                if turn is None:
                    return
            outcome = send_command(port, fake, text)
            if outcome is None:
                answered.dropped()
                continue
            ack, url, wall, acked = outcome
            answered.acked(ack)
            if answers and flood:
                with lock:
                    pending.append((url, wall))
            elif answers:
                answered.collect(url, wall)
                time.sleep(think)
            if pauses:
                time.sleep(pauses[turn % len(pauses)])
            with lock:
                level.pauses.append(time.monotonic() - acked)

    threads = [threading.Thread(target=person) for _ in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for url, wall in pending:
        answered.collect(url, wall)
    fake.on_answer = None
    return level


def measure_bursts(
    port: int, fake: RemoteFake, text: str, senders: int, bursts: int, answers: bool
) -> Level:
    """`bursts` times, `senders` people send one command each at the same moment (released by a
    barrier) and wait for its answer (planbot); then all is quiet for BURST_PAUSE before the next
    burst, so each burst meets an idle app, as the opening burst of a level does."""
    level = Level()
    answered = Answers(level)

    def person(barrier: threading.Barrier) -> None:
        barrier.wait()
        outcome = send_command(port, fake, text)
        if outcome is None:
            answered.dropped()
            return
        ack, url, wall, _ = outcome
        answered.acked(ack)
        if answers:
            answered.collect(url, wall)

    fake.on_answer = answered.note
    for _ in range(bursts):
        barrier = threading.Barrier(senders)
        threads = [threading.Thread(target=person, args=(barrier,)) for _ in range(senders)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        time.sleep(BURST_PAUSE)
    fake.on_answer = None
    return level


def burst_main(args: argparse.Namespace, fake: RemoteFake, env: dict[str, str], work: Path) -> int:
    """`--bursts N`: only the moment that sets the 50-sender p99, measured N times a round."""
    pooled = {name: Level() for name in ("planbot", "bare Bolt")}
    ratios: list[float] = []
    for _ in range(args.rounds):
        this_round: dict[str, Level] = {}
        for name, start, answers in (
            ("planbot", start_planbot, True),
            ("bare Bolt", start_bare, False),
        ):
            server = start(env, work)
            try:
                measure(server.port, fake, args.question, 5, 20, answers)  # warm up
                this_round[name] = measure_bursts(
                    server.port, fake, args.question, BURST_SENDERS, args.bursts, answers
                )
            finally:
                server.stop()
            pooled[name].add(this_round[name])
        bot, bare = this_round["planbot"], this_round["bare Bolt"]
        ratios.append(p99_ratio(bot, bare))
    fake.close()
    bot, bare = pooled["planbot"], pooled["bare Bolt"]
    print(
        f"/plan {args.question}  ({args.rounds} rounds of {args.bursts} bursts of "
        f"{BURST_SENDERS} commands sent at once, {BURST_PAUSE * 1000:.0f} ms apart, "
        f"{os.cpu_count()} cores)"
    )
    print(
        "| bare Bolt ack p50 / p99 ms | planbot ack p50 / p99 ms | p99 ratio (each round) | "
        "planbot answer p50 / p99 ms | dropped |"
    )
    print("|---|---|---|---|---|")
    print(f"| {cells(bare, bot, ratios)} |")
    return 0


def p99_ratio(bot: Level, bare: Level) -> float:
    return percentile(bot.acks, 0.99) / percentile(bare.acks, 0.99)


def cells(bare: Level, bot: Level, round_ratios: list[float]) -> str:
    """A table row's figures: both apps' acks, the p99 ratio (and each round's), planbot's time
    to answer, what was dropped."""
    each = ", ".join(f"{r:.2f}" for r in round_ratios)
    return (
        f"{ms(statistics.median(bare.acks))} / {ms(percentile(bare.acks, 0.99))} "
        f"| {ms(statistics.median(bot.acks))} / {ms(percentile(bot.acks, 0.99))} "
        f"| {p99_ratio(bot, bare):.2f}x ({each}) | {ms(statistics.median(bot.answers))} / "
        f"{ms(percentile(bot.answers, 0.99))} | {bare.dropped + bot.dropped}"
    )


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def ms(value: float) -> str:
    return f"{value * 1000:.1f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--requests", type=int, default=1000, help="requests per level and round (default 1000)"
    )
    parser.add_argument(
        "--rounds", type=int, default=10, help="rounds, each planbot then bare Bolt (default 10)"
    )
    parser.add_argument("--question", default="what's open under OA4?")
    parser.add_argument("--flood", action="store_true", help="send without waiting for answers")
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        metavar="MS",
        help="milliseconds each sender spends reading an answer before asking again (default 0)",
    )
    parser.add_argument(
        "--bursts",
        type=int,
        default=0,
        metavar="N",
        help=f"measure only bursts: N per round of {BURST_SENDERS} commands sent at once",
    )
    parser.add_argument("--bare-app", metavar="PORT_FILE", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare_app:
        run_bare_app(args.bare_app)
        return 0

    if CPUS is not None:
        os.sched_setaffinity(0, CPUS[0])  # before the fake Slack starts, so it inherits it
    fake = RemoteFake()
    work = Path(tempfile.mkdtemp(prefix="planbot-bench-"))
    env = clean_environment(
        SLACK_BOT_TOKEN=fake.token,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=fake.api_url,
        DATABASE_URL=os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{work / 'york.db'}"),
        PLANBOT_TODAY="2023-02-15",
        PLANBOT_SCHEDULER="false",
    )
    env.update({k: v for k, v in os.environ.items() if k.startswith("PLANBOT_")})
    if args.bursts:
        return burst_main(args, fake, env, work)
    pooled = {name: {n: Level() for n in LEVELS} for name in ("planbot", "bare Bolt")}
    round_ratios: dict[int, list[float]] = {n: [] for n in LEVELS}
    for _ in range(args.rounds):
        this_round: dict[tuple[str, int], Level] = {}
        for name, start, answers in (
            ("planbot", start_planbot, True),
            ("bare Bolt", start_bare, False),
        ):
            server = start(env, work)
            try:
                measure(server.port, fake, args.question, 5, 20, answers)  # warm up
                for senders in LEVELS:
                    count = max(args.requests, senders * 4)
                    pace = None if answers else this_round["planbot", senders].pauses
                    level = measure(
                        server.port,
                        fake,
                        args.question,
                        senders,
                        count,
                        answers,
                        args.flood,
                        pace,
                        args.think / 1000,
                    )
                    this_round[name, senders] = level
                    pooled[name][senders].add(level)
            finally:
                server.stop()
        for senders in LEVELS:
            bot, bare = this_round["planbot", senders], this_round["bare Bolt", senders]
            round_ratios[senders].append(p99_ratio(bot, bare))
    fake.close()

    mode = "flood: no waiting for answers" if args.flood else "each sender waits for its answer"
    if args.think and not args.flood:
        mode += f" and reads it for {args.think:g} ms"
    print(
        f"/plan {args.question}  ({args.rounds} rounds of {args.requests} per level, {mode}, "
        f"{os.cpu_count()} cores)"
    )
    print(
        "| senders | bare Bolt ack p50 / p99 ms | planbot ack p50 / p99 ms | "
        "p99 ratio (each round) | planbot answer p50 / p99 ms | dropped |"
    )
    print("|---|---|---|---|---|---|")
    summary = {}
    for senders in LEVELS:
        bare, bot = pooled["bare Bolt"][senders], pooled["planbot"][senders]
        print(f"| {senders} | {cells(bare, bot, round_ratios[senders])} |")
        summary[senders] = {
            "bare_ack_p99_ms": percentile(bare.acks, 0.99) * 1000,
            "planbot_ack_p99_ms": percentile(bot.acks, 0.99) * 1000,
            "ratio": p99_ratio(bot, bare),
            "round_ratios": round_ratios[senders],
            "dropped": bare.dropped + bot.dropped,
        }
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    name = "bench_slack_flood.json" if args.flood else "bench_slack.json"
    (out / name).write_text(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
