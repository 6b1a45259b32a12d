"""Server URLs: checking one, choosing one from a token's region, and showing one safely."""

from __future__ import annotations

from urllib.parse import urlsplit

DEFAULT_SERVER_URL = "https://api.svix.com"
REGIONS = frozenset({"us", "eu", "in", "ca", "au"})


def normalize_server_url(url: str) -> str:
    """Strip whitespace and trailing slashes; raise ValueError unless it is an http(s) URL.

    The error never repeats the value: a token pasted into the wrong place must not be echoed.
    """
    url = url.strip().rstrip("/")
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError("must be an http:// or https:// URL")
    return url


def base_url_for_token(token: str) -> str:
    """`https://api.<region>.svix.com` for tokens ending in a region suffix, else the global API."""
    if "." in token:
        region = token.rsplit(".", 1)[1]
        if region in REGIONS:
            return f"https://api.{region}.svix.com"
    return DEFAULT_SERVER_URL


def display_url(url: str) -> str:
    """`url` without any user:password@ part: for the screen, the audit log and exported files."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rpartition("@")[2]
    return parts._replace(netloc=host).geturl()
