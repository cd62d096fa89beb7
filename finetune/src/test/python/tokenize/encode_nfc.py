"""Encodes texts that are not in Unicode NFC with a Qwen2-shaped tokenizer, for NfcMatchesHuggingFaceTest.

Reads finetune/src/test/resources/tokenize/tiny-bpe-qwen2/tokenizer.json (the tiny byte-level BPE
with Qwen2's NFC normalizer and pre-tokenizer, written by the test class NfcMatchesHuggingFaceTest)
and writes, for each text, the ids and the offsets (code point indexes into the original,
un-normalised text) that the tokenizers library gives, to
finetune/src/test/resources/tokenize/nfc-expected.json. Needs only `tokenizers`:

    python3 -m venv /tmp/tokvenv && /tmp/tokvenv/bin/pip install tokenizers
    /tmp/tokvenv/bin/python finetune/src/test/python/tokenize/encode_nfc.py
"""

import json
import pathlib
import unicodedata

import tokenizers

RESOURCES = pathlib.Path("finetune/src/test/resources/tokenize")

TEXTS = [
    # decomposed accents
    "cafe\u0301",
    "cafe\u0301 au lait",
    "e\u0301e\u0301 x\u0301 na\u0308ive",
    "Vie\u0323\u0302t Nam",
    "A\u030Angstro\u0308m",
    # Hangul jamo: LV, LVT, and a syllable followed by a final jamo
    "\u1100\u1161",
    "\u1100\u1161\u11A8 \u1112\u1161\u11AB\u1100\u116E\u11A8\u110B\u1165",
    "\uAC00\u11A8!",
    # combining marks across word boundaries
    "the \u0301cate\u0301",
    "a \u0301 be\u0301",
    "x\u0301.\u0301ye\u0301",
    "\u0301o\u0301",
    "  e\u0301\n\u1100\u1161!",
    # singletons and expansions
    "\u212B \u2126",
    "\u0344",
    "\u0958\u0959 \uFB1D",
    # outside the Basic Multilingual Plane, and next to added tokens
    "\U0001D400\u0301xe\u0301",
    "cafe\u0301<tool_call>e\u0301</tool_call>",
    "\U0001F600e\u0301\U0001F600",
]


def main() -> None:
    tokenizer = tokenizers.Tokenizer.from_file(str(RESOURCES / "tiny-bpe-qwen2" / "tokenizer.json"))
    cases = []
    for text in TEXTS:
        assert unicodedata.normalize("NFC", text) != text, text
        encoding = tokenizer.encode(text, add_special_tokens=False)
        cases.append({"text": text, "ids": encoding.ids, "offsets": [list(o) for o in encoding.offsets]})
    # One case a line, non-ASCII escaped, so that the decomposed texts stay readable.
    lines = ",\n  ".join(json.dumps(case) for case in cases)
    text = '{"tokenizers": %s, "cases": [\n  %s\n]}\n' % (json.dumps(tokenizers.__version__), lines)
    (RESOURCES / "nfc-expected.json").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
