"""The command-line flags that take part in resolving settings, read from argparse once."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Flags:
    """What the command line asked for; None (or False) means the flag was not given."""

    demo: bool = False
    server_url: str | None = None
    profile: str | None = None
    app_id: str | None = None
    endpoint_id: str | None = None
    read_only: bool = False
    poll_seconds: float | None = None
    page_size: int | None = None
    token_file: Path | None = None

    @classmethod
    def from_namespace(cls, args: argparse.Namespace) -> Flags:
        """The flags of the main command or of `config` (both parsers define every one)."""
        return cls(
            demo=args.demo,
            server_url=args.server_url,
            profile=args.profile,
            app_id=args.app,
            endpoint_id=args.endpoint,
            read_only=args.read_only,
            poll_seconds=args.poll,
            page_size=args.page_size,
            token_file=args.token_file,
        )

    def for_profile(self, name: str) -> Flags:
        """The flags that still apply after switching to profile `name` inside the app.

        --read-only and --page-size hold across switches; --server-url, --token-file, --app,
        --endpoint and --poll were meant for the profile the app started with.
        """
        return Flags(profile=name, read_only=self.read_only, page_size=self.page_size)
