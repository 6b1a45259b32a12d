"""attempt-tui: a terminal dashboard for Svix webhook delivery."""

from attempt_tui.pyversion import refuse_too_old

refuse_too_old()  # first, before anything that needs Python 3.10 is imported

__version__ = "0.1.0"
