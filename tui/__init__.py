"""ATC Guide in the terminal: the Textual apps.

The patient app: start it with ``atc-guide`` (``tui.app.run_app(settings)``), build it for
tests with ``tui.app.build_app(settings, engine)``. The care team's app (packet
preparation, content review): ``atc-guide care-team`` (``tui.care_team.run_care_team``).
Importing this package never imports torch: the engine loads in a thread worker after
the first paint.
"""
