from bas.errors import BasError


class PublicationError(BasError):
    """A wave cannot be published as asked; the message says why and what to do."""
