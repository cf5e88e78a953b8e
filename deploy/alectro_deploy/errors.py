"""The one error that stops a publish or a rollback."""


class PublishError(Exception):
    """Publishing or rolling back stopped; the message says why and what to do."""
