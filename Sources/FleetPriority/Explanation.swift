extension Assessment {
    /// The text `fleet rank --explain` prints for this unit: each criterion with its raw value and unit, score,
    /// weight, contribution to the score and note; the score as the weighted mean; the band and the rule that
    /// raised it; the economic life; the replacement window and timing costs; and notes about the unit.
    public var explanation: String {
        var lines: [String] = []
        var heading = "\(assetID): \(equipmentClass) (\(modality.displayName)) at \(site), \(trust)"
        if let network { heading += " (\(network))" }
        lines.append(heading)
        var bandLine = "Score \(NumberText.fixed(score, 1)) of 100; band: \(band.displayName)"
        if let bandRule {
            bandLine += ", raised from \(scoreBand.displayName) by rule \(bandRule.rawValue) (\(reason(for: bandRule)))"
        }
        lines.append(bandLine)
        lines.append("")

        let header = ["criterion", "raw value", "score", "weight", "points", "note"]
        var rows: [[String]] = criteria.map { criterion in
            [
                criterion.name.rawValue, criterion.name.describe(raw: criterion.raw),
                NumberText.fixed(criterion.score, 3), NumberText.compact(criterion.weight, 2),
                NumberText.fixed(contribution(of: criterion), 1), criterion.note ?? "",
            ]
        }
        rows.append([
            "score", "", "", NumberText.compact(totalWeight, 2), NumberText.fixed(score, 1),
            "100 × Σ weight × score ÷ Σ weight",
        ])
        let table = [header] + rows
        let widths = (0..<header.count - 1).map { column in table.map { $0[column].count }.max() ?? 0 }
        for row in table {
            var line = ""
            for column in 0..<header.count - 1 {
                let cell = row[column]
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                // Numbers align right, text left.
                line += (column >= 2 ? padding + cell : cell + padding) + "  "
            }
            line += row[header.count - 1]
            lines.append(line.trimmingTrailingSpaces())
        }
        lines.append("")

        let isPastEconomicLife = yearsPastEconomicLife >= 0
        let past =
            isPastEconomicLife
            ? "the unit is \(NumberText.fixed(yearsPastEconomicLife, 1)) years past it"
            : "the unit reaches it in \(NumberText.fixed(-yearsPastEconomicLife, 1)) years"
        let basis =
            operatingCostFitMonths > 0
            ? "fitted to \(operatingCostFitMonths) months of service cost and downtime"
            : "the class default: too little cost history to fit"
        lines.append(
            "Economic life: \(economicLifeYears) years (equivalent annual cost "
                + "\(NumberText.pounds(equivalentAnnualCostGBP.pounds)) a year); \(past). Operating cost rises "
                + "\(NumberText.pounds(operatingCostRiseGBPPerYear.pounds)) a year of age (\(basis))."
        )
        lines.append(
            "Replacement window: \(window.earliestYear)–\(window.latestYear), preferred \(window.preferredYear)."
        )
        let excess =
            isPastEconomicLife ? max(0, keepOneMoreYearCostGBP.pounds - newUnitEquivalentAnnualCostGBP.pounds) : 0
        let allowance = max(0, deferCostGBPPerYear.pounds - excess)
        let keeping =
            "keeping the unit one more year costs \(NumberText.pounds(keepOneMoreYearCostGBP.pounds)) against "
            + "\(NumberText.pounds(newUnitEquivalentAnnualCostGBP.pounds)) a year for a new one"
        let deferral: String
        if !isPastEconomicLife {
            deferral = "the band's downtime allowance; the unit has not reached its economic life (\(keeping))"
        } else if excess > 0 {
            deferral =
                keeping + ", \(NumberText.pounds(excess)) more, plus the band's downtime allowance "
                + NumberText.pounds(allowance)
        } else {
            deferral = "the band's downtime allowance; past its economic life, " + keeping + " (no more)"
        }
        lines.append("Deferring a year costs \(NumberText.pounds(deferCostGBPPerYear.pounds)): \(deferral).")
        let straightLine = replacementCostGBP.pounds / max(1, expectedLifeYears)
        let factor = straightLine > 0 ? advanceCostGBPPerYear.pounds / straightLine : 0
        lines.append(
            "Bringing forward a year costs \(NumberText.pounds(advanceCostGBPPerYear.pounds)): replacement cost "
                + "\(NumberText.pounds(replacementCostGBP.pounds)) ÷ expected life "
                + "\(NumberText.compact(expectedLifeYears, 1)) years × \(NumberText.compact(factor, 2)) for the band."
        )
        for note in notes { lines.append("Note: \(note).") }
        return lines.joined(separator: "\n")
    }

    /// Why `rule` fired, with the figures.
    private func reason(for rule: BandRule) -> String {
        switch rule {
        case .pastMaximumLife:
            "\(NumberText.fixed(ageYears, 1)) years old, past the class's maximum life of "
                + "\(NumberText.fixed(maximumLifeYears, 0)) years"
        case .pastEndOfSupport:
            "manufacturer support ended "
                + NumberText.fixed(-(criterion(.support)?.raw ?? 0), 1) + " months ago"
        case .pastExpectedLife:
            "\(NumberText.fixed(ageYears, 1)) years old, past the class's expected life of "
                + "\(NumberText.fixed(expectedLifeYears, 0)) years"
        }
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var text = Substring(self)
        while text.last == " " { text = text.dropLast() }
        return String(text)
    }
}
