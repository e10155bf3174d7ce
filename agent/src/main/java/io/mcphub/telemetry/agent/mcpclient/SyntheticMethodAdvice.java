package io.mcphub.telemetry.agent.mcpclient;

import java.util.HashMap;
import java.util.Map;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.field.FieldList;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.method.MethodList;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.OpenedClassReader;

/**
 * Applies advice to synthetic methods (lambda bodies), which Byte Buddy's {@code visit(Advice.on(...))}
 * leaves out: the SDK's only signal that a request could not be sent is the error callback lambda of
 * {@code McpClientSession.sendRequest}.
 */
final class SyntheticMethodAdvice extends AsmVisitorWrapper.AbstractBase {

    private final ElementMatcher<? super MethodDescription> matcher;
    private final AsmVisitorWrapper.ForDeclaredMethods.MethodVisitorWrapper advice;

    SyntheticMethodAdvice(ElementMatcher<? super MethodDescription> matcher,
                          AsmVisitorWrapper.ForDeclaredMethods.MethodVisitorWrapper advice) {
        this.matcher = matcher;
        this.advice = advice;
    }

    @Override
    public ClassVisitor wrap(TypeDescription instrumentedType, ClassVisitor classVisitor,
                             Implementation.Context implementationContext, TypePool typePool,
                             FieldList<FieldDescription.InDefinedShape> fields, MethodList<?> methods, int writerFlags,
                             int readerFlags) {
        Map<String, MethodDescription> targets = new HashMap<>();
        for (MethodDescription m : instrumentedType.getDeclaredMethods()) {
            if (matcher.matches(m)) {
                targets.put(m.getInternalName() + m.getDescriptor(), m);
            }
        }
        if (targets.isEmpty()) {
            return classVisitor;
        }
        return new ClassVisitor(OpenedClassReader.ASM_API, classVisitor) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                MethodVisitor visitor = super.visitMethod(access, name, descriptor, signature, exceptions);
                MethodDescription target = targets.get(name + descriptor);
                return target == null || visitor == null ? visitor
                        : advice.wrap(instrumentedType, target, visitor, implementationContext, typePool, writerFlags,
                                readerFlags);
            }
        };
    }
}
