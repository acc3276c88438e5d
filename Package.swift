// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "ImagingFleet",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "fleet", targets: ["fleet"])
    ],
    // The PostgreSQL backend of the shared register is a trait, off by default: postgres-nio (with SwiftNIO,
    // swift-crypto and swift-nio-ssl) adds minutes to a first build that a one-trust SQLite register does not need.
    // `swift build --traits Postgres` (and the README's test command) turns it on.
    traits: [
        .trait(
            name: "Postgres",
            description: "The shared register on PostgreSQL (--db postgres://…), through postgres-nio."
        )
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.0"),
    ],
    targets: [
        // C libraries, each in a system-library target of its own.
        .systemLibrary(name: "CXlsxWriter", pkgConfig: "xlsxwriter", providers: [.apt(["libxlsxwriter-dev"])]),
        .systemLibrary(name: "CCbc", pkgConfig: "cbc", providers: [.apt(["coinor-libcbc-dev"])]),
        // OpenSSL's libcrypto, for the SHA-256 of each imported file (the processor's SHA extensions where it has them).
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        // SQLite itself, for the one process-wide setting GRDB does not make (see SQLiteConfiguration).
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),

        // Domain values, dates, money, CSV and field parsing, input errors, the equipment catalog.
        .target(name: "FleetCore", dependencies: [.product(name: "TOMLKit", package: "TOMLKit")]),
        // The asset register: SQLite storage through GRDB, CSV/XLSX imports.
        .target(
            name: "FleetRegister",
            dependencies: [
                "CCrypto", "CSQLite", "FleetCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        // The register on PostgreSQL, with row-level security per trust; built only with the Postgres trait (without
        // it the module says so, and every other backend works).
        .target(
            name: "FleetRegisterPostgres",
            dependencies: [
                "FleetCore", "FleetRegister",
                .product(name: "PostgresNIO", package: "postgres-nio", condition: .when(traits: ["Postgres"])),
            ]
        ),
        // Replacement priority, bands, economic life, age profile: pure, no I/O.
        .target(name: "FleetPriority", dependencies: ["FleetCore", .product(name: "TOMLKit", package: "TOMLKit")]),
        // Drives CBC's CbcModel directly from C++ behind a plain C function: CBC 2.10's C interface runs every
        // solve through CbcMain1, whose command parsing shares global state, so concurrent solves through it fail.
        .target(name: "CbcBridge", dependencies: ["CCbc"]),
        // A small mixed-integer programming layer over COIN-OR CBC.
        .target(name: "MILP", dependencies: ["CbcBridge"]),
        // Procurement scenarios, the joint-procurement model, coalitions and savings allocation.
        .target(
            name: "FleetProcurement",
            dependencies: ["FleetCore", "MILP", .product(name: "TOMLKit", package: "TOMLKit")]
        ),
        // A Swift layer over libxlsxwriter.
        .target(name: "WorkbookWriter", dependencies: ["CXlsxWriter", "FleetCore"]),
        // The business-case workbook.
        .target(
            name: "FleetReport",
            dependencies: ["FleetCore", "FleetPriority", "FleetProcurement", "WorkbookWriter"]
        ),
        // Deterministic synthetic registers and utilisation feeds at national scale.
        .target(name: "FleetSynthetic", dependencies: ["FleetCore"]),
        // The pipeline that joins the stages: scenario derivation from the ranking, the business case, the demo.
        .target(
            name: "FleetPipeline",
            dependencies: [
                "FleetCore", "FleetRegister", "FleetPriority", "FleetProcurement", "FleetReport",
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        // The command line: parses arguments and calls the libraries.
        .executableTarget(
            name: "fleet",
            dependencies: [
                "FleetCore", "FleetRegister", "FleetRegisterPostgres", "FleetPriority", "FleetProcurement",
                "FleetReport", "FleetSynthetic",
                "FleetPipeline", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Benchmarks that print figures (import, ranking, workbook, solver, pipeline); never timed tests.
        .executableTarget(
            name: "fleet-bench",
            dependencies: [
                "FleetCore", "FleetRegister", "FleetPriority", "FleetProcurement", "FleetReport", "FleetSynthetic",
                "FleetPipeline", "WorkbookWriter",
            ],
            path: "Benchmarks/fleet-bench"
        ),

        // Shared test helpers: runs scripts/xlsx-check (LibreOffice, openpyxl) on a workbook.
        .target(name: "FleetTestSupport", path: "Tests/FleetTestSupport"),
        .testTarget(name: "FleetCoreTests", dependencies: ["FleetCore"]),
        .testTarget(
            name: "FleetRegisterTests",
            dependencies: [
                "FleetRegister", "FleetRegisterPostgres", "FleetTestSupport", "WorkbookWriter",
                // To edit a register by hand, as a user might, and see the store refuse what fleet does not write.
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        .testTarget(name: "FleetPriorityTests", dependencies: ["FleetPriority"]),
        .testTarget(name: "MILPTests", dependencies: ["MILP", "CCbc"]),
        .testTarget(name: "FleetProcurementTests", dependencies: ["FleetProcurement"]),
        .testTarget(name: "WorkbookWriterTests", dependencies: ["WorkbookWriter", "FleetCore", "FleetTestSupport"]),
        .testTarget(name: "FleetReportTests", dependencies: ["FleetReport", "FleetTestSupport"]),
        .testTarget(name: "FleetSyntheticTests", dependencies: ["FleetSynthetic"]),
        .testTarget(name: "FleetPipelineTests", dependencies: ["FleetPipeline", "FleetTestSupport"]),
        // A test-only import that holds before its commit (a hook passed to the store) for the kill tests.
        .executableTarget(
            name: "fleet-fault-import",
            dependencies: ["FleetRegister", "FleetRegisterPostgres"],
            path: "Tests/FleetFaultImport"
        ),
        .testTarget(
            name: "FleetCLITests",
            dependencies: ["fleet", "FleetCore", "fleet-fault-import", "FleetRegisterPostgres", "FleetTestSupport"]
        ),
        // Seeded fuzzing of every reader of user files, with a replayed corpus of cases that once failed.
        .testTarget(
            name: "FleetFuzzTests",
            dependencies: [
                "FleetCore", "FleetRegister", "FleetPriority", "FleetProcurement", "FleetPipeline", "WorkbookWriter",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            exclude: ["Fixtures"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
