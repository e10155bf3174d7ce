package io.mcphub.telemetry.sink.spill;

import io.mcphub.telemetry.model.TelemetryRecord;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink's spill file: batches the database could not take (unreachable, or the ring running full)
 * are appended here and replayed in order once it can, as the OpenTelemetry Collector's persistent queue
 * does. It is a directory of segment files, oldest first; a batch is one frame:
 * <pre>  magic u32 | payload length u32 | records u32 | CRC-32C of records and payload u32 | payload</pre>
 * A frame cut short by a crash (a torn tail) ends its segment; a frame whose CRC does not match ends it
 * too, counted as corrupt. A segment is deleted only after every batch in it was stored, so a crash
 * while replaying replays it again, and the batch ids ({@code ingest_batches}) store each batch once.
 *
 * <p>One process owns a directory at a time: it takes the lowest free {@code slot-N} under the
 * directory it is given, by a file lock the OS releases when the process dies, so a restarted hub takes
 * its own slot back and replays it, and two hubs writing to the same database do not share one.
 *
 * <p>Thread safety: appends come from the sink thread and, at exit, from writer lanes; reads from the
 * replayer. Frame IO happens under this object's lock; appends and reads touch different segments (the
 * one being appended to is sealed before it is read).
 */
public final class SpillFile implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SpillFile.class);
    static final int MAGIC = 0x4D435053; // "MCPS"
    static final int HEADER_BYTES = 16;
    private static final int MAX_SLOTS = 64;
    private static final long FULL_LOG_EVERY_NANOS = 60_000_000_000L;

    private final Path directory;
    private final long maxBytes;
    private final long segmentBytes;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Deque<Segment> sealed = new ArrayDeque<>();
    private Segment head;
    private FileChannel headChannel;
    private long nextSequence;
    private long totalBytes;
    private long keptRecords;
    private volatile boolean backlog;
    private volatile boolean syncEachAppend = true;
    private long recovered;
    private long corruptFrames;
    private long lastFullLog;
    private boolean closed;

    private SpillFile(Path directory, long maxBytes, FileChannel lockChannel, FileLock lock) {
        this.directory = directory;
        this.maxBytes = maxBytes;
        this.segmentBytes = Math.max(1L << 20, Math.min(64L << 20, maxBytes / 8));
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Takes the lowest free slot under {@code base} (created when missing) and finds the batches a
     * previous process left there. Throws {@link UncheckedIOException} naming the directory when it cannot
     * be used.
     */
    public static SpillFile open(Path base, long maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("spill size must be positive, got " + maxBytes);
        }
        try {
            Files.createDirectories(base);
            for (int slot = 0; slot < MAX_SLOTS; slot++) {
                Path dir = base.resolve("slot-" + slot);
                Files.createDirectories(dir);
                FileChannel channel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock;
                try {
                    lock = channel.tryLock();
                } catch (OverlappingFileLockException taken) { // by this JVM
                    lock = null;
                }
                if (lock == null) {
                    channel.close();
                    continue;
                }
                SpillFile spill = new SpillFile(dir, maxBytes, channel, lock);
                spill.recover();
                return spill;
            }
            throw new IOException("all " + MAX_SLOTS + " slots are taken by running processes");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use the spill directory " + base + ": " + e.getMessage(), e);
        }
    }

    private void recover() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(directory)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".spill")).sorted().toList();
        }
        for (Path file : files) {
            Segment segment = scan(file);
            nextSequence = Math.max(nextSequence, segment.sequence + 1);
            if (segment.records == 0) {
                Files.deleteIfExists(file);
                continue;
            }
            sealed.add(segment);
            totalBytes += segment.validBytes;
            keptRecords += segment.records;
            recovered += segment.records;
        }
        backlog = !sealed.isEmpty();
        if (recovered > 0) {
            LOG.info("telemetry spill {} holds {} records from an earlier run ({} KB); they are stored once the "
                    + "database is reachable", directory, recovered, totalBytes / 1024);
        }
    }

    /** Reads a segment's frame headers (not payloads) to find its records and where its valid frames end. */
    private Segment scan(Path file) throws IOException {
        long sequence = sequenceOf(file);
        long size = Files.size(file);
        long position = 0;
        int records = 0;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
            while (position + HEADER_BYTES <= size) {
                header.clear();
                channel.read(header, position);
                header.flip();
                int magic = header.getInt();
                long length = Integer.toUnsignedLong(header.getInt());
                int count = header.getInt();
                if (magic != MAGIC || count < 0 || position + HEADER_BYTES + length > size) {
                    break; // a torn tail, or bytes that are no frame
                }
                records += count;
                position += HEADER_BYTES + length;
            }
        }
        if (position < size) {
            LOG.warn("telemetry spill {}: {} bytes at its end are no complete frame (a write cut short); ignored",
                    file, size - position);
        }
        return new Segment(file, sequence, position, records);
    }

    private static long sequenceOf(Path file) {
        String name = file.getFileName().toString();
        try {
            return Long.parseLong(name.substring(0, name.length() - ".spill".length()), 16);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The slot directory this process owns. */
    public Path directory() {
        return directory;
    }

    /** Whether batches wait here: new ones then go here too, behind them, so that order is kept. */
    public boolean hasBacklog() {
        return backlog;
    }

    /**
     * At exit, appends are not synced one by one (the file is synced once when it closes): a hub's exit
     * must not wait for a disk flush per batch.
     */
    public void deferSync() {
        syncEachAppend = false;
    }

    /** Appends a batch; false when it would grow the spill past its size (or the spill is closed). */
    public boolean append(UUID batchId, String tenant, List<? extends TelemetryRecord> records) {
        byte[] payload = SpillCodec.encode(batchId, tenant, records);
        // a lane interrupted at exit spills its batch: an interrupted thread's write would close the channel
        boolean interrupted = Thread.interrupted();
        try {
            return appendFrame(payload, records.size());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private boolean appendFrame(byte[] payload, int recordCount) {
        synchronized (this) {
            if (closed) {
                return false;
            }
            long frameBytes = HEADER_BYTES + (long) payload.length;
            if (totalBytes + frameBytes > maxBytes) {
                long now = System.nanoTime();
                if (lastFullLog == 0 || now - lastFullLog > FULL_LOG_EVERY_NANOS) {
                    lastFullLog = now;
                    LOG.warn("telemetry spill {} is full ({} MB of {} MB): records the database cannot take are dropped "
                            + "(counted as telemetry.spill.dropped)", directory, totalBytes >> 20, maxBytes >> 20);
                }
                return false;
            }
            try {
                if (head == null || head.validBytes >= segmentBytes) {
                    rotate();
                }
                ByteBuffer frame = ByteBuffer.allocate((int) frameBytes);
                frame.putInt(MAGIC).putInt(payload.length).putInt(recordCount).putInt(crc(recordCount, payload)).put(payload);
                frame.flip();
                while (frame.hasRemaining()) {
                    headChannel.write(frame);
                }
                if (syncEachAppend) {
                    headChannel.force(false);
                }
            } catch (IOException e) {
                LOG.warn("telemetry spill {}: cannot append ({}); the batch is dropped", directory, e.toString());
                return false;
            }
            head.validBytes += frameBytes;
            head.records += recordCount;
            totalBytes += frameBytes;
            keptRecords += recordCount;
            backlog = true;
            return true;
        }
    }

    /** The frame's CRC-32C: of its record count and its payload. */
    static int crc(int recordCount, byte[] payload) {
        CRC32C crc = new CRC32C();
        crc.update(ByteBuffer.allocate(4).putInt(0, recordCount).array());
        crc.update(payload);
        return (int) crc.getValue();
    }

    private void rotate() throws IOException {
        sealHead();
        Path file = directory.resolve(String.format(Locale.ROOT, "%016x.spill", nextSequence));
        head = new Segment(file, nextSequence++, 0, 0);
        headChannel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    private void sealHead() throws IOException {
        if (head == null) {
            return;
        }
        headChannel.force(false);
        headChannel.close();
        if (head.records > 0) {
            sealed.add(head);
        } else {
            Files.deleteIfExists(head.path);
        }
        head = null;
        headChannel = null;
    }

    /**
     * The oldest segment to replay, the one being appended to sealed first when it is the only one left;
     * null when nothing is spilled.
     */
    public synchronized Segment next() {
        if (closed) {
            return null;
        }
        if (sealed.isEmpty() && head != null && head.records > 0) {
            try {
                sealHead();
            } catch (IOException e) {
                LOG.warn("telemetry spill {}: cannot seal a segment ({})", directory, e.toString());
                return null;
            }
        }
        return sealed.peekFirst();
    }

    /** Every batch of {@code segment} was stored: it goes. */
    public synchronized void delete(Segment segment) {
        if (!sealed.remove(segment)) {
            return;
        }
        try {
            Files.deleteIfExists(segment.path);
        } catch (IOException e) {
            LOG.warn("telemetry spill {}: cannot delete {} ({}); its batches would be skipped as stored when read again",
                    directory, segment.path, e.toString());
        }
        totalBytes -= segment.validBytes;
        keptRecords -= segment.records;
        backlog = !sealed.isEmpty() || (head != null && head.records > 0);
    }

    synchronized void corrupt() {
        corruptFrames++;
    }

    /** Records spilled and not yet stored. */
    public synchronized long keptRecords() {
        return keptRecords;
    }

    /** Bytes of the spill's valid frames. */
    public synchronized long keptBytes() {
        return totalBytes;
    }

    /** Records an earlier process left here, found at open. */
    public synchronized long recovered() {
        return recovered;
    }

    /** Frames refused when read back (damaged, or another version's), which end their segment. */
    public synchronized long corruptFrames() {
        return corruptFrames;
    }

    /** Syncs what was appended and gives the slot up; what is spilled stays for the next process. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            sealHead();
        } catch (IOException e) {
            LOG.warn("telemetry spill {}: cannot sync its last segment ({})", directory, e.toString());
        }
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            LOG.debug("spill lock release: {}", e.toString());
        }
    }

    /** One file of frames; read with {@link #open()}. */
    public final class Segment {
        final Path path;
        final long sequence;
        long validBytes;
        int records;

        Segment(Path path, long sequence, long validBytes, int records) {
            this.path = path;
            this.sequence = sequence;
            this.validBytes = validBytes;
            this.records = records;
        }

        public int records() {
            return records;
        }

        public Path path() {
            return path;
        }

        /** Its batches, in the order they were appended. */
        public Reader open() throws IOException {
            return new Reader(this);
        }
    }

    /**
     * Reads a sealed segment's frames. {@link #next} ends at the segment's last valid frame, or at the
     * first damaged one (counted, and {@link #complete} is then false).
     */
    public final class Reader implements AutoCloseable {
        private final Segment segment;
        private final DataInputStream in;
        private long position;
        private boolean damaged;

        private Reader(Segment segment) throws IOException {
            this.segment = segment;
            InputStream raw = Files.newInputStream(segment.path);
            this.in = new DataInputStream(new BufferedInputStream(raw, 1 << 16));
        }

        /** The next batch, or null at the end of the segment's valid frames. */
        public SpilledBatch next() throws IOException {
            if (damaged || position + HEADER_BYTES > segment.validBytes) {
                return null;
            }
            try {
                int magic = in.readInt();
                int length = in.readInt();
                int count = in.readInt();
                int crcValue = in.readInt();
                if (magic != MAGIC || length < 0 || position + HEADER_BYTES + length > segment.validBytes) {
                    return damaged("no frame header");
                }
                byte[] payload = in.readNBytes(length);
                if (payload.length != length) {
                    return damaged("frame cut short");
                }
                if (crc(count, payload) != crcValue) {
                    return damaged("CRC mismatch");
                }
                position += HEADER_BYTES + length;
                SpilledBatch batch = SpillCodec.decode(payload);
                if (batch.records().size() != count) {
                    return damaged("record count differs from its header");
                }
                return batch;
            } catch (EOFException e) {
                return damaged("file ends early");
            } catch (SpillFormatException e) {
                return damaged(e.getMessage());
            }
        }

        private SpilledBatch damaged(String why) {
            damaged = true;
            corrupt();
            LOG.warn("telemetry spill {}: a damaged frame at byte {} ({}); the rest of this segment is skipped",
                    segment.path, position, why);
            return null;
        }

        /** Whether every frame was read whole (no damaged one). */
        public boolean complete() {
            return !damaged;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** Lists the records a caller stores for each batch: used by tests. */
    static List<SpilledBatch> readAll(Segment segment) throws IOException {
        List<SpilledBatch> out = new ArrayList<>();
        try (Reader r = segment.open()) {
            for (SpilledBatch b; (b = r.next()) != null; ) {
                out.add(b);
            }
        }
        return out;
    }
}
