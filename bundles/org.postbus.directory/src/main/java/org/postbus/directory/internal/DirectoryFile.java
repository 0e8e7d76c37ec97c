package org.postbus.directory.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.postbus.api.directory.Account;
import org.postbus.api.directory.Alias;
import org.postbus.api.directory.Domain;
import org.postbus.api.mail.MailAddress;
import org.postbus.directory.internal.scram.ScramCredential;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directory's single JSON file, {@code directory.json}.
 *
 * <p>Every save replaces the file atomically and durably (temporary file, fsync, rename, fsync of
 * the folder), so after a crash the file is either the old or the new directory, never a mix.
 * A file that cannot be understood is never overwritten: losing the accounts of a server to a
 * typo in a hand edit would be far worse than refusing to start.
 */
final class DirectoryFile {

    static final String FILE_NAME = "directory.json";
    /** The version of the file layout this code reads and writes. */
    static final int FORMAT = 1;

    private static final Logger LOG = LoggerFactory.getLogger(DirectoryFile.class);
    private static final String TEMP_PREFIX = FILE_NAME + ".";
    private static final String TEMP_SUFFIX = ".tmp";
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");

    // The layout of the file, read and written field by field with Jackson's streaming API: its
    // object mapper costs 150 to 200 ms of CPU at every start to set up (classes, introspection of
    // these records), for a file of a few known fields. Unknown fields are refused, so a file from a
    // newer version is refused instead of being rewritten without its new parts.
    record FileContent(int format, List<DomainEntry> domains, List<AccountEntry> accounts, List<AliasEntry> aliases) {
    }

    record DomainEntry(String name, String created) {
    }

    /** {@code scramSha256} is left out of the file when null; the other fields are always written. */
    record AccountEntry(String address, String passwordHash, String scramSha256, Long quotaBytes, Boolean enabled,
            String created) {
    }

    record AliasEntry(String source, List<String> targets) {
    }

    private final Path dir;
    private final Path file;
    private final JsonFactory json;
    private final boolean posix;

    /** The file {@value #FILE_NAME} in {@code dir}. */
    DirectoryFile(Path dir) {
        this.dir = dir;
        this.file = dir.resolve(FILE_NAME);
        this.json = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
        this.posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** The path of the JSON file. */
    Path path() {
        return file;
    }

    /**
     * Creates the folder if needed, removes temporary files a crash left behind and reads the file.
     *
     * @return the directory in the file; empty if there is no file yet
     * @throws DirectoryFileException if the folder or file cannot be read or the file is malformed
     */
    Snapshot load() throws DirectoryFileException {
        try {
            if (!Files.isDirectory(dir)) {
                if (posix) {
                    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
                } else {
                    Files.createDirectories(dir);
                }
            }
        } catch (IOException e) {
            throw new DirectoryFileException("cannot create directory folder " + dir + ": " + describe(e), e);
        }
        removeStaleTemporaryFiles();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Snapshot.EMPTY;
        } catch (IOException e) {
            throw new DirectoryFileException("cannot read " + file + ": " + describe(e), e);
        }
        FileContent content;
        try {
            content = read(bytes);
        } catch (JsonProcessingException e) {
            throw new DirectoryFileException(malformed(jsonProblem(e)), e);
        } catch (IOException e) {
            throw new DirectoryFileException("cannot read " + file + ": " + describe(e), e);
        }
        if (content == null) {
            throw new DirectoryFileException(malformed("it holds JSON null instead of an object"));
        }
        try {
            return toSnapshot(content);
        } catch (IllegalArgumentException e) {
            throw new DirectoryFileException(malformed(e.getMessage()), e);
        }
    }

    private String malformed(String problem) {
        return file + " is malformed and was left untouched (fix or move it): " + problem;
    }

    /**
     * Writes {@code snapshot} so that it survives a crash once this method returns.
     *
     * @throws IOException if it could not be written; the previous file is then left as it was
     */
    void save(Snapshot snapshot) throws IOException {
        byte[] bytes = write(toContent(snapshot));
        FileAttribute<?>[] mode = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE_MODE)}
                : new FileAttribute<?>[0];
        Path temp = Files.createTempFile(dir, TEMP_PREFIX, TEMP_SUFFIX, mode);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + dir + " cannot rename atomically", e);
            }
        } catch (IOException | RuntimeException e) {
            deleteQuietly(temp);
            throw e;
        }
        syncFolder();
    }

    /** Makes the rename itself durable: without it a crash may bring back the old file. */
    private void syncFolder() {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some platforms (Windows) and file systems cannot open or sync a folder; the rename
            // is then as durable as they make it.
            LOG.trace("cannot sync folder {}: {}", dir, e.toString());
        }
    }

    private void removeStaleTemporaryFiles() {
        try (DirectoryStream<Path> stale = Files.newDirectoryStream(dir, TEMP_PREFIX + "*" + TEMP_SUFFIX)) {
            for (Path temp : stale) {
                LOG.info("removing {}, left by an interrupted save", temp);
                deleteQuietly(temp);
            }
        } catch (IOException e) {
            LOG.warn("cannot look for temporary files in {}: {}", dir, describe(e));
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", path, describe(e));
        }
    }

    // ---------------------------------------------------------------- JSON

    /** Parses the file; {@code null} if it holds JSON null. */
    private FileContent read(byte[] bytes) throws IOException {
        try (JsonParser parser = json.createParser(bytes)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new Malformed(parser, "No content: the file is empty");
            }
            FileContent content = first == JsonToken.VALUE_NULL ? null : fileContent(parser);
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                throw new Malformed(parser, "Trailing token (of type " + trailing + ") found after the directory");
            }
            return content;
        }
    }

    private static FileContent fileContent(JsonParser parser) throws IOException {
        expect(parser, JsonToken.START_OBJECT, "the directory");
        int format = 0;
        List<DomainEntry> domains = null;
        List<AccountEntry> accounts = null;
        List<AliasEntry> aliases = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            switch (field) {
                case "format" -> {
                    if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT
                            || parser.getNumberType() != JsonParser.NumberType.INT) {
                        throw new Malformed(parser, "\"format\" must be a whole number");
                    }
                    format = parser.getIntValue();
                }
                case "domains" -> domains = list(parser, DirectoryFile::domainEntry);
                case "accounts" -> accounts = list(parser, DirectoryFile::accountEntry);
                case "aliases" -> aliases = list(parser, DirectoryFile::aliasEntry);
                default -> throw unknown(parser, field, "format, domains, accounts, aliases");
            }
        }
        return new FileContent(format, domains, accounts, aliases);
    }

    private static DomainEntry domainEntry(JsonParser parser) throws IOException {
        expect(parser, JsonToken.START_OBJECT, "a domain");
        String name = null;
        String created = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            switch (field) {
                case "name" -> name = text(parser);
                case "created" -> created = text(parser);
                default -> throw unknown(parser, field, "name, created");
            }
        }
        return new DomainEntry(name, created);
    }

    private static AccountEntry accountEntry(JsonParser parser) throws IOException {
        expect(parser, JsonToken.START_OBJECT, "an account");
        String address = null;
        String passwordHash = null;
        String scram = null;
        Long quota = null;
        Boolean enabled = null;
        String created = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            switch (field) {
                case "address" -> address = text(parser);
                case "passwordHash" -> passwordHash = text(parser);
                case "scramSha256" -> scram = text(parser);
                case "quotaBytes" -> quota = whole(parser);
                case "enabled" -> enabled = bool(parser);
                case "created" -> created = text(parser);
                default -> throw unknown(parser, field,
                        "address, passwordHash, scramSha256, quotaBytes, enabled, created");
            }
        }
        return new AccountEntry(address, passwordHash, scram, quota, enabled, created);
    }

    private static AliasEntry aliasEntry(JsonParser parser) throws IOException {
        expect(parser, JsonToken.START_OBJECT, "an alias");
        String source = null;
        List<String> targets = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            switch (field) {
                case "source" -> source = text(parser);
                case "targets" -> targets = list(parser, DirectoryFile::text);
                default -> throw unknown(parser, field, "source, targets");
            }
        }
        return new AliasEntry(source, targets);
    }

    /** Reads one value at the parser's current token. */
    @FunctionalInterface
    private interface ValueReader<T> {
        T read(JsonParser parser) throws IOException;
    }

    /** A JSON array of values, each of which may be null; null for JSON null. */
    private static <T> List<T> list(JsonParser parser, ValueReader<T> element) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(parser, JsonToken.START_ARRAY, "a list");
        List<T> values = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            values.add(parser.currentToken() == JsonToken.VALUE_NULL ? null : element.read(parser));
        }
        return values;
    }

    private static String text(JsonParser parser) throws IOException {
        return switch (parser.currentToken()) {
            case VALUE_NULL -> null;
            case VALUE_STRING -> parser.getText();
            default -> throw new Malformed(parser, "expected a string, found " + parser.currentToken());
        };
    }

    private static Long whole(JsonParser parser) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw new Malformed(parser, "expected a whole number, found " + parser.currentToken());
        }
        return parser.getLongValue();
    }

    private static Boolean bool(JsonParser parser) throws IOException {
        return switch (parser.currentToken()) {
            case VALUE_NULL -> null;
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            default -> throw new Malformed(parser, "expected true or false, found " + parser.currentToken());
        };
    }

    private static void expect(JsonParser parser, JsonToken token, String what) throws Malformed {
        if (parser.currentToken() != token) {
            throw new Malformed(parser, "expected " + what + " (" + token + "), found " + parser.currentToken());
        }
    }

    private static Malformed unknown(JsonParser parser, String field, String known) {
        return new Malformed(parser, "Unrecognized field \"" + field + "\" (known fields: " + known + ")");
    }

    /** A value of the wrong kind, an unknown field or a trailing token: the file's layout is wrong. */
    private static final class Malformed extends JsonParseException {

        private static final long serialVersionUID = 1L;

        Malformed(JsonParser parser, String message) {
            super(parser, message);
        }
    }

    private byte[] write(FileContent content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = json.createGenerator(out)) {
            g.setPrettyPrinter(new DefaultPrettyPrinter());
            g.writeStartObject();
            g.writeNumberField("format", content.format());
            g.writeArrayFieldStart("domains");
            for (DomainEntry d : content.domains()) {
                g.writeStartObject();
                g.writeStringField("name", d.name());
                g.writeStringField("created", d.created());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("accounts");
            for (AccountEntry a : content.accounts()) {
                g.writeStartObject();
                g.writeStringField("address", a.address());
                g.writeStringField("passwordHash", a.passwordHash());
                if (a.scramSha256() != null) {
                    g.writeStringField("scramSha256", a.scramSha256());
                }
                g.writeNumberField("quotaBytes", a.quotaBytes());
                g.writeBooleanField("enabled", a.enabled());
                g.writeStringField("created", a.created());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("aliases");
            for (AliasEntry a : content.aliases()) {
                g.writeStartObject();
                g.writeStringField("source", a.source());
                g.writeArrayFieldStart("targets");
                for (String target : a.targets()) {
                    g.writeString(target);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static FileContent toContent(Snapshot snapshot) {
        List<DomainEntry> domains = new ArrayList<>();
        for (Domain domain : snapshot.domainMap().values()) {
            domains.add(new DomainEntry(domain.name(), domain.created().toString()));
        }
        List<AccountEntry> accounts = new ArrayList<>();
        for (Account account : snapshot.accounts()) {
            Snapshot.StoredAccount stored = snapshot.accountMap().get(account.address());
            accounts.add(new AccountEntry(account.username(), stored.passwordHash(),
                    stored.scram().map(ScramCredential::format).orElse(null), account.quotaBytes(),
                    account.enabled(), account.created().toString()));
        }
        List<AliasEntry> aliases = new ArrayList<>();
        for (Alias alias : snapshot.aliases()) {
            aliases.add(new AliasEntry(alias.source(), alias.targets().stream().map(MailAddress::toString).toList()));
        }
        return new FileContent(FORMAT, domains, accounts, aliases);
    }

    /** Checks the file's content as strictly as the API checks changes: the file is hand-editable. */
    private static Snapshot toSnapshot(FileContent content) {
        if (content.format() == 0) {
            throw new IllegalArgumentException("\"format\" is missing (expected " + FORMAT + ")");
        }
        if (content.format() != FORMAT) {
            throw new IllegalArgumentException("unsupported format " + content.format() + " (this version reads "
                    + FORMAT + ")");
        }
        Snapshot.Draft draft = new Snapshot.Draft();
        List<DomainEntry> domains = content.domains() == null ? List.of() : content.domains();
        for (int i = 0; i < domains.size(); i++) {
            String where = "domains[" + i + "]";
            DomainEntry entry = required(domains.get(i), where);
            String name = located(where + ".name",
                    () -> DomainNames.normalize(required(entry.name(), where + ".name")));
            if (draft.domains.containsKey(name)) {
                throw new IllegalArgumentException(where + ": domain " + name + " is listed twice");
            }
            draft.domains.put(name, new Domain(name, instant(entry.created(), where + ".created")));
        }
        List<AccountEntry> accounts = content.accounts() == null ? List.of() : content.accounts();
        for (int i = 0; i < accounts.size(); i++) {
            String where = "accounts[" + i + "]";
            AccountEntry entry = required(accounts.get(i), where);
            MailAddress address = address(required(entry.address(), where + ".address"), where + ".address");
            located(where + ".address", () -> {
                DomainNames.checkLocalPart(address.localPart());
                return address;
            });
            if (!draft.domains.containsKey(address.domain())) {
                throw new IllegalArgumentException(where + ": account " + address + " is in domain "
                        + address.domain() + ", which is not listed under domains");
            }
            if (draft.accounts.containsKey(address)) {
                throw new IllegalArgumentException(where + ": account " + address + " is listed twice");
            }
            String hash = required(entry.passwordHash(), where + ".passwordHash");
            try {
                PasswordHasher.parse(hash);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ".passwordHash of " + address + ": " + e.getMessage());
            }
            Optional<ScramCredential> scram = Optional.empty();
            if (entry.scramSha256() != null) {
                try {
                    scram = Optional.of(ScramCredential.parse(entry.scramSha256()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(where + ".scramSha256 of " + address + ": " + e.getMessage());
                }
            }
            long quota = entry.quotaBytes() == null ? Account.UNLIMITED : entry.quotaBytes();
            if (quota < 0 && quota != Account.UNLIMITED) {
                throw new IllegalArgumentException(where + ".quotaBytes of " + address + " is negative");
            }
            boolean enabled = entry.enabled() == null || entry.enabled();
            Account account = new Account(address, quota, enabled, instant(entry.created(), where + ".created"));
            draft.accounts.put(address, new Snapshot.StoredAccount(account, hash, scram));
        }
        List<AliasEntry> aliases = content.aliases() == null ? List.of() : content.aliases();
        for (int i = 0; i < aliases.size(); i++) {
            String where = "aliases[" + i + "]";
            AliasEntry entry = required(aliases.get(i), where);
            String source = located(where + ".source",
                    () -> FileDirectory.aliasSource(required(entry.source(), where + ".source")));
            String domain = source.substring(source.lastIndexOf('@') + 1);
            if (!draft.domains.containsKey(domain)) {
                throw new IllegalArgumentException(where + ": alias " + source + " is in domain " + domain
                        + ", which is not listed under domains");
            }
            String key = Snapshot.aliasKey(source);
            if (!source.startsWith("@") && draft.accounts.containsKey(MailAddress.parse(source))) {
                throw new IllegalArgumentException(where + ": alias " + source + " is also an account");
            }
            if (draft.aliases.containsKey(key)) {
                throw new IllegalArgumentException(where + ": alias " + source + " is listed twice");
            }
            List<String> texts = required(entry.targets(), where + ".targets");
            Set<MailAddress> targets = new LinkedHashSet<>();
            for (int t = 0; t < texts.size(); t++) {
                String at = where + ".targets[" + t + "]";
                targets.add(address(required(texts.get(t), at), at));
            }
            if (targets.isEmpty()) {
                throw new IllegalArgumentException(where + ": alias " + source + " has no targets");
            }
            draft.aliases.put(key, new Alias(source, List.copyOf(targets)));
        }
        return draft.freeze();
    }

    /** Runs a check, prefixing its complaint with the place in the file. */
    private static <T> T located(String where, Supplier<T> check) {
        try {
            return check.get();
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(where)) {
                throw e;
            }
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    private static <T> T required(T value, String where) {
        if (value == null) {
            throw new IllegalArgumentException(where + " is missing");
        }
        return value;
    }

    private static Instant instant(String text, String where) {
        try {
            return Instant.parse(required(text, where));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(where + " is not an ISO-8601 instant: " + DomainNames.shown(text));
        }
    }

    private static MailAddress address(String text, String where) {
        try {
            return MailAddress.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
    }

    /** Jackson's own words and the place in the file, on one line. */
    private static String jsonProblem(JsonProcessingException e) {
        String message = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        // Some messages embed a second location with Jackson's placeholder for the source; keep only
        // the line and column an administrator can use.
        message = message.replaceAll("\\[Source: [^\\]]*?line: (\\d+), column: (\\d+)\\]", "line $1, column $2")
                .replaceAll("\\s+", " ").strip();
        if (e.getProcessor() instanceof JsonParser parser) {
            String path = path(parser.getParsingContext());
            if (!path.isEmpty()) {
                message += " at " + path;
            }
        }
        JsonLocation location = e.getLocation();
        if (location != null && location.getLineNr() > 0) {
            message += " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
        }
        return message;
    }

    /** Where the parser is, as {@code accounts[2].address}. */
    private static String path(JsonStreamContext context) {
        List<String> steps = new ArrayList<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inObject() && c.getCurrentName() != null) {
                steps.add(0, (c.getParent() != null && c.getParent().inRoot() ? "" : ".") + c.getCurrentName());
            } else if (c.inArray() && c.getEntryCount() > 0) {
                steps.add(0, "[" + c.getCurrentIndex() + "]");
            }
        }
        return String.join("", steps);
    }

    private static String describe(IOException e) {
        if (e instanceof NoSuchFileException || e instanceof FileAlreadyExistsException) {
            return e.getClass().getSimpleName() + " " + e.getMessage();
        }
        return e.toString();
    }
}
