"""The weekly summary: composing it, and channels' subscriptions to it."""
