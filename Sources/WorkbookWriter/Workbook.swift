import CXlsxWriter
import Foundation

/// An XLSX workbook being written through libxlsxwriter, saved safely by ``close()``.
///
/// The workbook is assembled in a temporary file beside the target (`.NAME.xlsx.tmp-XXXXXX`) and renamed over the
/// target only after libxlsxwriter has finished it, so a failure never leaves a truncated workbook and never
/// destroys an earlier one. An output folder that cannot be written is reported by the initialiser, before any
/// work is done, as a ``WorkbookError`` of kind ``WorkbookError/Kind/unwritableOutput``.
///
/// ```swift
/// let workbook = try Workbook(path: "Reports/business-case.xlsx")
/// let sheet = try workbook.addWorksheet(named: "Assumptions")
/// try sheet.writeText("Discount rate", row: 0, column: 0)
/// try sheet.writeNumber(0.035, row: 0, column: 1, format: CellFormat(numberFormat: .percent(decimals: 1)))
/// try workbook.defineName("DiscountRate", cell: CellReference(row: 0, column: 1), sheet: "Assumptions")
/// try workbook.close()
/// ```
///
/// **Constant-memory mode** (`constantMemory: true`) flushes each row to a temporary file when a later row is
/// started, so memory stays flat for very large sheets. In that mode, per libxlsxwriter:
/// - write each sheet row by row, top to bottom; a cell in a row before the current one is rejected (this
///   wrapper throws ``WorkbookError`` with code ``LibraryErrorCode/worksheetIndexOutOfRange``);
/// - text is stored inline in each cell rather than in the shared-string table (readers see ordinary text);
/// - ``Worksheet/addTable(_:at:)`` is not supported (``LibraryErrorCode/featureNotSupported``); use a header
///   row with ``Worksheet/setAutofilter(_:)``;
/// - ``Worksheet/mergeRange(_:text:format:)`` writes its text only while its first row is the current row, so
///   merge before writing the rows below;
/// - ``Worksheet/setRowHeight(_:row:format:)`` applies only to the current or a later row;
/// - formats, formulas, defined names, charts, conditional formats, data validation, column widths, freeze panes
///   and print setup work as in normal mode.
///
/// **Threads.** Different worksheets of one workbook may be written from different threads at once, each worksheet
/// from one thread at a time. The workbook's own state (its formats, charts and names, the strings it keeps for the
/// library, and in normal mode its shared-string table) is guarded by a lock, and each format takes its place in
/// the workbook's style table when it is made, so a cell write only reads it. In constant-memory mode, where text
/// stays in its cell, cells are written without the lock. Adding worksheets, setting properties and ``close()``
/// belong to the thread that made the workbook, before and after any such concurrent writing.
public final class Workbook: @unchecked Sendable {
    /// The path of the finished workbook, as given.
    public let path: String
    /// The temporary file the workbook is assembled in until ``close()`` renames it to ``path``.
    public let temporaryPath: String
    /// Whether the workbook writes rows to disk as it goes (see the type's notes).
    public let isConstantMemory: Bool

    private var handle: UnsafeMutablePointer<lxw_workbook>?
    private var formats: [CellFormat: UnsafeMutablePointer<lxw_format>] = [:]
    /// Guards ``formats``, ``retainedStrings`` and the library's workbook-wide lists (formats, charts, names,
    /// conditional formats' styles) against worksheets written on other threads. Recursive: a guarded call may
    /// make a format.
    private let lock = NSRecursiveLock()
    /// C strings handed to libxlsxwriter, kept alive until the workbook is freed.
    private var retainedStrings: [UnsafeMutablePointer<CChar>] = []
    private var sheetNames: [String] = []

    /// Starts a workbook that ``close()`` will write to `path`.
    ///
    /// - Parameters:
    ///   - path: The file to write, usually ending `.xlsx`; its folder must exist. An existing file there is
    ///     replaced only when ``close()`` succeeds.
    ///   - constantMemory: Write rows to disk as they are finished, for very large sheets (see the type's notes).
    ///   - temporaryDirectory: Where libxlsxwriter keeps its working files; nil for the system temporary folder
    ///     (`TMPDIR`, else `/tmp`).
    /// - Throws: ``WorkbookError`` of kind ``WorkbookError/Kind/unwritableOutput`` when the folder is missing, not
    ///   a folder, or not writable, or when `path` names a folder; of kind ``WorkbookError/Kind/library`` when
    ///   libxlsxwriter cannot start.
    public init(path: String, constantMemory: Bool = false, temporaryDirectory: String? = nil) throws {
        self.path = path
        self.isConstantMemory = constantMemory
        let target = URL(fileURLWithPath: path)
        let folder = target.deletingLastPathComponent().path
        let name = target.lastPathComponent
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw WorkbookError(
                kind: .unwritableOutput,
                message: "The output path is a folder, not a file.",
                operation: "opening the workbook for writing",
                path: path
            )
        }
        self.temporaryPath = try Workbook.reserveTemporaryFile(folder: folder, name: name, target: path)

        let tmpdir = strdup(temporaryDirectory ?? NSTemporaryDirectory())!
        retainedStrings.append(tmpdir)
        var options = lxw_workbook_options(
            constant_memory: constantMemory ? 1 : 0,
            tmpdir: tmpdir,
            use_zip64: 0
        )
        guard let handle = workbook_new_opt(temporaryPath, &options) else {
            unlink(temporaryPath)
            free(tmpdir)
            retainedStrings.removeAll()
            throw WorkbookError.library(
                LXW_ERROR_MEMORY_MALLOC_FAILED,
                operation: "creating the workbook",
                path: path
            )
        }
        self.handle = handle
    }

    deinit {
        if let handle {
            // Never closed: discard what was built and the reserved temporary file.
            lxw_workbook_free(handle)
            unlink(temporaryPath)
        }
        for string in retainedStrings { free(string) }
    }

    /// Whether ``close()`` has run (successfully or not); a closed workbook accepts no more changes.
    public var isClosed: Bool { handle == nil }

    /// The names of the worksheets added so far, in workbook order.
    public var worksheetNames: [String] { sheetNames }

    /// Adds a worksheet after the existing ones.
    ///
    /// - Parameter name: The tab name: at most 31 characters, none of `[]:*?/\`, not starting or ending with an
    ///   apostrophe, unique in the workbook (case-insensitively).
    /// - Returns: A handle for writing the sheet, valid until the workbook is closed.
    /// - Throws: ``WorkbookError`` with the library's code (e.g. ``LibraryErrorCode/invalidSheetNameCharacter``).
    public func addWorksheet(named name: String) throws -> Worksheet {
        lock.lock()
        defer { lock.unlock() }
        let handle = try openHandle(operation: "adding a worksheet")
        let validation = workbook_validate_sheet_name(handle, name)
        guard validation == LXW_NO_ERROR else {
            throw WorkbookError.library(validation, operation: "adding worksheet '\(name)'", sheet: name)
        }
        guard let sheet = workbook_add_worksheet(handle, name) else {
            throw WorkbookError.library(
                LXW_ERROR_PARAMETER_VALIDATION,
                operation: "adding worksheet '\(name)'",
                sheet: name
            )
        }
        sheetNames.append(name)
        return Worksheet(workbook: self, pointer: sheet, name: name, index: sheetNames.count - 1)
    }

    /// Defines a workbook-wide name (e.g. `DiscountRate`) for `formula` (e.g. `=Assumptions!$B$3`).
    ///
    /// A name local to one sheet is written `Sheet!Name`, as libxlsxwriter's `workbook_define_name` documents.
    /// The name must start with a letter, `_` or `\\`, continue with letters, digits, `_` or `.`, and not read as
    /// a cell reference (`A1`, `R1C1`); libxlsxwriter 1.1.4 does not check this, so this method does.
    /// - Throws: ``WorkbookError`` of kind ``WorkbookError/Kind/invalidArgument`` for a name Excel would reject;
    ///   the library's error when libxlsxwriter rejects the name or formula.
    public func defineName(_ name: String, refersTo formula: String) throws {
        lock.lock()
        defer { lock.unlock() }
        let handle = try openHandle(operation: "defining name '\(name)'")
        let localName = name.split(separator: "!", omittingEmptySubsequences: false).last.map(String.init) ?? name
        guard Workbook.isValidDefinedName(localName) else {
            throw WorkbookError(
                kind: .invalidArgument,
                message: "'\(name)' is not a valid Excel name: use letters, digits, '_' and '.', start with a letter "
                    + "or '_', and do not write it like a cell reference such as A1.",
                operation: "defining name '\(name)'"
            )
        }
        let status = workbook_define_name(handle, name, formula.hasPrefix("=") ? formula : "=" + formula)
        guard status == LXW_NO_ERROR else {
            throw WorkbookError.library(status, operation: "defining name '\(name)' as \(formula)")
        }
    }

    /// Defines a workbook-wide name for one cell of `sheet`, as an absolute reference such as
    /// `='Age profile'!$B$3`.
    /// - Throws: ``WorkbookError`` when libxlsxwriter rejects the name.
    public func defineName(_ name: String, cell: CellReference, sheet: String) throws {
        try defineName(name, refersTo: "=" + cell.qualified(sheet: sheet))
    }

    /// Defines a workbook-wide name for a range of `sheet`, e.g. `='Capital plan'!$B$2:$F$2`.
    /// - Throws: ``WorkbookError`` when libxlsxwriter rejects the name.
    public func defineName(_ name: String, range: CellRange, sheet: String) throws {
        try defineName(name, refersTo: "=" + range.qualified(sheet: sheet))
    }

    /// Sets the document properties shown in File → Properties.
    /// - Throws: ``WorkbookError`` when libxlsxwriter rejects them.
    public func setProperties(
        title: String? = nil,
        subject: String? = nil,
        author: String? = nil,
        company: String? = nil,
        comments: String? = nil
    ) throws {
        let handle = try openHandle(operation: "setting document properties")
        var properties = lxw_doc_properties()
        properties.title = title.map(retain)
        properties.subject = subject.map(retain)
        properties.author = author.map(retain)
        properties.company = company.map(retain)
        properties.comments = comments.map(retain)
        let status = workbook_set_properties(handle, &properties)
        guard status == LXW_NO_ERROR else {
            throw WorkbookError.library(status, operation: "setting document properties")
        }
    }

    /// Finishes the workbook and moves it to ``path``, replacing any earlier file there.
    ///
    /// On failure the temporary file is removed and any earlier file at ``path`` is left as it was. The workbook
    /// is closed afterwards either way.
    /// - Throws: ``WorkbookError``: kind ``WorkbookError/Kind/unwritableOutput`` when the file cannot be
    ///   written or renamed into place, ``WorkbookError/Kind/library`` for other libxlsxwriter failures,
    ///   ``WorkbookError/Kind/closed`` when already closed.
    public func close() throws {
        let handle = try openHandle(operation: "closing the workbook")
        self.handle = nil
        formats.removeAll()
        let status = workbook_close(handle)  // frees the workbook whatever the outcome
        guard status == LXW_NO_ERROR else {
            removeTemporaryFile()
            throw WorkbookError.library(status, operation: "writing the workbook", path: path)
        }
        // Flush to disk before the rename, so a crash cannot leave an empty file under the final name.
        let descriptor = open(temporaryPath, O_RDONLY)
        if descriptor >= 0 {
            fsync(descriptor)
            Foundation.close(descriptor)
        }
        guard rename(temporaryPath, path) == 0 else {
            let reason = String(cString: strerror(errno))
            removeTemporaryFile()
            throw WorkbookError(
                kind: .unwritableOutput,
                message: "Could not move the finished workbook into place: \(reason).",
                operation: "writing the workbook",
                path: path
            )
        }
    }

    // MARK: - Internal services for Worksheet

    /// The live libxlsxwriter handle, or a ``WorkbookError/Kind/closed`` error.
    func openHandle(operation: String, sheet: String? = nil) throws -> UnsafeMutablePointer<lxw_workbook> {
        guard let handle else {
            throw WorkbookError(
                kind: .closed,
                message: "The workbook is already closed.",
                operation: operation,
                sheet: sheet,
                path: path
            )
        }
        return handle
    }

    /// Registers `format` with the workbook once, for writing many cells with it: a write that takes a
    /// ``PreparedFormat`` hands its libxlsxwriter format straight to the library, with no lookup.
    ///
    /// ```swift
    /// let money = try workbook.prepare(CellFormat(numberFormat: .gbp))
    /// for (row, cost) in costs.enumerated() { try sheet.writeNumber(cost, row: row, column: 3, format: money) }
    /// ```
    /// - Returns: A handle valid for this workbook's sheets until it is closed; preparing an equal format again
    ///   returns the same libxlsxwriter format.
    /// - Throws: ``WorkbookError`` of kind ``WorkbookError/Kind/closed`` after ``close()``.
    public func prepare(_ format: CellFormat) throws -> PreparedFormat {
        // lxwFormat never returns nil for a non-nil format.
        PreparedFormat(pointer: try lxwFormat(format)!, owner: ObjectIdentifier(self))
    }

    /// The libxlsxwriter format for `format`, created on first use; nil for nil.
    /// A worksheet keeps the formats it used last (``Worksheet``'s ``RecentFormats``) and asks here only on a miss.
    func lxwFormat(_ format: CellFormat?) throws -> UnsafeMutablePointer<lxw_format>? {
        guard let format else { return nil }
        lock.lock()
        defer { lock.unlock() }
        if let existing = formats[format] { return existing }
        let handle = try openHandle(operation: "creating a cell format")
        guard let created = workbook_add_format(handle) else {
            throw WorkbookError.library(LXW_ERROR_MEMORY_MALLOC_FAILED, operation: "creating a cell format")
        }
        format.apply(to: created)
        // Its index in the style table now, under the lock: the library would otherwise assign it on the format's
        // first use, in whichever thread writes that cell, changing a table the workbook's sheets share.
        _ = lxw_format_get_xf_index(created)
        formats[format] = created
        return created
    }

    /// Runs `body` holding the workbook's lock, for a library call that changes state the worksheets share (a
    /// conditional format's style, a chart).
    func exclusively<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// The libxlsxwriter format of `format`, after checking it was prepared by this workbook and the workbook is
    /// still open.
    @inline(__always)
    func lxwFormat(
        _ format: PreparedFormat,
        operation: @autoclosure () -> String
    ) throws
        -> UnsafeMutablePointer<lxw_format>
    {
        guard format.owner == ObjectIdentifier(self) else {
            throw WorkbookError(
                kind: .invalidArgument,
                message: "The format was prepared by another workbook.",
                operation: operation(),
                path: path
            )
        }
        return format.pointer
    }

    /// The number of distinct formats created so far (for tests of the cache).
    var formatCount: Int { formats.count }

    /// A C copy of `string` that stays valid until the workbook is freed (for option structs the library keeps).
    func retain(_ string: String) -> UnsafeMutablePointer<CChar> {
        lock.lock()
        defer { lock.unlock() }
        let copy = strdup(string)!
        retainedStrings.append(copy)
        return copy
    }

    /// A new libxlsxwriter chart of `type`, owned by the workbook.
    func addChart(type: lxw_chart_type, operation: String) throws -> UnsafeMutablePointer<lxw_chart> {
        lock.lock()
        defer { lock.unlock() }
        let handle = try openHandle(operation: operation)
        guard let chart = workbook_add_chart(handle, UInt8(type.rawValue)) else {
            throw WorkbookError.library(LXW_ERROR_MEMORY_MALLOC_FAILED, operation: operation)
        }
        return chart
    }

    private func removeTemporaryFile() {
        // A test or another process may have put a folder there; remove whatever is at our reserved name.
        try? FileManager.default.removeItem(atPath: temporaryPath)
    }

    /// Whether Excel accepts `name` as a defined name.
    static func isValidDefinedName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.count <= 255 else { return false }
        let isLetter = { (s: Unicode.Scalar) in s.properties.isAlphabetic }
        guard isLetter(first) || first == "_" || first == "\\" else { return false }
        for scalar in name.unicodeScalars.dropFirst()
        where !(isLetter(scalar) || ("0"..."9").contains(scalar) || scalar == "_" || scalar == ".") {
            return false
        }
        let upper = name.uppercased()
        if upper == "R" || upper == "C" || CellReference(a1: name) != nil { return false }
        // R1C1-style references such as R2C3.
        if upper.range(of: #"^R[0-9]*C[0-9]*$"#, options: .regularExpression) != nil { return false }
        return true
    }

    /// Creates an empty, uniquely named file `.NAME.tmp-XXXXXX` in `folder`, proving the folder is writable.
    private static func reserveTemporaryFile(folder: String, name: String, target: String) throws -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        var lastError: Int32 = 0
        for _ in 0..<16 {
            let suffix = String((0..<6).map { _ in alphabet.randomElement()! })
            let candidate = (folder as NSString).appendingPathComponent(".\(name).tmp-\(suffix)")
            // O_EXCL: never reuse or follow an existing file; 0o666 lets the umask decide the final permissions.
            let descriptor = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            if descriptor >= 0 {
                Foundation.close(descriptor)
                return candidate
            }
            lastError = errno
            if lastError != EEXIST { break }
        }
        throw WorkbookError(
            kind: .unwritableOutput,
            message: "Cannot create a file in folder '\(folder)': \(String(cString: strerror(lastError))).",
            operation: "opening the workbook for writing",
            path: target
        )
    }
}

/// A ``CellFormat`` registered with one workbook by ``Workbook/prepare(_:)``; writing with it skips the format
/// lookup, which matters for sheets of hundreds of thousands of cells.
///
/// It is only a handle: it stays valid while its workbook is open and must not be used with another workbook
/// (the write methods throw ``WorkbookError`` of kind ``WorkbookError/Kind/invalidArgument`` if it is).
public struct PreparedFormat {
    let pointer: UnsafeMutablePointer<lxw_format>
    let owner: ObjectIdentifier
}
