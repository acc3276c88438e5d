import FleetCore

extension RegisterImport {
    /// Reads the records of a utilisation feed (SPEC.md, "Utilisation feed"), checking every value.
    ///
    /// - Parameters:
    ///   - today: the current day; a month after its month is refused (the current month, still under way, is
    ///     accepted).
    ///   - knownAssets: the register's assets; a record for any other asset is refused. Nil skips that check
    ///     (for reading a feed without a register).
    /// - Returns: the records in file order. Columns the feed does not know are ignored (see
    ///   ``unknownColumns(of:)``).
    /// - Throws: ``InvalidInput`` naming every bad value: missing required columns or values, unreadable
    ///   values, negative counts or hours, more available hours than the month has, downtime over the
    ///   available hours, a month in the future, an asset not in the register, a repeated asset and month.
    public static func readUtilisation(
        _ table: InputTable,
        today: Day,
        knownAssets: Set<AssetID>? = nil
    )
        throws(InvalidInput) -> [UtilisationRecord]
    {
        try importing { () throws(InvalidInput) in
            try parseUtilisation(table, today: today, knownAssets: knownAssets)
        }
    }

    private static func parseUtilisation(
        _ table: InputTable,
        today: Day,
        knownAssets: Set<AssetID>?
    )
        throws(InvalidInput) -> [UtilisationRecord]
    {
        try table.requireColumns(UtilisationFile.requiredColumns)
        let currentMonth = today.yearMonth
        let columns = UtilisationColumns(table)
        let (idColumn, monthColumn, scansColumn) = (columns.id, columns.month, columns.scans)
        let (availableColumn, downtimeColumn) = (columns.available, columns.downtime)
        let (breakdownsColumn, serviceCostColumn) = (columns.breakdowns, columns.serviceCost)

        var issues = InputIssues()
        var records: [UtilisationRecord] = []
        records.reserveCapacity(table.rows.count)
        var lineOfKey: [UtilisationKey: Int] = [:]
        lineOfKey.reserveCapacity(table.rows.count)

        for row in table.rows {
            let reader = table.reader(for: row)
            let id = idColumn.value(in: row, of: table, required: true, issues: &issues)
            let month = monthColumn.value(in: row, of: table, required: true, issues: &issues)
            let scans = scansColumn.value(in: row, of: table, required: true, issues: &issues)
            let availableHours = availableColumn.value(in: row, of: table, issues: &issues)
            let downtimeHours = downtimeColumn.value(in: row, of: table, issues: &issues)
            let breakdowns = breakdownsColumn.value(in: row, of: table, issues: &issues)
            let serviceCost = serviceCostColumn.value(in: row, of: table, issues: &issues)

            if let id, let knownAssets, !knownAssets.contains(AssetID(id)) {
                reader.report(
                    "asset_id",
                    "is not in the register; expected an asset_id imported first with `fleet import register`",
                    issues: &issues
                )
            }
            if let month, month > currentMonth {
                reader.report(
                    "month",
                    "is in the future (this month is \(currentMonth)); expected a month up to \(currentMonth)",
                    issues: &issues
                )
            }
            if let month, let availableHours, availableHours > Double(month.dayCount * 24) {
                reader.report(
                    "available_hours",
                    "is more than the \(month.dayCount * 24) hours in \(month); "
                        + "expected at most the hours in the month",
                    issues: &issues
                )
            }
            if let availableHours, let downtimeHours, downtimeHours > availableHours {
                reader.report(
                    "downtime_hours",
                    "is more than available_hours (\(plainHours(availableHours))); expected downtime within the "
                        + "available hours",
                    issues: &issues
                )
            }
            if let id, let month {
                let key = UtilisationKey(assetID: id, month: month)
                if let earlier = lineOfKey[key] {
                    reader.report(
                        "month",
                        "repeats asset '\(id)' in \(month) (first on line \(earlier)); expected one row for each asset "
                            + "and month",
                        issues: &issues
                    )
                } else {
                    lineOfKey[key] = row.line
                }
            }

            guard issues.isEmpty, let id, let month, let scans else { continue }
            records.append(
                UtilisationRecord(
                    assetID: AssetID(id),
                    month: month,
                    scans: scans,
                    availableHours: availableHours,
                    downtimeHours: downtimeHours,
                    breakdowns: breakdowns,
                    serviceCostGBP: serviceCost
                )
            )
        }
        try issues.throwIfAny()
        return records
    }

    /// The header names (as written) of a feed's columns that ``readUtilisation(_:today:knownAssets:)``
    /// ignores.
    public static func unknownColumns(of table: InputTable) -> [String] {
        let known = Set(UtilisationFile.columns)
        return table.columns.indices.filter { !table.columns[$0].isEmpty && !known.contains(table.columns[$0]) }
            .map { table.headerAsWritten[$0].trimmingWhitespace() }
    }

    private struct UtilisationKey: Hashable {
        var assetID: String
        var month: YearMonth
    }

    /// `40` or `40.5`.
    private static func plainHours(_ hours: Double) -> String {
        hours == hours.rounded() && abs(hours) < 1e15 ? String(Int(hours)) : String(hours)
    }
}

/// The readers of a feed's columns, with their fields and fast paths: shared by the general reader and the byte
/// scan (``FeedScanner``), so that the two read a cell alike.
struct UtilisationColumns {
    let id: ColumnReader<String>
    let month: ColumnReader<YearMonth>
    let scans: ColumnReader<Int>
    let available: ColumnReader<Double>
    let downtime: ColumnReader<Double>
    let breakdowns: ColumnReader<Int>
    let serviceCost: ColumnReader<GBP>

    init(_ table: InputTable) {
        let scansRange = 0...10_000_000
        let breakdownsRange = 0...10_000
        let hoursRange = 0.0...744.0
        id = ColumnReader("asset_id", of: table, .identifier, fastPath: FastPath.identifier)
        month = ColumnReader("month", of: table, .yearMonth, fastPath: FastPath.yearMonth)
        scans = ColumnReader(
            "scans",
            of: table,
            .integer(in: scansRange, expectation: "a whole number of examinations from 0 to 10,000,000"),
            fastPath: { FastPath.integer($0, in: scansRange) }
        )
        available = ColumnReader(
            "available_hours",
            of: table,
            .hoursInMonth,
            fastPath: { FastPath.hours($0, in: hoursRange) }
        )
        downtime = ColumnReader(
            "downtime_hours",
            of: table,
            .hoursInMonth,
            fastPath: { FastPath.hours($0, in: hoursRange) }
        )
        breakdowns = ColumnReader(
            "breakdowns",
            of: table,
            .integer(in: breakdownsRange, expectation: "a whole number of breakdowns, 0 or more"),
            fastPath: { FastPath.integer($0, in: breakdownsRange) }
        )
        serviceCost = ColumnReader("service_cost_gbp", of: table, .money, fastPath: FastPath.money)
    }
}
