"""Page classes: turn one response into item data, with no I/O (live crawls and reprocessing share them)."""
