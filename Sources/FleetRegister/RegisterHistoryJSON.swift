import FleetCore
import Foundation

extension RegisterImportRecord {
    /// `records` as `fleet history --format json` prints them: the bytes `JSONEncoder` gives the array, pretty-printed
    /// with sorted keys and slashes unescaped, handed to `write` a megabyte at a time instead of encoded whole. An
    /// import of a national feed inserts hundreds of thousands of rows: encoded whole, the history of a register of
    /// 20,000 units and its 433,704-row feed took 458 MB and 2.5 s (2026-12-07).
    ///
    /// The text ends without a line end, as `JSONEncoder`'s does.
    /// - Throws: what `write` throws.
    public static func writeJSON(_ records: [RegisterImportRecord], to write: (Data) throws -> Void) throws {
        try withoutActuallyEscaping(write) { try writeJSON(records, into: JSONText(write: $0)) }
    }

    private static func writeJSON(_ records: [RegisterImportRecord], into text: consuming JSONText) throws {
        try text.append("[\n")
        if records.isEmpty { try text.append("\n") }
        for (number, record) in records.enumerated() {
            try text.append("  {\n    \"at\" : ")
            try text.append(quoted: record.at)
            try text.append(",\n    \"changes\" : [\n")
            if record.changes.isEmpty { try text.append("\n") }
            for (position, change) in record.changes.enumerated() {
                try text.append("      {\n        \"asset_id\" : ")
                try text.append(quoted: change.assetID.rawValue)
                try text.append(
                    change.isInsertion ? ",\n        \"change\" : \"inserted\"" : ",\n        \"change\" : \"updated\""
                )
                try text.append(",\n        \"field\" : ")
                try text.append(quoted: change.field)
                try text.append(",\n        \"month\" : ")
                try text.append(quoted: change.month?.description)
                try text.append(",\n        \"new\" : ")
                try text.append(quoted: change.new)
                try text.append(",\n        \"old\" : ")
                try text.append(quoted: change.old)
                try text.append(position == record.changes.count - 1 ? "\n      }\n" : "\n      },\n")
            }
            try text.append("    ],\n    \"file\" : ")
            try text.append(quoted: record.file)
            try text.append(",\n    \"id\" : \(record.id),\n    \"inserted\" : \(record.inserted),\n    \"kind\" : ")
            try text.append(quoted: record.kind.rawValue)
            try text.append(",\n    \"sha256\" : ")
            try text.append(quoted: record.sha256)
            try text.append(",\n    \"updated\" : \(record.updated),\n    \"who\" : ")
            try text.append(quoted: record.who)
            try text.append(number == records.count - 1 ? "\n  }\n" : "\n  },\n")
        }
        try text.append("]")
        try text.flush()
    }
}

/// JSON text gathered in a buffer and handed on a megabyte at a time.
private struct JSONText {
    let write: (Data) throws -> Void
    private var buffer: [UInt8] = []
    private static let hexDigits = Array("0123456789abcdef".utf8)

    init(write: @escaping (Data) throws -> Void) {
        self.write = write
        buffer.reserveCapacity(1 << 20)
    }

    mutating func append(_ literal: String) throws {
        buffer.append(contentsOf: literal.utf8)
        if buffer.count >= 1 << 20 { try flush() }
    }

    /// `value` as a JSON string, escaped as `JSONEncoder` escapes (`\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t`, other
    /// control characters as `\u00xx`, everything else as it is); `null` for nil.
    mutating func append(quoted value: String?) throws {
        guard let value else { return try append("null") }
        buffer.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): buffer.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): buffer.append(contentsOf: #"\\"#.utf8)
            case 0x08: buffer.append(contentsOf: #"\b"#.utf8)
            case 0x09: buffer.append(contentsOf: #"\t"#.utf8)
            case 0x0A: buffer.append(contentsOf: #"\n"#.utf8)
            case 0x0C: buffer.append(contentsOf: #"\f"#.utf8)
            case 0x0D: buffer.append(contentsOf: #"\r"#.utf8)
            case 0..<0x20:
                buffer.append(contentsOf: #"\u00"#.utf8)
                buffer.append(Self.hexDigits[Int(byte >> 4)])
                buffer.append(Self.hexDigits[Int(byte & 0x0F)])
            default: buffer.append(byte)
            }
        }
        buffer.append(UInt8(ascii: "\""))
        if buffer.count >= 1 << 20 { try flush() }
    }

    mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        try write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }
}
