"""Git history to editions: reading git, numbering and dating editions, the repository reader."""
