"""Domain errors. Each message says what went wrong and how to fix it."""


class AdvisorError(Exception):
    """Base class for every error a user should see as one clear line."""


class ConfigError(AdvisorError):
    """A setting is missing, unknown or invalid."""


class ModelError(AdvisorError):
    """A model could not be found, loaded or called."""


class InputError(AdvisorError):
    """A file or value supplied by the user cannot be used."""


class NotFoundError(AdvisorError):
    """A requested object (conversation, org, document, run) does not exist."""
