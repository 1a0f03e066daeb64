"""Document and model text made safe to render as Markdown: no images, no live links, no HTML.

A report (or a model repeating one) may contain ``![](https://tracker/x.png)`` or
``[klikk her](https://phish)``; rendered live, the first makes every reader's browser fetch
another host and the second puts a link in our name. Here images become their alt text, links
become their text followed by the address as inert code, and bare addresses are made inert too.
HTML is escaped, so ``<img>`` and ``<script>`` show as text.
"""

from __future__ import annotations

import html
import re

_IMAGE = re.compile(r"!\[([^\]\n]*)\]\s*(?:\([^)\n]*\)|\[[^\]\n]*\])")
_LINK = re.compile(r"(?<!!)\[([^\]\n]+)\]\(\s*<?([^)\s>]*)>?(?:\s+[\"'][^)\n]*[\"'])?\s*\)")
_REF_DEF = re.compile(r"^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*(\S+).*$", re.MULTILINE)
# Addresses a Markdown renderer would turn into links (GFM autolinks): scheme://…, www.…, mailto:
_ADDR = r"(?:(?!&[lg]t;)[^\s`<>])+"
_BARE = re.compile(
    rf"(?<![`\w])((?:https?|ftp|file|data|javascript):{_ADDR}|www\.{_ADDR}|mailto:{_ADDR})", re.IGNORECASE
)


def _inert(address: str) -> str:
    """An address shown as code: readable, copyable, never a link."""
    address = address.replace("`", "")
    return f"`{address}`" if address else ""


def _inert_bare(m: re.Match) -> str:
    address = m.group(1)
    trail = re.search(r"[.,;:!?)»]+$", address)  # the sentence's full stop is not part of the address
    cut = trail.start() if trail else len(address)
    return _inert(address[:cut]) + address[cut:]


def safe_markdown(text: str) -> str:
    """``text`` (from a report, a model or a user) ready to be rendered as Markdown."""
    text = html.escape(text or "", quote=False)
    text = _IMAGE.sub(lambda m: f"[bilde: {m.group(1).strip()}]" if m.group(1).strip() else "[bilde]", text)
    text = _REF_DEF.sub(lambda m: _inert(m.group(1)), text)
    parts = []
    pos = 0
    for m in _LINK.finditer(text):  # links first, so their addresses are not made inert twice
        parts.append(_BARE.sub(_inert_bare, text[pos : m.start()]))
        label, address = m.group(1), m.group(2)
        parts.append(f"{label} ({_inert(address)})" if address else label)
        pos = m.end()
    parts.append(_BARE.sub(_inert_bare, text[pos:]))
    # Reference links ("[tekst][ref]") stay plain text: their definitions are gone above.
    return "".join(parts)
