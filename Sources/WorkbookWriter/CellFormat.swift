import CXlsxWriter

/// An RGB colour, written `Color(rgb: 0x005EB8)`.
public struct Color: Hashable, Sendable {
    /// The colour as `0xRRGGBB`.
    public var rgb: UInt32

    /// The colour `0xRRGGBB`; bits above 24 are ignored.
    public init(rgb: UInt32) { self.rgb = rgb & 0xFF_FFFF }

    /// Black.
    public static let black = Color(rgb: 0x000000)
    /// White.
    public static let white = Color(rgb: 0xFFFFFF)
    /// Red for warnings and negative figures (Excel's standard red).
    public static let red = Color(rgb: 0xC00000)
    /// A light red fill, Excel's "light red fill" highlight.
    public static let lightRed = Color(rgb: 0xFFC7CE)
    /// Amber.
    public static let amber = Color(rgb: 0xFFC000)
    /// A light amber fill.
    public static let lightAmber = Color(rgb: 0xFFEB9C)
    /// Green.
    public static let green = Color(rgb: 0x00B050)
    /// A light green fill.
    public static let lightGreen = Color(rgb: 0xC6EFCE)
    /// A light grey for header fills and input cells' borders.
    public static let lightGrey = Color(rgb: 0xD9D9D9)
    /// A mid grey for secondary text.
    public static let grey = Color(rgb: 0x808080)
    /// NHS Blue (NHS identity guidelines, #005EB8).
    public static let nhsBlue = Color(rgb: 0x005EB8)
    /// NHS Dark Blue (#003087).
    public static let nhsDarkBlue = Color(rgb: 0x003087)
    /// NHS Pale Grey (#E8EDEE), a background tint.
    public static let nhsPaleGrey = Color(rgb: 0xE8EDEE)
    /// A pale yellow, the usual fill of input (assumption) cells.
    public static let inputYellow = Color(rgb: 0xFFF2CC)

    /// The value libxlsxwriter expects: it reads 0 as "unset", so black has its own code.
    var lxwColor: lxw_color_t { rgb == 0 ? 0x100_0000 : lxw_color_t(rgb) }
}

/// An Excel number format such as `£#,##0;[Red]-£#,##0`, with the formats the business case uses.
public struct NumberFormat: Hashable, Sendable, ExpressibleByStringLiteral {
    /// The format code as Excel stores it (US-English separators: `,` thousands, `.` decimals).
    public var code: String

    /// The format `code`.
    public init(_ code: String) { self.code = code }

    /// The format written as a string literal.
    public init(stringLiteral code: String) { self.code = code }

    /// Whole pounds with thousands separators, negatives red with a minus: `£#,##0;[Red]-£#,##0`.
    public static let gbp = NumberFormat("£#,##0;[Red]-£#,##0")
    /// Pounds and pence: `£#,##0.00;[Red]-£#,##0.00`.
    public static let gbpPence = NumberFormat("£#,##0.00;[Red]-£#,##0.00")
    /// Whole percent: `0%` (the cell holds a fraction: 0.035 shows as 4%).
    public static let percent = NumberFormat("0%")
    /// ISO date `yyyy-mm-dd` (the cell holds an Excel serial day).
    public static let date = NumberFormat("yyyy-mm-dd")
    /// Whole numbers with thousands separators: `#,##0`.
    public static let integer = NumberFormat("#,##0")
    /// A plain year or identifier number without separators: `0`.
    public static let plainInteger = NumberFormat("0")
    /// Two decimals with thousands separators: `#,##0.00`.
    public static let decimal = NumberFormat("#,##0.00")

    /// Percent with `decimals` decimal places, e.g. `0.0%` for 1; `decimals` ≤ 0 gives `0%`.
    public static func percent(decimals: Int) -> NumberFormat {
        decimals <= 0 ? .percent : NumberFormat("0." + String(repeating: "0", count: decimals) + "%")
    }

    /// A number with `places` decimal places and thousands separators, e.g. `#,##0.000` for 3.
    public static func decimal(places: Int) -> NumberFormat {
        places <= 0 ? .integer : NumberFormat("#,##0." + String(repeating: "0", count: places))
    }
}

/// A border line style.
public enum BorderStyle: Hashable, Sendable {
    /// A thin line.
    case thin
    /// A medium line.
    case medium
    /// A thick line.
    case thick
    /// A dashed line.
    case dashed
    /// A dotted line.
    case dotted
    /// A double line (accounting totals).
    case double
    /// A hairline.
    case hair

    var lxwValue: UInt8 {
        switch self {
        case .thin: UInt8(LXW_BORDER_THIN.rawValue)
        case .medium: UInt8(LXW_BORDER_MEDIUM.rawValue)
        case .thick: UInt8(LXW_BORDER_THICK.rawValue)
        case .dashed: UInt8(LXW_BORDER_DASHED.rawValue)
        case .dotted: UInt8(LXW_BORDER_DOTTED.rawValue)
        case .double: UInt8(LXW_BORDER_DOUBLE.rawValue)
        case .hair: UInt8(LXW_BORDER_HAIR.rawValue)
        }
    }
}

/// Horizontal placement of a cell's content.
public enum HorizontalAlignment: Hashable, Sendable {
    /// Left.
    case left
    /// Centred.
    case center
    /// Right.
    case right
    /// Justified.
    case justify
    /// Centred across the selection (a merge-free title over several columns).
    case centerAcrossSelection

    var lxwValue: UInt8 {
        switch self {
        case .left: UInt8(LXW_ALIGN_LEFT.rawValue)
        case .center: UInt8(LXW_ALIGN_CENTER.rawValue)
        case .right: UInt8(LXW_ALIGN_RIGHT.rawValue)
        case .justify: UInt8(LXW_ALIGN_JUSTIFY.rawValue)
        case .centerAcrossSelection: UInt8(LXW_ALIGN_CENTER_ACROSS.rawValue)
        }
    }
}

/// Vertical placement of a cell's content.
public enum VerticalAlignment: Hashable, Sendable {
    /// Top.
    case top
    /// Centred.
    case center
    /// Bottom (Excel's default).
    case bottom

    var lxwValue: UInt8 {
        switch self {
        case .top: UInt8(LXW_ALIGN_VERTICAL_TOP.rawValue)
        case .center: UInt8(LXW_ALIGN_VERTICAL_CENTER.rawValue)
        case .bottom: UInt8(LXW_ALIGN_VERTICAL_BOTTOM.rawValue)
        }
    }
}

/// How a cell looks, as a value: the workbook turns each distinct value into one libxlsxwriter format, once.
///
/// ```swift
/// let money = CellFormat(numberFormat: .gbp)
/// let header = CellFormat(isBold: true, fontColor: .white, fillColor: .nhsBlue, isWrapped: true)
/// let total = money.bold().topBorder(.thin).bottomBorder(.double)
/// ```
public struct CellFormat: Hashable, Sendable {
    /// Bold text.
    public var isBold: Bool
    /// Italic text.
    public var isItalic: Bool
    /// Single-underlined text.
    public var isUnderlined: Bool
    /// The font name; nil keeps the workbook default (Calibri).
    public var fontName: String?
    /// The font size in points; nil keeps the default (11 pt).
    public var fontSizeInPoints: Double?
    /// The text colour; nil keeps the default (automatic, black).
    public var fontColor: Color?
    /// A solid background fill; nil for none.
    public var fillColor: Color?
    /// A border on all four sides; nil for none.
    public var border: BorderStyle?
    /// A top border, overriding ``border`` on that side.
    public var topBorder: BorderStyle?
    /// A bottom border, overriding ``border`` on that side.
    public var bottomBorder: BorderStyle?
    /// The colour of every border; nil for automatic (black).
    public var borderColor: Color?
    /// Horizontal alignment; nil for Excel's general alignment (text left, numbers right).
    public var horizontalAlignment: HorizontalAlignment?
    /// Vertical alignment; nil for bottom.
    public var verticalAlignment: VerticalAlignment?
    /// Text wraps within the cell.
    public var isWrapped: Bool
    /// Indent in levels (one level is about three characters' width), 0 for none.
    public var indentLevels: Int
    /// Text rotation in degrees, -90…90; 0 for none.
    public var rotationInDegrees: Int
    /// The number format; nil for General.
    public var numberFormat: NumberFormat?
    /// The cell is unlocked, so it stays editable when the sheet is protected (assumption inputs).
    public var isUnlocked: Bool

    /// A format with the given properties; every argument defaults to Excel's default.
    public init(
        numberFormat: NumberFormat? = nil,
        isBold: Bool = false,
        isItalic: Bool = false,
        isUnderlined: Bool = false,
        fontName: String? = nil,
        fontSizeInPoints: Double? = nil,
        fontColor: Color? = nil,
        fillColor: Color? = nil,
        border: BorderStyle? = nil,
        topBorder: BorderStyle? = nil,
        bottomBorder: BorderStyle? = nil,
        borderColor: Color? = nil,
        horizontalAlignment: HorizontalAlignment? = nil,
        verticalAlignment: VerticalAlignment? = nil,
        isWrapped: Bool = false,
        indentLevels: Int = 0,
        rotationInDegrees: Int = 0,
        isUnlocked: Bool = false
    ) {
        self.numberFormat = numberFormat
        self.isBold = isBold
        self.isItalic = isItalic
        self.isUnderlined = isUnderlined
        self.fontName = fontName
        self.fontSizeInPoints = fontSizeInPoints
        self.fontColor = fontColor
        self.fillColor = fillColor
        self.border = border
        self.topBorder = topBorder
        self.bottomBorder = bottomBorder
        self.borderColor = borderColor
        self.horizontalAlignment = horizontalAlignment
        self.verticalAlignment = verticalAlignment
        self.isWrapped = isWrapped
        self.indentLevels = indentLevels
        self.rotationInDegrees = rotationInDegrees
        self.isUnlocked = isUnlocked
    }

    /// Excel's default look (General, Calibri 11).
    public static let plain = CellFormat()
    /// Bold text.
    public static let bold = CellFormat(isBold: true)

    /// This format in bold.
    public func bold() -> CellFormat { with { $0.isBold = true } }
    /// This format in italic.
    public func italic() -> CellFormat { with { $0.isItalic = true } }
    /// This format with number format `format`.
    public func numberFormat(_ format: NumberFormat) -> CellFormat { with { $0.numberFormat = format } }
    /// This format with text colour `color`.
    public func fontColor(_ color: Color) -> CellFormat { with { $0.fontColor = color } }
    /// This format with a solid `color` fill.
    public func fill(_ color: Color) -> CellFormat { with { $0.fillColor = color } }
    /// This format with a `style` border on all sides.
    public func border(_ style: BorderStyle) -> CellFormat { with { $0.border = style } }
    /// This format with a `style` top border.
    public func topBorder(_ style: BorderStyle) -> CellFormat { with { $0.topBorder = style } }
    /// This format with a `style` bottom border.
    public func bottomBorder(_ style: BorderStyle) -> CellFormat { with { $0.bottomBorder = style } }
    /// This format with wrapped text.
    public func wrapped() -> CellFormat { with { $0.isWrapped = true } }
    /// This format aligned `horizontal`.
    public func aligned(_ horizontal: HorizontalAlignment) -> CellFormat {
        with { $0.horizontalAlignment = horizontal }
    }
    /// This format aligned `vertical`.
    public func aligned(_ vertical: VerticalAlignment) -> CellFormat { with { $0.verticalAlignment = vertical } }
    /// This format indented by `levels`.
    public func indented(_ levels: Int) -> CellFormat { with { $0.indentLevels = levels } }
    /// This format at `points` font size.
    public func fontSize(_ points: Double) -> CellFormat { with { $0.fontSizeInPoints = points } }
    /// This format left editable on a protected sheet.
    public func unlocked() -> CellFormat { with { $0.isUnlocked = true } }

    private func with(_ change: (inout CellFormat) -> Void) -> CellFormat {
        var copy = self
        change(&copy)
        return copy
    }

    /// Whether two formats are the same: every property compared, those that most often differ between the
    /// formats of one sheet first, so that telling formats apart (once per cell written) is quick.
    public static func == (lhs: CellFormat, rhs: CellFormat) -> Bool {
        lhs.numberFormat == rhs.numberFormat && lhs.horizontalAlignment == rhs.horizontalAlignment
            && lhs.isWrapped == rhs.isWrapped && lhs.isBold == rhs.isBold && lhs.indentLevels == rhs.indentLevels
            && lhs.verticalAlignment == rhs.verticalAlignment && lhs.fillColor == rhs.fillColor
            && lhs.fontColor == rhs.fontColor && lhs.isItalic == rhs.isItalic && lhs.border == rhs.border
            && lhs.topBorder == rhs.topBorder && lhs.bottomBorder == rhs.bottomBorder
            && lhs.borderColor == rhs.borderColor && lhs.isUnderlined == rhs.isUnderlined
            && lhs.fontSizeInPoints == rhs.fontSizeInPoints && lhs.fontName == rhs.fontName
            && lhs.rotationInDegrees == rhs.rotationInDegrees && lhs.isUnlocked == rhs.isUnlocked
    }

    /// Sets every property of this value on the libxlsxwriter format `format`.
    func apply(to format: UnsafeMutablePointer<lxw_format>) {
        if isBold { format_set_bold(format) }
        if isItalic { format_set_italic(format) }
        if isUnderlined { format_set_underline(format, UInt8(LXW_UNDERLINE_SINGLE.rawValue)) }
        if let fontName { format_set_font_name(format, fontName) }
        if let fontSizeInPoints { format_set_font_size(format, fontSizeInPoints) }
        if let fontColor { format_set_font_color(format, fontColor.lxwColor) }
        if let fillColor {
            format_set_pattern(format, UInt8(LXW_PATTERN_SOLID.rawValue))
            format_set_bg_color(format, fillColor.lxwColor)
        }
        if let border { format_set_border(format, border.lxwValue) }
        if let topBorder { format_set_top(format, topBorder.lxwValue) }
        if let bottomBorder { format_set_bottom(format, bottomBorder.lxwValue) }
        if let borderColor { format_set_border_color(format, borderColor.lxwColor) }
        if let horizontalAlignment { format_set_align(format, horizontalAlignment.lxwValue) }
        if let verticalAlignment { format_set_align(format, verticalAlignment.lxwValue) }
        if isWrapped { format_set_text_wrap(format) }
        if indentLevels > 0 { format_set_indent(format, UInt8(clamping: indentLevels)) }
        if rotationInDegrees != 0 { format_set_rotation(format, Int16(clamping: rotationInDegrees)) }
        if let numberFormat { format_set_num_format(format, numberFormat.code) }
        if isUnlocked { format_set_unlocked(format) }
    }
}
