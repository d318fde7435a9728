"""`planbot digest [--channel C] [--dry-run] [--repost]`: the weekly summary from the terminal.

`--dry-run` prints each subscription's summary (or the whole plan's, when nobody subscribes) and
posts and claims nothing. Without it, this week's summary is posted now to each subscribed channel
through the same once-per-week claim the scheduler uses, so it never doubles a scheduled post;
`--repost` corrects an already-posted summary in place (chat.update).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from slack_sdk import WebClient

    from bot.runtime import Runtime
    from commands.digest.scope import Scope
    from store.models import DigestSubscription

MESSAGES = {
    "posted": "posted",
    "recovered": "was already in the channel; recorded",
    "already": "already posted this week (use --repost to correct it in place)",
    "busy": "being posted by another process",
    "failed": "NOT posted",
    "updated": "corrected in place",
    "missing": "nothing posted this week to correct",
    "inactive": "no longer active",
}


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "digest",
        help="post (or print) this week's performance-session summary",
        description="Post this week's summary to the subscribed channels, or print it.",
    )
    parser.add_argument("--channel", metavar="C", help="only this channel's subscriptions")
    parser.add_argument(
        "--dry-run", action="store_true", help="print the summaries; post and claim nothing"
    )
    parser.add_argument(
        "--repost", action="store_true", help="correct this week's posted summary in place"
    )
    parser.add_argument(
        "--scope", help="with --dry-run: print the summary for all, a plan, OA4/P7 or a role"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # Imported here, not at the top: building the `planbot` parser must stay quick, and these
    # bring in the database layer, Slack's SDK and (through the chart) matplotlib.
    from bot.cli.common import open_runtime
    from bot.settings import load_settings
    from bot.slack.client import build_web_client
    from commands.digest.scope import ScopeError, resolve_scope
    from store.db import session_scope
    from store.queries.digests import active_subscriptions

    if args.scope and not args.dry_run:
        print(
            "--scope goes with --dry-run: posting always follows the channels' subscriptions.",
            file=sys.stderr,
        )
        return 2
    settings = load_settings()
    runtime = open_runtime(settings, args.as_of)
    with session_scope(runtime.engine) as session:
        subscriptions = [
            s
            for s in active_subscriptions(session)
            if args.channel is None or s.channel == args.channel
        ]
        scope = None
        if args.scope or not subscriptions:
            try:
                scope = resolve_scope(session, args.scope or "all")
            except ScopeError as error:
                print(error, file=sys.stderr)
                return 2
    if args.dry_run:
        return _print_dry_run(runtime, subscriptions, scope, args.channel)
    if not subscriptions:
        where = f"{args.channel} has no" if args.channel else "No channel has a"
        print(
            f"{where} weekly summary subscription. Subscribe in Slack with "
            "`/plan digest subscribe`, or print one with --dry-run.",
            file=sys.stderr,
        )
        return 1
    settings.require("SLACK_BOT_TOKEN")
    client = build_web_client(settings)
    return _post(runtime, client, subscriptions, args.repost)


def _print_dry_run(
    runtime: Runtime,
    subscriptions: list[DigestSubscription],
    scope: Scope | None,
    channel: str | None,
) -> int:
    """Print the summaries the subscriptions would get now (or the one for `scope`)."""
    from bot.cli.ask import terminal_text
    from bot.jobs.digest import DigestComposer
    from bot.render.digest import render_digest
    from commands.digest.summary import DigestData
    from store.db import session_scope

    if scope is not None:
        with session_scope(runtime.engine) as session:
            data = DigestData.load(
                session,
                as_of=runtime.clock.now(),
                thresholds=runtime.policy.thresholds,
                measures=runtime.policy.measures,
            )
        if not subscriptions:
            where = f" in {channel}" if channel else ""
            print(f"(no channel{where} subscribes; this is the summary for {scope.label})\n")
        print(terminal_text(render_digest(data.compose(scope))))
        return 0
    composer = DigestComposer(runtime)
    now = runtime.clock.utcnow()
    for index, subscription in enumerate(subscriptions):
        if index:
            print("\n" + "-" * 72 + "\n")
        print(f"# {subscription.channel} · subscription {subscription.id}\n")
        print(terminal_text(render_digest(composer.compose(subscription, now))))
    return 0


def _post(
    runtime: Runtime, client: WebClient, subscriptions: list[DigestSubscription], again: bool
) -> int:
    from bot.jobs.digest import DigestComposer, post_summary, repost

    failed = 0
    composer = DigestComposer(runtime)
    now = runtime.clock.utcnow()
    for subscription in subscriptions:
        if again:
            outcome = repost(runtime, client, subscription.id or 0, now=now)
        else:
            outcome = post_summary(
                runtime, client, subscription.id or 0, now=now, composer=composer
            )
        failed += outcome.outcome == "failed"
        detail = f": {outcome.detail}" if outcome.detail and outcome.outcome == "failed" else ""
        ts = f" (ts {outcome.ts})" if outcome.ts else ""
        print(
            f"{subscription.channel} · week of {outcome.week:%d %b %Y}: "
            f"{MESSAGES.get(outcome.outcome, outcome.outcome)}{ts}{detail}"
        )
    return 1 if failed else 0
