"""The consent banner: its model from the options, the cookie codec, its script, styles and template."""
