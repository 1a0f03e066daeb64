"""Clean the app's temporary folders (exports, memos: ``veivalg-*`` in the system temp folder).

Each export writes a file Gradio serves from its own copy, so the folder is only needed for a
moment; without cleaning, one folder per export stays until the machine restarts.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
from pathlib import Path

PREFIX = "veivalg-"
MAX_AGE_S = 3600.0


def remove_old(root: Path | None = None, prefix: str = PREFIX, older_than_s: float = MAX_AGE_S) -> int:
    """Remove ``prefix*`` folders under ``root`` untouched for ``older_than_s``; how many went."""
    root = Path(root or tempfile.gettempdir())
    cutoff = time.time() - older_than_s
    removed = 0
    for entry in root.glob(f"{prefix}*"):
        try:
            if entry.is_dir() and not entry.is_symlink() and entry.stat().st_mtime < cutoff:
                shutil.rmtree(entry, ignore_errors=True)
                removed += 1
        except OSError:
            continue  # gone already, or another user's
    return removed


def start_cleaner(interval_s: float = MAX_AGE_S) -> threading.Thread:
    """Clean now and then every ``interval_s`` on a daemon thread (for the app's lifetime)."""

    def loop() -> None:
        while True:
            remove_old()
            time.sleep(interval_s)

    thread = threading.Thread(target=loop, name="veivalg-tempfiles", daemon=True)
    thread.start()
    return thread
