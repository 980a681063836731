"""Maintenance scripts that need botcore internals (the embedder, the triage package):
training the learned safety stage, the triage benchmark, the fuzzy guard list. Run from the
repository root, e.g. ``python -m tools.train_safety``. Not a front door: nothing imports it."""
