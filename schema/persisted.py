"""Automatic persisted queries (Apollo's APQ): documents known by their SHA-256, parsed and validated once.

A mobile client sends `extensions.persistedQuery.sha256Hash` alone; the first time, the server answers
PersistedQueryNotFound and the client sends the document with its hash, which is checked and kept. Later
requests name the hash only, and the document is neither parsed nor validated again (the parsed tree and
the fact that it passed every rule, limits included, are kept with it). In allowlist mode only documents
from a manifest run, by hash or in full.

Documents sent in full are kept the same way, keyed by their hash, so a polled dashboard is parsed and
validated once per process rather than on every request (the rules depend on the document alone, never on
its variables). The store is per process and bounded (least recently used first out): a restarted or second worker asks
each client once for the document again, which APQ clients do by themselves, in exchange for no shared
state to keep consistent.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from graphql import DocumentNode
from strawberry.extensions import SchemaExtension

MAX_DOCUMENTS = 5_000


class PersistedQueryMode(str, Enum):
    ON = "on"  # any document may be persisted by its hash
    ONLY = "only"  # only the manifest's documents run
    OFF = "off"


class PersistedQueryRefused(Exception):
    """An APQ request that cannot run; `message` and `code` are what Apollo clients look for."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


NOT_FOUND = PersistedQueryRefused("PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND")
NOT_SUPPORTED = PersistedQueryRefused("PersistedQueryNotSupported", "PERSISTED_QUERY_NOT_SUPPORTED")
HASH_MISMATCH = PersistedQueryRefused("provided sha does not match query", "PERSISTED_QUERY_HASH_MISMATCH")
NOT_ALLOWED = PersistedQueryRefused(
    "Only registered documents run on this server; send a persisted query's hash.", "PERSISTED_QUERY_NOT_ALLOWED"
)


def document_hash(document: str) -> str:
    return hashlib.sha256(document.encode()).hexdigest()


@dataclass
class PersistedDocument:
    query: str
    parsed: DocumentNode | None = None
    valid: bool = False


@dataclass
class PersistedQueries:
    mode: PersistedQueryMode = PersistedQueryMode.ON
    capacity: int = MAX_DOCUMENTS
    _documents: OrderedDict[str, PersistedDocument] = field(default_factory=OrderedDict)
    _registered: frozenset[str] = frozenset()

    @classmethod
    def from_manifest(cls, path: Path) -> PersistedQueries:
        """Allowlist mode from an Apollo persisted-query manifest ({"operations": [{"id", "body"}, ...]})."""
        operations = json.loads(path.read_text())["operations"]
        store = cls(mode=PersistedQueryMode.ONLY, capacity=max(len(operations), 1))
        for operation in operations:
            if document_hash(operation["body"]) != operation["id"]:
                raise ValueError(f"{path}: the id of operation {operation.get('name')!r} is not its body's SHA-256")
            store._documents[operation["id"]] = PersistedDocument(operation["body"])
        store._registered = frozenset(store._documents)
        return store

    def resolve(self, query: str | None, extensions: dict | None) -> tuple[str | None, PersistedDocument | None]:
        """The document to run and its stored entry; raises PersistedQueryRefused for the client to act on."""
        persisted = (extensions or {}).get("persistedQuery")
        if persisted is None:
            if self.mode is PersistedQueryMode.ONLY:
                raise NOT_ALLOWED
            # A document sent in full is kept too: a dashboard polled with the same text is validated once.
            return query, None if query is None else self._entry_for(document_hash(query), query)
        if self.mode is PersistedQueryMode.OFF:
            raise NOT_SUPPORTED
        sha = persisted.get("sha256Hash") if isinstance(persisted, dict) else None
        if not isinstance(sha, str) or persisted.get("version", 1) != 1:
            raise NOT_SUPPORTED
        if query is not None and document_hash(query) != sha:
            raise HASH_MISMATCH
        entry = self._documents.get(sha)
        if entry is not None:
            self._documents.move_to_end(sha)
            return entry.query, entry
        if query is None:
            raise NOT_FOUND
        if self.mode is PersistedQueryMode.ONLY:
            raise NOT_ALLOWED
        return query, self._entry_for(sha, query)

    def _entry_for(self, sha: str, query: str) -> PersistedDocument:
        """The stored entry for a document, kept (least recently used out) if it is new."""
        entry = self._documents.get(sha)
        if entry is not None:
            self._documents.move_to_end(sha)
            return entry
        entry = self._documents[sha] = PersistedDocument(query)
        if len(self._documents) > self.capacity:
            self._documents.popitem(last=False)
        return entry


class ReusePersistedDocuments(SchemaExtension):
    """A persisted document is parsed and validated once; afterwards both steps are skipped."""

    def _entry(self) -> PersistedDocument | None:
        return getattr(self.execution_context.context, "persisted_document", None)

    def on_parse(self) -> Iterator[None]:
        entry = self._entry()
        if entry is not None and entry.parsed is not None:
            self.execution_context.graphql_document = entry.parsed
        yield
        if entry is not None and entry.parsed is None and not self.execution_context.pre_execution_errors:
            entry.parsed = self.execution_context.graphql_document

    def on_validate(self) -> Iterator[None]:
        entry = self._entry()
        if entry is not None and entry.valid:
            self.execution_context.pre_execution_errors = []
        yield
        if entry is not None and not self.execution_context.pre_execution_errors:
            entry.valid = True
