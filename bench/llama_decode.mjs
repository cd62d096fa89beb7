// Greedy decode speed of llama.cpp (node-llama-cpp's prebuilt CPU build) on a GGUF: the peer of
// jtune's decode in bench EvalExportBench. Run from a folder whose node_modules has node-llama-cpp:
//   node llama_decode.mjs MODEL.gguf 1,2,3 NEW_TOKENS THREADS
import {getLlama, LlamaLogLevel} from "node-llama-cpp";

const [modelPath, idsArg, nArg, tArg = "2"] = process.argv.slice(2);
const ids = idsArg.split(",").map(Number);
const n = Number(nArg);
const threads = Number(tArg);
const llama = await getLlama({gpu: false, build: "never", logLevel: LlamaLogLevel.error, maxThreads: threads});
const model = await llama.loadModel({modelPath, gpuLayers: 0});
const rates = [];
let first = [];
for (let rep = 0; rep < 4; rep++) {
    const context = await model.createContext({contextSize: 512, batchSize: 512, threads, sequences: 1});
    const seq = context.getSequence();
    const out = [];
    const t0 = performance.now();
    for await (const tok of seq.evaluate(ids, {temperature: 0, yieldEogToken: true})) {
        out.push(tok);
        if (out.length >= n) break;
    }
    const s = (performance.now() - t0) / 1000;
    if (rep > 0) rates.push(out.length / s);   // the first run warms up
    first = out.slice(0, 8);
    await context.dispose();
}
rates.sort((a, b) => a - b);
console.log(`llama.cpp decode, ${threads} threads, ${ids.length}-token prompt, ${n} new tokens: ${rates[1].toFixed(1)} tokens/s`
    + ` (median of 3); greedy ids start [${first.join(", ")}]`);
await model.dispose();
await llama.dispose();
