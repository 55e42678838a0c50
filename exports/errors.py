class PublicationError(Exception):
    """A wave cannot be published as asked; the message says why and what to do."""
