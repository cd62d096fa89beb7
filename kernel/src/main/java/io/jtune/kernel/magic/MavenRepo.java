package io.jtune.kernel.magic;

/**
 * A remote Maven repository to resolve from.
 *
 * @param id its id, which settings.xml mirrors and servers refer to
 * @param url its address: {@code https://...}, {@code http://...} or {@code file:...}
 */
public record MavenRepo(String id, String url) {

    public MavenRepo {
        if (id == null || id.isBlank() || id.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("A repository id is one word: '" + id + "'");
        }
        if (url == null || url.isBlank() || !url.contains(":")) {
            throw new IllegalArgumentException("Repository " + id + " needs a URL, not '" + url + "'");
        }
        url = url.strip();
    }

    @Override
    public String toString() {
        return id + " (" + url + ")";
    }
}
