"""Renders the test chat templates with Hugging Face transformers, for ChatTemplateMatchesHuggingFaceTest.

Writes finetune/src/test/resources/tokenize/chat-template-cases.json: the conversations, the special
tokens of each template, and for every template x conversation either the string that
`PreTrainedTokenizerFast.apply_chat_template(..., tokenize=False)` returns or the message of the
exception it raises.

Run from the repository root in a virtual environment made from the local package mirror:

    python3 -m venv /tmp/venv-tok
    /tmp/venv-tok/bin/pip install --index-url file:///opt/pypi/simple \
        --extra-index-url file:///opt/pypi-more/simple transformers jinja2
    /tmp/venv-tok/bin/python finetune/src/test/python/tokenize/render_chat_templates.py

torch is not needed: the tokenizer is a one-word WordLevel tokenizer built in memory, used only to
carry the template and the special tokens into transformers' own renderer.
"""

import json
import pathlib
import sys

import jinja2
import tokenizers
import transformers
from tokenizers.models import WordLevel
from transformers import PreTrainedTokenizerFast

RESOURCES = pathlib.Path("finetune/src/test/resources/tokenize")
TEMPLATES = RESOURCES / "chat-templates"
OUTPUT = RESOURCES / "chat-template-cases.json"

# Special tokens as in each model's tokenizer_config.json (see /work/shared/chat-templates/SOURCES.md).
SPECIAL_TOKENS = {
    "llama-3-8b-instruct": {"bos_token": "<|begin_of_text|>", "eos_token": "<|eot_id|>"},
    "llama-3.1-8b-instruct": {"bos_token": "<|begin_of_text|>", "eos_token": "<|eot_id|>"},
    "qwen2.5-7b-instruct": {"eos_token": "<|im_end|>", "pad_token": "<|endoftext|>"},
    "mistral-7b-instruct-v0.2": {"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>"},
    "smollm2-135m-instruct": {"bos_token": "<|im_start|>", "eos_token": "<|im_end|>", "pad_token": "<|im_end|>"},
    "gemma-2-2b-it": {"bos_token": "<bos>", "eos_token": "<eos>", "pad_token": "<pad>", "unk_token": "<unk>"},
    "phi-3-mini-4k-instruct": {"bos_token": "<s>", "eos_token": "<|endoftext|>", "unk_token": "<unk>"},
    "phi-3.5-mini-instruct": {"bos_token": "<s>", "eos_token": "<|endoftext|>", "unk_token": "<unk>"},
}

WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Gets the weather for a city (température en °C).",
        "parameters": {
            "type": "object",
            "properties": {
                "city": {"type": "string", "description": "The city, e.g. Zürich"},
                "days": {"type": "integer", "description": "How many days", "default": 1},
                "units": {"type": "string", "enum": ["celsius", "fahrenheit"]},
            },
            "required": ["city"],
        },
    },
}

SYSTEM = {"role": "system", "content": "You are a helpful assistant."}
USER_1 = {"role": "user", "content": "What is the capital of France?"}
ASSISTANT_1 = {"role": "assistant", "content": "The capital of France is Paris."}
USER_2 = {"role": "user", "content": "And of Germany?"}

CONVERSATIONS = [
    {"name": "system and user", "messages": [SYSTEM, USER_1]},
    {"name": "user only", "messages": [USER_1]},
    {"name": "multi-turn", "messages": [USER_1, ASSISTANT_1, USER_2]},
    {"name": "system and multi-turn", "messages": [SYSTEM, USER_1, ASSISTANT_1, USER_2]},
    {"name": "ends with assistant", "messages": [USER_1, ASSISTANT_1]},
    {
        "name": "non-ASCII",
        "messages": [
            {"role": "system", "content": "Réponds en français, s'il te plaît. 🙂"},
            {"role": "user", "content": "Grüße aus Köln! 你好，世界 🌍🚀 — naïve café, ½ × π ≈ 1.57"},
            {"role": "assistant", "content": "Ça va très bien 😊 Привет! 𝔘𝔫𝔦𝔠𝔬𝔡𝔢"},
            {"role": "user", "content": "¿Y tú? \"quotes\" and \\backslash\\ and {{ braces }} {% raw %}"},
        ],
    },
    {
        "name": "whitespace around content",
        "messages": [
            {"role": "user", "content": "  leading and trailing spaces \n\n"},
            {"role": "assistant", "content": "\tline one\nline two\n"},
            {"role": "user", "content": "\n"},
        ],
    },
    {"name": "empty system message", "messages": [{"role": "system", "content": ""}, USER_1]},
    {"name": "assistant first", "messages": [ASSISTANT_1, USER_1]},
    {"name": "two user messages in a row", "messages": [USER_1, USER_2]},
    {"name": "unknown role", "messages": [USER_1, {"role": "narrator", "content": "Meanwhile..."}]},
    {"name": "tools offered", "messages": [SYSTEM, USER_1], "tools": [WEATHER_TOOL]},
    {"name": "tools offered without system", "messages": [USER_1], "tools": [WEATHER_TOOL]},
    {
        "name": "tool call and result",
        "messages": [
            {"role": "user", "content": "Weather in Zürich?"},
            {
                "role": "assistant",
                "content": "",
                "tool_calls": [
                    {
                        "type": "function",
                        "function": {"name": "get_weather", "arguments": {"city": "Zürich", "days": 2}},
                    }
                ],
            },
            {"role": "tool", "content": "{\"temperature\": 21.5, \"sky\": \"ensoleillé\"}"},
            {"role": "tool", "content": "second result"},
        ],
        "tools": [WEATHER_TOOL],
    },
]


def render(template: str, special_tokens: dict, conversation: dict, add_generation_prompt: bool) -> dict:
    backend = tokenizers.Tokenizer(WordLevel({"<unk>": 0}, unk_token="<unk>"))
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=backend, chat_template=template, **special_tokens)
    try:
        text = tokenizer.apply_chat_template(
            conversation["messages"],
            tools=conversation.get("tools"),
            add_generation_prompt=add_generation_prompt,
            tokenize=False,
        )
        return {"output": text}
    except jinja2.exceptions.TemplateError as e:
        return {"error": str(e)}


def main() -> None:
    templates = sorted(p.name[: -len(".jinja")] for p in TEMPLATES.glob("*.jinja"))
    if set(templates) != set(SPECIAL_TOKENS):
        sys.exit(f"templates {templates} do not match the special-token table {sorted(SPECIAL_TOKENS)}")
    cases = []
    for name in templates:
        template = (TEMPLATES / f"{name}.jinja").read_text(encoding="utf-8")
        for conversation in CONVERSATIONS:
            for add_generation_prompt in (True, False):
                result = render(template, SPECIAL_TOKENS[name], conversation, add_generation_prompt)
                cases.append(
                    {
                        "template": name,
                        "conversation": conversation["name"],
                        "add_generation_prompt": add_generation_prompt,
                        **result,
                    }
                )
    document = {
        "generated_by": "finetune/src/test/python/tokenize/render_chat_templates.py",
        "transformers": transformers.__version__,
        "jinja2": jinja2.__version__,
        "special_tokens": SPECIAL_TOKENS,
        "conversations": CONVERSATIONS,
        "cases": cases,
    }
    OUTPUT.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    errors = sum(1 for c in cases if "error" in c)
    print(f"wrote {len(cases)} cases ({errors} errors) to {OUTPUT}")


if __name__ == "__main__":
    main()
