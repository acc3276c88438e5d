import FleetCore
import Foundation
import WorkbookWriter

/// Writes the business-case workbook: the spec's sheets in order, every formula with the value computed here,
/// assumptions as named cells, and user text always as text.
///
/// Each sheet is written top to bottom, row by row, so the same code works in libxlsxwriter's constant-memory
/// mode, which a national register (tens of thousands of rows) needs to keep memory flat.
public struct BusinessCaseWorkbook: Sendable {
    /// The sheets, in the order the spec gives; each lays out its part of the case (see ``BusinessCaseSheet``).
    static let sheets: [any BusinessCaseSheet.Type] = [
        SummarySheet.self, AssumptionsSheet.self, RegisterSheet.self, PrioritySheet.self, AgeProfileSheet.self,
        CapitalPlanSheet.self, CapacitySheet.self, JointProcurementSheet.self, SavingsAllocationSheet.self,
        AppraisalSheet.self,
        MethodSheet.self,
    ]

    /// The sheet names, in the order the spec gives, of a case without capacity planning.
    public static let sheetNames = sheets.filter { $0.name != CapacitySheet.name }.map { $0.name }

    /// The sheets of `businessCase`'s workbook, in order: the spec's, and Capacity after the Capital plan when the
    /// case plans capacity.
    static func sheets(of businessCase: BusinessCase) -> [any BusinessCaseSheet.Type] {
        sheets.filter { $0.isIncluded(in: businessCase) }
    }

    /// Registers larger than this are written in constant-memory mode by default.
    public static let constantMemoryThreshold = 5_000

    /// The case to write.
    public let businessCase: BusinessCase
    /// Registers with more units than this are written in constant-memory mode: each row goes to disk as the next
    /// starts, so memory stays flat however large the Register and Priority sheets grow (no Excel table on the
    /// Register then, only filters on its header).
    public let constantMemoryThreshold: Int
    /// Every figure the sheets show, computed once from the case.
    public let figures: BusinessCaseFigures

    /// A writer for `businessCase`; `constantMemoryThreshold` is the register size above which rows are written
    /// straight to disk (0 always does).
    public init(businessCase: BusinessCase, constantMemoryThreshold: Int = BusinessCaseWorkbook.constantMemoryThreshold)
    {
        self.businessCase = businessCase
        self.constantMemoryThreshold = constantMemoryThreshold
        figures = BusinessCaseFigures(businessCase)
    }

    /// Writes the workbook to `path` through a temporary file renamed into place, so a failure never leaves a
    /// truncated workbook or destroys an earlier one.
    /// - Returns: what was written, for the command line's summary.
    /// - Throws: ``WorkbookError`` (the CLI ends with exit 4) when the file cannot be written.
    @discardableResult
    public func write(to path: String) throws -> WrittenWorkbook {
        let workbook = try Workbook(
            path: path,
            constantMemory: businessCase.register.count > constantMemoryThreshold
        )
        try workbook.setProperties(
            title: "Imaging equipment business case — \(businessCase.title)",
            subject: "Joint procurement appraisal",
            author: "ImagingFleet"
        )
        let context = SheetContext(workbook: workbook, businessCase: businessCase, figures: figures)
        for sheet in Self.sheets(of: businessCase) { try sheet.write(in: context) }
        try workbook.close()
        return WrittenWorkbook(path: path, figures: figures)
    }
}

/// A written workbook and the figures it shows.
public struct WrittenWorkbook: Sendable {
    /// Where it was written.
    public var path: String
    /// The figures its sheets show.
    public var figures: BusinessCaseFigures
}

/// Named cells of the Assumptions sheet, referred to by the formulas of the other sheets.
enum Name {
    static let discountRate = "DiscountRate"
    static let baseYear = "BaseYear"
    static let horizonYears = "HorizonYears"
    static let appraisalYears = "AppraisalYears"
    static let vatRate = "VATRate"
    static let includeVAT = "IncludeVAT"
    static let optimismBias = "OptimismBiasCapital"
    static let operatingOptimismBias = "OptimismBiasOperating"
    static let leaseDiscountRate = "LeaseDiscountRate"
    static let sensitivityPrice = "SensitivityPrice"
    static let sensitivityTierDiscount = "SensitivityTierDiscount"
    static let sensitivityDiscountRate = "SensitivityDiscountRate"
    static let sensitivityTimingPenalty = "SensitivityTimingPenalty"
    static let cocirYoungMinimum = "COCIRYoungMinimum"
    static let cocirMiddleMaximum = "COCIRMiddleMaximum"
    static let cocirOldMaximum = "COCIROldMaximum"
}

/// The formats the sheets share.
enum Style {
    static let title = CellFormat(isBold: true, fontSizeInPoints: 14, fontColor: .nhsDarkBlue)
    static let subtitle = CellFormat(isItalic: true, fontColor: .grey)
    static let header = CellFormat(
        isBold: true,
        fontColor: .white,
        fillColor: .nhsBlue,
        verticalAlignment: .top,
        isWrapped: true
    )
    static let section = CellFormat(isBold: true, fontColor: .nhsDarkBlue).bottomBorder(.thin)
    static let text = CellFormat(verticalAlignment: .top)
    static let wrapped = CellFormat(verticalAlignment: .top, isWrapped: true)
    static let gbp = CellFormat(numberFormat: .gbp)
    static let gbpBold = CellFormat(numberFormat: .gbp, isBold: true)
    static let gbpTotal = CellFormat(numberFormat: .gbp, isBold: true).topBorder(.thin)
    static let percent = CellFormat(numberFormat: .percent(decimals: 1))
    static let integer = CellFormat(numberFormat: .integer)
    static let plainInteger = CellFormat(numberFormat: .plainInteger)
    static let decimal1 = CellFormat(numberFormat: .decimal(places: 1))
    static let decimal2 = CellFormat(numberFormat: .decimal(places: 2))
    static let factor = CellFormat(numberFormat: .decimal(places: 4))
    static let date = CellFormat(numberFormat: .displayDate)
    static let input = CellFormat(fillColor: .inputYellow, border: .thin, borderColor: Color(rgb: 0xBFBFBF))
    static let bold = CellFormat(isBold: true)
    static let totalLabel = CellFormat(isBold: true).topBorder(.thin)
    static let centered = CellFormat(horizontalAlignment: .center, verticalAlignment: .top)
    static let note = CellFormat(isItalic: true, fontColor: .grey, verticalAlignment: .top, isWrapped: true)
}

/// Tab colours: the NHS identity palette, one colour per kind of sheet.
enum Tab {
    /// Summary.
    static let summary = Color.nhsBlue
    /// Inputs that finance changes.
    static let inputs = Color(rgb: 0xFFB81C)
    /// Data as imported or ranked.
    static let data = Color(rgb: 0x768692)
    /// Analyses of the fleet and the plan.
    static let analysis = Color.nhsDarkBlue
    /// Procurement and its savings.
    static let procurement = Color(rgb: 0x009639)
    /// The appraisal.
    static let appraisal = Color(rgb: 0x330072)
    /// Method and sources.
    static let method = Color(rgb: 0x425563)
}

/// One sheet of the business case: its name, and how it lays out the case's values. A sheet finds the cells it
/// refers to on other sheets through their `Layout` (worked out from the case, as that sheet places its rows) or
/// through the Assumptions' defined names, never through a literal address.
protocol BusinessCaseSheet: Sendable {
    /// The sheet's name (the tab).
    static var name: String { get }
    /// Adds the sheet to the workbook of `context` and writes it, top to bottom.
    static func write(in context: SheetContext) throws
    /// Whether `businessCase`'s workbook has this sheet (every sheet of the spec's list always does).
    static func isIncluded(in businessCase: BusinessCase) -> Bool
}

extension BusinessCaseSheet {
    static func isIncluded(in businessCase: BusinessCase) -> Bool { true }
}

/// What every sheet writer is given: the workbook, the case and its figures, and the house style's page setup and
/// charts.
struct SheetContext {
    let workbook: Workbook
    let businessCase: BusinessCase
    let figures: BusinessCaseFigures

    /// The texts of every page's header and footer.
    var labels: PageLabels {
        PageLabels(
            headerRight: businessCase.title,
            footerLeft: "Imaging equipment business case · as of \(businessCase.asOf.iso)"
        )
    }

    /// The page setup every sheet shares, with its own frozen and repeated rows.
    func page(
        frozenRows: Int? = nil,
        frozenColumns: Int = 0,
        repeatedRows: ClosedRange<Int>? = nil,
        pagesHigh: Int = 0
    ) -> ReportSheet.PageSetup {
        labels.page(
            frozenRows: frozenRows,
            frozenColumns: frozenColumns,
            repeatedRows: repeatedRows,
            pagesHigh: pagesHigh
        )
    }

    /// A chart in the workbook's house style: a 12-point title, 9-point labels and legend.
    static func chart(_ kind: Chart.Kind, title: String, width: Int, height: Int) -> Chart {
        var chart = Chart(kind, title: title, widthInPixels: width, heightInPixels: height)
        chart.titleFontSizeInPoints = 12
        chart.fontSizeInPoints = 9
        return chart
    }
}

/// The texts a workbook's sheets print in their page headers and footers, so that a sheet writer shared by the
/// business case and the national report prints the workbook's own.
struct PageLabels {
    /// The text on the right of the page header (the workbook's title).
    var headerRight: String
    /// The text on the left of the page footer.
    var footerLeft: String

    /// The page setup with these texts and the sheet's own frozen and repeated rows.
    func page(
        frozenRows: Int? = nil,
        frozenColumns: Int = 0,
        repeatedRows: ClosedRange<Int>? = nil,
        pagesHigh: Int = 0
    ) -> ReportSheet.PageSetup {
        ReportSheet.PageSetup(
            frozenRows: frozenRows,
            frozenColumns: frozenColumns,
            repeatedRows: repeatedRows,
            pagesHigh: pagesHigh,
            headerRight: headerRight,
            footerLeft: footerLeft
        )
    }
}

/// The rows of a block of groups on a sheet: a header row and the data rows under it.
struct BlockRows {
    var header: Int
    var count: Int
    var first: Int { header + 1 }
    var last: Int { header + max(count, 1) }
    var rows: ClosedRange<Int> { first...last }
    func cells(column: Int) -> CellRange { CellRange(rows: rows, column: column) }
}

extension WorkbookError: FleetError {
    /// A workbook that cannot be written is an I/O failure: exit 4.
    public var exitCode: FleetExitCode { .failure }
}
