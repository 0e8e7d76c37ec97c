package org.postbus.mime.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.postbus.mime.HeaderField;

/**
 * The mutable structure the parser fills in while it streams through a message; it is copied
 * into the immutable {@link org.postbus.mime.MimePart} when the parse is done.
 */
public final class PartModel {
    public long headerStart;
    public long bodyStart;
    public long bodyEnd;
    public long bodyLines;
    public String type = "text";
    public String subtype = "plain";
    public boolean explicitType;
    public final Map<String, String> parameters = new LinkedHashMap<>();
    public final Map<String, String> rawParameters = new LinkedHashMap<>();
    public final Map<String, String> rawDispositionParameters = new LinkedHashMap<>();
    public final List<HeaderField> fields = new ArrayList<>();
    public final List<PartModel> children = new ArrayList<>();
    public PartModel attached;
    public String transferEncoding = "7BIT";
    public boolean explicitEncoding;
    public String id;
    public String description;
    public String disposition;
    public final Map<String, String> dispositionParameters = new LinkedHashMap<>();
    public final List<String> language = new ArrayList<>();
    public String location;
    public String md5;
    /** Line feeds consumed when the body started, to count the body's lines at its end. */
    long startLineFeeds;
}
