"""Reusable widgets of the ATC Guide app. Behaviour lives here; screens stay thin."""
