package org.postbus.store.file.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of the embedded mail store, PID {@code org.postbus.store.file}. Property keys
 * follow the Declarative Services mapping of member names: {@code storage_dir} is the key
 * {@code storage.dir}, and so on.
 */
@ObjectClassDefinition(name = "Postbus mail store",
        description = "The embedded mail store: message files in append-only segments, UIDs, flags and MODSEQ in "
                + "an H2 MVStore index.")
@interface StoreConfig {

    @AttributeDefinition(name = "Storage folder",
            description = "Folder of the store (index/ and blobs/ below it). Empty: the 'store' folder under the "
                    + "framework property postbus.data, or ./data/store without it.")
    String storage_dir() default "";

    @AttributeDefinition(name = "Segment size (MiB)",
            description = "Size at which a message segment file is closed and a new one begun.", min = "1")
    int segment_size_mib() default 64;

    @AttributeDefinition(name = "Index cache (MiB)",
            description = "Heap given to the index page cache. More keeps large mailboxes fast.", min = "1")
    int index_cache_mib() default 32;

    @AttributeDefinition(name = "Open segment files for reading",
            description = "Segment files kept open for reading messages, shared by all sessions; the least recently "
                    + "read are closed beyond this number. Files being read stay open regardless.", min = "1")
    int read_channels() default FileMailStore.Settings.READ_CHANNELS;

    @AttributeDefinition(name = "Compact segments below (percent live)",
            description = "A sealed segment file whose live messages take less than this share of it has them "
                    + "copied to the current segment and is deleted, giving back the space of expunged messages. "
                    + "0 turns compaction off.", min = "0", max = "100")
    int segment_compact_below_percent() default 50;

    @AttributeDefinition(name = "Minimum waste to compact (MiB)",
            description = "A segment is compacted only when at least this much of it is expunged messages, so "
                    + "that small files are left alone.", min = "0")
    int segment_compact_min_waste_mib() default 4;

    @AttributeDefinition(name = "Compaction rate (MiB per second)",
            description = "Most bytes compaction copies per second, so that it does not starve deliveries and "
                    + "sessions of disk bandwidth.", min = "1")
    int segment_compact_rate_mib() default 8;

    @AttributeDefinition(name = "Compaction interval (seconds)",
            description = "How often segments are looked at for compaction. 0 turns compaction off.", min = "0")
    int segment_compact_interval_seconds() default 60;

    @AttributeDefinition(name = "Expunge history per mailbox (entries)",
            description = "Most expunged UIDs each mailbox remembers for IMAP QRESYNC; older ones are forgotten, "
                    + "and a client resynchronising from before them is told to look at its UIDs itself. "
                    + "0 keeps them all.", min = "0")
    long expunge_history_max() default ExpungeHistory.Policy.DEFAULT_MAX_ENTRIES;

    @AttributeDefinition(name = "Expunge history (days)",
            description = "How long each mailbox remembers an expunged UID for IMAP QRESYNC (to the hour). "
                    + "0 keeps them regardless of age.", min = "0")
    int expunge_history_days() default ExpungeHistory.Policy.DEFAULT_DAYS;
}
