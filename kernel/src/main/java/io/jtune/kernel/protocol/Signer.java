package io.jtune.kernel.protocol;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 over the four JSON frames of a message, as hex. An empty key disables signing:
 * messages go out with an empty signature and incoming ones are not checked (the spec's rule).
 * Not thread-safe; the socket loop owns one.
 */
public final class Signer {
    private final Mac mac;

    public Signer(String key) {
        if (key.isEmpty()) {
            mac = null;
            return;
        }
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    public boolean enabled() {
        return mac != null;
    }

    /** The hex signature of header, parent header, metadata and content. */
    public String sign(byte[]... frames) {
        if (mac == null) {
            return "";
        }
        for (byte[] f : frames) {
            mac.update(f);
        }
        return hex(mac.doFinal());
    }

    /** Constant-time check of a received signature; always true when signing is disabled. */
    public boolean verify(byte[] signature, byte[]... frames) {
        if (mac == null) {
            return true;
        }
        byte[] expected = sign(frames).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, signature);
    }

    private static String hex(byte[] bytes) {
        char[] digits = "0123456789abcdef".toCharArray();
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = digits[(bytes[i] >> 4) & 0xf];
            out[2 * i + 1] = digits[bytes[i] & 0xf];
        }
        return new String(out);
    }
}
