import CXlsxWriter

/// A chart description, inserted into a sheet with
/// ``Worksheet/insertChart(_:row:column:xOffsetInPixels:yOffsetInPixels:)``.
///
/// Series read their values from cell ranges, so the chart follows the cells when assumptions change.
///
/// ```swift
/// var chart = Chart(.stackedColumn, title: "Capital spend by trust")
/// chart.series = trusts.enumerated().map { i, trust in
///     ChartSeries(name: trust, sheet: "Capital plan", categories: CellRange(row: 0, columns: 1...5),
///                 values: CellRange(row: i + 1, columns: 1...5))
/// }
/// chart.valueAxis = ChartAxis(title: "£", numberFormat: .gbp)
/// try summary.insertChart(chart, row: 10, column: 1)
/// ```
public struct Chart: Hashable, Sendable {
    /// The kind of chart.
    public enum Kind: Hashable, Sendable {
        /// Vertical columns side by side.
        case column
        /// Vertical columns stacked.
        case stackedColumn
        /// Horizontal bars side by side (tornado charts: two series, ``Chart/seriesOverlapPercent`` 100).
        case bar
        /// Horizontal bars stacked.
        case stackedBar
        /// Lines.
        case line
        /// A pie of the first series.
        case pie
        /// A doughnut.
        case doughnut
        /// Points on two value axes.
        case scatter

        var lxwType: lxw_chart_type {
            switch self {
            case .column: LXW_CHART_COLUMN
            case .stackedColumn: LXW_CHART_COLUMN_STACKED
            case .bar: LXW_CHART_BAR
            case .stackedBar: LXW_CHART_BAR_STACKED
            case .line: LXW_CHART_LINE
            case .pie: LXW_CHART_PIE
            case .doughnut: LXW_CHART_DOUGHNUT
            case .scatter: LXW_CHART_SCATTER
            }
        }

        var isBar: Bool { self == .bar || self == .stackedBar }
        var hasAxes: Bool { self != .pie && self != .doughnut }
    }

    /// The kind of chart.
    public var kind: Kind
    /// The title above the chart; nil for none.
    public var title: String?
    /// The data series, drawn in order.
    public var series: [ChartSeries]
    /// The category axis (horizontal for column and line charts, vertical for bar charts).
    public var categoryAxis: ChartAxis
    /// The value axis (vertical for column and line charts, horizontal for bar charts).
    public var valueAxis: ChartAxis
    /// Where the legend goes.
    public var legendPosition: LegendPosition
    /// The chart's width in pixels (Excel's default 480).
    public var widthInPixels: Int
    /// The chart's height in pixels (Excel's default 288).
    public var heightInPixels: Int
    /// For bar and column charts, how much series overlap, -100…100 percent (100 for a tornado chart).
    public var seriesOverlapPercent: Int?
    /// For bar and column charts, the gap between categories in percent of a bar's width, 0…500.
    public var gapWidthPercent: Int?
    /// One of Excel's 48 built-in chart styles; nil for the default (2).
    public var styleNumber: Int?
    /// The title's font size in points (bold); nil for the application's default (about 14 pt).
    public var titleFontSizeInPoints: Double?
    /// The font size of tick labels, axis titles, value labels and the legend, in points; nil for the default
    /// (10 pt).
    public var fontSizeInPoints: Double?

    /// A chart of `kind`; series, axes and size can be set afterwards.
    public init(
        _ kind: Kind,
        title: String? = nil,
        series: [ChartSeries] = [],
        categoryAxis: ChartAxis = ChartAxis(),
        valueAxis: ChartAxis = ChartAxis(),
        legendPosition: LegendPosition = .bottom,
        widthInPixels: Int = 480,
        heightInPixels: Int = 288
    ) {
        self.kind = kind
        self.title = title
        self.series = series
        self.categoryAxis = categoryAxis
        self.valueAxis = valueAxis
        self.legendPosition = legendPosition
        self.widthInPixels = widthInPixels
        self.heightInPixels = heightInPixels
    }
}

/// One data series of a chart: values from a range of a sheet, labelled by a category range.
public struct ChartSeries: Hashable, Sendable {
    /// The series name in the legend, as literal text; nil for Excel's `Series1`…. libxlsxwriter would read a
    /// name starting with `=` as a reference, so such a name is refused: give ``nameCell`` instead.
    public var name: String?
    /// A cell of ``sheet`` whose text names the series (it follows the cell, and any text in it is safe); it
    /// takes precedence over ``name``.
    public var nameCell: CellReference?
    /// The sheet holding the ranges.
    public var sheet: String
    /// The category labels (x values of a scatter chart); nil for 1, 2, 3….
    public var categories: CellRange?
    /// The values.
    public var values: CellRange
    /// The fill (bars, pie slices) or line colour; nil for the chart style's.
    public var color: Color?
    /// Each value is printed beside its point.
    public var showsValueLabels: Bool
    /// The number format of the value labels; nil for the cells' format.
    public var labelNumberFormat: NumberFormat?

    /// A series named `name` plotting `values` of `sheet` against `categories`.
    public init(
        name: String? = nil,
        nameCell: CellReference? = nil,
        sheet: String,
        categories: CellRange? = nil,
        values: CellRange,
        color: Color? = nil,
        showsValueLabels: Bool = false,
        labelNumberFormat: NumberFormat? = nil
    ) {
        self.name = name
        self.nameCell = nameCell
        self.sheet = sheet
        self.categories = categories
        self.values = values
        self.color = color
        self.showsValueLabels = showsValueLabels
        self.labelNumberFormat = labelNumberFormat
    }
}

/// How one axis of a chart is drawn.
public struct ChartAxis: Hashable, Sendable {
    /// Where an axis's tick labels sit.
    public enum LabelPosition: Hashable, Sendable {
        /// Beside the axis (default).
        case nextToAxis
        /// At the low end of the other axis (keeps a tornado chart's labels clear of negative bars).
        case low
        /// At the high end of the other axis.
        case high
        /// No labels.
        case none
    }

    /// The axis title; nil for none.
    public var title: String?
    /// The number format of the tick labels, e.g. ``NumberFormat/gbp``.
    public var numberFormat: NumberFormat?
    /// The lowest value shown; nil for automatic.
    public var minimum: Double?
    /// The highest value shown; nil for automatic.
    public var maximum: Double?
    /// The axis runs in reverse (for bar charts: first category at the top).
    public var isReversed: Bool
    /// Major gridlines; nil for the chart kind's default.
    public var showsMajorGridlines: Bool?
    /// Where the tick labels sit.
    public var labelPosition: LabelPosition
    /// The other axis crosses this one at its maximum instead of its minimum: with ``isReversed`` on a bar chart's
    /// category axis this keeps the value axis at the bottom.
    public var crossesAtMaximum: Bool

    /// An axis with the given options; every argument defaults to Excel's automatic behaviour.
    public init(
        title: String? = nil,
        numberFormat: NumberFormat? = nil,
        minimum: Double? = nil,
        maximum: Double? = nil,
        isReversed: Bool = false,
        showsMajorGridlines: Bool? = nil,
        labelPosition: LabelPosition = .nextToAxis,
        crossesAtMaximum: Bool = false
    ) {
        self.crossesAtMaximum = crossesAtMaximum
        self.title = title
        self.numberFormat = numberFormat
        self.minimum = minimum
        self.maximum = maximum
        self.isReversed = isReversed
        self.showsMajorGridlines = showsMajorGridlines
        self.labelPosition = labelPosition
    }
}

/// Where a chart's legend goes.
public enum LegendPosition: Hashable, Sendable {
    /// No legend.
    case none
    /// Right of the plot.
    case right
    /// Left of the plot.
    case left
    /// Above the plot.
    case top
    /// Below the plot.
    case bottom

    var lxwValue: UInt8 {
        switch self {
        case .none: UInt8(LXW_CHART_LEGEND_NONE.rawValue)
        case .right: UInt8(LXW_CHART_LEGEND_RIGHT.rawValue)
        case .left: UInt8(LXW_CHART_LEGEND_LEFT.rawValue)
        case .top: UInt8(LXW_CHART_LEGEND_TOP.rawValue)
        case .bottom: UInt8(LXW_CHART_LEGEND_BOTTOM.rawValue)
        }
    }
}

extension Worksheet {
    /// Inserts `chart` with its top-left corner in cell (`row`, `column`), shifted by the offsets in pixels.
    /// - Throws: ``WorkbookError``: of kind ``WorkbookError/Kind/invalidArgument`` for a chart without series;
    ///   the library's error for a bad position.
    public func insertChart(
        _ chart: Chart,
        row: Int,
        column: Int,
        xOffsetInPixels: Int = 0,
        yOffsetInPixels: Int = 0
    ) throws {
        let operation = "inserting chart \(chart.title.map { "'\($0)'" } ?? "")"
        let (r, c) = try cell(row, column, operation)
        guard !chart.series.isEmpty else {
            throw WorkbookError(
                kind: .invalidArgument,
                message: "A chart needs at least one series.",
                operation: operation,
                sheet: name,
                cell: CellReference(row: row, column: column).a1
            )
        }
        for series in chart.series where series.nameCell == nil && series.name?.hasPrefix("=") == true {
            throw WorkbookError(
                kind: .invalidArgument,
                message: "The series name '\(series.name ?? "")' starts with '=' and would be read as a reference; "
                    + "name the series by a cell (nameCell) instead.",
                operation: operation,
                sheet: name
            )
        }
        let handle = try workbook.addChart(type: chart.kind.lxwType, operation: operation)
        for series in chart.series {
            let values = "=" + series.values.qualified(sheet: series.sheet)
            let categories = series.categories.map { "=" + $0.qualified(sheet: series.sheet) }
            guard let added = chart_add_series(handle, categories.map(workbook.retain), workbook.retain(values)) else {
                throw WorkbookError.library(LXW_ERROR_MEMORY_MALLOC_FAILED, operation: operation, sheet: name)
            }
            if let cell = series.nameCell,
                let row = lxw_row_t(exactly: cell.row), let column = lxw_col_t(exactly: cell.column)
            {
                chart_series_set_name_range(added, workbook.retain(series.sheet), row, column)
            } else if let name = series.name {
                chart_series_set_name(added, workbook.retain(name))
            }
            if let color = series.color {
                if chart.kind == .line || chart.kind == .scatter {
                    var line = lxw_chart_line()
                    line.color = color.lxwColor
                    line.width = 2.25
                    chart_series_set_line(added, &line)
                } else {
                    var fill = lxw_chart_fill()
                    fill.color = color.lxwColor
                    chart_series_set_fill(added, &fill)
                }
            }
            if series.showsValueLabels { chart_series_set_labels(added) }
            if let format = series.labelNumberFormat {
                chart_series_set_labels_num_format(added, workbook.retain(format.code))
            }
            if series.showsValueLabels, var font = chart.font { chart_series_set_labels_font(added, &font) }
        }
        if let title = chart.title {
            chart_title_set_name(handle, workbook.retain(title))
            if let size = chart.titleFontSizeInPoints {
                var font = lxw_chart_font()
                font.size = size
                font.bold = 1
                chart_title_set_name_font(handle, &font)
            }
        }
        chart_legend_set_position(handle, chart.legendPosition.lxwValue)
        if var font = chart.font { chart_legend_set_font(handle, &font) }
        if let style = chart.styleNumber { chart_set_style(handle, UInt8(clamping: style)) }
        if let overlap = chart.seriesOverlapPercent { chart_set_series_overlap(handle, Int8(clamping: overlap)) }
        if let gap = chart.gapWidthPercent { chart_set_series_gap(handle, UInt16(clamping: gap)) }
        if chart.kind.hasAxes {
            // libxlsxwriter swaps x_axis and y_axis for bar charts: x_axis is then the (horizontal) value axis.
            let (categoryAxis, valueAxis) =
                chart.kind.isBar
                ? (handle.pointee.y_axis, handle.pointee.x_axis)
                : (handle.pointee.x_axis, handle.pointee.y_axis)
            apply(chart.categoryAxis, to: categoryAxis, font: chart.font)
            apply(chart.valueAxis, to: valueAxis, font: chart.font)
        }
        var options = lxw_chart_options()
        options.x_offset = Int32(clamping: xOffsetInPixels)
        options.y_offset = Int32(clamping: yOffsetInPixels)
        options.x_scale = Double(chart.widthInPixels) / 480
        options.y_scale = Double(chart.heightInPixels) / 288
        let status = workbook.exclusively { worksheet_insert_chart_opt(pointer, r, c, handle, &options) }
        try check(status, operation, row, column)
    }

    private func apply(_ axis: ChartAxis, to handle: UnsafeMutablePointer<lxw_chart_axis>?, font: lxw_chart_font?) {
        guard let handle else { return }
        if let title = axis.title { chart_axis_set_name(handle, workbook.retain(title)) }
        if var font {
            chart_axis_set_num_font(handle, &font)
            font.bold = 1
            chart_axis_set_name_font(handle, &font)
        }
        if axis.crossesAtMaximum { chart_axis_set_crossing_max(handle) }
        if let format = axis.numberFormat { chart_axis_set_num_format(handle, workbook.retain(format.code)) }
        if let minimum = axis.minimum { chart_axis_set_min(handle, minimum) }
        if let maximum = axis.maximum { chart_axis_set_max(handle, maximum) }
        if axis.isReversed { chart_axis_set_reverse(handle) }
        if let gridlines = axis.showsMajorGridlines {
            chart_axis_major_gridlines_set_visible(handle, gridlines ? 1 : 0)
        }
        switch axis.labelPosition {
        case .nextToAxis: break
        case .low: chart_axis_set_label_position(handle, UInt8(LXW_CHART_AXIS_LABEL_POSITION_LOW.rawValue))
        case .high: chart_axis_set_label_position(handle, UInt8(LXW_CHART_AXIS_LABEL_POSITION_HIGH.rawValue))
        case .none: chart_axis_set_label_position(handle, UInt8(LXW_CHART_AXIS_LABEL_POSITION_NONE.rawValue))
        }
    }
}

extension Chart {
    /// The font of labels and the legend, when a size is set.
    fileprivate var font: lxw_chart_font? {
        guard let size = fontSizeInPoints else { return nil }
        var font = lxw_chart_font()
        font.size = size
        return font
    }
}
