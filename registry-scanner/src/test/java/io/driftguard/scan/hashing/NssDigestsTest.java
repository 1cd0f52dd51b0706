package io.driftguard.scan.hashing;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.core.testing.Prerequisites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * NSS's digests against the JDK's, with the real softoken of this host (libnss3), as the launcher
 * finds it. The provider is used directly, not installed, so that other tests keep the JDK's.
 */
class NssDigestsTest {
    private static final byte[] CONTENT = new byte[3 * 1024 * 1024 + 17];

    static {
        new Random(13).nextBytes(CONTENT);
    }

    /** One for the class: NSS initialises once a JVM, as the scanner's one instance does. */
    private static final List<String> WARNINGS = new ArrayList<>();
    private static NssDigests nss;

    @BeforeAll
    static void loadTheSoftoken() {
        nss = new NssDigests(softokenDirectory(), WARNINGS::add);
    }

    @ParameterizedTest
    @ValueSource(strings = {"SHA-256", "SHA-512"})
    void hashesAsTheJdkDoesWithTheSoftoken(String algorithm) throws Exception {
        MessageDigest digest = MessageDigest.getInstance(algorithm, nss);
        // Pieces as a body subscriber hands them over, one of them empty.
        for (int at = 0, piece = 0; at < CONTENT.length; at += piece) {
            piece = Math.min(CONTENT.length - at, at % 3 == 0 ? 262144 : 4099);
            digest.update(CONTENT, at, piece);
            digest.update(CONTENT, at, 0);
        }

        assertThat(digest.digest()).isEqualTo(MessageDigest.getInstance(algorithm, "SUN").digest(CONTENT));
        assertThat(nss.source()).as("the digests are NSS's").isEqualTo("SunPKCS11-NSS");
        assertThat(WARNINGS).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"SHA-256", "SHA-512"})
    void fallsBackToTheJdkAndSaysSoOnceWhenNssCannotLoad(String algorithm, @TempDir Path empty)
            throws Exception {
        List<String> warnings = new ArrayList<>();
        NssDigests broken = new NssDigests(empty, warnings::add);

        MessageDigest first = MessageDigest.getInstance(algorithm, broken);
        MessageDigest second = MessageDigest.getInstance(algorithm, broken);

        assertThat(first.digest(CONTENT)).isEqualTo(MessageDigest.getInstance(algorithm, "SUN").digest(CONTENT));
        assertThat(second.digest(CONTENT)).isEqualTo(MessageDigest.getInstance(algorithm, "SUN").digest(CONTENT));
        assertThat(broken.source()).isEqualTo("SUN");
        assertThat(warnings).singleElement().asString()
                .contains(empty.toString()).contains("could not be loaded").contains("hashing with the JDK's SHA-256");
    }

    /** Where bin/driftguard-scan looks for the softoken, in its order. */
    private static Path softokenDirectory() {
        String arch = System.getProperty("os.arch").equals("amd64") ? "x86_64" : System.getProperty("os.arch");
        Path found = Stream.of("/usr/lib/" + arch + "-linux-gnu", "/usr/lib64", "/usr/lib").map(Path::of)
                .filter(dir -> Files.isRegularFile(dir.resolve("libsoftokn3.so")) && Files.isRegularFile(dir.resolve("libnss3.so")))
                .findFirst().orElse(null);
        Prerequisites.require(found != null, "NSS's softoken (libnss3): libsoftokn3.so and libnss3.so");
        return found;
    }
}
