"""The App Home tab's "my actions": a person's own items by colour, and what their buttons do."""
