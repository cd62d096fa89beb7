package io.jtune.finetune.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtune.finetune.io.gguf.GgmlType;
import io.jtune.finetune.io.gguf.GgufReader;
import io.jtune.finetune.model.CausalLm;
import io.jtune.finetune.model.ModelLoader;
import io.jtune.finetune.model.TinyModels;
import io.jtune.finetune.tokenize.Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny Llama written as GGUF and read back: names, permuted q/k rows, hyper-parameters, tokenizer. */
class GgufExportTest {
    @TempDir
    static Path dir;
    static Path base;

    @BeforeAll
    static void writeBase() throws Exception {
        base = dir.resolve("base");
        TinyModels.write(base, TinyModels.TEST_LLAMA, 3);
    }

    @Test
    void f32FileHoldsEveryTensorUnderLlamaCppsNamesWithQandKPermuted() throws Exception {
        Path file = dir.resolve("tiny-f32.gguf");
        try (CausalLm m = ModelLoader.load(base); Tokenizer tok = Tokenizer.load(base)) {
            ExportedFile f = GgufExporter.write(m, base, file, GgmlType.F32, "tiny");
            assertEquals(Files.size(file), f.bytes());
            GgufReader r = GgufReader.open(file);
            Map<String, Object> md = r.metadata();
            assertEquals("llama", md.get("general.architecture"));
            assertEquals(64L, md.get("llama.embedding_length"));
            assertEquals(2L, md.get("llama.attention.head_count_kv"));
            assertEquals(16L, md.get("llama.rope.dimension_count"));
            assertEquals("gpt2", md.get("tokenizer.ggml.model"));
            assertEquals(384, ((List<?>) md.get("tokenizer.ggml.tokens")).size());
            assertEquals(tok.tokenText(100), ((List<?>) md.get("tokenizer.ggml.tokens")).get(100));
            assertEquals((long) tok.tokenId(TinyModels.IM_END).getAsInt(), md.get("tokenizer.ggml.eot_token_id"));
            assertEquals(TinyModels.CHAT_TEMPLATE, md.get("tokenizer.chat_template"));
            assertEquals(2 * 9 + 3, r.tensors().size(), r.tensors().keySet().toString());
            assertEquals(List.of(64L, 384L), List.of(r.tensors().get("token_embd.weight").shape()[1],
                    r.tensors().get("token_embd.weight").shape()[0]));
            Map<String, ai.djl.ndarray.NDArray> hf = m.denseTensors();
            assertArrayEquals(hf.get("model.layers.1.mlp.down_proj.weight").toFloatArray(), r.floats("blk.1.ffn_down.weight"));
            assertArrayEquals(hf.get("lm_head.weight").toFloatArray(), r.floats("output.weight"));
            float[] q = hf.get("model.layers.0.self_attn.q_proj.weight").toFloatArray();
            float[] gq = r.floats("blk.0.attn_q.weight");
            // head 1 (rows 16..31), pair i = 3: HF rows 16+3 and 16+8+3 become GGUF rows 16+6 and 16+7
            for (int c = 0; c < 64; c++) {
                assertEquals(q[(16 + 3) * 64 + c], gq[(16 + 6) * 64 + c]);
                assertEquals(q[(16 + 8 + 3) * 64 + c], gq[(16 + 7) * 64 + c]);
            }
            float[] k = hf.get("model.layers.0.self_attn.k_proj.weight").toFloatArray();
            float[] gk = r.floats("blk.0.attn_k.weight");
            assertEquals(k[(16 + 8) * 64], gk[(16 + 1) * 64], "k is permuted per key-value head");
        }
    }

    @Test
    void quantizedFilesKeepNormsInF32AndAreSmaller() throws Exception {
        try (CausalLm m = ModelLoader.load(base)) {
            long f32 = GgufExporter.write(m, base, dir.resolve("a.gguf"), GgmlType.F32, "tiny").bytes();
            long q8 = GgufExporter.write(m, base, dir.resolve("b.gguf"), GgmlType.Q8_0, "tiny").bytes();
            long q4 = GgufExporter.write(m, base, dir.resolve("c.gguf"), GgmlType.Q4_0, "tiny").bytes();
            assertTrue(q8 < f32 * 0.35 && q4 < q8 * 0.7, f32 + " " + q8 + " " + q4);
            GgufReader r = GgufReader.open(dir.resolve("b.gguf"));
            assertEquals(0, r.tensors().get("blk.0.attn_norm.weight").type());
            assertEquals(8, r.tensors().get("blk.0.attn_q.weight").type());
            assertEquals(7L, r.metadata().get("general.file_type"));
        }
    }

    @Test
    void qwen2IsReferredToTheConverter() throws Exception {
        Path qwen = dir.resolve("qwen");
        TinyModels.write(qwen, TinyModels.TEST_QWEN2, 3);
        try (CausalLm m = ModelLoader.load(qwen)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> GgufExporter.write(m, qwen, dir.resolve("q.gguf"), GgmlType.F32, "q"));
            assertTrue(e.getMessage().contains("convert_hf_to_gguf.py"), e.getMessage());
        }
    }
}
