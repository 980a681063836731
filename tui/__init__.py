"""ATC Guide in the terminal: the Textual app for patients and families.

Start it with ``atc-guide`` (or ``tui.app.run_app(settings)``). Build it for tests with
``tui.app.build_app(settings, engine)``. Importing this package never imports torch:
the engine loads in a thread worker after the first paint.
"""
