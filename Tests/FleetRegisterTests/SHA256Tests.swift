import FleetTestSupport
import Foundation
import Testing

@testable import FleetRegister

@Suite("SHA-256 of imported files")
struct SHA256Tests {
    /// FIPS 180-4's examples (one block, two blocks) and the empty message.
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
    ])
    func publishedExamples(message: String, digest: String) {
        #expect(SHA256.hex(of: Data(message.utf8)) == digest)
    }

    /// Lengths around the padding boundaries (55, 56, 63, 64 bytes…) and a file read in chunks, against Python's
    /// hashlib.
    @Test func agreesWithPythonsHashlib() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sha-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var generator = SystemRandomNumberGenerator()
        for length in [1, 55, 56, 57, 63, 64, 65, 119, 120, 1_000, (1 << 20) + 17] {
            let bytes = Data((0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) })
            let file = folder.appendingPathComponent("\(length).bin")
            try bytes.write(to: file)
            let expected = try pythonSHA256(file)
            #expect(SHA256.hex(of: bytes) == expected, "length \(length)")
            #expect(try SHA256.hex(ofFileAt: file) == expected, "length \(length), from the file")
        }
    }
}
