"""Checks the Java-built tiny byte-level BPE tokenizer with Hugging Face, for TinyBpeMatchesHuggingFaceTest.

Loads finetune/src/test/resources/tokenize/tiny-bpe/ (written by the test class TinyBpe) with
`AutoTokenizer.from_pretrained`, checks that it round-trips every text, and writes what Hugging Face
computes to finetune/src/test/resources/tokenize/tiny-bpe-expected.json: for each text the ids
(without and with special tokens), the tokens, the character offsets and the decodings; a rendered
and tokenized chat; and the ids with special tokens of a copy whose tokenizer_config.json sets
add_bos_token and add_eos_token (transformers 5 ignores both when there is a tokenizer.json, so
they equal the plain ids).

Run from the repository root, in the virtual environment described in render_chat_templates.py:

    /tmp/venv-tok/bin/python finetune/src/test/python/tokenize/check_byte_level_bpe.py

To refresh the folder itself first (after changing ByteLevelBpe or TinyBpe), build the tests and run
    java -cp <test classpath> io.jtune.finetune.tokenize.TinyBpe finetune/src/test/resources/tokenize/tiny-bpe
"""

import json
import pathlib
import shutil
import sys
import tempfile

import tokenizers
import transformers
from transformers import AutoTokenizer

RESOURCES = pathlib.Path("finetune/src/test/resources/tokenize")
FOLDER = RESOURCES / "tiny-bpe"
OUTPUT = RESOURCES / "tiny-bpe-expected.json"

TEXTS = [
    "",
    "a",
    "Hello, world!",
    "The quick brown fox jumps over the lazy dog.",
    "Café crème brûlée — naïve façade, Größe, ¿qué?",
    "Emoji: 🌍🚀😊👍 and a flag 🇫🇷 and a family 👨‍👩‍👧",
    "日本語のテキストと中文，Привет",
    "  leading spaces, a\ttab, a newline\nand a CRLF\r\nend  ",
    "<|begin_of_text|>special tokens<|eot_id|> inside <|pad|>text",
    "def square(x):\n    return x ** 2  # comment",
    "Mathematical 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 and a lone combining e\u0301",
    "numbers 3.14159 and 1234567890",
]

CHAT = [
    {"role": "system", "content": "You are terse."},
    {"role": "user", "content": "Capital of France? 🇫🇷"},
    {"role": "assistant", "content": "Paris."},
    {"role": "user", "content": "And of Japan?"},
]


def encodings(tokenizer) -> list:
    out = []
    for text in TEXTS:
        plain = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
        ids = plain["input_ids"]
        decoded = tokenizer.decode(ids)
        if decoded != text:
            sys.exit(f"Hugging Face does not round-trip {text!r}: {decoded!r}")
        out.append(
            {
                "text": text,
                "ids": ids,
                "ids_with_special_tokens": tokenizer(text, add_special_tokens=True)["input_ids"],
                "tokens": tokenizer.convert_ids_to_tokens(ids),
                "offsets": [list(o) for o in plain["offset_mapping"]],
                "decoded": decoded,
                "decoded_skipping_special_tokens": tokenizer.decode(ids, skip_special_tokens=True),
            }
        )
    return out


def main() -> None:
    tokenizer = AutoTokenizer.from_pretrained(FOLDER)
    merges = json.loads((FOLDER / "tokenizer.json").read_text(encoding="utf-8"))["model"]["merges"]
    if not merges:
        sys.exit("the tokenizer has no merges")

    chat_text = tokenizer.apply_chat_template(CHAT, add_generation_prompt=True, tokenize=False)
    chat_ids = tokenizer.apply_chat_template(CHAT, add_generation_prompt=True, tokenize=True)
    if isinstance(chat_ids, dict) or hasattr(chat_ids, "keys"):
        chat_ids = chat_ids["input_ids"]

    with tempfile.TemporaryDirectory() as tmp:
        variant = pathlib.Path(tmp) / "tiny-bpe-add-bos-eos"
        shutil.copytree(FOLDER, variant)
        config_file = variant / "tokenizer_config.json"
        config = json.loads(config_file.read_text(encoding="utf-8"))
        config["add_bos_token"] = True
        config["add_eos_token"] = True
        config_file.write_text(json.dumps(config, ensure_ascii=False, indent=2), encoding="utf-8")
        with_bos = AutoTokenizer.from_pretrained(variant)
        variant_ids = [with_bos(text, add_special_tokens=True)["input_ids"] for text in TEXTS]

    document = {
        "generated_by": "finetune/src/test/python/tokenize/check_byte_level_bpe.py",
        "transformers": transformers.__version__,
        "tokenizers": tokenizers.__version__,
        "tokenizer_class": type(tokenizer).__name__,
        "vocab_size": len(tokenizer),
        "merges": len(merges),
        "special_tokens": {
            "bos": [tokenizer.bos_token, tokenizer.bos_token_id],
            "eos": [tokenizer.eos_token, tokenizer.eos_token_id],
            "pad": [tokenizer.pad_token, tokenizer.pad_token_id],
        },
        "encodings": encodings(tokenizer),
        "chat": {"messages": CHAT, "add_generation_prompt": True, "text": chat_text, "ids": list(chat_ids)},
        "ids_with_special_tokens_when_the_config_sets_add_bos_and_eos_token": variant_ids,
    }
    OUTPUT.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{type(tokenizer).__name__}: {len(tokenizer)} ids, {len(merges)} merges; wrote {OUTPUT}")


if __name__ == "__main__":
    main()
