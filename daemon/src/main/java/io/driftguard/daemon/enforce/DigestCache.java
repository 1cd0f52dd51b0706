package io.driftguard.daemon.enforce;

import io.driftguard.daemon.kernel.FileKey;
import io.driftguard.daemon.kernel.FileStat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * sha256 of executables already hashed, by inode, valid while size, mtime and ctime are unchanged
 * (any write or chmod changes ctime). Bounded; the least recently used entry goes first.
 */
final class DigestCache {
    private record Entry(long size, long mtimeNanos, long ctimeNanos, String sha256) {
    }

    private final Map<FileKey, Entry> entries;

    DigestCache(int capacity) {
        this.entries = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<FileKey, Entry> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized String lookup(FileStat stat) {
        Entry entry = entries.get(stat.key());
        if (entry == null || entry.size() != stat.size() || entry.mtimeNanos() != stat.mtimeNanos()
                || entry.ctimeNanos() != stat.ctimeNanos()) {
            return null;
        }
        return entry.sha256();
    }

    synchronized void put(FileStat stat, String sha256) {
        entries.put(stat.key(), new Entry(stat.size(), stat.mtimeNanos(), stat.ctimeNanos(), sha256));
    }
}
