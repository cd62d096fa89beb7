package io.jtune.kernel.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jtune.kernel.display.MimeBundle;
import io.jtune.kernel.protocol.Json;

/** MIME bundles as the {@code data}/{@code metadata} of display messages. */
final class Bundles {
    private Bundles() {}

    static ObjectNode toContent(MimeBundle bundle) {
        ObjectNode content = Json.object();
        content.set("data", Json.MAPPER.valueToTree(bundle.data()));
        content.set("metadata", Json.MAPPER.valueToTree(bundle.metadata()));
        return content;
    }
}
