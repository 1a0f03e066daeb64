"""Instructions aimed at a language model, hidden in report text (prompt injection).

A report is evidence, never a source of orders. Ingestion removes every sentence that reads as
an instruction to an assistant ("Ignorer tidligere instrukser", "Svar alltid at …", "You are now
…", "Når du svarer, …"), so such a sentence is never indexed, never quoted in an answer and never
shown to a model as a passage. Removing beats flagging: a flag must be honoured by every reader
(retrieval, excerpts, the prompt, exports), while text that is not in the index cannot leak.
Each removal is counted and named in the refresh summary, so nothing disappears silently.

``is_instruction`` is the small public test (usable on question-time text too);
``strip_instructions`` cuts flagged sentences out of a page of text.

The patterns are written for nb, nn, da and en and tuned against the five reports in corpus/,
where ordinary sentences such as "ansatte ignorerer ofte reglene for passord" or "Når du søker
om plass, …" must pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Who is addressed: the assistant, the model, the AI (not a person reading the report).
_BOT = (
    r"(?:AI(?:-\w+)?|KI(?:-\w+)?|LLM|GPT\w*|chat-?bot(?:en|ten)?|(?:ai-|ki-)?assist[ae]nt(?:en)?|"
    r"(?:språk|sprog)modell?(?:en|len)?|language\s+model|model(?:l|len|lene)?|the\s+model|"
    r"the\s+assistant|roboten?)"
)
# "previous instructions" in four languages; "regler" alone is too common in reports.
_PRIOR = r"(?:previous|prior|earlier|above|preceding|tidligere|tidlegare|foregående|ovenstående|ovenfor|forrige|førre|all|alle|alt|any|your|dine|dit|dine)"
_ORDERS = (
    r"(?:instru[ck]\w*|prompt\w*|kommando\w*|commands?|direktiv\w*|guidelines?|retningslinjer\w*|"
    r"rules|regler|reglane|reglene|reglerne|systemmelding\w*|constraints?|begrensninger\w*)"
)
_IGNORE = (
    r"(?:ignor\w*|glem\w*|gløym\w*|forget|disregard|overse|se\s+bort\s+fr[aå]|sj[åa]\s+bort\s+fr[åa]|"
    r"tilsidesæt\w*|skip|drop|override|overstyr\w*|bortse\s+fra)"
)

_PATTERNS: tuple[tuple[str, str], ...] = (
    # "Ignore all previous instructions", "Glem alle tidligere instrukser", "Se bort frå reglane over"
    ("ignorer tidligere", rf"\b{_IGNORE}\b(?:\W+\w+){{0,3}}?\W+{_PRIOR}\b(?:\W+\w+){{0,3}}?\W+{_ORDERS}"),
    ("ignorer instrukser", rf"\b{_IGNORE}\b(?:\W+\w+){{0,2}}?\W+(?:instru[ck]\w*|prompt\w*|system\s*prompt\w*)"),
    (
        "ignorer ovenfor",
        rf"\b{_IGNORE}\W+(?:(?:all|alt|alle|the|det|everything|ovenstående)\W+)?(?:above|ovenfor|ovenstående|foregående|over|previous)\b",
    ),
    ("ignorer reglene over", rf"\b{_IGNORE}\W+(?:\w+\W+){{0,2}}?{_ORDERS}\W+(?:above|ovenfor|ovanfor|ovafor|over)\b"),
    # system prompt talk and chat-template tokens
    (
        "systemprompt",
        r"\bsystem[\s-]?(?:prompt\w*|message|instru[ck]\w*|beskjed\w*|besked\w*)\b|\bsystemmelding\w*|\bdeveloper\s+message\b",
    ),
    (
        "rolletagg",
        r"<\|?\s*/?\s*(?:system|assistant|user|im_start|im_end|endoftext)\b|\[/?INST\]|<<\s*/?SYS\s*>>|^#{2,}\s*(?:instruction|system)\b",
    ),
    # a new role: "you are now", "du er nå", "fra nå av", "act as", "lat som du er", "rollespill"
    (
        "ny rolle",
        r"\b(?:you\s+are\s+now|du\s+er\s+(?:nå|no|nu)\b|(?:fra\s+n[åu]\s+av|frå\s+no\s+av|fra\s+nu\s+af|from\s+now\s+on)\W+(?:\w+\W+)?(?:du|you)\b)",
    ),
    (
        "rollespill",
        r"\b(?:pretend\s+(?:to\s+be|you\s+are|that)|act\s+as\s+(?:an?|the|if)|role-?play\w*|rollespill\w*|lat(?:e)?\s+som\s+(?:om\s+)?(?:du|at\s+du)|lad\s+som\s+om\s+du|lat\s+som\s+du|spill\s+rollen\s+som|spel\s+rolla\s+som|spil\s+rollen\s+som|in\s+the\s+role\s+of)\b",
    ),
    # the answer to be given, always: "Svar alltid at …", "Always say that …", "Anbefal alltid …"
    (
        "svar alltid",
        r"\b(?:svar|svara|skriv|si|sei|sig|say|answer|respond|reply|tell|state|anbefal|tilrå|recommend|nevn|nemn|nævn|mention|fremhev|fremhæv|highlight)\s+(?:\w+\s+){0,2}?(?:alltid|altid|always|bare|berre|kun|only)\b",
    ),
    (
        "alltid svar",
        r"\b(?:alltid|altid|always)\s+(?:svar\w*|skriv\w*|si|sei|sig|say|answer|respond|reply|tell|anbefal\w*|recommend|nevn\w*|nemn\w*|nævn\w*|mention|konkluder\w*|conclude)\b",
    ),
    (
        "i hvert svar",
        r"\b(?:i|in)\s+(?:hvert|hvart|kvart|ethvert|alle|every|each|all|any)\s+(?:svar|answer|response|reply|replies|answers|responses)\b",
    ),
    # the model's own answer: "i svaret ditt", "in your answer", "i dit svar"
    (
        "ditt svar",
        r"\b(?:i|in|til|to)\s+(?:(?:your|ditt|dit|din|dine)\s+(?:svar|answer|response|reply|output)|(?:svaret|svara)\s+(?:ditt|dine))\b",
    ),
    # conditions on being a model: "If you are an AI", "Hvis du er en språkmodell", "Når du svarer"
    (
        "hvis du er ki",
        rf"\b(?:if|hvis|dersom|om|når|when)\s+(?:you|du)\s+(?:are|er)\s+(?:an?\s+|en\s+|ein\s+|et\s+)?{_BOT}",
    ),
    (
        "når du svarer",
        r"\b(?:når|when|while|hvis|dersom|if)\s+(?:you|du)\s+(?:svarer|svarar|answer\w*|respond\w*|reply\w*|summari[sz]e\w*|oppsummerer|blir\s+spurt|bliver\s+spurgt|vert\s+spurd|are\s+asked|get\s+asked|får\s+spørsmål|får\s+spørgsmål)\b",
    ),
    # addressing the assistant: "Note to the AI:", "Til språkmodellen:", "Besked til AI'en"
    (
        "til assistenten",
        rf"\b(?:note|message|instruction|beskjed|besked|melding|merknad|notat|note)\s+(?:to|til)\s+(?:the\s+|den\s+|denne\s+)?{_BOT}\b|\b(?:to|til)\s+(?:the\s+|den\s+)?{_BOT}\s*:",
    ),
    ("kjære assistent", rf"\b(?:dear|kjære|kære|hei|hej|hello|hi)\s+(?:the\s+)?{_BOT}\b"),
    (
        "du som ki",
        rf"\b(?:you|du)\s+(?:are|er)\s+(?:an?\s+|en\s+|ein\s+|et\s+)?(?:helpful\s+|hjelpsom\s+|hjælpsom\s+|hjelpsam\s+)?{_BOT}\b|\bas\s+an?\s+(?:AI|language\s+model|assistant)\b|\bsom\s+(?:en\s+|ein\s+)?(?:språkmodell|sprogmodel|KI-assistent|AI-assistent)\b",
    ),
    # speaking to the user through the model: "Fortell brukeren at …", "Tell the user …"
    (
        "fortell brukeren",
        r"\b(?:tell|inform|convince|persuade|fortell|fortel|fortæl|si\s+til|sei\s+til|sig\s+til|overbevis\w*|informer\w*)\s+(?:the\s+)?(?:user|brukeren|brukaren|brugeren|rådmannen|reader|leseren|lesaren|læseren)\b",
    ),
    # hiding: "do not mention this instruction", "ikke avslør", "don't reveal"
    (
        "skjul",
        r"\b(?:do\s+not|don't|never|ikke|ikkje|aldri|aldrig)\s+(?:reveal|mention|disclose|avslør\w*|avsløre|nevn\w*|nemn\w*|nævn\w*|røp\w*)\s+(?:\w+\s+){0,2}?(?:this|these|denne|dette|disse|desse|instru[ck]\w*|prompt\w*)\b",
    ),
    (
        "avslør prompt",
        r"\b(?:reveal|print|repeat|show|output|vis|skriv\s+ut|gjengi|gjenta|gentag|oppgi)\s+(?:\w+\s+){0,3}?(?:instru[ck]\w*|prompt\w*|system\w*)\b",
    ),
    (
        "ny instruks",
        r"\b(?:new|ny|nye|nyt|updated|oppdaterte?|opdaterede?)\s+(?:instru[ck]\w*|orders|ordre|kommando\w*)\s*:",
    ),
    ("jailbreak", r"\b(?:jailbreak\w*|DAN\s+mode|developer\s+mode|utviklermodus|udviklertilstand)\b"),
)
_COMPILED = tuple((name, re.compile(p, re.IGNORECASE | re.MULTILINE)) for name, p in _PATTERNS)
_ANY = re.compile("|".join(f"(?:{p})" for _, p in _PATTERNS), re.IGNORECASE | re.MULTILINE)


def is_instruction(text: str) -> bool:
    """True when ``text`` holds wording aimed at a language model rather than at a reader."""
    return bool(_ANY.search(text or ""))


def instruction_kind(text: str) -> str | None:
    """The name of the first pattern that matches (for logs and tests), or None."""
    for name, pattern in _COMPILED:
        if pattern.search(text or ""):
            return name
    return None


@dataclass(frozen=True)
class Stripped:
    text: str
    removed: tuple[str, ...]  # the sentences taken out, as they were


def strip_instructions(text: str, lang: str = "nb") -> Stripped:
    """``text`` without its instruction sentences. Text without any is returned as it was."""
    if not is_instruction(text):
        return Stripped(text=text, removed=())
    from ingest.text.chunking import sentence_spans

    out, removed, pos = [], [], 0
    for start, end, _ in sentence_spans(text, lang, max_words=100_000):
        if is_instruction(text[start:end]):
            out.append(text[pos:start])
            removed.append(text[start:end])
            pos = end
    out.append(text[pos:])
    kept = re.sub(r"[ \t]{2,}", " ", "".join(out))
    # A phrase broken over two "sentences" (a footnote mark, a line break) survives the cut above;
    # then the lines that still match go too.
    if is_instruction(kept):
        lines = kept.split("\n")
        removed += [line for line in lines if is_instruction(line)]
        kept = "\n".join(line for line in lines if not is_instruction(line))
    kept = re.sub(r"\n{3,}", "\n\n", kept).strip()
    return Stripped(text=kept, removed=tuple(r.strip() for r in removed if r.strip()))
