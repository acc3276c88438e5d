import CXlsxWriter
import Foundation

/// Why a workbook operation failed: a libxlsxwriter error with the library's own message, or a file-system
/// failure around the safe write, always with the sheet, cell and path it concerned.
public struct WorkbookError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The broad class of a failure, for callers that map errors to exit codes or retry decisions.
    public enum Kind: Hashable, Sendable {
        /// libxlsxwriter rejected an operation or failed to assemble the file; ``WorkbookError/code`` says which.
        case library
        /// The output path cannot be written: missing or read-only folder, a folder where the file should be,
        /// a full disk. The command line reports it with exit code 4.
        case unwritableOutput
        /// A value was rejected before it reached the library (a negative row, an impossible date).
        case invalidArgument
        /// The workbook was used after ``Workbook/close()`` or after a failed close.
        case closed
    }

    /// The class of failure.
    public var kind: Kind
    /// libxlsxwriter's error code (`lxw_error`) when the library reported the failure; nil otherwise.
    public var code: LibraryErrorCode?
    /// The library's message (`lxw_strerror`) or the operating system's, as one sentence.
    public var message: String
    /// What was being done, e.g. `writing a number` or `adding a table`.
    public var operation: String
    /// The worksheet concerned, when there is one.
    public var sheet: String?
    /// The cell or range concerned in A1 notation, when there is one.
    public var cell: String?
    /// The file concerned, when the failure is about a file.
    public var path: String?

    /// A failure of `kind` with its message and context.
    public init(
        kind: Kind,
        code: LibraryErrorCode? = nil,
        message: String,
        operation: String,
        sheet: String? = nil,
        cell: String? = nil,
        path: String? = nil
    ) {
        self.kind = kind
        self.code = code
        self.message = message
        self.operation = operation
        self.sheet = sheet
        self.cell = cell
        self.path = path
    }

    /// `Workbook error while writing a number at 'Register'!A1048577: Worksheet row or column index out of range.`
    public var description: String {
        var text = "Workbook error while \(operation)"
        if let sheet, let cell {
            text += " at \(SheetName.quotedIfNeeded(sheet))!\(cell)"
        } else if let sheet {
            text += " on sheet '\(sheet)'"
        } else if let cell {
            text += " at \(cell)"
        }
        if let path { text += " (file \(path))" }
        text += ": " + message
        if let code { text += " [libxlsxwriter error \(code.rawValue)]" }
        return text
    }

    /// The error libxlsxwriter's `status` describes; `status` must not be `LXW_NO_ERROR`.
    static func library(
        _ status: lxw_error,
        operation: String,
        sheet: String? = nil,
        cell: String? = nil,
        path: String? = nil
    ) -> WorkbookError {
        let code = LibraryErrorCode(rawValue: Int(status.rawValue))
        let message = String(cString: lxw_strerror(status))
        let fileCodes: Set<LibraryErrorCode> = [.creatingXLSXFile, .creatingTemporaryFile, .zipFileOperation]
        let kind: Kind = code.map { fileCodes.contains($0) } == true ? .unwritableOutput : .library
        return WorkbookError(
            kind: kind,
            code: code,
            message: message,
            operation: operation,
            sheet: sheet,
            cell: cell,
            path: path
        )
    }
}

/// libxlsxwriter's error codes (`lxw_error` in `xlsxwriter/common.h`), with the same numbers.
public enum LibraryErrorCode: Int, Hashable, Sendable {
    /// Memory allocation failed.
    case memoryAllocationFailed = 1
    /// The output xlsx file could not be created, usually a permissions problem.
    case creatingXLSXFile
    /// A temporary file could not be created.
    case creatingTemporaryFile
    /// A temporary file could not be read.
    case readingTemporaryFile
    /// A zip operation failed; `errno` has the cause.
    case zipFileOperation
    /// The zip library rejected a parameter.
    case zipParameter
    /// The zip library found a bad zip file.
    case zipBadZipFile
    /// The zip library failed internally.
    case zipInternal
    /// A file could not be added to the zip container.
    case zipFileAdd
    /// The zip container could not be closed.
    case zipClose
    /// The feature is not supported (often: not in constant-memory mode).
    case featureNotSupported
    /// A NULL parameter was ignored.
    case nullParameterIgnored
    /// A parameter failed the library's validation.
    case parameterValidation
    /// A sheet name is longer than 31 characters.
    case sheetNameLengthExceeded
    /// A sheet name contains one of `[]:*?/\`.
    case invalidSheetNameCharacter
    /// A sheet name starts or ends with an apostrophe.
    case sheetNameStartEndApostrophe
    /// A sheet name is already used in the workbook.
    case sheetNameAlreadyUsed
    /// A parameter exceeds Excel's 32 character limit.
    case stringLengthExceeded32
    /// A parameter exceeds Excel's 128 character limit.
    case stringLengthExceeded128
    /// A parameter exceeds Excel's 255 character limit.
    case stringLengthExceeded255
    /// A string exceeds Excel's 32,767 character limit.
    case maxStringLengthExceeded
    /// A shared string index was not found.
    case sharedStringIndexNotFound
    /// A row or column index is outside the worksheet (rows 0–1,048,575, columns 0–16,383).
    case worksheetIndexOutOfRange
    /// A URL is longer than Excel allows.
    case maxURLLengthExceeded
    /// A worksheet holds more than 65,530 URLs.
    case maxNumberOfURLsExceeded
    /// An image has zero width or height.
    case imageDimensions
}

/// Sheet-name quoting for formulas and references.
enum SheetName {
    /// `name` as a formula may cite it: bare when it is letters, digits, `_` and `.` starting with a letter or
    /// `_` and cannot be read as a cell reference; otherwise in single quotes with inner quotes doubled.
    static func quotedIfNeeded(_ name: String) -> String {
        if isBare(name) { return name }
        return "'" + name.replacingOccurrences(of: "'", with: "''") + "'"
    }

    private static func isBare(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || isASCIILetter(first) else { return false }
        // Letters only (no digits) can never be read as an A1 reference; R and C alone are R1C1 tokens.
        for scalar in name.unicodeScalars where !(isASCIILetter(scalar) || scalar == "_" || scalar == ".") {
            return false
        }
        let upper = name.uppercased()
        return upper != "R" && upper != "C" && upper != "TRUE" && upper != "FALSE"
    }

    private static func isASCIILetter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }
}
