// llama.cpp (through node-llama-cpp, prebuilt, CPU) judges a jtune GGUF export; run by ExportInteropIT.
//   node llama_check.mjs MODEL.gguf REQUEST.json     (a node_modules beside or above the script holds node-llama-cpp)
// REQUEST: {"prompt_ids": [...], "new_tokens": N, "chat": {"messages": [...], "ids": [...]}}
// Prints one JSON object: the greedy ids after prompt_ids (stopping at an end-of-generation token,
// which is included), whether the last one ended a turn, and the ids llama.cpp gets when it renders
// the chat with the GGUF's embedded template and tokenizes the result.
import {readFileSync} from "node:fs";
import {getLlama, LlamaLogLevel} from "node-llama-cpp";
import {Template} from "@huggingface/jinja";

const [modelPath, requestPath] = process.argv.slice(2);
const req = JSON.parse(readFileSync(requestPath, "utf8"));
const llama = await getLlama({gpu: false, build: "never", logLevel: LlamaLogLevel.error, maxThreads: 1});
const model = await llama.loadModel({modelPath, gpuLayers: 0});
const context = await model.createContext({contextSize: 512, batchSize: 512, threads: 1, sequences: 1});
const seq = context.getSequence();
const out = [];
for await (const tok of seq.evaluate(req.prompt_ids, {temperature: 0, yieldEogToken: true})) {
    out.push(tok);
    if (out.length >= req.new_tokens || model.isEogToken(tok)) break;
}
const result = {greedy: out, ended_turn: out.length > 0 && model.isEogToken(out[out.length - 1])};
if (req.chat) {
    const template = model.fileInfo.metadata.tokenizer.chat_template;
    const rendered = new Template(template).render({messages: req.chat.messages, add_generation_prompt: true,
        bos_token: model.tokens.bosString ?? "", eos_token: model.tokens.eosString ?? ""});
    result.chat_text = rendered;
    result.chat_ids = Array.from(model.tokenize(rendered, true));
}
console.log(JSON.stringify(result));
await context.dispose();
await model.dispose();
await llama.dispose();
