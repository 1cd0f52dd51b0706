package io.driftguard.daemon.kernel;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftguard.core.testing.Prerequisites;
import org.junit.jupiter.api.Test;

/** A closed group must never touch its old descriptor numbers: the next open reuses them. */
class FanotifyGroupTest {
    @Test
    void aClosedGroupRefusesEveryUseOfItsDescriptors() throws Exception {
        Prerequisites.requireRoot();
        FanotifyGroup group = FanotifyGroup.open();
        group.close();
        assertThatCode(group::close).as("closing twice").doesNotThrowAnyException();
        assertThatCode(group::wake).as("waking a closed group").doesNotThrowAnyException();
        assertThatThrownBy(() -> group.respond(0, true)).hasMessageContaining("already closed");
        assertThatThrownBy(() -> group.ignoreUntilModified(0)).hasMessageContaining("already closed");
    }
}
