"""Markdown text read as a reader sees it: blocks, clauses, the diff of two texts, front matter."""
