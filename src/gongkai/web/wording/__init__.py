"""The wording dictionary administrators maintain in the web UI (admin, XLSX import/export, audited).

Entries here are merged over the built-in data files when a check runs (``apps.WordingConfig.ready``
registers ``loader.source`` with ``gongkai.wording.register_source``)."""
