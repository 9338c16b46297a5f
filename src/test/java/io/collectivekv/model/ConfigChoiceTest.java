package io.collectivekv.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.collectivekv.cache.Precision;
import org.junit.jupiter.api.Test;

class ConfigChoiceTest {

    @Test
    void aChoiceIsNamedByItsLowerCaseName() {
        assertEquals("fp16", Precision.FP16.id());
        assertSame(Precision.FP16, ConfigChoice.parse(Precision.class, "cache.precision", "fp16"));
        assertSame(KvMode.COLLECTIVE, ConfigChoice.parse(KvMode.class, "kv_mode", "collective"));
    }

    @Test
    void anUnknownNameFailsNamingTheKeyAndEveryChoice() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigChoice.parse(Precision.class, "cache.precision", "FP16"));
        assertEquals("cache.precision", e.key());
        assertEquals("cache.precision = FP16: expected one of fp32, fp16", e.getMessage());
    }
}
