"""Errors the generator reports to a user as one line, without a traceback."""


class UserError(Exception):
    """A mistake in something the user wrote (a spec, a template, a setting).

    The message is the whole report: it names the file and the place in it and
    says what was expected and what was found, e.g.
    ``specs/mynet.yaml: layer 3 'conv2' (conv): kernel 7 is larger than the padded input 5x5``.
    The CLI prints it on one line and exits with status 2.
    """

    exit_code = 2

    def __init__(self, message: str):
        # One line, always: a multi-line message would read like a traceback.
        super().__init__(" ".join(str(message).split()))
