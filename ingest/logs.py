"""Logging for the entry points (``python -m ingest|assistant|eval``, ``app.py``); the library only logs.

Every module logs to ``logging.getLogger(__name__)`` and configures nothing, so a program that
imports Veivalg keeps its own logging. The entry points call ``configure_logging`` once.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
LEVEL_VARIABLE = "VEIVALG_LOG_LEVEL"


def configure_logging(default: str, environ: Mapping[str, str]) -> None:
    """Log to stderr at ``VEIVALG_LOG_LEVEL`` (DEBUG, INFO, WARNING, ERROR), else at ``default``.

    The command lines default to WARNING, since they print their own results and progress; the
    app to INFO, so a server log shows reloads, model failures and rolled-back uploads.
    """
    asked = (environ.get(LEVEL_VARIABLE) or "").strip().upper()
    known = logging.getLevelNamesMapping()
    logging.basicConfig(level=known.get(asked, known[default]), format=LOG_FORMAT)
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # pypdf warns loudly on odd but readable files
    if asked and asked not in known:
        logging.getLogger(__name__).warning("%s=%s er ikke et loggnivå; bruker %s.", LEVEL_VARIABLE, asked, default)
