"""MkDocs plugin for the legal documents of alectro.ru.

The domain modules (``clauses``, ``editions``, ``git_log``, ...) do not
import MkDocs; ``plugin`` adapts them to MkDocs' events.
"""
