"""How a post reaches Slack exactly once: where an answer goes, posts kept and retried,
posts that can be looked for again after a lost answer."""
