package io.driftguard.scan.version;

import java.util.Comparator;

/** How one packaging format orders versions; each compares two version strings of its format. */
public enum VersionScheme implements Comparator<String> {
    DPKG {
        @Override
        public int compare(String a, String b) {
            return DpkgVersion.compare(a, b);
        }
    },
    APK {
        @Override
        public int compare(String a, String b) {
            return ApkVersion.compare(a, b);
        }
    },
    RPM {
        @Override
        public int compare(String a, String b) {
            return RpmVersion.compare(a, b);
        }
    }
}
