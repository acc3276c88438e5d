import FleetCore

/// The units of a ranking, highest score first (ties by asset id), as a collection of ``Assessment``s.
///
/// The order, scores and bands are fixed when ``PriorityModel/rank(assets:utilisation:asOf:)`` returns; each
/// assessment (criteria, notes, economic life, window and costs) is built when it is read, so a command that
/// prints the top 20 of a million units builds 20. ``assessments`` builds them all, in parallel. Encodes as the
/// JSON array of `fleet rank --format json`.
public struct Ranking: RandomAccessCollection, Sendable, Encodable {
    let model: PriorityModel
    let context: PriorityModel.Context
    let assets: [Asset]
    let feed: FeedIndex
    let classIndex: [Int32]
    /// The index in `assets` of the unit at each rank.
    let order: [Int32]

    /// The day the ranking is taken at.
    public var asOf: Day { context.asOf }

    /// The first rank, 0.
    public var startIndex: Int { 0 }
    /// One past the last rank: the number of ranked units.
    public var endIndex: Int { order.count }

    /// The assessment at `position` (0 is the highest priority), built now.
    public subscript(position: Int) -> Assessment {
        let index = Int(order[position])
        return assets.withUnsafeBufferPointer { buffer in
            model.assessment(
                ofAssetAt: index,
                in: buffer,
                classIndex: classIndex[index],
                feed: feed,
                context: context
            )
        }
    }

    /// The id of the unit at `position`, without building its assessment.
    public func assetID(at position: Int) -> AssetID { assets[Int(order[position])].id }

    /// Every assessment in rank order, built now in parallel: O(n), unlike reading a few through the subscript.
    public var assessments: [Assessment] {
        let count = order.count
        // Walk the units in register order (reading inputs in sequence) and write each into its ranked place.
        var place = [Int32](repeating: -1, count: assets.count)
        for position in 0..<count { place[Int(order[position])] = Int32(position) }
        return assets.withUnsafeBufferPointer { buffer in
            [Assessment](unsafeUninitializedCapacity: count) { output, initialized in
                if let base = output.baseAddress {
                    let output = PriorityModel.DisjointOutput(base: base)
                    PriorityModel.parallelChunks(buffer.count) { range in
                        for index in range where place[index] >= 0 {
                            output.initialize(
                                Int(place[index]),
                                model.assessment(
                                    ofAssetAt: index,
                                    in: buffer,
                                    classIndex: classIndex[index],
                                    feed: feed,
                                    context: context
                                )
                            )
                        }
                    }
                }
                initialized = count
            }
        }
    }

    /// Encodes the assessments as a JSON array, building each as it is written.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        for assessment in self { try container.encode(assessment) }
    }
}
