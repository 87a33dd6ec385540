"""Uploaded catalogs in server memory: within a byte budget, and only while a browser session uses them.

    store = UploadStore()                                   # one per server (fashionai.ui holds it)
    upload = store.open(data, name="produtos.csv")          # parses, or finds the same bytes parsed
    upload.catalog()                                        # the Catalog (parsed again if let go)

A browser session keeps its `Upload` (in its session state): the file's bytes, name and
column mapping, a few hundred bytes beside the file it already holds. The parsed
Catalogs, several times the file's size, live only here, keyed by content (sha256 of
the bytes and the mapping), so two sessions with the same file share one.

- **Bounded by bytes.** The Catalogs held add up to at most `budget` bytes (by
  `Catalog.nbytes`); a new one makes room by letting go of the least recently used
  others. A session whose catalog was let go parses its own bytes again when it next
  needs it (a second or two for a big file), so nothing is lost, only time. One catalog
  bigger than the whole budget is still held for its session, alone.
- **Freed with the session.** Streamlit has no public "session ended" hook, but a
  session's state is dropped when the session ends, and with it the session's `Upload`.
  Each `Upload` counts as a holder of its Catalog (`weakref.finalize`); when the last
  holder is gone, the store lets the Catalog go at once (`Upload.release` is that hook) and
  hands its memory back to the system: freed, it would otherwise stay in the process's heap
  (420 MB of it did). Replacing an upload (a new file, another column mapping, back to the
  server's catalog) releases the old one the same way. Streamlit drops a closed tab's session
  only after `server.disconnectedSessionTTL` (120 s, for a reconnect), and then at its next
  session event (another tab opening or closing): on a quiet server, minutes later.
"""

from __future__ import annotations

import hashlib
import json
import threading
import weakref
from collections import Counter, OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from fashionai.catalog import Catalog, load_catalog
from fashionai.catalog._frame import WORKERS, release_freed_memory

UPLOAD_MEMORY_BYTES = 1 << 30
"""The memory all uploaded catalogs together may hold (1 GiB): three or four catalogs of a
million products, each parsed from a file of about 100 MB."""


def release_in_background() -> None:
    """Hand freed memory back to the system on the loader's thread: a finalizer may run on Streamlit's
    event loop, and a release walks the whole heap. Nothing when the loader's threads have stopped (the
    interpreter is exiting, and a finalizer of the last catalogs runs): the memory goes back with the process."""
    try:
        WORKERS.submit(release_freed_memory)
    except RuntimeError:  # "cannot schedule new futures after (interpreter) shutdown"
        pass


def upload_key(data: bytes, columns: Mapping[str, str | None] | None = None) -> str:
    """What tells uploads apart: the content and the column mapping (as Catalog.fingerprint)."""
    digest = hashlib.sha256(data)
    digest.update(json.dumps(dict(columns or {}), sort_keys=True).encode())
    return digest.hexdigest()


@dataclass(eq=False)
class Upload:
    """A browser session's uploaded catalog: what is needed to parse it, and its place in the store.

    Keep it (not the Catalog) in the session's state: while it lives, the store counts it
    as a holder of its Catalog; once it is gone, so is the Catalog.
    """

    name: str
    data: bytes = field(repr=False)
    columns: dict[str, str | None]
    key: str
    store: UploadStore = field(repr=False)
    release: Callable[[], object] = field(repr=False, default=lambda: None)
    """Let go of this upload's hold on its Catalog (once): what runs when the session's state is dropped."""

    def catalog(self) -> Catalog:
        """The parsed catalog, parsed again from `data` if the store let it go."""
        return self.store.catalog(self)

    @property
    def loaded(self) -> bool:
        """Whether the store holds the parsed catalog now (else `catalog()` parses again)."""
        return self.store.holds(self.key)


class UploadStore:
    """Parsed uploads by content key, at most `budget` bytes of them, each held while an `Upload` of it lives."""

    def __init__(self, budget: int = UPLOAD_MEMORY_BYTES, *,
                 load: Callable[..., Catalog] | None = None,
                 release_memory: Callable[[], None] = release_in_background) -> None:
        self.budget = budget
        self._load = load  # None: load_catalog
        self._release_memory = release_memory  # after a Catalog is let go: its memory back to the system
        self._lock = threading.RLock()  # a finalizer may run inside a locked section of its thread
        self._held: OrderedDict[str, tuple[Catalog, int]] = OrderedDict()  # least recently used first
        self._holders: Counter[str] = Counter()  # live Uploads per key

    def open(self, data: bytes, *, columns: Mapping[str, str | None] | None = None,
             name: str | None = None) -> Upload:
        """An Upload of `data`, parsed now (or found parsed). Raises CatalogError for an unusable file."""
        key = upload_key(data, columns)
        upload = Upload(name or "", data, dict(columns or {}), key, self)
        with self._lock:
            self._holders[key] += 1
        upload.release = weakref.finalize(upload, self._release, key)
        upload.catalog()
        return upload

    def catalog(self, upload: Upload) -> Catalog:
        """`upload`'s Catalog: the one held, else parsed from its bytes and held within the budget."""
        with self._lock:
            if (held := self._use(upload.key)) is not None:
                return held
        catalog = (self._load or load_catalog)(upload.data, columns=upload.columns or None, name=upload.name or None)
        size = catalog.nbytes
        with self._lock:
            if (held := self._use(upload.key)) is not None:  # another session parsed it meanwhile
                return held
            let_go = 0
            if self._holders[upload.key] > 0:
                self._held[upload.key] = (catalog, size)
                let_go = self._make_room(keep=upload.key)
        if let_go:
            self._release_memory()
        return catalog

    def holds(self, key: str) -> bool:
        with self._lock:
            return key in self._held

    @property
    def held_bytes(self) -> int:
        """The memory of the Catalogs held now, by `Catalog.nbytes`."""
        with self._lock:
            return sum(size for _, size in self._held.values())

    def __len__(self) -> int:
        with self._lock:
            return len(self._held)

    def _use(self, key: str) -> Catalog | None:
        held = self._held.get(key)
        if held is None:
            return None
        self._held.move_to_end(key)
        return held[0]

    def _make_room(self, keep: str) -> int:
        """Let go of the least recently used Catalogs until the rest fit the budget (`keep` stays); how many."""
        total, let_go = self.held_bytes, 0
        for key in list(self._held):
            if total <= self.budget:
                break
            if key != keep:
                total -= self._held.pop(key, (None, 0))[1]
                let_go += 1
        return let_go

    def _release(self, key: str) -> None:
        """An Upload of `key` is gone (its session ended, or it was replaced)."""
        with self._lock:
            self._holders[key] -= 1
            if self._holders[key] > 0:
                return
            del self._holders[key]
            held = self._held.pop(key, None)
        if held is not None:
            del held  # the last reference, unless a page is still drawing with it
            self._release_memory()
