import Foundation

/// What `python3 -c script arguments…` printed to its standard output, with `input` on its standard input: the
/// tests' way of reading fleet's output with readers nobody here wrote (csv, sqlite3, hashlib, openpyxl).
public func runPython(_ script: String, arguments: [String] = [], input: String? = nil) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script] + arguments
    let output = Pipe()
    process.standardOutput = output
    let standardInput = input.map { _ in Pipe() }
    if let standardInput { process.standardInput = standardInput }
    try process.run()
    if let standardInput, let input {
        // Written from another thread, so a large output cannot block the child while it is still reading.
        let writer = standardInput.fileHandleForWriting
        let bytes = Data(input.utf8)
        DispatchQueue.global().async {
            writer.write(bytes)
            try? writer.close()
        }
    }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}

/// The SHA-256 of the file at `url` by Python's hashlib (a hash nobody here wrote), in lowercase hexadecimal.
public func pythonSHA256(_ url: URL) throws -> String {
    try runPython(
        "import hashlib,sys; print(hashlib.sha256(open(sys.argv[1],'rb').read()).hexdigest())",
        arguments: [url.path]
    ).trimmingCharacters(in: .whitespacesAndNewlines)
}
