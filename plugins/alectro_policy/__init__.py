"""MkDocs plugin for the legal documents of alectro.ru.

Rooms by subject, imported one way (a room imports only the rooms listed before it):

- ``urls``, ``dates``: leaves every room may use;
- ``text``: Markdown read as a reader sees it (blocks, clauses, the diff of two texts, front matter);
- ``history``: git history to numbered, dated editions;
- ``consent``: the banner's model, the cookie codec, its script, styles and template;
- ``output``: what the build writes (published records, edition pages, editions.json, the theme's part);
- ``changes``: ``make changes``, the report of what a branch would publish.

None of them imports MkDocs; ``config`` (the options) and ``plugin`` (the events) adapt them to MkDocs.
"""
