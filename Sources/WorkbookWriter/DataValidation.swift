import CXlsxWriter

/// A data-validation rule for input cells, with the messages Excel shows.
///
/// ```swift
/// try sheet.addDataValidation(DataValidation(.decimalBetween(0, 0.2), inputMessage: "A rate such as 0.035"),
///                             to: CellRange(rows: 3...3, column: 1))
/// try sheet.addDataValidation(DataValidation(.list(["Inclusive", "Exclusive"])), to: vatCell)
/// ```
public struct DataValidation: Hashable, Sendable {
    /// What the cell accepts.
    public enum Rule: Hashable, Sendable {
        /// One of the given texts, offered in a drop-down (together at most 255 characters).
        case list([String])
        /// One of the values in a range, e.g. `=Lists!$A$1:$A$5`.
        case listFromRange(String)
        /// A decimal number between the bounds, inclusive.
        case decimalBetween(Double, Double)
        /// A whole number between the bounds, inclusive.
        case integerBetween(Int, Int)
    }

    /// What the cell accepts.
    public var rule: Rule
    /// The title of the prompt shown when the cell is selected (at most 32 characters).
    public var inputTitle: String?
    /// The prompt shown when the cell is selected (at most 255 characters).
    public var inputMessage: String?
    /// The title of the message shown for a rejected value.
    public var errorTitle: String?
    /// The message shown for a rejected value.
    public var errorMessage: String?
    /// Empty cells are allowed.
    public var ignoresBlank: Bool

    /// A validation by `rule` with optional messages.
    public init(
        _ rule: Rule,
        inputTitle: String? = nil,
        inputMessage: String? = nil,
        errorTitle: String? = nil,
        errorMessage: String? = nil,
        ignoresBlank: Bool = true
    ) {
        self.rule = rule
        self.inputTitle = inputTitle
        self.inputMessage = inputMessage
        self.errorTitle = errorTitle
        self.errorMessage = errorMessage
        self.ignoresBlank = ignoresBlank
    }
}

extension Worksheet {
    /// Applies `validation` to `range`.
    /// - Throws: ``WorkbookError`` (e.g. ``LibraryErrorCode/stringLengthExceeded255`` for a long list).
    public func addDataValidation(_ validation: DataValidation, to range: CellRange) throws {
        let operation = "adding data validation"
        let (r1, c1, r2, c2) = try cells(range, operation)
        var options = lxw_data_validation()
        options.ignore_blank = UInt8(validation.ignoresBlank ? LXW_VALIDATION_ON.rawValue : LXW_VALIDATION_OFF.rawValue)
        options.input_title = validation.inputTitle.map(workbook.retain)
        options.input_message = validation.inputMessage.map(workbook.retain)
        options.error_title = validation.errorTitle.map(workbook.retain)
        options.error_message = validation.errorMessage.map(workbook.retain)
        var list: [UnsafeMutablePointer<CChar>?] = []
        switch validation.rule {
        case .list(let values):
            options.validate = UInt8(LXW_VALIDATION_TYPE_LIST.rawValue)
            list = values.map(workbook.retain) + [nil]
        case .listFromRange(let formula):
            options.validate = UInt8(LXW_VALIDATION_TYPE_LIST_FORMULA.rawValue)
            options.value_formula = workbook.retain(formula.hasPrefix("=") ? formula : "=" + formula)
        case .decimalBetween(let low, let high):
            options.validate = UInt8(LXW_VALIDATION_TYPE_DECIMAL.rawValue)
            options.criteria = UInt8(LXW_VALIDATION_CRITERIA_BETWEEN.rawValue)
            (options.minimum_number, options.maximum_number) = (low, high)
        case .integerBetween(let low, let high):
            options.validate = UInt8(LXW_VALIDATION_TYPE_INTEGER.rawValue)
            options.criteria = UInt8(LXW_VALIDATION_CRITERIA_BETWEEN.rawValue)
            (options.minimum_number, options.maximum_number) = (Double(low), Double(high))
        }
        let status = list.withUnsafeMutableBufferPointer { buffer -> lxw_error in
            if !buffer.isEmpty { options.value_list = buffer.baseAddress }
            return worksheet_data_validation_range(pointer, r1, c1, r2, c2, &options)
        }
        try check(status, operation, range: range)
    }
}
