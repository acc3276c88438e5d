import Foundation
import Testing

@Suite("fleet command line")
struct HelpTests {
    @Test func helpListsEveryCommandAndExitsZero() throws {
        let run = try runFleet(["--help"], in: try makeTemporaryDirectory())
        #expect(run.status == 0)
        for command in ["demo", "import", "register", "rank", "age-profile", "scenario", "procure", "report"] {
            #expect(run.stdout.contains(command), "help does not mention \(command)")
        }
    }

    @Test func unknownOptionIsAUsageError() throws {
        let run = try runFleet(["register", "--no-such-option"], in: try makeTemporaryDirectory())
        #expect(run.status == 1)
        #expect(run.stderr.contains("no-such-option"))
    }
}
