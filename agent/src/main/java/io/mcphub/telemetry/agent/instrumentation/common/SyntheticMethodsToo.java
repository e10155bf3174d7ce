package io.mcphub.telemetry.agent.instrumentation.common;

import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.field.FieldList;
import net.bytebuddy.description.method.MethodList;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.pool.TypePool;

/**
 * Lets advice reach synthetic methods (lambda bodies), which Byte Buddy leaves out of the methods it offers
 * to a visitor by default: the wrapped visitor is offered every method the class declares.
 */
public final class SyntheticMethodsToo implements AsmVisitorWrapper {

    private final AsmVisitorWrapper delegate;

    public SyntheticMethodsToo(AsmVisitorWrapper delegate) {
        this.delegate = delegate;
    }

    @Override
    public int mergeWriter(int flags) {
        return delegate.mergeWriter(flags);
    }

    @Override
    public int mergeReader(int flags) {
        return delegate.mergeReader(flags);
    }

    @Override
    public ClassVisitor wrap(TypeDescription instrumentedType, ClassVisitor classVisitor,
                             Implementation.Context implementationContext, TypePool typePool,
                             FieldList<FieldDescription.InDefinedShape> fields, MethodList<?> methods, int writerFlags,
                             int readerFlags) {
        return delegate.wrap(instrumentedType, classVisitor, implementationContext, typePool, fields,
                instrumentedType.getDeclaredMethods(), writerFlags, readerFlags);
    }
}
