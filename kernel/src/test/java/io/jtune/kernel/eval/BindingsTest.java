package io.jtune.kernel.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BindingsTest {
    @Test
    void publicClassesAreNamedCanonically() {
        assertEquals("java.util.ArrayList", Bindings.typeName(new ArrayList<>()));
        assertEquals("java.lang.String", Bindings.typeName("s"));
        assertEquals("int[]", Bindings.typeName(new int[0]));
    }

    @Test
    void hiddenJdkClassesFallBackToTheirPublicInterface() {
        assertEquals("java.util.List<java.lang.Integer>", Bindings.typeName(List.of(1, 2)));
        assertEquals("java.util.List", Bindings.typeName(List.of(1, "two")), "mixed elements stay raw");
        assertEquals("java.util.ArrayList<java.lang.String>", Bindings.typeName(new ArrayList<>(List.of("a"))));
        assertEquals("java.util.Map<java.lang.String, java.lang.Integer>", Bindings.typeName(Map.of("a", 1)));
        assertEquals("java.util.Map", Bindings.typeName(Map.of()));
    }

    @Test
    void nullBindsAsObject() {
        assertEquals("Object", Bindings.typeName(null));
    }
}
