"""ATC Guide eval suite: cases (``evals/cases``), runner, metrics, gates and the
clinicians' report. It only calls the ``botcore`` engine API; nothing here retrieves,
ranks or decides on its own."""
