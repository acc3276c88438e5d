import CXlsxWriter

/// A conditional format: a colour scale, a data bar, an icon set, or a format applied when a rule holds.
///
/// ```swift
/// try sheet.addConditionalFormat(.threeColorScale(minimum: .green, midpoint: .amber, maximum: .red), to: scores)
/// try sheet.addConditionalFormat(.cellValue(.greaterThan(10), format: CellFormat(fillColor: .lightRed)), to: ages)
/// try sheet.addConditionalFormat(.formula("=$C2>$D2", format: CellFormat(fontColor: .red)), to: rows)
/// ```
public enum ConditionalFormat: Hashable, Sendable {
    /// A two-colour scale from the lowest value's colour to the highest's.
    case twoColorScale(minimum: Color, maximum: Color)
    /// A three-colour scale through `midpoint` at the 50th percentile.
    case threeColorScale(minimum: Color, midpoint: Color, maximum: Color)
    /// An in-cell bar proportional to the value; `isSolid` false gives Excel's gradient. The bar runs from
    /// `minimum` to `maximum` (nil for the range's lowest and highest values): fixed ends such as 0 and 1 make bars
    /// comparable between columns and sheets.
    case dataBar(Color, isSolid: Bool = true, minimum: Double? = nil, maximum: Double? = nil)
    /// Icons by thirds (or quarters, fifths) of the range's values, e.g. traffic lights; `isReversed` swaps
    /// the ends, `showsIconsOnly` hides the numbers.
    case iconSet(IconSet, isReversed: Bool = false, showsIconsOnly: Bool = false)
    /// `format` where the cell's value satisfies `rule`.
    case cellValue(ValueRule, format: CellFormat)
    /// `format` where `formula` is true; relative references are relative to the range's top-left cell,
    /// e.g. `=$C2>$D2` over rows 2….
    case formula(String, format: CellFormat)
}

/// A comparison of a cell's value with fixed numbers.
public enum ValueRule: Hashable, Sendable {
    /// value > the number.
    case greaterThan(Double)
    /// value ≥ the number.
    case greaterThanOrEqual(Double)
    /// value < the number.
    case lessThan(Double)
    /// value ≤ the number.
    case lessThanOrEqual(Double)
    /// value = the number.
    case equal(Double)
    /// value ≠ the number.
    case notEqual(Double)
    /// The lower number ≤ value ≤ the upper number.
    case between(Double, Double)
    /// value outside [lower, upper].
    case notBetween(Double, Double)
}

/// Excel's icon sets for ``ConditionalFormat/iconSet(_:isReversed:showsIconsOnly:)``.
public enum IconSet: Hashable, Sendable {
    /// Three traffic lights (green, amber, red), unrimmed.
    case trafficLights3
    /// Three coloured arrows.
    case arrows3
    /// Three flags.
    case flags3
    /// Three symbols (tick, exclamation, cross), circled.
    case symbols3
    /// Four traffic lights.
    case trafficLights4
    /// Five ratings bars.
    case ratings5

    var lxwValue: UInt8 {
        switch self {
        case .trafficLights3: UInt8(LXW_CONDITIONAL_ICONS_3_TRAFFIC_LIGHTS_UNRIMMED.rawValue)
        case .arrows3: UInt8(LXW_CONDITIONAL_ICONS_3_ARROWS_COLORED.rawValue)
        case .flags3: UInt8(LXW_CONDITIONAL_ICONS_3_FLAGS.rawValue)
        case .symbols3: UInt8(LXW_CONDITIONAL_ICONS_3_SYMBOLS_CIRCLED.rawValue)
        case .trafficLights4: UInt8(LXW_CONDITIONAL_ICONS_4_TRAFFIC_LIGHTS.rawValue)
        case .ratings5: UInt8(LXW_CONDITIONAL_ICONS_5_RATINGS.rawValue)
        }
    }
}

extension Worksheet {
    /// Applies `conditionalFormat` to `range`.
    /// - Throws: ``WorkbookError`` when libxlsxwriter rejects the rule (e.g. an empty formula).
    public func addConditionalFormat(_ conditionalFormat: ConditionalFormat, to range: CellRange) throws {
        let operation = "adding a conditional format"
        let (r1, c1, r2, c2) = try cells(range, operation)
        var options = lxw_conditional_format()
        func type(_ value: lxw_conditional_format_types) -> UInt8 { UInt8(value.rawValue) }
        func criteria(_ value: lxw_conditional_criteria) -> UInt8 { UInt8(value.rawValue) }
        switch conditionalFormat {
        case .twoColorScale(let minimum, let maximum):
            options.type = type(LXW_CONDITIONAL_2_COLOR_SCALE)
            options.min_color = minimum.lxwColor
            options.max_color = maximum.lxwColor
        case .threeColorScale(let minimum, let midpoint, let maximum):
            options.type = type(LXW_CONDITIONAL_3_COLOR_SCALE)
            options.min_color = minimum.lxwColor
            options.mid_color = midpoint.lxwColor
            options.max_color = maximum.lxwColor
        case .dataBar(let color, let isSolid, let minimum, let maximum):
            options.type = type(LXW_CONDITIONAL_DATA_BAR)
            options.bar_color = color.lxwColor
            options.bar_solid = isSolid ? 1 : 0
            options.bar_no_border = 1
            if let minimum {
                options.min_rule_type = UInt8(LXW_CONDITIONAL_RULE_TYPE_NUMBER.rawValue)
                options.min_value = minimum
            }
            if let maximum {
                options.max_rule_type = UInt8(LXW_CONDITIONAL_RULE_TYPE_NUMBER.rawValue)
                options.max_value = maximum
            }
        case .iconSet(let set, let isReversed, let showsIconsOnly):
            options.type = type(LXW_CONDITIONAL_TYPE_ICON_SETS)
            options.icon_style = set.lxwValue
            options.reverse_icons = isReversed ? 1 : 0
            options.icons_only = showsIconsOnly ? 1 : 0
        case .cellValue(let rule, let format):
            options.type = type(LXW_CONDITIONAL_TYPE_CELL)
            options.format = try workbook.lxwFormat(format)
            switch rule {
            case .greaterThan(let v):
                (options.criteria, options.value) = (criteria(LXW_CONDITIONAL_CRITERIA_GREATER_THAN), v)
            case .greaterThanOrEqual(let v):
                (options.criteria, options.value) = (criteria(LXW_CONDITIONAL_CRITERIA_GREATER_THAN_OR_EQUAL_TO), v)
            case .lessThan(let v):
                (options.criteria, options.value) = (criteria(LXW_CONDITIONAL_CRITERIA_LESS_THAN), v)
            case .lessThanOrEqual(let v):
                (options.criteria, options.value) = (criteria(LXW_CONDITIONAL_CRITERIA_LESS_THAN_OR_EQUAL_TO), v)
            case .equal(let v):
                (options.criteria, options.value) = (criteria(LXW_CONDITIONAL_CRITERIA_EQUAL_TO), v)
            case .notEqual(let v):
                (options.criteria, options.value) = (criteria(LXW_CONDITIONAL_CRITERIA_NOT_EQUAL_TO), v)
            case .between(let low, let high):
                options.criteria = criteria(LXW_CONDITIONAL_CRITERIA_BETWEEN)
                (options.min_value, options.max_value) = (low, high)
            case .notBetween(let low, let high):
                options.criteria = criteria(LXW_CONDITIONAL_CRITERIA_NOT_BETWEEN)
                (options.min_value, options.max_value) = (low, high)
            }
        case .formula(let formula, let format):
            options.type = type(LXW_CONDITIONAL_TYPE_FORMULA)
            options.value_string = workbook.retain(formula)
            options.format = try workbook.lxwFormat(format)
        }
        // The library gives the format its place in the workbook's table of conditional styles.
        let status = workbook.exclusively { worksheet_conditional_format_range(pointer, r1, c1, r2, c2, &options) }
        try check(status, operation, range: range)
    }
}
