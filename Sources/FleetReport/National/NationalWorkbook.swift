import FleetCore
import WorkbookWriter

/// Writes the national workbook (SPEC, "National report"): the sheets below in order, every total a formula
/// carrying the value computed here, user text always as text. Each sheet is written top to bottom, so the workbook
/// can be written in libxlsxwriter's constant-memory mode, which a national register (20,000 units and more) needs.
public struct NationalWorkbook: Sendable {
    /// The sheets, in the order the spec gives.
    static let sheets: [any NationalSheet.Type] = [
        NationalSummarySheet.self, NetworksSheet.self, NationalRegisterSheet.self, NationalPrioritySheet.self,
        NetworkAgeProfileSheet.self, NetworkCapitalPlanSheet.self, NetworkSavingsSheet.self, NationalMethodSheet.self,
    ]

    /// The sheets of a national case that plans no procurement (the national register workbook), in order: the
    /// same sheets without the capital plan and the savings.
    static let registerSheets: [any NationalSheet.Type] = [
        NationalSummarySheet.self, NetworksSheet.self, NationalRegisterSheet.self, NationalPrioritySheet.self,
        NetworkAgeProfileSheet.self, NationalMethodSheet.self,
    ]

    /// The sheet names, in order.
    public static let sheetNames = sheets.map { $0.name }
    /// The sheet names of the national register workbook (a case that plans no procurement), in order.
    public static let registerSheetNames = registerSheets.map { $0.name }

    /// The case to write.
    public let nationalCase: NationalCase
    /// Registers with more units than this are written in constant-memory mode (no Excel table on the Register).
    public let constantMemoryThreshold: Int
    /// Every figure the sheets show, computed once.
    public let figures: NationalFigures

    /// A writer for `nationalCase`; `constantMemoryThreshold` is the register size above which rows are written
    /// straight to disk (0 always does).
    public init(
        nationalCase: NationalCase,
        constantMemoryThreshold: Int = BusinessCaseWorkbook.constantMemoryThreshold
    ) {
        self.nationalCase = nationalCase
        self.constantMemoryThreshold = constantMemoryThreshold
        figures = NationalFigures(nationalCase)
    }

    /// Writes the workbook to `path` through a temporary file renamed into place, so a failure never leaves a
    /// truncated workbook or destroys an earlier one.
    /// - Returns: what was written, for the command line's summary.
    /// - Throws: ``WorkbookError`` (exit 4) when the file cannot be written.
    @discardableResult
    public func write(to path: String) throws -> WrittenNationalWorkbook {
        let workbook = try Workbook(path: path, constantMemory: figures.register.count > constantMemoryThreshold)
        let plans = nationalCase.plansProcurement
        try workbook.setProperties(
            title: "Imaging equipment national \(plans ? "report" : "register") — \(nationalCase.title)",
            subject: plans ? "Joint procurement network by network" : "Register, ranking and age profile by network",
            author: "ImagingFleet"
        )
        let context = NationalContext(workbook: workbook, nationalCase: nationalCase, figures: figures)
        // The Register, the largest sheet with the Priority, is written on a thread of its own while the sheets after
        // it are written on this one, each sheet by one thread (see Workbook); its tab keeps its place.
        var register: BackgroundValue<Result<Void, any Error>>?
        defer { _ = register?.value() }  // the workbook is not closed or freed while that thread writes
        for sheet in plans ? Self.sheets : Self.registerSheets {
            guard ObjectIdentifier(sheet) == ObjectIdentifier(NationalRegisterSheet.self) else {
                try sheet.write(in: context)
                continue
            }
            let added = try RegisterSheet.added(to: workbook)
            register = BackgroundValue { Result { try NationalRegisterSheet.write(in: context, to: added) } }
        }
        try register?.value().get()
        try workbook.close()
        return WrittenNationalWorkbook(path: path, figures: figures)
    }
}

/// A written national workbook and the figures it shows.
public struct WrittenNationalWorkbook: Sendable {
    /// Where it was written.
    public var path: String
    /// The figures its sheets show.
    public var figures: NationalFigures
}

/// One sheet of the national workbook: its name and how it lays out the national figures.
protocol NationalSheet: Sendable {
    /// The sheet's name (the tab).
    static var name: String { get }
    /// Adds the sheet to the workbook of `context` and writes it, top to bottom.
    static func write(in context: NationalContext) throws
}

/// What every national sheet writer is given.
struct NationalContext: Sendable {
    let workbook: Workbook
    let nationalCase: NationalCase
    let figures: NationalFigures

    /// The texts of every page's header and footer.
    var labels: PageLabels {
        PageLabels(
            headerRight: nationalCase.title,
            footerLeft: "Imaging equipment national \(nationalCase.plansProcurement ? "report" : "register") · as of "
                + nationalCase.asOf.iso
        )
    }
}

/// The Register sheet of the national workbook: every network's units in turn (the business case's Register sheet).
enum NationalRegisterSheet: NationalSheet {
    static let name = RegisterSheet.name

    static func write(in context: NationalContext) throws {
        try write(in: context, to: RegisterSheet.added(to: context.workbook))
    }

    /// Writes the sheet into `sheet`, added to the workbook by ``RegisterSheet/added(to:)``.
    static func write(in context: NationalContext, to sheet: ReportSheet) throws {
        try RegisterSheet.write(
            context.figures.register,
            asOf: context.nationalCase.asOf,
            lastChanges: nil,
            to: sheet,
            context.labels
        )
    }

    /// The rows of the units at `offsets` of the national register, as an absolute range of `column`.
    static func range(_ offsets: Range<Int>, column: RegisterSheet.Column) -> String {
        let first = RegisterSheet.Layout.headerRow + 1
        return CellRange(rows: (first + offsets.lowerBound)...(first + offsets.upperBound - 1), column: column.rawValue)
            .qualified(sheet: name)
    }
}

/// The Priority sheet of the national workbook: the national ranking (the business case's Priority sheet).
enum NationalPrioritySheet: NationalSheet {
    static let name = PrioritySheet.name

    static func write(in context: NationalContext) throws {
        try PrioritySheet.write(
            context.nationalCase.priorities,
            criteria: context.nationalCase.criterionNames,
            scores: context.figures.priorityScores,
            in: context.workbook,
            context.labels
        )
    }

    /// The absolute range of the band column's data cells.
    static func bandRange(_ national: NationalCase) -> String {
        PrioritySheet.Layout(unitCount: national.priorities.count, criterionCount: national.criterionNames.count)
            .bandRange
    }
}
