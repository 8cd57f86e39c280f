"""Typed errors. Every user-facing failure is one of these, with a message a person can act on."""


class SummarizerError(Exception):
    """Errors that are the caller's to fix: bad input, a missing model, bad options."""

    code = "summarizer_error"


class InputError(SummarizerError):
    """The article cannot be summarized: empty, not text, too long, or no article in the HTML."""

    code = "invalid_input"


class OptionsError(SummarizerError):
    """Summary options that contradict each other or are out of range."""

    code = "invalid_options"


class ModelNotFoundError(SummarizerError):
    """A named model is neither a local folder, a manifest with a local checkpoint, nor cached."""

    code = "model_not_found"


class UnsafeCheckpointError(SummarizerError):
    """A checkpoint that would need pickle (``.bin``/``.pt``) or remote code to load."""

    code = "unsafe_checkpoint"


class ModelLoadError(SummarizerError):
    """A checkpoint was found but could not be loaded."""

    code = "model_load_failed"


class ModelProcessError(SummarizerError):
    """The child process running the model stopped during a call (killed, out of memory)."""

    code = "model_process_died"


class WorkTimeout(SummarizerError, TimeoutError):
    """Work on an article in a worker process (``summarizer.isolation``) did not finish by its
    deadline; the worker was stopped. A ``TimeoutError``, so a caller that bounds its own wait
    the same way (``asyncio.wait_for``) handles both alike."""

    code = "deadline_exceeded"


class WorkerDied(ModelProcessError):
    """A worker process (``summarizer.isolation``) ended during a call (killed, out of
    memory): the server's fault, not the article's; the worker is replaced."""

    code = "worker_died"
