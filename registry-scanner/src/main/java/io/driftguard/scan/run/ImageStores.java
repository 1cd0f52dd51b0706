package io.driftguard.scan.run;

import io.driftguard.scan.store.AdvisoryStore;
import io.driftguard.scan.store.ImageScanStore;

/** The stores image scans need besides the registry history: layer contents, SBOMs and results; advisories. */
public record ImageStores(ImageScanStore images, AdvisoryStore advisories) {
}
