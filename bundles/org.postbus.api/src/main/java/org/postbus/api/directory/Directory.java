package org.postbus.api.directory;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.osgi.annotation.versioning.ProviderType;
import org.postbus.api.mail.MailAddress;

/**
 * The directory of this server: which domains it receives mail for, its accounts and aliases, and
 * who may log in. Changes take effect at once and are durable when a method returns.
 *
 * <p>Registered as an OSGi service by the directory bundle. Protocol bundles use it to decide
 * whether a recipient is local (SMTP RCPT) and to authenticate users (AUTH, LOGIN, USER/PASS).
 * All methods are thread-safe. {@link #authenticate} may take a few hundred milliseconds (the
 * password hash is deliberately slow): never call it on a network I/O thread.
 */
@ProviderType
public interface Directory {

    /** All domains, sorted by name. */
    List<Domain> domains();

    /** Whether mail for {@code domain} (any case) is received here. */
    boolean isLocalDomain(String domain);

    /**
     * Adds a local domain.
     *
     * @throws DirectoryException if the name is not a valid domain name or already present
     */
    Domain addDomain(String name) throws DirectoryException;

    /**
     * Removes a domain. A domain that still has accounts or aliases is not removed.
     *
     * @return whether the domain existed and was removed
     * @throws DirectoryException if the domain still has accounts or aliases
     */
    boolean removeDomain(String name) throws DirectoryException;

    /** All accounts, sorted by address. */
    List<Account> accounts();

    /** The account with this address, if any. */
    Optional<Account> account(MailAddress address);

    /**
     * Adds an account in an existing domain.
     *
     * @param address its address and login name
     * @param password its password; stored only as a slow salted hash
     * @throws DirectoryException if the domain is unknown, the address is taken (by an account or
     *     an alias) or the password is empty
     */
    Account addAccount(MailAddress address, char[] password) throws DirectoryException;

    /**
     * Changes an account's password.
     *
     * @throws DirectoryException if there is no such account or the password is empty
     */
    void setPassword(MailAddress address, char[] password) throws DirectoryException;

    /**
     * Enables or disables an account. A disabled account can neither log in nor receive mail;
     * its stored mail is kept.
     *
     * @return the account as changed
     * @throws DirectoryException if there is no such account
     */
    Account setEnabled(MailAddress address, boolean enabled) throws DirectoryException;

    /**
     * Sets an account's storage quota.
     *
     * @param quotaBytes the limit in bytes, or {@link Account#UNLIMITED}
     * @return the account as changed
     * @throws DirectoryException if there is no such account or the quota is negative
     */
    Account setQuota(MailAddress address, long quotaBytes) throws DirectoryException;

    /**
     * Removes an account from the directory. Its stored mail is left to the store.
     *
     * @return whether the account existed
     */
    boolean removeAccount(MailAddress address) throws DirectoryException;

    /** All aliases, sorted by source. */
    List<Alias> aliases();

    /**
     * Adds an alias, or replaces the targets of an existing one.
     *
     * @param source {@code local@domain}, or {@code @domain} for a catch-all, in a local domain
     * @param targets where mail goes; at least one
     * @throws DirectoryException if the domain is unknown or the source is an account
     */
    Alias putAlias(String source, List<MailAddress> targets) throws DirectoryException;

    /**
     * Removes an alias.
     *
     * @return whether the alias existed
     */
    boolean removeAlias(String source) throws DirectoryException;

    /**
     * Resolves an envelope recipient: its account, or the targets of its alias (expanded
     * recursively, with loops cut), or the domain's catch-all. An address in a domain that is
     * not local resolves to itself as a remote recipient.
     *
     * @return where mail for {@code recipient} goes; {@link Recipients#NONE} if it is a local
     *     domain's address that no one receives
     */
    Recipients resolve(MailAddress recipient);

    /**
     * Checks a user's credentials. The user name is the account's address; for an address in the
     * server's default domain (configured, else the first domain added), the bare local part is
     * also accepted.
     *
     * @return the outcome; never reveals whether the user exists
     */
    AuthResult authenticate(String username, char[] password);

    /**
     * The account address a login name stands for, as {@link #authenticate} reads it (a bare
     * local part takes the server's default domain), without checking that it exists: so that a
     * protocol counting failed logins per account counts {@code alice} and
     * {@code alice@example.org} together. Empty when the name cannot be an address. The default
     * reads a name with an {@code @} as the address and knows no default domain.
     */
    default Optional<MailAddress> loginAddress(String username) {
        if (username == null || username.indexOf('@') < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(MailAddress.parse(username.strip()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The challenge-response SASL mechanisms {@link #startSasl} offers, for example
     * {@code SCRAM-SHA-256} (RFC 7677). PLAIN and LOGIN are not listed: protocols decode them
     * and call {@link #authenticate}.
     */
    default Set<String> saslMechanisms() {
        return Set.of();
    }

    /**
     * Starts a server-side SASL exchange for one of {@link #saslMechanisms()}. A SCRAM exchange
     * for an unknown user runs to the end and fails like a wrong password.
     *
     * @throws IllegalArgumentException if the mechanism is not offered
     */
    default SaslExchange startSasl(String mechanism) {
        throw new IllegalArgumentException("SASL mechanism not offered: " + mechanism);
    }
}
