"""`attempt-tui completion SHELL`: shell code that completes flags, subcommands and choices.

Through argcomplete: the shell asks `attempt-tui` itself what to complete, so completions always
match the installed version. argcomplete is imported only when a completion is asked for.
"""

from __future__ import annotations

import argparse
import os

SHELLS = ("bash", "zsh", "fish")


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    completion = commands.add_parser(
        "completion",
        help="print shell completion code for bash, zsh or fish",
        description="Print the code that makes SHELL complete attempt-tui's flags and subcommands.",
        epilog="examples:\n"
        '  bash:  eval "$(attempt-tui completion bash)"        (in ~/.bashrc)\n'
        '  zsh:   eval "$(attempt-tui completion zsh)"         (in ~/.zshrc)\n'
        "  fish:  attempt-tui completion fish > ~/.config/fish/completions/attempt-tui.fish",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
    )
    completion.add_argument("shell", choices=SHELLS, metavar="SHELL", help="bash, zsh or fish")


def completion_code(shell: str) -> str:
    from argcomplete.shell_integration import shellcode

    return shellcode(["attempt-tui"], shell=shell)


def complete_if_asked(parser: argparse.ArgumentParser) -> None:
    """Answer the shell's completion request and exit, when this run is one."""
    if "_ARGCOMPLETE" in os.environ:
        import argcomplete

        argcomplete.autocomplete(parser)
