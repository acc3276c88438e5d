import FleetCore

/// The rows an import inserted, for an SQLite register's history, packed into one blob per import (the
/// `register_insertion` table) instead of one `register_change` row each: a national feed inserts hundreds of
/// thousands of rows, and a row each, with its two indexes, was two fifths of the import's time.
///
/// Each insertion is three unsigned LEB128 numbers: its position among the import's changes (as the gap from the
/// previous insertion's), its asset (0 for the previous insertion's asset, else the identifier's UTF-8 length + 1
/// followed by those bytes), and its month (0 for none, else the zigzag-coded ordinal + 1). The changed fields of
/// rows that were updated stay in `register_change` with their positions, so the history puts the two back in the
/// order of the file.
struct InsertionLog {
    /// The encoded insertions.
    private(set) var bytes: [UInt8] = []
    /// Insertions appended.
    private(set) var count = 0
    private var lastPosition = -1
    private var lastAsset: AssetID?

    /// An empty log with room for about `capacity` insertions.
    init(reservingCapacity capacity: Int = 0) { bytes.reserveCapacity(capacity * 3) }

    /// Adds the insertion at `position` (greater than the last one's) of the row of `assetID` and `month`.
    mutating func append(position: Int, assetID: AssetID, month: YearMonth?) {
        Self.write(UInt64(position - lastPosition), to: &bytes)
        lastPosition = position
        if let lastAsset, lastAsset == assetID {
            bytes.append(0)
        } else {
            var text = assetID.rawValue
            text.withUTF8 { utf8 in
                Self.write(UInt64(utf8.count) + 1, to: &bytes)
                bytes.append(contentsOf: utf8)
            }
            lastAsset = assetID
        }
        if let month {
            let ordinal = Int64(month.ordinal)
            Self.write(UInt64(bitPattern: (ordinal << 1) ^ (ordinal >> 63)) + 1, to: &bytes)
        } else {
            bytes.append(0)
        }
        count += 1
    }

    /// The insertions of `bytes` as (position, change) pairs in order; with `assetID`, only that asset's. Nil when the
    /// bytes are not a log this type wrote.
    static func decode(_ bytes: [UInt8], only assetID: AssetID? = nil) -> [(position: Int, change: RegisterChange)]? {
        var entries: [(position: Int, change: RegisterChange)] = []
        var index = 0
        var position = -1
        var asset: AssetID?
        var wanted = false
        while index < bytes.count {
            guard let gap = read(bytes, &index), gap > 0, let tag = read(bytes, &index) else { return nil }
            position += Int(gap)
            if tag > 0 {
                let length = Int(tag - 1)
                guard length <= bytes.count - index else { return nil }
                asset = AssetID(String(decoding: bytes[index..<index + length], as: UTF8.self))
                index += length
                wanted = assetID == nil || asset == assetID
            }
            guard let asset, let monthTag = read(bytes, &index) else { return nil }
            guard wanted else { continue }
            var month: YearMonth?
            if monthTag > 0 {
                let zigzag = monthTag - 1
                month = YearMonth(ordinal: Int(Int64(bitPattern: zigzag >> 1) ^ -Int64(bitPattern: zigzag & 1)))
            }
            entries.append((position, RegisterChange(assetID: asset, month: month)))
        }
        return entries
    }

    private static func write(_ value: UInt64, to bytes: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    private static func read(_ bytes: [UInt8], _ index: inout Int) -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while index < bytes.count, shift < 64 {
            let byte = bytes[index]
            index += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
        return nil
    }
}
