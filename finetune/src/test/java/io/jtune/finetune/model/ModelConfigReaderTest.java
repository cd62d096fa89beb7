package io.jtune.finetune.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelConfigReaderTest {
    private static ModelConfig parse(String json) throws IOException {
        return ModelConfigReader.parse(new ObjectMapper().readTree(json));
    }

    @Test
    void llama31ConfigReadsWithGqaRopeScalingAndAListOfEosIds() throws IOException {
        ModelConfig c = parse("""
                {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "vocab_size": 128256,
                 "hidden_size": 4096, "intermediate_size": 14336, "num_hidden_layers": 32,
                 "num_attention_heads": 32, "num_key_value_heads": 8, "rms_norm_eps": 1e-05,
                 "rope_theta": 500000.0, "max_position_embeddings": 131072, "tie_word_embeddings": false,
                 "rope_scaling": {"factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                                  "original_max_position_embeddings": 8192, "rope_type": "llama3"},
                 "torch_dtype": "bfloat16", "bos_token_id": 128000, "eos_token_id": [128001, 128008, 128009]}
                """);
        assertEquals(Architecture.LLAMA, c.architecture());
        assertEquals(128, c.headDim());
        assertEquals(4, c.kvGroups());
        assertEquals(new RopeScaling(8, 1, 4, 8192), c.ropeScaling());
        assertArrayEquals(new int[] {128001, 128008, 128009}, c.eosTokenIds());
        assertEquals(8_030_261_248L, c.parameterCount(), "Llama 3.1 8B has 8.03B parameters");
    }

    @Test
    void qwen2HasQkvBiasAndDefaultsFillWhatIsLeftOut() throws IOException {
        ModelConfig c = parse("""
                {"model_type": "qwen2", "vocab_size": 151936, "hidden_size": 896, "intermediate_size": 4864,
                 "num_hidden_layers": 24, "num_attention_heads": 14, "num_key_value_heads": 2,
                 "tie_word_embeddings": true, "eos_token_id": 151645}
                """);
        assertTrue(c.architecture().qkvBias());
        assertEquals(64, c.headDim());
        assertEquals(1e-6, c.rmsNormEps());
        assertEquals(10000.0, c.ropeTheta());
        assertNull(c.ropeScaling());
        assertEquals(494_032_768L, c.parameterCount(), "Qwen2.5-0.5B has 494M parameters");
    }

    @Test
    void transformers5RopeParametersAndDtypeAreRead() throws IOException {
        ModelConfig c = parse("""
                {"model_type": "llama", "vocab_size": 100, "hidden_size": 64, "intermediate_size": 128,
                 "num_hidden_layers": 1, "num_attention_heads": 4, "dtype": "bfloat16",
                 "rope_parameters": {"rope_type": "llama3", "rope_theta": 500000.0, "factor": 8.0,
                   "low_freq_factor": 1.0, "high_freq_factor": 4.0, "original_max_position_embeddings": 8192}}
                """);
        assertEquals(500000.0, c.ropeTheta());
        assertEquals(new RopeScaling(8, 1, 4, 8192), c.ropeScaling());
        assertEquals("bfloat16", c.torchDtype());
    }

    @Test
    void explicitHeadDimIsKeptEvenWhenItDiffersFromHiddenOverHeads() throws IOException {
        ModelConfig c = parse("""
                {"model_type": "mistral", "vocab_size": 100, "hidden_size": 64, "intermediate_size": 128,
                 "num_hidden_layers": 1, "num_attention_heads": 4, "head_dim": 32, "sliding_window": null}
                """);
        assertEquals(32, c.headDim());
        assertEquals(4, c.numKvHeads(), "num_key_value_heads defaults to num_attention_heads");
    }

    @Test
    void unsupportedModelsAreRefusedWithWhatIsSupported() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parse("{\"model_type\": \"gpt2\"}"));
        assertEquals("model_type 'gpt2' is not supported; supported: llama, mistral, qwen2", e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("""
                {"model_type": "llama", "vocab_size": 10, "hidden_size": 8, "intermediate_size": 8,
                 "num_hidden_layers": 1, "num_attention_heads": 2, "rope_scaling": {"type": "yarn", "factor": 2}}
                """)).getMessage().contains("rope_scaling.type: 'yarn' is not supported"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("""
                {"model_type": "llama", "vocab_size": 10, "hidden_size": 8, "intermediate_size": 8,
                 "num_hidden_layers": 1, "num_attention_heads": 3, "num_key_value_heads": 2}
                """)).getMessage().contains("multiple of num_key_value_heads"));
    }

    @Test
    void errorsNameTheFileAndTheField(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"llama\", \"hidden_size\": \"big\"}");
        IOException e = assertThrows(IOException.class, () -> ModelConfigReader.read(dir));
        assertTrue(e.getMessage().startsWith(dir.resolve("config.json").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("hidden_size: must be an integer"), e.getMessage());
        assertTrue(assertThrows(IOException.class, () -> ModelConfigReader.read(dir.resolve("nowhere")))
                .getMessage().contains("no config.json"));
    }

    private static final String TINY = """
            {"model_type": "llama", "vocab_size": 10, "hidden_size": 8, "intermediate_size": 8,
             "num_hidden_layers": 1, "num_attention_heads": 2, "bos_token_id": 1, "eos_token_id": 2 %s}
            """;

    private static String refused(String extra) {
        return assertThrows(IllegalArgumentException.class, () -> parse(TINY.formatted(", " + extra))).getMessage();
    }

    @Test
    void zeroHeadsIsRefusedByNameInsteadOfDividingByZero(@TempDir Path dir) throws IOException {
        assertEquals("num_attention_heads: must be >= 1, got 0", refused("\"num_attention_heads\": 0"));
        Files.writeString(dir.resolve("config.json"), TINY.formatted(", \"num_attention_heads\": 0"));
        IOException e = assertThrows(IOException.class, () -> ModelConfigReader.read(dir));
        assertEquals(dir.resolve("config.json") + ": num_attention_heads: must be >= 1, got 0", e.getMessage());
    }

    @Test
    void everyNumericFieldIsCheckedForItsRange() {
        assertEquals("vocab_size: must be >= 1, got -3", refused("\"vocab_size\": -3"));
        assertEquals("num_key_value_heads: must be >= 1, got 0", refused("\"num_key_value_heads\": 0"));
        assertEquals("head_dim: must be >= 1, got 0", refused("\"head_dim\": 0"));
        assertTrue(refused("\"num_attention_heads\": 16").startsWith("head_dim: hidden_size (8) / "
                + "num_attention_heads (16) is 0"));
        assertEquals("max_position_embeddings: must be >= 1, got 0", refused("\"max_position_embeddings\": 0"));
        assertEquals("intermediate_size: must be an integer below 2^31, got 3000000000",
                refused("\"intermediate_size\": 3000000000"));
        assertEquals("rms_norm_eps: must be a finite number > 0, got 0", refused("\"rms_norm_eps\": 0"));
        assertEquals("rope_theta: must be a finite number > 0, got -1.0", refused("\"rope_theta\": -1.0"));
        assertEquals("rope_theta: must be a finite number > 0, got one too large for a double", refused("\"rope_theta\": 1e400"));
        assertEquals("bos_token_id: 10 is not below vocab_size (10)", refused("\"bos_token_id\": 10"));
        assertEquals("eos_token_id[1]: -1 is not in [0, vocab_size = 10)", refused("\"eos_token_id\": [2, -1]"));
        assertEquals("rope_scaling.factor: must be a finite number > 0, got 0", refused("""
                "rope_scaling": {"rope_type": "llama3", "factor": 0, "low_freq_factor": 1, "high_freq_factor": 4,
                 "original_max_position_embeddings": 8}"""));
        assertEquals("rope_parameters.high_freq_factor: must be greater than low_freq_factor (4.0), got 1.0",
                refused("""
                "rope_parameters": {"rope_type": "llama3", "factor": 8, "low_freq_factor": 4, "high_freq_factor": 1,
                 "original_max_position_embeddings": 8}"""));
    }

    @Test
    void everyObjectStringAndBooleanFieldIsCheckedForItsType() {
        assertEquals("rope_scaling: must be a JSON object, got \"yes\"", refused("\"rope_scaling\": \"yes\""));
        assertEquals("rope_parameters: must be a JSON object, got [1]", refused("\"rope_parameters\": [1]"));
        assertEquals("rope_scaling.rope_type: must be a string, got 3",
                refused("\"rope_scaling\": {\"rope_type\": 3}"));
        assertEquals("tie_word_embeddings: must be true or false, got \"true\"",
                refused("\"tie_word_embeddings\": \"true\""));
        assertEquals("attention_bias: must be true or false, got 1", refused("\"attention_bias\": 1"));
        assertEquals("hidden_act: must be a string, got 5", refused("\"hidden_act\": 5"));
        assertEquals("torch_dtype: must be a string, got {}", refused("\"torch_dtype\": {}"));
        assertEquals("eos_token_id: must be an integer or a list of integers, got \"</s>\"",
                refused("\"eos_token_id\": \"</s>\""));
        assertEquals("rms_norm_eps: must be a number, got \"1e-5\"", refused("\"rms_norm_eps\": \"1e-5\""));
    }

    @Test
    void recordsBuiltInCodeAreCheckedLikeTheFile() {
        assertEquals("bos_token_id: 61 is not in [0, vocab_size = 61)", assertThrows(IllegalArgumentException.class,
                () -> new ModelConfig(Architecture.LLAMA, 61, 32, 48, 1, 4, 4, 8, 1e-5, 1e4, null, false, 64,
                        "float32", 61, new int[0])).getMessage());
        assertEquals("rope_scaling.factor: must be a finite number > 0, got NaN",
                assertThrows(IllegalArgumentException.class, () -> new RopeScaling(Double.NaN, 1, 4, 8)).getMessage());
    }
}
