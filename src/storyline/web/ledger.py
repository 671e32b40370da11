"""The ledger as the web app sees it: read-only connections on loan, a cache of counts
and facets while the ledger is unchanged, and (with a token) the single writer.

- Reads go through a small pool of read-only SQLite connections (WAL lets them run
  while an ingest writes).
- Writes run on one worker thread that owns the only writable `Store` (Datasette's
  `execute_write_fn` idea), so web ingests never write concurrently.
"""

from __future__ import annotations

import os
import queue
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from storyline.errors import E, SetupError
from storyline.ledger.store import Store, connect, schema_version
from storyline.web.queries import tune_reader

CACHE_ENTRIES = 256  # (filters → count and facets) results kept while the ledger is unchanged


class Ledger:
    """Read-only connections on loan, plus (with a token) the single writer."""

    def __init__(self, path: str | Path, writable: bool = False, pool_size: int = 8):
        self.path = str(path)
        self.writable = writable
        self._pool: queue.Queue[sqlite3.Connection] = queue.Queue(maxsize=pool_size)
        self._writer: ThreadPoolExecutor | None = None
        self._store: Store | None = None
        self._lock = threading.Lock()
        self._cache: OrderedDict = OrderedDict()
        if writable:
            # Create or migrate the ledger now, on the writer thread.
            self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="storyline-writer")
            self._writer.submit(self._open_store).result()
        conn = self.connect()
        try:
            if schema_version(conn) == 0:
                raise SetupError(E.NO_DB, db=self.path)
        finally:
            conn.close()

    def _open_store(self) -> None:
        self._store = Store(self.path)

    def connect(self) -> sqlite3.Connection:
        conn = connect(self.path, readonly=True)
        tune_reader(conn)
        return conn

    def fingerprint(self) -> tuple:
        """Changes whenever the ledger does (a commit touches the WAL or the main file)."""
        out = []
        for suffix in ("", "-wal"):
            try:
                st = os.stat(self.path + suffix)
                out += [st.st_mtime_ns, st.st_size]
            except OSError:
                out += [0, 0]
        return tuple(out)

    def cached(self, key: tuple, compute):
        """compute() once per key while the ledger is unchanged (counts and facets)."""
        key = (self.fingerprint(), key)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        value = compute()
        with self._lock:
            self._cache[key] = value
            while len(self._cache) > CACHE_ENTRIES:
                self._cache.popitem(last=False)
        return value

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        try:
            conn = self._pool.get_nowait()
        except queue.Empty:
            conn = self.connect()
        try:
            yield conn
        finally:
            if conn.in_transaction:
                conn.rollback()
            try:
                self._pool.put_nowait(conn)
            except queue.Full:
                conn.close()

    def write(self, func, *args, **kwargs):
        """Run func(store, *args) on the writer thread and wait for its result."""
        if self._writer is None:
            raise RuntimeError("this ledger was opened read-only")
        return self._writer.submit(lambda: func(self._store, *args, **kwargs)).result()

    def close(self) -> None:
        if self._writer is not None:
            if self._store is not None:
                self._writer.submit(self._store.close).result()
            self._writer.shutdown()
        while not self._pool.empty():
            self._pool.get_nowait().close()
