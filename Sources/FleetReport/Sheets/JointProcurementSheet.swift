import FleetCore
import WorkbookWriter

/// The Joint procurement sheet: the joint plan's orders, each priced at the tier its size reaches, with totals.
enum JointProcurementSheet: BusinessCaseSheet {
    static let name = "Joint procurement"

    static func write(in context: SheetContext) throws {
        let businessCase = context.businessCase
        let figures = context.figures.orders
        let sheet = try ReportSheet(context.workbook, name: name, tab: Tab.procurement)
        let headers = [
            "Supplier", "Class", "Year", "Units", "List price", "Tier (min units)", "Discount", "Unit price",
            "Order value", "Saved against list",
        ]
        try sheet.title("Joint procurement: orders of the joint plan")
        try sheet.notes(
            "An order is one supplier, class and year across the network.",
            "Every unit in an order earns the discount of the highest tier the order's size reaches (all-units discount)."
        )
        let headerRow = 3
        try sheet.header(headers, row: headerRow, rightAligned: Set(2...9))
        for (index, order) in businessCase.orders.enumerated() {
            let r = headerRow + 1 + index
            let x = r + 1
            try sheet.text(order.supplier, row: r, column: 0)
            try sheet.text(order.equipmentClass, row: r, column: 1)
            try sheet.number(Double(order.year), row: r, column: 2, format: Style.plainInteger)
            try sheet.number(Double(order.units), row: r, column: 3, format: Style.integer)
            try sheet.number(order.listPriceGBP.pounds, row: r, column: 4, format: Style.gbp)
            try sheet.number(Double(order.tierMinimumUnits), row: r, column: 5, format: Style.integer)
            try sheet.number(order.discount, row: r, column: 6, format: Style.percent)
            let line = figures.lines[index]
            try sheet.formula("=E\(x)*(1-G\(x))", value: line.unitPriceGBP, row: r, column: 7, format: Style.gbp)
            try sheet.formula("=D\(x)*H\(x)", value: line.valueGBP, row: r, column: 8, format: Style.gbp)
            try sheet.formula("=D\(x)*E\(x)-I\(x)", value: line.savedGBP, row: r, column: 9, format: Style.gbp)
        }
        let totalRow = headerRow + 1 + businessCase.orders.count
        let first = headerRow + 2
        try sheet.text("Total", row: totalRow, column: 0, format: Style.totalLabel)
        if businessCase.orders.isEmpty {
            try sheet.text(
                "No orders: the scenario has no replacements in its horizon.",
                row: totalRow,
                column: 1,
                measured: false
            )
        } else {
            for column in 1...9 where ![3, 8, 9].contains(column) {
                try sheet.sheet.writeBlank(row: totalRow, column: column, format: Style.totalLabel)
            }
            for (column, letter, value, format) in [
                (3, "D", figures.totalUnits, Style.integer.bold().topBorder(.thin)),
                (8, "I", figures.totalValueGBP, Style.gbpTotal), (9, "J", figures.totalSavedGBP, Style.gbpTotal),
            ] {
                try sheet.formula(
                    "=SUM(\(letter)\(first):\(letter)\(totalRow))",
                    value: value,
                    row: totalRow,
                    column: column,
                    format: format
                )
            }
        }
        try sheet.finish(context.page(frozenRows: headerRow + 1, repeatedRows: headerRow...headerRow))
    }
}
