"""`make changes`: what a branch or the working copy would publish, as a Markdown report."""
