package io.driftguard.scan.hashing;

import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.Security;
import java.util.List;
import java.util.function.Consumer;

/**
 * SHA-256 and SHA-512 from NSS's softoken (through the JDK's SunPKCS11), ahead of the JDK's own.
 *
 * <p>Why: the launcher starts a short run with C1 only, which halves the JIT's share of a
 * digest-only pass, and C1 has no SHA intrinsic: the JDK's SHA-256 then hashes at about 115 MiB/s,
 * NSS at about 1.3 GiB/s whatever the JIT (bench/NOTES-scan-speed.md). NSS is loaded on the first
 * digest, so a run that hashes nothing pays nothing; if it cannot be loaded, the JDK's digests
 * are used, and that is said once.
 */
public final class NssDigests extends Provider {
    private static final long serialVersionUID = 1L;
    private static final List<String> ALGORITHMS = List.of("SHA-256", "SHA-512");

    private final transient Path libraryDirectory;
    private final transient Consumer<String> warning;
    private transient volatile Provider loaded;

    NssDigests(Path libraryDirectory, Consumer<String> warning) {
        super("DriftguardNSS", "1", "SHA-256 and SHA-512 of NSS's softoken");
        this.libraryDirectory = libraryDirectory;
        this.warning = warning;
        for (String algorithm : ALGORITHMS) {
            putService(new Delegate(this, algorithm));
        }
    }

    /** Makes NSS's softoken in {@code libraryDirectory} the first choice for SHA-256 and SHA-512. */
    public static void install(Path libraryDirectory, Consumer<String> warning) {
        Security.insertProviderAt(new NssDigests(libraryDirectory, warning), 1);
    }

    /** The name of the provider whose digests are handed out, loading NSS if not yet done. */
    String source() {
        return delegate().getName();
    }

    /** The provider whose digests are handed out: NSS's, else (NSS failed to load) the JDK's. */
    private Provider delegate() {
        Provider p = loaded;
        if (p == null) {
            synchronized (this) {
                p = loaded;
                if (p == null) {
                    p = load();
                    loaded = p;
                }
            }
        }
        return p;
    }

    private Provider load() {
        try {
            Provider base = Security.getProvider("SunPKCS11");
            if (base == null) {
                throw new IllegalStateException("the JDK has no SunPKCS11 provider");
            }
            // "--" says that the rest is the configuration itself, not a file name.
            Provider nss = base.configure("--name=NSS\nnssLibraryDirectory=" + libraryDirectory + "\nnssDbMode=noDb\n");
            for (String algorithm : ALGORITHMS) {
                nss.getService("MessageDigest", algorithm).newInstance(null);
            }
            return nss;
        } catch (RuntimeException | NoSuchAlgorithmException e) {
            warning.accept("NSS's softoken in " + libraryDirectory + " could not be loaded (" + e.getMessage()
                    + "); hashing with the JDK's SHA-256, which is about ten times slower without C2");
            return Security.getProvider("SUN");
        }
    }

    /** A digest service of this provider whose instances are the delegate's. */
    private static final class Delegate extends Service {
        private final NssDigests owner;

        Delegate(NssDigests owner, String algorithm) {
            super(owner, "MessageDigest", algorithm, Delegate.class.getName(), null, null);
            this.owner = owner;
        }

        @Override
        public Object newInstance(Object parameter) throws NoSuchAlgorithmException {
            return owner.delegate().getService(getType(), getAlgorithm()).newInstance(parameter);
        }
    }
}
