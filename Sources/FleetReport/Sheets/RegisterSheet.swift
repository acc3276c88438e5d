import FleetCore
import WorkbookWriter

/// The Register sheet: every unit as imported, in register order, as an Excel table (filters only in
/// constant-memory mode).
enum RegisterSheet: BusinessCaseSheet {
    static let name = "Register"

    /// The columns in sheet order.
    enum Column: Int, CaseIterable {
        case assetID, network, trust, site, modality, equipmentClass, manufacturer, model, mobile, installed, age
        case replacementCost, serviceCost, endOfSupport, status, criticality, notes

        var title: String {
            switch self {
            case .assetID: "Asset ID"
            case .network: "Network"
            case .trust: "Trust"
            case .site: "Site"
            case .modality: "Modality"
            case .equipmentClass: "Class"
            case .manufacturer: "Manufacturer"
            case .model: "Model"
            case .mobile: "Mobile"
            case .installed: "Installed"
            case .age: "Age (years)"
            case .replacementCost: "Replacement cost"
            case .serviceCost: "Service cost a year"
            case .endOfSupport: "End of support"
            case .status: "Status"
            case .criticality: "Criticality"
            case .notes: "Notes"
            }
        }
    }

    /// The history columns after the register's own, when the case carries the register's history.
    static let historyTitles = ["Last changed (UTC)", "Changed by", "From file", "What changed"]

    /// Where the register's rows stand, for formulas on other sheets.
    struct Layout {
        /// The header row (the table starts there).
        static let headerRow = 3
        /// The units, one row each under the header.
        var rows: BlockRows

        init(_ businessCase: BusinessCase) { self.init(unitCount: businessCase.register.count) }

        /// The layout of a register of `unitCount` units.
        init(unitCount: Int) { rows = BlockRows(header: Self.headerRow, count: unitCount) }

        /// The absolute range of the status column's data cells.
        var statusRange: String { rows.cells(column: Column.status.rawValue).absolute }
    }

    static func write(in context: SheetContext) throws {
        let businessCase = context.businessCase
        try write(
            businessCase.register,
            asOf: businessCase.asOf,
            lastChanges: businessCase.lastChanges,
            in: context.workbook,
            context.labels
        )
    }

    /// Writes `assets` as the Register sheet of `workbook` (the business case's, or the national report's), ages
    /// at `asOf`, with each unit's last change from the register's history when `lastChanges` is given, its pages
    /// labelled with `labels`.
    static func write(
        _ assets: [Asset],
        asOf: Day,
        lastChanges changes: [AssetID: RegisterRowChange]? = nil,
        in workbook: Workbook,
        _ labels: PageLabels
    ) throws {
        try write(assets, asOf: asOf, lastChanges: changes, to: try added(to: workbook), labels)
    }

    /// Adds the empty Register sheet to `workbook`, its tab after the sheets added so far, for
    /// ``write(_:asOf:lastChanges:to:_:)`` to fill (on another thread, if need be).
    static func added(to workbook: Workbook) throws -> ReportSheet {
        try ReportSheet(workbook, name: name, tab: Tab.data)
    }

    /// Writes `assets` into `sheet`, added by ``added(to:)``, as ``write(_:asOf:lastChanges:in:_:)`` does.
    static func write(
        _ assets: [Asset],
        asOf: Day,
        lastChanges changes: [AssetID: RegisterRowChange]?,
        to sheet: ReportSheet,
        _ labels: PageLabels
    ) throws {
        let workbook = sheet.sheet.workbook
        let headerRow = Layout.headerRow
        let headers = Column.allCases.map(\.title) + (changes == nil ? [] : historyTitles)
        try sheet.title("Asset register")
        try sheet.notes(
            "\(assets.count) unit\(assets.count == 1 ? "" : "s") as imported, in register order; age in completed years at "
                + "\(asOf.iso). Text is shown exactly as in the imported file."
                + (changes == nil ? "" : " The last four columns give the import that last added or changed each unit.")
        )
        try setWidths(sheet, assets: assets, headers: headers)
        if let changes { try setHistoryWidths(sheet, assets: assets, changes: changes) }
        let rightAligned: Set<Int> = [9, 10, 11, 12, 13, 15]
        let centered: Set<Int> = [8, 14]
        try sheet.header(headers, row: headerRow, rightAligned: rightAligned, centered: centered, indented: [16])

        for (index, asset) in assets.enumerated() {
            let r = headerRow + 1 + index
            try sheet.text(asset.id.rawValue, row: r, column: 0)
            try sheet.optionalText(asset.network?.rawValue, row: r, column: 1)
            try sheet.text(asset.trust.rawValue, row: r, column: 2)
            try sheet.text(asset.site.rawValue, row: r, column: 3)
            try sheet.text(asset.modality.rawValue, row: r, column: 4)
            try sheet.optionalText(asset.equipmentClass?.rawValue, row: r, column: 5)
            try sheet.optionalText(asset.manufacturer, row: r, column: 6)
            try sheet.optionalText(asset.model, row: r, column: 7)
            try sheet.text(asset.isMobile ? "yes" : "no", row: r, column: 8, format: Style.centered)
            try sheet.date(asset.installDate, row: r, column: 9)
            try sheet.number(
                Double(asset.installDate.completedYears(until: asOf)),
                row: r,
                column: 10,
                format: Style.plainInteger
            )
            try sheet.money(asset.replacementCostGBP, row: r, column: 11)
            try sheet.money(asset.serviceCostGBPPerYear, row: r, column: 12)
            if let end = asset.endOfSupport { try sheet.date(end, row: r, column: 13) }
            try sheet.text(asset.status.rawValue, row: r, column: Column.status.rawValue, format: Style.centered)
            if let criticality = asset.criticality {
                try sheet.number(Double(criticality), row: r, column: 15, format: Style.plainInteger)
            }
            try sheet.optionalText(asset.notes, row: r, column: 16, format: Style.text.indented(1))
            if let change = changes?[asset.id] {
                let first = Column.allCases.count
                try sheet.text(timestampText(change.at), row: r, column: first)
                try sheet.text(change.who, row: r, column: first + 1)
                try sheet.optionalText(change.file.isEmpty ? nil : change.file, row: r, column: first + 2)
                try sheet.text(change.summary, row: r, column: first + 3)
            }
        }
        let range = CellRange(rows: headerRow...(headerRow + max(1, assets.count)), columns: 0...(headers.count - 1))
        if workbook.isConstantMemory {
            // libxlsxwriter cannot write an Excel table in constant-memory mode: filters on the header instead.
            try sheet.sheet.setAutofilter(range)
        } else {
            try sheet.sheet.addTable(
                Table(
                    name: "RegisterTable",
                    columns: headers.enumerated().map { column, header in
                        // The table writes the header row again: with the same alignment as the cells below.
                        var format = Style.header
                        if rightAligned.contains(column) { format.horizontalAlignment = .right }
                        if centered.contains(column) { format.horizontalAlignment = .center }
                        if column == 16 { format.indentLevels = 1 }
                        return TableColumn(header: header, headerFormat: format)
                    },
                    style: .light(1)
                ),
                at: range
            )
        }
        try sheet.finish(labels.page(frozenRows: headerRow + 1, frozenColumns: 1, repeatedRows: headerRow...headerRow))
    }

    /// `2026-12-02T09:30:00Z` as `2026-12-02 09:30:00`: the column's title says UTC.
    private static func timestampText(_ iso: String) -> String {
        String(iso.replacingOccurrences(of: "T", with: " ").dropLast(iso.hasSuffix("Z") ? 1 : 0))
    }

    /// The history columns' widths, from their contents.
    private static func setHistoryWidths(
        _ sheet: ReportSheet,
        assets: [Asset],
        changes: [AssetID: RegisterRowChange]
    ) throws {
        let first = Column.allCases.count
        let shown = assets.compactMap { changes[$0.id] }
        let texts: [(RegisterRowChange) -> String] = [{ timestampText($0.at) }, \.who, \.file, \.summary]
        for (offset, text) in texts.enumerated() {
            let content = shown.reduce(0.0) { max($0, TextWidth.of(text($1))) }
            let least = TextWidth.longestWord(historyTitles[offset], isBold: true)
            if offset == 3 {
                try sheet.wrap(column: first + offset, width: min(40, max(content, least)))
            } else {
                try sheet.setWidth(min(36, max(content, least)), column: first + offset)
            }
        }
    }

    /// Sets every column's width before any row is written, so the sheet can be written in constant-memory mode.
    private static func setWidths(_ sheet: ReportSheet, assets: [Asset], headers: [String]) throws {
        let largestAmount = assets.reduce(0.0) {
            max($0, $1.replacementCostGBP?.pounds ?? 0, $1.serviceCostGBPPerYear?.pounds ?? 0)
        }
        let widestMoney = TextWidth.of(largestAmount, format: .gbp)
        let plans: [(texts: (Asset) -> String?, wraps: Double?)] = [
            ({ $0.id.rawValue }, nil), ({ $0.network?.rawValue }, 24), ({ $0.trust.rawValue }, 32),
            ({ $0.site.rawValue }, 28), ({ $0.modality.rawValue }, nil), ({ $0.equipmentClass?.rawValue }, nil),
            ({ $0.manufacturer }, 24), ({ $0.model }, 20), ({ $0.isMobile ? "yes" : "no" }, nil),
        ]
        for (column, plan) in plans.enumerated() {
            let content = assets.reduce(0.0) { max($0, TextWidth.of(plan.texts($1) ?? "")) }
            let least = TextWidth.longestWord(headers[column], isBold: true)
            if let wraps = plan.wraps {
                try sheet.wrap(column: column, width: min(wraps, max(content, least)))
            } else {
                try sheet.setWidth(min(30, max(content, least)), column: column)
            }
        }
        let dateWidth = TextWidth.of(0, format: .displayDate)
        let widths: [Int: Double] = [
            9: dateWidth, 10: 8, 11: widestMoney, 12: widestMoney, 13: dateWidth, 14: TextWidth.of("decommissioned"),
            15: 8,
        ]
        for (column, width) in widths {
            try sheet.setWidth(max(width, TextWidth.longestWord(headers[column], isBold: true)), column: column)
        }
        let noteWidth = assets.reduce(0.0) { max($0, TextWidth.of($1.notes)) }
        try sheet.wrap(column: 16, width: min(44, max(noteWidth + 2, 12)))
    }
}
