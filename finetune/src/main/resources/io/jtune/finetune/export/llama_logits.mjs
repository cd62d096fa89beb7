// The logits llama.cpp (node-llama-cpp, prebuilt, CPU) computes for token sequences, for jtune
// merge's export check. Run from a folder whose node_modules holds node-llama-cpp:
//   node llama_logits.mjs MODEL.gguf REQUEST.json     REQUEST: {"sequences": [[ids...], ...]}
// Prints one JSON line: {"logits": [sequence][position][token id]}, every position of every sequence.
import {readFileSync} from "node:fs";
import {getLlama, LlamaLogLevel} from "node-llama-cpp";

const [modelPath, requestPath] = process.argv.slice(2);
const req = JSON.parse(readFileSync(requestPath, "utf8"));
const llama = await getLlama({gpu: false, build: "never", logLevel: LlamaLogLevel.error, maxThreads: 1});
const model = await llama.loadModel({modelPath, gpuLayers: 0});
const vocab = model.fileInfo.metadata.tokenizer.ggml.tokens.length;
const all = [];
for (const ids of req.sequences) {
    const context = await model.createContext({contextSize: Math.max(64, ids.length + 8), batchSize: 512, threads: 1,
        sequences: 1});
    const seq = context.getSequence();
    const res = await seq.controlledEvaluate(ids.map(id => [id, {generateNext: {logits: true}}]));
    const rows = [];
    for (const r of res) {
        const row = new Array(vocab).fill(0);
        for (const [token, logit] of r.next.logits) row[token] = logit;
        rows.push(row);
    }
    all.push(rows);
    await context.dispose();
}
console.log(JSON.stringify({logits: all}));
await model.dispose();
await llama.dispose();
