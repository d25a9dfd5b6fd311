"""Orchestration: running a crawl from Python, the demo, and how a run ends (exit statuses)."""
