import FleetCore
import Foundation

/// The size and seed of a synthetic register.
public struct SyntheticRegisterSpecification: Sendable, Hashable {
    /// Trusts in all (England has about 200).
    public var trustCount: Int
    /// Imaging networks the trusts are grouped into (England has about 40).
    public var networkCount: Int
    /// Installed units in all (England has some 20,000 across all modalities).
    public var assetCount: Int
    /// Months of utilisation per in-service unit, ending with `lastMonth`.
    public var monthCount: Int
    /// The last month of the utilisation feed.
    public var lastMonth: YearMonth
    /// The seed: the same specification always gives the same files.
    public var seed: UInt64

    /// A specification with every figure given.
    public init(
        trustCount: Int,
        networkCount: Int,
        assetCount: Int,
        monthCount: Int,
        lastMonth: YearMonth,
        seed: UInt64
    ) {
        self.trustCount = trustCount
        self.networkCount = networkCount
        self.assetCount = assetCount
        self.monthCount = monthCount
        self.lastMonth = lastMonth
        self.seed = seed
    }
}

/// Writes a deterministic synthetic register and utilisation feed, in the spec's file formats, with
/// distributions taken from the public figures in REFERENCE.md.
public struct SyntheticRegister: Sendable {
    /// The modality mix of an all-modality installed base. CT (675) and MRI (587) units are about 6 % of some
    /// 20,000 in England (National Imaging Data Collection 2023); the rest is an estimate led by X-ray and
    /// ultrasound, which make up most of the count.
    static let modalityMix: [(Modality, Double)] = [
        (.xr, 37), (.us, 36), (.ct, 3.4), (.mr, 2.9), (.mg, 6), (.fl, 5), (.ir, 4), (.dexa, 2.5), (.nm, 2),
        (.petct, 0.6),
    ]

    /// The share of units by completed years of age, by modality: CT 14 % and MRI 34 % aged 10 or more (2019
    /// national strategy); CT 55 % over 5 (AXREM 2017); X-ray has a long tail (single units of 44 years seen).
    static func ageBands(for modality: Modality) -> [(ClosedRange<Double>, Double)] {
        switch modality {
        case .mr: [(0...5, 0.40), (5...10, 0.27), (10...16, 0.30), (16...21, 0.03)]
        case .ct: [(0...5, 0.45), (5...10, 0.41), (10...14, 0.12), (14...16, 0.02)]
        case .xr: [(0...5, 0.38), (5...10, 0.34), (10...18, 0.22), (18...44, 0.06)]
        default: [(0...5, 0.42), (5...10, 0.36), (10...15, 0.18), (15...22, 0.04)]
        }
    }

    /// The specification.
    public let specification: SyntheticRegisterSpecification
    /// The equipment classes to draw from (prices, life and throughput come from the catalog).
    public let catalog: EquipmentCatalog

    /// A generator for `specification` over `catalog`.
    public init(specification: SyntheticRegisterSpecification, catalog: EquipmentCatalog) {
        self.specification = specification
        self.catalog = catalog
    }

    /// Writes `register.csv` and `utilisation.csv` into `directory`, each through a temporary file renamed
    /// into place.
    /// - Returns: the number of register and utilisation rows written.
    /// - Throws: ``FileFailure`` when a file cannot be written.
    @discardableResult
    public func write(to directory: URL) throws -> (assets: Int, utilisationRecords: Int) {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let registerWriter = try LineWriter(url: directory.appendingPathComponent("register.csv"))
        let feedWriter = try LineWriter(url: directory.appendingPathComponent("utilisation.csv"))
        try registerWriter.append(CSV.line(SyntheticRegister.registerColumns))
        try feedWriter.append(CSV.line(SyntheticRegister.utilisationColumns))
        let written = try forEachRow(
            register: { try registerWriter.append(CSV.line($0)) },
            utilisation: { try feedWriter.append(CSV.line($0)) }
        )
        try registerWriter.finish()
        try feedWriter.finish()
        return written
    }

    /// Produces the rows of the register and its utilisation feed in the files' column order
    /// (``registerColumns``, ``utilisationColumns``), without writing anything: each unit's row, then its months.
    /// - Returns: the number of register and utilisation rows produced.
    @discardableResult
    public func forEachRow(
        register: ([String]) throws -> Void,
        utilisation: ([String]) throws -> Void
    ) rethrows
        -> (assets: Int, utilisationRecords: Int)
    {
        var rng = SplitMix64(seed: specification.seed)
        let trusts = makeTrusts(using: &rng)
        let asOf = specification.lastMonth.adding(months: 1).firstDay
        var records = 0
        for index in 0..<specification.assetCount {
            let trust = rng.weighted(trusts.map { ($0, $0.size) })
            let asset = makeAsset(number: index + 1, trust: trust, asOf: asOf, using: &rng)
            try register(asset.fields)
            guard asset.isInService else { continue }
            for offset in stride(from: specification.monthCount, through: 1, by: -1) {
                let month = specification.lastMonth.adding(months: 1 - offset)
                guard month >= asset.installMonth else { continue }
                // Demand growth month on month, centred on the middle of the last 12 months (the window the
                // priority model and capacity read): that year keeps its level, earlier months are lower.
                let growth = pow(1 + SyntheticRegister.demandGrowth(asset.modality), (5.5 - Double(offset - 1)) / 12)
                try utilisation(asset.month(month, growth: growth, using: &rng))
                records += 1
            }
        }
        return (specification.assetCount, records)
    }

    /// Demand growth a year by modality (REFERENCE.md "Demand and capacity"): GIRFT radiology 2012–2019, CT about
    /// 10 % and MRI about 9.5 % a year; non-obstetric ultrasound 5.3 % (secondary source); imaging overall about
    /// 6 % (CRUK 2015) for the rest — the figures of `Catalog/capacity.toml` and the demo network.
    public static func demandGrowth(_ modality: Modality) -> Double {
        switch modality {
        case .ct: 0.10
        case .mr: 0.095
        case .us: 0.053
        default: 0.06
        }
    }

    /// The catalog's trailer-mounted classes, which capacity planning adds as shared mobile units: left out of the
    /// generated fleet (whose mobile units are the ordinary classes on a trailer, as in the demo), so that adding
    /// them to the catalog leaves the classes a seed generates as they were.
    public static let trailerClasses: Set<EquipmentClassName> = ["CT-MOBILE", "MR-MOBILE"]

    /// The columns of `register.csv`, in the order written.
    public static let registerColumns = [
        "asset_id", "network", "trust", "site", "modality", "class", "manufacturer", "model", "mobile", "install_date",
        "replacement_cost_gbp", "service_cost_gbp_per_year", "end_of_support", "criticality", "status", "notes",
    ]
    /// The columns of `utilisation.csv`, in the order written.
    public static let utilisationColumns = [
        "asset_id", "month", "scans", "available_hours", "downtime_hours", "breakdowns", "service_cost_gbp",
    ]

    private struct Trust {
        var name: String
        var network: String
        var sites: [String]
        var size: Double
    }

    private func makeTrusts(using rng: inout SplitMix64) -> [Trust] {
        let places = [
            "Ashby", "Barrow", "Carlton", "Dunmore", "Eastleigh", "Fernhill", "Glenmoor", "Hartwell", "Ingleby",
            "Kingsmead", "Langley", "Marston", "Northfield", "Oakham", "Pendle", "Queensbury", "Redmere", "Stanton",
            "Thornbury", "Upton", "Valebridge", "Whitmore", "Yarwood", "Ashcombe", "Bramley", "Coldwell", "Denby",
        ]
        let networks = max(1, specification.networkCount)
        return (0..<max(1, specification.trustCount)).map { index in
            let place = places[index % places.count] + (index >= places.count ? " \(index / places.count + 1)" : "")
            let siteCount = Int(rng.uniform(2...5.99))
            var sites = ["\(place) General Hospital"]
            if siteCount > 1 { sites.append("\(place) Community Diagnostic Centre") }
            for extra in 2..<max(2, siteCount) {
                sites.append("\(place) \(["North", "South", "West", "East"][extra % 4]) Hospital")
            }
            return Trust(
                name: "\(place) Hospitals NHS Trust",
                network: "Imaging Network \(index % networks + 1)",
                sites: sites,
                size: rng.uniform(0.5...2.0)
            )
        }
    }

    private struct SyntheticAsset {
        var fields: [String]
        var isInService: Bool
        var installMonth: YearMonth
        var id: String
        var modality: Modality
        var scansPerHour: Double
        var availableHoursPerMonth: Double
        var utilisation: Double
        var ageYears: Double
        var monthlyServiceGBP: Double
        var downtimeShare: Double

        func month(_ month: YearMonth, growth: Double, using rng: inout SplitMix64) -> [String] {
            let available = (availableHoursPerMonth * rng.uniform(0.92...1.0)).rounded()
            let breakdowns = rng.chance(min(0.9, downtimeShare * 8)) ? Int(rng.uniform(1...3.99)) : 0
            let downtime = breakdowns == 0 ? 0 : (available * downtimeShare * rng.uniform(0.5...1.8)).rounded()
            let scans = Int(
                (max(0, available - downtime) * scansPerHour * utilisation * growth * rng.uniform(0.9...1.1)).rounded()
            )
            let repairs = Double(breakdowns) * rng.uniform(500...4000)
            let service = (monthlyServiceGBP + repairs).rounded()
            return [
                id, month.description, String(scans), String(Int(available)), String(Int(min(downtime, available))),
                String(breakdowns), String(Int(service)),
            ]
        }
    }

    private func makeAsset(number: Int, trust: Trust, asOf: Day, using rng: inout SplitMix64) -> SyntheticAsset {
        let modality = rng.weighted(SyntheticRegister.modalityMix)
        let classes = catalog.classes.filter {
            $0.modality == modality && !SyntheticRegister.trailerClasses.contains($0.name)
        }
        let equipmentClass = classes.isEmpty ? nil : classes[Int(rng.uniform(0...Double(classes.count) - 0.001))]
        let ageBand = rng.weighted(SyntheticRegister.ageBands(for: modality))
        let ageYears = rng.uniform(ageBand)
        let installDate = asOf.adding(days: -Int(ageYears * 365.25) - 1)
        let isMobile = (modality == .ct || modality == .mr) && rng.chance(0.12)
        let price = (equipmentClass?.replacementCostGBP.pounds ?? 100_000) * rng.uniform(0.85...1.15)
        let service = price * rng.uniform(0.08...0.12)
        let endOfSupport = rng.chance(0.8) ? installDate.adding(years: Int(rng.uniform(10...13.99))).iso : ""
        let critical: Set<Modality> = [.ct, .mr, .ir, .petct]
        let criticality = critical.contains(modality) ? Int(rng.uniform(3...5.99)) : Int(rng.uniform(1...4.99))
        let isInService = !rng.chance(0.02)
        let manufacturer = rng.weighted([
            ("Siemens Healthineers", 3.0), ("GE HealthCare", 3.0), ("Philips", 2.5), ("Canon Medical", 2.0),
            ("Fujifilm", 1.0), ("Hologic", 0.5),
        ])
        let id = String(format: "SYN-%06d", number)
        let fields = [
            id, trust.network, trust.name, trust.sites[Int(rng.uniform(0...Double(trust.sites.count) - 0.001))],
            modality.rawValue, equipmentClass?.name.rawValue ?? "", manufacturer, "\(modality.rawValue) model",
            isMobile ? "yes" : "no", installDate.iso, rng.chance(0.9) ? String(Int(price.rounded())) : "",
            rng.chance(0.9) ? String(Int(service.rounded())) : "", endOfSupport, String(criticality),
            isInService ? "in_service" : "decommissioned", "",
        ]
        let hoursPerDay = isMobile ? 10.0 : [8.0, 10, 12, 12, 14][Int(rng.uniform(0...4.999))]
        return SyntheticAsset(
            fields: fields,
            isInService: isInService,
            installMonth: installDate.yearMonth,
            id: id,
            modality: modality,
            scansPerHour: equipmentClass?.scansPerHour ?? 2,
            availableHoursPerMonth: hoursPerDay * 30.4 * rng.uniform(0.8...1),
            utilisation: rng.uniform(0.45...0.95),
            ageYears: ageYears,
            monthlyServiceGBP: service / 12,
            downtimeShare: min(0.12, 0.005 + 0.004 * ageYears * rng.uniform(0.5...1.5))
        )
    }
}
