import Foundation

/// Buffers lines and writes them to a temporary file beside the target that is renamed over it when finished, so a
/// reader never sees a half-written file and a failure leaves the earlier file as it was.
public final class LineWriter {
    private let url: URL
    private let temporaryURL: URL
    private let handle: FileHandle
    private var buffer = Data()
    private var isFinished = false

    /// A writer that will replace `url` when ``finish()`` is called.
    /// - Throws: ``FileFailure`` when the temporary file cannot be created.
    public init(url: URL) throws {
        self.url = url
        temporaryURL = url.deletingLastPathComponent().appendingPathComponent(
            ".\(url.lastPathComponent).tmp-\(UUID().uuidString)"
        )
        guard FileManager.default.createFile(atPath: temporaryURL.path, contents: nil),
            let handle = try? FileHandle(forWritingTo: temporaryURL)
        else { throw FileFailure(path: url.path, reason: "cannot be written") }
        self.handle = handle
        buffer.reserveCapacity(1 << 20)
    }

    deinit {
        // Abandoned part-way (an error upstream): leave nothing behind, and the target as it was.
        if !isFinished {
            try? handle.close()
            try? FileManager.default.removeItem(at: temporaryURL)
        }
    }

    /// Appends `line` and a line end.
    /// - Throws: ``FileFailure`` when a buffered write fails (the temporary file is removed).
    public func append(_ line: String) throws {
        buffer.append(contentsOf: line.utf8)
        buffer.append(0x0A)
        if buffer.count >= 1 << 20 { try flush() }
    }

    private func flush() throws {
        do {
            try handle.write(contentsOf: buffer)
        } catch {
            try? FileManager.default.removeItem(at: temporaryURL)
            throw FileFailure(path: url.path, reason: "cannot be written (\(error.localizedDescription))")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes what is buffered and renames the temporary file over the target.
    /// - Throws: ``FileFailure`` when the write or the rename fails (the temporary file is removed).
    public func finish() throws {
        try flush()
        try handle.close()
        isFinished = true
        // rename(2) replaces the target atomically: a reader sees the old file or the new one, never half.
        guard rename(temporaryURL.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporaryURL)
            throw FileFailure(path: url.path, reason: "cannot be written (\(reason))")
        }
    }

    /// Writes `lines` to `url` in one go, through a temporary file.
    /// - Throws: ``FileFailure`` when it cannot be written.
    public static func write(_ lines: [String], to url: URL) throws {
        let writer = try LineWriter(url: url)
        for line in lines { try writer.append(line) }
        try writer.finish()
    }
}
