import FleetCore
import FleetPriority
import Foundation

/// The reference data of the `Catalog/` folder that planning reads: equipment classes and priority settings.
public struct PlanningCatalog: Sendable {
    /// Equipment classes (`equipment-classes.csv`).
    public var equipment: EquipmentCatalog
    /// Priority weights, mappings, bands and rules (`priority.toml`, with `--weights` merged over it).
    public var priority: PrioritySettings

    /// A catalog of given parts.
    public init(equipment: EquipmentCatalog, priority: PrioritySettings) {
        self.equipment = equipment
        self.priority = priority
    }

    /// Loads the catalog folder, merging a weights file over the priority settings when one is given.
    /// - Throws: ``FileFailure`` for a missing file, ``InvalidInput`` naming file, line, column or key and value
    ///   for a broken one.
    public static func load(from folder: URL, weightsOverride: URL? = nil) throws -> PlanningCatalog {
        let equipment = try EquipmentCatalog.load(from: folder)
        var priority = try PrioritySettings.load(fromCatalog: folder)
        if let weightsOverride { priority = try priority.overridingWeights(from: weightsOverride) }
        return PlanningCatalog(equipment: equipment, priority: priority)
    }

    /// The priority model over this catalog.
    public var priorityModel: PriorityModel { PriorityModel(settings: priority, catalog: equipment) }
}
