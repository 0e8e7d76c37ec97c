package org.postbus.admin.internal.migrate;

/** What a migration did: an {@link ImportReport} or an {@link ExportReport}, answered as JSON. */
public sealed interface MigrationReport permits ImportReport, ExportReport {
}
