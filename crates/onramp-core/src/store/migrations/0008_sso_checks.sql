-- SSO checks that need the network, kept so the ticket carries them.

-- SAML metadata fetched from the URL a customer gave (when online, or on submit): the last try
-- per draft, its body when it worked, why not when it did not.
CREATE TABLE fetched_metadata (
    draft_id   TEXT PRIMARY KEY NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
    url        TEXT NOT NULL,
    body       BLOB,
    error      TEXT,
    fetched_at INTEGER NOT NULL
) STRICT;

-- The last check of a draft's OpenID Connect issuer (its /.well-known/openid-configuration):
-- the findings as JSON, empty when the issuer answered as itself.
CREATE TABLE issuer_checks (
    draft_id   TEXT PRIMARY KEY NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
    issuer     TEXT NOT NULL,
    findings   TEXT NOT NULL,
    checked_at INTEGER NOT NULL
) STRICT;
