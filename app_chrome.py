"""The app's look and page behaviour: CSS, the page script, and Norwegian for Gradio's own strings.

Gradio translates its built-in strings ("Tøm", "Slipp fil her") from the browser's language; this
app is Norwegian whatever the browser says, so the page tells Gradio the browser speaks bokmål
before Gradio starts (a tiny ASGI middleware adds one script to the page's <head>).
"""

from __future__ import annotations

import json

CSS = """
footer { display: none !important; }
.vv-hidden { display: none !important; }
.vv-source mark { background: #ffe08a; padding: 0 2px; }
.vv-meta { color: #555; font-size: 0.9em; margin-bottom: 0.5em; }
.vv-context { color: #777; font-size: 0.9em; }
.vv-heading { font-weight: 600; margin: 0.3em 0; }
.vv-label { font-size: 0.85em; color: #8a5a00; font-weight: 600; }
.vv-source h3 { margin: 0.2em 0; font-size: 1.05em; }
a.vv-cite, #vv-chat a[href^="#vv-cite-"] { text-decoration: none; font-weight: 600; padding: 0 1px; border-radius: 3px;
  background: #eef3ff; color: #1d4ed8 !important; cursor: pointer; }
#vv-source-panel { position: sticky; top: 8px; align-self: flex-start; max-height: calc(100vh - 16px); overflow-y: auto; }
#vv-page img { object-fit: contain; }
/* Tables from reports and tools scroll sideways instead of being cut off. */
.prose table, #vv-chat table { display: block; overflow-x: auto; max-width: 100%; }
.gradio-container .table-wrap, .gradio-container .table-container { overflow-x: auto !important; }
@media (max-width: 768px) {
  #vv-source-panel { position: static; max-height: none; }
}
/* On a phone the three tabs fit on one line instead of hiding two behind a "more" menu. */
@media (max-width: 480px) {
  .tab-container > button { padding-left: 6px !important; padding-right: 6px !important; font-size: 14px !important; }
}
"""

# Gradio's bokmål file lacks these keys; they would fall back to English.
TRANSLATIONS_NB = {
    "chatbot.copy_message": "Kopier meldingen",
    "chatbot.copied_message": "Meldingen er kopiert",
    "chatbot.complete": "Ferdig",
    "common.progress": "Framdrift",
    "common.download_all": "Last ned alle",
    "common.runs": "Kjøringer",
    "common.back_to_app": "Tilbake",
}

# Labels that Gradio writes in English without asking the translation table (read by screen readers).
ENGLISH_LABELS = {
    "Toggle Sidebar": "Vis eller skjul samtalene",
    "More tabs": "Flere faner",
    "chatbot conversation": "samtale",
    "Copy message": "Kopier meldingen",
    "Copied message": "Meldingen er kopiert",
    "Clear": "Tøm",
    "Download": "Last ned",
    "Fullscreen": "Fullskjerm",
    "Exit fullscreen mode": "Avslutt fullskjerm",
    "Share": "Del",
}

# Citation links ("#vv-cite-<turn>-<n>") open that source; the key goes to the server through a hidden button.
PAGE_SCRIPT = r"""
<script>
(() => {
  const labels = __LABELS__;
  const fix = (root) => {
    for (const attr of ["aria-label", "title"]) {
      for (const el of root.querySelectorAll("[" + attr + "]")) {
        const v = el.getAttribute(attr);
        if (labels[v]) el.setAttribute(attr, labels[v]);
        else if (v.startsWith("user's message: ")) el.setAttribute(attr, "Spørsmål");
        else if (v.startsWith("bot's message: ")) el.setAttribute(attr, "Svar");
        else if (v.startsWith("Select example ")) el.setAttribute(attr, "Eksempel " + v.slice(15));
      }
    }
  };
  // Gradio's progress line is hard-coded English ("processing |", "queue: 1/2 |", "3/8 steps").
  const texts = [[/^processing \|/, "arbeider |"], [/^queue:/, "i kø:"], [/(\d+\/\d+) steps\b/, "$1 steg"]];
  const fixText = (node) => {
    if (node.nodeType !== 3) return;
    let v = node.nodeValue;
    for (const [re, to] of texts) v = v.replace(re, to);
    if (v !== node.nodeValue) node.nodeValue = v;
  };
  let queued = false;
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === "characterData") fixText(r.target);
      for (const n of r.addedNodes || []) {
        if (n.nodeType === 3) fixText(n);
        else if (n.querySelectorAll) {
          const walker = document.createTreeWalker(n, NodeFilter.SHOW_TEXT);
          while (walker.nextNode()) fixText(walker.currentNode);
        }
      }
    }
    if (!queued) { queued = true; requestAnimationFrame(() => { queued = false; fix(document); }); }
  }).observe(document.documentElement, {subtree: true, childList: true, characterData: true});
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest('a[href^="#vv-cite-"]');
    if (!link) return;
    event.preventDefault();
    event.stopPropagation();
    window.__vvCite = link.getAttribute("href").slice("#vv-cite-".length);
    const button = document.getElementById("vv-cite-open");
    if (button) button.click();
  }, true);
})();
</script>
""".replace("__LABELS__", json.dumps(ENGLISH_LABELS, ensure_ascii=False))

LOCALE_SCRIPT = (
    b"<script>try{Object.defineProperty(navigator,'language',{get:()=>'nb'});"
    b"Object.defineProperty(navigator,'languages',{get:()=>['nb','no']});}catch(e){}"
    b"document.documentElement.lang='nb';</script>"
)

# Desktop: the panel sits beside the answer; reveal the highlight inside it. Phone: the panel is under the
# answer; bring its top up, leaving the end of the answer in sight above it.
SCROLL_TO_SOURCE = """() => {
  setTimeout(() => {
    const panel = document.getElementById("vv-source-panel");
    const mark = document.querySelector("#vv-source-view mark");
    if (!panel) return;
    if (window.innerWidth < 768) {
      window.scrollBy({top: panel.getBoundingClientRect().top - 110, behavior: "instant"});
    }
    if (mark) mark.scrollIntoView({block: "nearest", behavior: "instant"});
  }, 60);
}"""

# Show the start of the newest answer, not its end (the source list): scroll inside the chat box,
# and move the page only when the chat box itself is out of sight.
SCROLL_TO_ANSWER = """() => {
  setTimeout(() => {
    const chat = document.getElementById("vv-chat");
    if (!chat) return;
    const bots = chat.querySelectorAll('.message-row.bot-row, [data-testid="bot"]');
    const last = bots[bots.length - 1];
    if (!last) return;
    let box = last.parentElement;
    while (box && box !== chat.parentElement) {
      const style = getComputedStyle(box);
      if (box.scrollHeight > box.clientHeight + 2 && /(auto|scroll)/.test(style.overflowY)) break;
      box = box.parentElement;
    }
    if (box && box !== chat.parentElement) {
      box.scrollTop += last.getBoundingClientRect().top - box.getBoundingClientRect().top - 8;
    }
    const r = chat.getBoundingClientRect();
    if (r.top < 0 || r.top > window.innerHeight * 0.4) chat.scrollIntoView({block: "start", behavior: "instant"});
  }, 80);
}"""

OPEN_CITATION = "(...args) => { args[0] = window.__vvCite || args[0]; return args; }"


class NorwegianPage:
    """ASGI middleware: put LOCALE_SCRIPT first in the <head> of the app's HTML page."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope.get("method") != "GET":
            await self.app(scope, receive, send)
            return
        start: dict = {}
        body: list[bytes] = []

        async def capture(message):
            if message["type"] == "http.response.start":
                by_name = dict(message.get("headers") or [])
                if not by_name.get(b"content-type", b"").startswith(b"text/html"):
                    start["pass"] = True
                    await send(message)
                    return
                start["message"] = message
                return
            if start.get("pass"):
                await send(message)
                return
            body.append(message.get("body", b""))
            if message.get("more_body"):
                return
            html = b"".join(body).replace(b"<head>", b"<head>" + LOCALE_SCRIPT, 1)
            head = start["message"]
            headers = [(k, v) for k, v in head.get("headers", []) if k.lower() != b"content-length"]
            headers.append((b"content-length", str(len(html)).encode()))
            await send({**head, "headers": headers})
            await send({"type": "http.response.body", "body": html})

        await self.app(scope, receive, capture)
