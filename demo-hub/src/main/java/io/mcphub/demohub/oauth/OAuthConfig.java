package io.mcphub.demohub.oauth;

import java.net.URI;
import java.util.Map;

import io.mcphub.demohub.HubConfig.ConfigException;
import tools.jackson.databind.JsonNode;

/**
 * The {@code "oauth"} object of a remote server entry.
 *
 * <pre>
 * "oauth": {"tokenUrl": "...", "clientId": "...", "clientSecret": "...", "scope": "..."}             client_credentials
 * "oauth": {"authorizationUrl": "...", "tokenUrl": "...", "clientId": "...", "redirectUri": "..."}   authorization_code + PKCE
 * </pre>
 *
 * {@code redirectUri} defaults to {@code http://<hub host>:<hub port>/oauth/callback}.
 */
public record OAuthConfig(String tokenUrl, String clientId, String clientSecret, String scope,
        String authorizationUrl, String redirectUri) {

    public boolean authorizationCode() {
        return authorizationUrl != null;
    }

    /** Never prints the client secret. */
    @Override
    public String toString() {
        return "OAuthConfig[tokenUrl=" + tokenUrl + ", clientId=" + clientId + ", grant="
                + (authorizationCode() ? "authorization_code" : "client_credentials") + "]";
    }

    /** Parses the {@code oauth} value of a server entry; null when absent. */
    public static OAuthConfig parse(JsonNode node, String prefix) throws ConfigException {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new ConfigException(prefix + ": \"oauth\" must be an object");
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getValue().isString()) {
                throw new ConfigException(prefix + ": \"oauth\"." + e.getKey() + " must be a string");
            }
        }
        String tokenUrl = httpUrl(node, "tokenUrl", prefix);
        String authorizationUrl = httpUrl(node, "authorizationUrl", prefix);
        String redirectUri = httpUrl(node, "redirectUri", prefix);
        String clientId = string(node, "clientId");
        if (tokenUrl == null || clientId == null) {
            throw new ConfigException(prefix + ": \"oauth\" needs \"tokenUrl\" and \"clientId\"");
        }
        if (authorizationUrl == null && string(node, "clientSecret") == null) {
            throw new ConfigException(prefix + ": \"oauth\" needs \"clientSecret\" (client_credentials) "
                    + "or \"authorizationUrl\" (authorization_code)");
        }
        return new OAuthConfig(tokenUrl, clientId, string(node, "clientSecret"), string(node, "scope"),
                authorizationUrl, redirectUri);
    }

    private static String string(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || v.asString().isBlank() ? null : v.asString();
    }

    private static String httpUrl(JsonNode node, String field, String prefix) throws ConfigException {
        String url = string(node, field);
        if (url == null) {
            return null;
        }
        try {
            URI uri = URI.create(url);
            if (uri.getScheme() != null && (uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                    && uri.getRawAuthority() != null) {
                return url;
            }
        }
        catch (IllegalArgumentException ignored) {
            // reported below
        }
        throw new ConfigException(prefix + ": \"oauth\"." + field + " must be an absolute http(s) URL");
    }
}
