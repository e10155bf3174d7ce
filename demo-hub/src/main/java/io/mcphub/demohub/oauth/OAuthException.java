package io.mcphub.demohub.oauth;

/** A token could not be obtained. Messages never contain tokens, codes or secrets. */
public final class OAuthException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OAuthException(String message) {
        super(message);
    }
}
