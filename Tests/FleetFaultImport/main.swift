import FleetCore
import FleetRegister
import Foundation

// A test-only `fleet import register|utilisation`, built for FleetCLITests and never shipped: once every row of the
// import is in its transaction and sent to the database, just before the commit, it creates the marker file and
// waits there for ever, so that a test can kill it at the worst moment and check that the register is as it was
// (FaultCommandTests). The hold is a hook passed to the store (RegisterWriteHooks), so no production code reads a
// test switch.
//
//   fleet-fault-import MARKER DB register|utilisation FILE

let arguments = CommandLine.arguments
guard arguments.count == 5, ["register", "utilisation"].contains(arguments[3]) else {
    FileHandle.standardError.write(Data("usage: fleet-fault-import MARKER DB register|utilisation FILE\n".utf8))
    exit(1)
}
let (marker, location, kind, file) = (arguments[1], arguments[2], arguments[3], arguments[4])
let hooks = RegisterWriteHooks(beforeCommit: {
    FileManager.default.createFile(atPath: marker, contents: Data())
    while true { sleep(3600) }
})
do {
    let store = try openFaultStore(location, hooks: hooks)
    let url = URL(fileURLWithPath: file)
    let summary =
        kind == "register"
        ? try RegisterImport.importRegister(file: url, displayName: file, into: store)
        : try RegisterImport.importUtilisation(
            file: url,
            displayName: file,
            into: store,
            today: RegisterImport.currentDay()
        )
    FileHandle.standardError.write(Data("\(summary)\n".utf8))
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(4)
}
