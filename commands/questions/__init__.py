"""Questions about the plan: understanding the text, searching, answering, history, help."""
