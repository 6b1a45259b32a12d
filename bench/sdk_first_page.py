"""The SDK baseline: the official `svix` SDK printing an endpoint's first page of messages.

`python bench/sdk_first_page.py URL APP_ID ENDPOINT_ID` (token in $SVIX_AUTH_TOKEN) lists the
messages attempted at the endpoint (`message_attempt.list_attempted_messages`, the list
attempt-tui's message table shows) and prints the first one.
"""

from __future__ import annotations

import os
import sys

from svix.api import MessageAttemptListAttemptedMessagesOptions, Svix, SvixOptions

READY = "SDK FIRST ROW"


def main(url: str, app_id: str, endpoint_id: str) -> None:
    svix = Svix(os.environ.get("SVIX_AUTH_TOKEN", "bench"), SvixOptions(server_url=url))
    options = MessageAttemptListAttemptedMessagesOptions(limit=50, with_content=False)
    page = svix.message_attempt.list_attempted_messages(app_id, endpoint_id, options)
    first = page.data[0]
    print(f"{READY} {first.status} {first.event_id or first.id}", flush=True)
    sys.stdin.read(1)  # stay until the harness quits us, like the apps


if __name__ == "__main__":
    main(*sys.argv[1:4])
