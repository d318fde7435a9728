"""A message's permalink made from the workspace's address, as chat.getPermalink makes it."""

from __future__ import annotations

from fake_slack import FakeSlack
from slack_sdk import WebClient

from bot.slack.client import message_link


def client_for(fake: FakeSlack, token: str) -> WebClient:
    """A client of its own token, so the address each test asks for is not one kept from
    another test."""
    fake.extra_tokens[token] = {"auth.test"}
    return WebClient(token=token, base_url=fake.api_url)


def test_a_reply_and_a_thread_start_get_slack_s_addresses(fake_slack: FakeSlack) -> None:
    client = client_for(fake_slack, "xoxb-link-1")
    assert message_link(client, "C0PLAN001", "1676451700.000200", "1676451600.000100") == (
        "https://york-council.slack.com/archives/C0PLAN001/p1676451700000200"
        "?thread_ts=1676451600.000100&cid=C0PLAN001"
    )
    assert message_link(client, "C0PLAN001", "1676451600.000100", "1676451600.000100") == (
        "https://york-council.slack.com/archives/C0PLAN001/p1676451600000100"
    )
    asked = [c for c in fake_slack.calls if c.method == "auth.test"]
    assert len(asked) == 1  # the address is asked for once, not per message


def test_no_address_from_slack_means_no_link_and_no_error(fake_slack: FakeSlack) -> None:
    client = client_for(fake_slack, "xoxb-link-2")
    fake_slack.fail_next("auth.test", error="ratelimited")
    assert message_link(client, "C0PLAN001", "1676451700.000200") is None
    assert message_link(client, None, "1676451700.000200") is None
    assert message_link(client, "C0PLAN001", None) is None
