"""attempt-tui: a terminal dashboard for Svix webhook delivery."""

__version__ = "0.1.0"
