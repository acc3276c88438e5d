import FleetCore
import FleetReport
import Foundation
import TOMLKit

/// The appraisal settings of `Catalog/appraisal.toml`: the Green Book discount rate, VAT treatment, optimism bias,
/// the plan's horizon and the appraisal period, and how far the sensitivity analysis moves each input.
public struct AppraisalSettings: Hashable, Sendable {
    /// The file name inside the catalog folder.
    public static let fileName = "appraisal.toml"

    /// Discount rate a year, as a fraction (Green Book: 0.035).
    public var discountRate: Double
    /// VAT rate as a fraction.
    public var vatRate: Double
    /// Whether VAT is counted as a cost.
    public var includesVAT: Bool
    /// Optimism bias added to capital paid, as a fraction.
    public var optimismBias: Double
    /// Optimism bias added to operating (revenue) costs, as a fraction; 0 when the file sets none.
    public var operatingOptimismBias: Double
    /// Decision years in the plan.
    public var horizonYears: Int
    /// Years of costs counted in the appraisal.
    public var appraisalYears: Int
    /// How far each sensitivity moves its input.
    public var sensitivity: SensitivitySteps

    /// Settings with every figure given.
    public init(
        discountRate: Double,
        vatRate: Double,
        includesVAT: Bool,
        optimismBias: Double,
        horizonYears: Int,
        appraisalYears: Int,
        sensitivity: SensitivitySteps,
        operatingOptimismBias: Double = 0
    ) {
        self.discountRate = discountRate
        self.vatRate = vatRate
        self.includesVAT = includesVAT
        self.optimismBias = optimismBias
        self.operatingOptimismBias = operatingOptimismBias
        self.horizonYears = horizonYears
        self.appraisalYears = appraisalYears
        self.sensitivity = sensitivity
    }

    /// The workbook's assumptions for a plan whose first decision year is `baseYear`, with the discount rate,
    /// horizon, appraisal period and lease discount rate the scenario actually used (a hand-edited scenario may
    /// differ from the catalog).
    public func assumptions(
        baseYear: Int,
        discountRate: Double,
        horizonYears: Int,
        appraisalYears: Int,
        leaseDiscountRate: Double? = nil
    )
        -> AppraisalAssumptions
    {
        AppraisalAssumptions(
            discountRate: discountRate,
            baseYear: baseYear,
            horizonYears: horizonYears,
            appraisalYears: appraisalYears,
            vatRate: vatRate,
            includesVAT: includesVAT,
            optimismBias: optimismBias,
            operatingOptimismBias: operatingOptimismBias,
            leaseDiscountRate: leaseDiscountRate,
            sensitivity: sensitivity
        )
    }

    /// Reads `appraisal.toml` from a catalog folder.
    /// - Throws: ``FileFailure`` (exit 2) when it cannot be read, ``InvalidInput`` naming line, key and value.
    public static func load(fromCatalog folder: URL) throws -> AppraisalSettings {
        let url = folder.appendingPathComponent(fileName)
        let text: String
        do {
            text = String(decoding: try Data(contentsOf: url), as: UTF8.self)
        } catch {
            throw FileFailure(path: url.relativePath, reason: "cannot be read", exitCode: .invalidInput)
        }
        return try parse(toml: text, file: url.relativePath)
    }

    /// Reads the text of an `appraisal.toml`. Every key is required but `operating_optimism_bias` (0 when absent,
    /// so a file written before it still reads) and the sensitivity steps; unknown keys are refused.
    /// - Throws: ``InvalidInput`` naming the file, line, key and value of every problem.
    public static func parse(toml text: String, file: String) throws(InvalidInput) -> AppraisalSettings {
        let document = try SettingsReader.document(text, file: file)
        var reader = SettingsReader(file: file, text: text)
        reader.rejectUnknownKeys(
            in: document,
            at: [],
            known: [
                "discount_rate", "vat_rate", "include_vat", "optimism_bias", "operating_optimism_bias",
                "horizon_years", "appraisal_years", "sensitivity",
            ]
        )
        let fraction = "a fraction from 0 to 1, such as 0.035"
        let rate = reader.number(
            in: document,
            ["discount_rate"],
            range: 0...0.5,
            expectation: "a fraction from 0 to 0.5"
        )
        let vat = reader.number(in: document, ["vat_rate"], range: 0...1, expectation: fraction)
        let includesVAT = reader.boolean(in: document, ["include_vat"])
        let bias = reader.number(
            in: document,
            ["optimism_bias"],
            range: 0...5,
            expectation: "a fraction from 0 to 5 (Green Book: up to 200 %)"
        )
        let operatingBias = document["operating_optimism_bias"].flatMap {
            reader.number(
                $0,
                ["operating_optimism_bias"],
                range: 0...5,
                expectation: "a fraction from 0 to 5 (Green Book outsourcing operating cost: 0 to 41 %)"
            )
        }
        let horizon = reader.integer(
            in: document,
            ["horizon_years"],
            range: 1...30,
            expectation: "whole years, 1 to 30"
        )
        let appraisal = reader.integer(
            in: document,
            ["appraisal_years"],
            range: 1...75,
            expectation: "whole years, 1 to 75"
        )
        var steps = SensitivitySteps()
        if let table = reader.table(in: document, ["sensitivity"]) {
            let path = ["sensitivity"]
            reader.rejectUnknownKeys(
                in: table,
                at: path,
                known: ["price", "tier_discount", "discount_rate", "timing_penalty"]
            )
            steps.price = reader.number(in: table, path + ["price"], range: 0...1, expectation: fraction) ?? steps.price
            steps.tierDiscount =
                reader.number(in: table, path + ["tier_discount"], range: 0...1, expectation: fraction)
                ?? steps.tierDiscount
            steps.discountRate =
                reader.number(in: table, path + ["discount_rate"], range: 0...0.1, expectation: "a fraction up to 0.1")
                ?? steps.discountRate
            steps.timingPenalty =
                reader.number(in: table, path + ["timing_penalty"], range: 0...1, expectation: fraction)
                ?? steps.timingPenalty
        }
        try reader.issues.throwIfAny()
        guard let rate, let vat, let includesVAT, let bias, let horizon, let appraisal else {
            throw InvalidInput(InputIssue(file: file, line: nil, problem: "could not be read"))
        }
        return AppraisalSettings(
            discountRate: rate,
            vatRate: vat,
            includesVAT: includesVAT,
            optimismBias: bias,
            horizonYears: horizon,
            appraisalYears: appraisal,
            sensitivity: steps,
            operatingOptimismBias: operatingBias ?? 0
        )
    }
}
