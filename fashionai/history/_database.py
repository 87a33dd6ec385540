"""The history's database (`fashionai.history.store`'s base): a `fashionai.database.Database` that says its
failures as the history does.

A SQLite address ending ``?mode=ro`` is opened read-only; an address's password is never shown
(`display_url`). `guarded` makes a store method's database failures a `HistoryUnavailable` in plain
words (`fashionai.history._failures`), trying once more when the SQLite file's folder was removed
while in use.
"""

from __future__ import annotations

from fashionai.database import Database, guard_database
from fashionai.history._failures import read_only_message, unavailable
from fashionai.history.model import READ_ONLY, HistoryUnavailable

guarded = guard_database(lambda store, err: store._unavailable(err), again_when_folder_gone=True)
"""A store method whose database failures become HistoryUnavailable, in plain words."""


class HistoryDatabase(Database):
    """The history's database, SQLite or PostgreSQL, as `HistoryStore` holds it: its address and engine,
    whether it can only be read, and its failures in plain words."""

    def unavailable(self, err: BaseException) -> HistoryUnavailable:
        """`err`, a failure of this database met by such a room, as the history says it: in plain words."""
        return self._unavailable(err)

    def _refuse_if_read_only(self) -> None:
        if self.read_only:
            raise HistoryUnavailable(self.read_only_message(), READ_ONLY)

    def read_only_message(self) -> str:
        """Why saving is off, and what to do, for a read-only history."""
        return read_only_message(self.path, asked=self._read_only_asked)

    def _unavailable(self, err: BaseException) -> HistoryUnavailable:
        """`err`, a failure of the database or its file, in plain words with its cause."""
        error = unavailable(err, dialect=self.dialect, path=self.path, display_url=self.display_url,
                            password=self._url.password, read_only_asked=self._read_only_asked)
        if error.cause == READ_ONLY:
            self.read_only = True
        return error
