"""ATC Guide eval suite: cases (``evals/cases``), the run, figures, gates and the
clinicians' report. It calls only ``botcore``'s public API (``Engine.ask``,
``Engine.retrieve``, ``Engine.query_cache``); nothing here retrieves, ranks or decides
on its own. The layout, and how to add a case file, a figures section or a gate, is in
``evals/README.md``."""
