"""Screens of the ATC Guide app: thin, composing widgets from ``tui.widgets``."""
