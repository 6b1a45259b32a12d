"""Helpers for the demo server tests: fixed time, the Svix spec validator, paging."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from attempt_tui.compat import UTC, fromisoformat

NOW = datetime(2025, 6, 2, 12, 0, tzinfo=UTC)
SPEC_PATH = Path(__file__).resolve().parents[2].parent / "shared" / "svix-openapi.json"
SPEC_URI = "urn:svix-openapi"
AUTH = {"Authorization": "Bearer testsk_demo.eu"}
LARGE_APPS = 30_000  # customer apps of the large world, as on a real account
MANY_ENDPOINTS = 321  # endpoints of its platform app
_RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def denull(node: Any) -> Any:
    """OpenAPI 3.0 `nullable: true` to JSON Schema 2020-12 (the spec mixes both)."""
    if isinstance(node, list):
        return [denull(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: denull(value) for key, value in node.items() if key != "nullable"}
    if not node.get("nullable"):
        return out
    if "$ref" in out:
        ref = out.pop("$ref")
        return {**out, "anyOf": [{"$ref": ref}, {"type": "null"}]}
    if "type" in out:
        kinds = out["type"] if isinstance(out["type"], list) else [out["type"]]
        out["type"] = [*kinds, "null"]
        if "enum" in out:
            out["enum"] = [*out["enum"], None]
        return out
    return {"anyOf": [out, {"type": "null"}]}


def _format_checker() -> FormatChecker:
    checker = FormatChecker()

    @checker.checks("date-time")
    def _date_time(value: object) -> bool:
        if not isinstance(value, str):
            return True  # formats only constrain strings
        if not _RFC3339.match(value):
            return False
        fromisoformat(value)
        return True

    @checker.checks("uri")
    def _uri(value: object) -> bool:
        if not isinstance(value, str):
            return True
        parts = urlsplit(value)
        return bool(parts.scheme and parts.netloc)

    return checker


class Spec:
    """Validates instances against #/components/schemas/<name> of the Svix OpenAPI spec."""

    def __init__(self, path: Path) -> None:
        self.document = denull(json.loads(path.read_text()))
        resource = Resource(contents=self.document, specification=DRAFT202012)
        self.registry: Registry = Registry().with_resource(SPEC_URI, resource)
        self.format_checker = _format_checker()
        self._validators: dict[str, Draft202012Validator] = {}

    def validator(self, name: str) -> Draft202012Validator:
        if name not in self._validators:
            assert name in self.document["components"]["schemas"], name
            self._validators[name] = Draft202012Validator(
                {"$ref": f"{SPEC_URI}#/components/schemas/{name}"},
                registry=self.registry,
                format_checker=self.format_checker,
            )
        return self._validators[name]

    def validate(self, name: str, instance: object) -> None:
        errors = sorted(self.validator(name).iter_errors(instance), key=lambda e: list(e.path))
        assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])

    def response_schema(self, path: str, method: str, status: str = "200") -> str:
        """The component name of an operation's response schema."""
        content = self.document["paths"][path][method]["responses"][status]["content"]
        ref: str = content["application/json"]["schema"]["$ref"]
        return ref.rsplit("/", 1)[1]


async def collect_pages(
    http: httpx.AsyncClient, path: str, params: dict[str, Any], *, max_pages: int = 200
) -> list[dict[str, Any]]:
    """Every page of a list call, following `iterator` until `done`."""
    pages = []
    iterator = None
    for _ in range(max_pages):
        query = dict(params)
        if iterator is not None:
            query["iterator"] = iterator
        response = await http.get(path, params=query)
        assert response.status_code == 200, response.text
        page = response.json()
        pages.append(page)
        if page["done"]:
            return pages
        iterator = page["iterator"]
    raise AssertionError("paging did not finish")


def ids_of(pages: list[dict[str, Any]]) -> list[str]:
    return [item["id"] for page in pages for item in page["data"]]


def timestamp(value: str) -> datetime:
    return fromisoformat(value)
