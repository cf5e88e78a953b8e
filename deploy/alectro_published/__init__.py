"""What went live: the ``editions.json`` format and the record of each publish kept in git.

Standard library only, shared by the MkDocs plugin (``alectro_policy``, installed) and by publishing and the consent
proof (``alectro_deploy``, run uninstalled with ``deploy/`` on ``PYTHONPATH``): both read and write these files
through the same code, so a field read by one side is the field the other wrote.

- :mod:`~alectro_published.editions_file`: ``editions.json``, parsed into frozen dataclasses and written back;
  ``site_today``, the day in the site's time zone.
"""
