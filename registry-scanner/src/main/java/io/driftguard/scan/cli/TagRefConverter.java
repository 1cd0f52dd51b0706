package io.driftguard.scan.cli;

import io.driftguard.core.model.ImageRef;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses a REF argument, which must name a tag: history and approvals are kept per tag. */
final class TagRefConverter implements ITypeConverter<ImageRef> {
    @Override
    public ImageRef convert(String value) {
        ImageRef ref;
        try {
            ref = ImageRef.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
        if (ref.tag() == null) {
            throw new TypeConversionException(value + " names no tag; history and approvals are per tag");
        }
        return ref;
    }
}
