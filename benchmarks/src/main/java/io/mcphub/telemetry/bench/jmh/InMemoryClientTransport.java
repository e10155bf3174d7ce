package io.mcphub.telemetry.bench.jmh;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * An MCP server answering inside the client's transport: every request is answered synchronously
 * with a response that goes through JSON text, as over a real wire, so the SDK client's whole
 * request/response path runs (session, pending-response map, unmarshalling) without network noise.
 * Being an {@link McpClientTransport}, it is instrumented by the agent like any real transport.
 */
public final class InMemoryClientTransport implements McpClientTransport {

    private final McpJsonMapper json = McpJsonDefaults.getMapper();
    private volatile Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler;

    @Override
    public Mono<Void> connect(Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
        this.handler = handler;
        return Mono.empty();
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
        if (message instanceof McpSchema.JSONRPCRequest request) {
            Object result = switch (request.method()) {
                case McpSchema.METHOD_INITIALIZE -> new McpSchema.InitializeResult("2025-06-18",
                        McpSchema.ServerCapabilities.builder().tools(false).build(),
                        new McpSchema.Implementation("in-memory", "1.0.0"), null);
                case McpSchema.METHOD_TOOLS_CALL -> McpSchema.CallToolResult.builder()
                        .content(List.of(new McpSchema.TextContent("pong"))).isError(false).build();
                case McpSchema.METHOD_TOOLS_LIST -> new McpSchema.ListToolsResult(List.of(), null);
                default -> Map.of();
            };
            try {
                String wire = json.writeValueAsString(McpSchema.JSONRPCResponse.result(request.id(), result));
                McpSchema.JSONRPCMessage response = McpSchema.deserializeJsonRpcMessage(json, wire);
                handler.apply(Mono.just(response)).subscribe();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Mono.empty();
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.empty();
    }

    @Override
    public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
        return json.convertValue(data, typeRef);
    }
}
