/// A string identifier tagged with what it identifies, so that an asset id cannot be passed where a trust
/// belongs (the idea of pointfreeco/swift-tagged, in the few lines this package needs).
public struct Identifier<Tag>: RawRepresentable, Hashable, Comparable, Sendable, Codable,
    ExpressibleByStringLiteral, CustomStringConvertible
{
    /// The identifier as written in the user's files.
    public let rawValue: String

    /// Wraps `rawValue` as it is; callers trim user input before they get here.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Wraps `rawValue` as it is.
    public init(_ rawValue: String) { self.rawValue = rawValue }

    /// Wraps a literal, for tests and fixed names.
    public init(stringLiteral value: String) { self.rawValue = value }

    /// Decodes from a plain JSON string.
    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    /// Encodes as a plain JSON string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// The identifier as written.
    public var description: String { rawValue }

    /// Orders identifiers by their text, so listings are stable.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Tags for ``Identifier``.
public enum AssetTag: Sendable {}
/// Tags a trust (an NHS organisation that owns equipment).
public enum TrustTag: Sendable {}
/// Tags a site of a trust (a hospital or community diagnostic centre).
public enum SiteTag: Sendable {}
/// Tags an imaging network (a group of trusts that plan and buy together).
public enum NetworkTag: Sendable {}
/// Tags a supplier in a procurement scenario.
public enum SupplierTag: Sendable {}
/// Tags an equipment class such as `CT-128` or `MR-1.5T`.
public enum EquipmentClassTag: Sendable {}

/// The register's identifier of one installed unit.
public typealias AssetID = Identifier<AssetTag>
/// The name of a trust.
public typealias TrustName = Identifier<TrustTag>
/// The name of a site.
public typealias SiteName = Identifier<SiteTag>
/// The name of an imaging network.
public typealias NetworkName = Identifier<NetworkTag>
/// The name of a supplier.
public typealias SupplierName = Identifier<SupplierTag>
/// The name of an equipment class.
public typealias EquipmentClassName = Identifier<EquipmentClassTag>
