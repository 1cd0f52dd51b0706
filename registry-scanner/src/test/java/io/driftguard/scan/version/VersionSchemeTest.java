package io.driftguard.scan.version;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Cases from each format's own documentation and test suite; each pair is also checked reversed. */
class VersionSchemeTest {

    /** deb-version(5) and dpkg's lib/dpkg/t/t-version.c. */
    @ParameterizedTest(name = "dpkg {0} vs {1}")
    @CsvSource({
            "1.0, 1.0, 0", "0:1.0, 1.0, 0", "1.0-0, 1.0, 0", "1:0.1, 2.0, 1", "1.0-1, 1.0-2, -1",
            "1.2.3, 1.2.10, -1", "1.0~rc1, 1.0, -1", "'~~', '~~a', -1", "'~~a', '~', -1", "'~', '', -1",
            "'', a, -1", "1.0a, 1.0+, -1", "1.0-1, 1.0-1.1, -1", "2.30-1~deb12u2, 2.30-1, -1",
            "3.0.20-1~deb12u2, 3.0.20-1~deb12u1, 1", "3.0.11-1~deb12u2, 3.0.20-1~deb12u2, -1",
            "1.0.0001, 1.0.1, 0", "7.88.1-10+deb12u5, 7.88.1-10+deb12u12, -1", "1:1.2-1, 1.2-1, 1",
            "a, b, -1", "1.0-a, 1.0-B, 1"})
    void dpkg(String a, String b, int expected) {
        assertThat(VersionScheme.DPKG.compare(a, b)).isEqualTo(expected);
        assertThat(VersionScheme.DPKG.compare(b, a)).isEqualTo(-expected);
    }

    /** rpm's tests/rpmvercmp.at, and epoch/release handling of rpmVersionCompare. */
    @ParameterizedTest(name = "rpm {0} vs {1}")
    @CsvSource({
            "1.0, 1.0, 0", "1.0, 2.0, -1", "2.0.1, 2.0.1, 0", "2.0, 2.0.1, -1", "2.0.1a, 2.0.1, 1",
            "5.5p1, 5.5p2, -1", "5.5p1, 5.5p10, -1", "10xyz, 10.1xyz, -1", "xyz10, xyz10.1, -1",
            "xyz.4, 8, -1", "xyz.4, 2, -1", "5.5p2, 5.6p1, -1", "5.6p1, 6.5p1, -1", "6.0.rc1, 6.0, 1",
            "10b2, 10a1, 1", "10a2, 10b2, -1", "1.0a, 1.0aa, -1", "10.0001, 10.1, 0", "10.0001, 10.0039, -1",
            "4.999.9, 5.0, -1", "20101121, 20101122, -1", "2_0, 2.0, 0", "a+, a_, 0", "+a, _a, 0", "_+, +_, 0",
            "+, _, 0", "1.0~rc1, 1.0, -1", "1.0~rc1, 1.0~rc2, -1", "1.0~rc1~git123, 1.0~rc1, -1",
            "1.0^, 1.0, 1", "1.0^git1, 1.0, 1", "1.0^git1, 1.0^git2, -1", "1.0^git1, 1.01, -1",
            "1.0^20160101, 1.0.1, -1", "1.0^20160102, 1.0^20160101^git1, 1", "1.0~rc1^git1, 1.0~rc1, 1",
            "1.0^git1~pre, 1.0^git1, -1",
            "1:1.0-1, 2.0-1, 1", "0:3.0.7-24.el9, 3.0.7-25.el9, -1", "3.0.7-24.el9, 3.0.7-24.el9, 0",
            "1.0-1.el9, 1.0-1.el9_2, -1"})
    void rpm(String a, String b, int expected) {
        assertThat(VersionScheme.RPM.compare(a, b)).isEqualTo(expected);
        assertThat(VersionScheme.RPM.compare(b, a)).isEqualTo(-expected);
    }

    /** apk-tools' test/version.data and the Alpine package policy's version format. */
    @ParameterizedTest(name = "apk {0} vs {1}")
    @CsvSource({
            "1.0, 1.0, 0", "1.0, 1.0-r1, -1", "1.0-r1, 1.0-r2, -1", "1.0_alpha, 1.0, -1", "1.0_rc1, 1.0, -1",
            "1.0_alpha1, 1.0_alpha2, -1", "1.0_alpha, 1.0_beta, -1", "1.0_beta, 1.0_pre, -1", "1.0_pre, 1.0_rc, -1",
            "1.0, 1.0_p1, -1", "1.0_p1, 1.0_p2, -1", "1.0_cvs, 1.0_svn, -1", "1.0_git, 1.0_hg, -1", "1.0_hg, 1.0_p, -1",
            "1.0, 1.0a, -1", "1.0a, 1.0b, -1", "1.0, 1.0.0, -1", "1.2.3, 1.2.10, -1", "1.01, 1.1, -1", "1.001, 1.01, -1",
            "2.34, 0.1.0_alpha, 1", "0.1.0_alpha, 0.1.3_alpha, -1", "0.1.0_alpha2, 0.1.0_alpha, 1",
            "3.1.4-r5, 3.1.4-r10, -1", "1.1.1t-r2, 1.1.1u-r0, -1", "3.0.8-r0, 3.0.10-r0, -1",
            "1.0_rc1-r1, 1.0-r0, -1", "6.5_p20250503-r0, 6.5-r0, 1"})
    void apk(String a, String b, int expected) {
        assertThat(VersionScheme.APK.compare(a, b)).isEqualTo(expected);
        assertThat(VersionScheme.APK.compare(b, a)).isEqualTo(-expected);
    }
}
