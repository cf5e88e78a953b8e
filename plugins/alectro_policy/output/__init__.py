"""What the build writes: published records, edition pages, feed and editions.json, theme, checks."""
