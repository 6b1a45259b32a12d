"""Svix API access (never imports textual): `client` (every operation), `budget` (the one
request limiter), `models`, `errors` and `retry`. Import from those modules directly."""
