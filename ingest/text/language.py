"""Language of a text among the four the product serves (nb, nn, da, en), detected offline."""

from __future__ import annotations

from functools import lru_cache

LANGUAGES = ("nb", "nn", "da", "en")
_FROM_LANGID = {"no": "nb", "nb": "nb", "nn": "nn", "da": "da", "en": "en"}


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident.set_languages([code for code in ("no", "nb", "nn", "da", "en") if code in ident.nb_classes])
    return ident


def detect_language(text: str, default: str = "nb") -> str:
    """Classify a sample from the start, middle and end; short or empty text gets ``default``."""
    text = text.strip()
    if len(text) < 20:
        return default
    n = len(text)
    sample = text if n <= 6000 else text[:2000] + " " + text[n // 2 : n // 2 + 2000] + " " + text[-2000:]
    code, _ = _identifier().classify(sample)
    return _FROM_LANGID.get(code, default)
