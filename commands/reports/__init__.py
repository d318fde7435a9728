"""Committee papers' facts: which items, their counts and exceptions per area, as frozen data
that bot/render/paper_docx.py writes into Word."""
