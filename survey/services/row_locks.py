"""Row locks and the SQLite retry live on the ground floor (bas/row_locks.py), so that
sampling's replicate release takes its sample's lock the same way."""

from bas.row_locks import lock_row, retry_when_locked

__all__ = ["lock_row", "retry_when_locked"]
